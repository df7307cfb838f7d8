"""Starweb Shop API v2 (2.11.0) simulator: OAuth2 client credentials, orders, products/variants, stock, prices.

Follows reference/integrations.md §1 and the vendor's OpenAPI: `{"data": ...}` envelopes,
`meta.pagination` on order/product lists (`?page=N`, `per_page` fixed by the shop — the knob
`per_page`), `ErrorModel` errors `{"error", "error_description"}`, amounts as JSON numbers in major
units, order statuses found by `idCode` (created, picking, completed, canceled). Strict: unknown
or read-only fields in a PATCH body, wrong types, unknown status ids, bad query values → 400;
missing/expired token → 401. Test helpers (plain methods, not HTTP): `add_order`, `add_product`,
`stock`, `price`, `expire_tokens`; `status_changes` logs each status PATCH with its
`onOrderStatusChangeProcessPayment` flag.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, unquote

from tests.simulators.base import Refuse, Reply, Request, Simulator, validate
from tests.simulators.starweb_catalog import INT, StarwebCatalog
from tests.simulators.starweb_categories import StarwebCategories

TZ = dt.timezone(dt.timedelta(hours=2))
ORDER_INCLUDES = {"items", "externalServices", "status", "customer", "addresses"}
ORDER_PATCH = {"type": "object", "additionalProperties": False, "properties": {
    "statusId": INT, "customerId": INT, "shippingMethodId": INT, "paymentMethodId": INT,
    "onOrderStatusChangeSendEmail": {"type": "boolean"},
    "onOrderStatusChangeProcessPayment": {"type": "boolean"},
    "sendEmailsOnStatusChange": {"type": "boolean"}, "isRead": {"type": "boolean"},
    "shippingTrackerType": INT, "shippingTrackingNo": {"type": "string", "maxLength": 50},
    "internalComment": {"type": "string"}, "paymentStatus": {"type": "string", "maxLength": 20},
    "paymentReference": {"type": "string", "maxLength": 80},
    **{f"customInfo{i}": {"type": "string", "maxLength": 255} for i in range(1, 5)}}}
EXTERNAL_SERVICE = {"type": "object", "additionalProperties": False,
                    "required": ["serviceName", "externalIdValue"], "properties": {
                        "serviceName": {"type": "string", "maxLength": 40, "minLength": 1},
                        "externalIdValue": {"type": "string", "maxLength": 40}}}
ORDER_ITEM = {"type": "object", "additionalProperties": False, "properties": {
    "sku": {"type": "string", "maxLength": 40}, "description": {"type": "string", "maxLength": 255},
    "quantity": {"type": "integer", "minimum": -1000000, "maximum": 1000000},
    "unitSymbol": {"type": "string", "maxLength": 5}, "unitPrice": {"type": "number"},
    "vatRate": {"type": "number", "minimum": 0, "maximum": 100},
    "discount": {"type": "number", "minimum": 0},
    "discountType": {"type": "string", "enum": ["amount", "percent"]},
    "sortIndex": {"type": "integer", "minimum": 0}}}
ID = r"(?P<%s>[0-9]+)"


def _money(value: Decimal) -> float:
    """The shop's JSON: a number in major units with at most two decimals."""
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class StarwebSimulator(StarwebCatalog, StarwebCategories, Simulator):
    vendor = "Starweb"
    routes = [
        ("POST", r"/api/v2/token", "token"),
        ("GET", r"/api/v2/orders", "list_orders"),
        ("GET", r"/api/v2/orders/" + ID % "order", "get_order"),
        ("PATCH", r"/api/v2/orders/" + ID % "order", "patch_order"),
        ("GET", r"/api/v2/orders/" + ID % "order" + "/items", "list_items"),
        ("POST", r"/api/v2/orders/" + ID % "order" + "/items", "add_item"),
        ("PATCH", r"/api/v2/orders/" + ID % "order" + "/items/" + ID % "item", "patch_item"),
        ("DELETE", r"/api/v2/orders/" + ID % "order" + "/items/" + ID % "item", "delete_item"),
        ("GET", r"/api/v2/orders/" + ID % "order" + "/external-services", "list_services"),
        ("POST", r"/api/v2/orders/" + ID % "order" + "/external-services", "add_service"),
        ("PUT", r"/api/v2/orders/" + ID % "order" + "/external-services/(?P<name>[^/]+)",
         "put_service"),
        ("GET", r"/api/v2/order-statuses", "list_statuses"),
        ("GET", r"/api/v2/products", "list_products"),
        ("GET", r"/api/v2/products/" + ID % "product" + "/variants", "list_variants"),
        ("PUT", r"/api/v2/products/" + ID % "product" + "/variants/" + ID % "variant"
         + "/stocks/" + ID % "location", "put_stock"),
        ("PUT", r"/api/v2/products/" + ID % "product" + "/variants/" + ID % "variant"
         + "/prices/" + ID % "pricelist", "put_price"),
        ("GET", r"/api/v2/pricelists", "list_pricelists"),
        ("GET", r"/api/v2/stock-locations", "list_locations"),
        ("GET", r"/api/v2/product-categories", "list_categories"),
        ("POST", r"/api/v2/product-categories", "create_category"),
        ("GET", r"/api/v2/product-categories/" + ID % "category", "get_category"),
    ]

    def __init__(self, client_id: str = "client", client_secret: str = "secret", *,
                 token_lifetime: int = 3600, per_page: int = 100, first_order_id: int = 1001):
        super().__init__()
        self.clients = {client_id: client_secret}
        self.token_lifetime, self.per_page = token_lifetime, per_page
        self.tokens: dict[str, float] = {}
        self.tokens_issued = 0
        self.statuses = [{"statusId": i, "idCode": code, "shouldSendEmail": True,
                          "languages": [{"langCode": "sv", "name": name}]}
                         for i, (code, name) in enumerate([("created", "Ny"), ("picking", "Plockas"),
                                                           ("completed", "Skickad"),
                                                           ("canceled", "Makulerad")], start=1)]
        self.tracking_types = {1: "Posten Sverige", 2: "DHL", 3: "Schenker"}
        self.orders: dict[int, dict] = {}
        self.products: dict[int, dict] = {}
        self.pricelists = {1: {"pricelistId": 1, "name": "Standard", "isMaster": True,
                               "isActive": True, "currencyCode": "SEK"}}
        self.stock_locations = {1: {"stockLocationId": 1, "ecommerceStockLocation": True,
                                    "visibility": "show_if_in_stock", "sortIndex": 1,
                                    "languages": [{"langCode": "sv", "name": "Lager"}]}}
        self.stock_statuses = {1, 2, 3}
        self.status_changes: list[dict] = []
        self.categories: dict[int, dict] = {}
        self._ids = {"order": first_order_id - 1, "item": 5000, "product": 100, "variant": 900, "category": 60}

    # -- vendor hooks -------------------------------------------------------------------------
    def error(self, status: int, code: str, message: str) -> Reply:
        return Reply(status, {"error": code, "error_description": message})

    def fault_code(self, status: int) -> str:
        return "too_many_requests" if status == 429 else "server_error"

    def authorize(self, req: Request) -> Reply | None:
        if req.path.endswith("/token"):
            return None
        match = re.fullmatch(r"Bearer (\S+)", req.header("authorization") or "")
        expiry = self.tokens.get(match.group(1)) if match else None
        if expiry is None or expiry < time.monotonic():
            return self.error(401, "invalid_token", "The access token is missing, invalid or expired")
        return None

    # -- test helpers -------------------------------------------------------------------------
    def _next(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def status_id(self, id_code: str) -> int:
        return next(s["statusId"] for s in self.statuses if s["idCode"] == id_code)

    def add_order(self, items, *, email="anna@example.se", created_at=None, currency="SEK",
                  shipping_cost="0", shipping_vat="25", complete=True, customer_id=None,
                  delivery=None, payment_method="klarna", payment_reference="") -> int:
        """items: [(sku, quantity, unit price ex VAT as str, VAT % as str)]. Returns the orderId."""
        with self.lock:
            order_id = self._next("order")
            created = created_at or dt.datetime.now(dt.UTC)
            address = {"firstName": "Anna", "lastName": "Svensson", "address": "Storgatan 1",
                       "postalCode": "411 21", "city": "Göteborg", "countryCode": "SE",
                       "mobilePhoneNo": "+46701234567", **(delivery or {})}
            self.orders[order_id] = {
                "orderId": order_id, "createdAt": created, "modifiedAt": created,
                "customerId": customer_id or order_id + 7000, "statusId": self.status_id("created"),
                "currencyCode": currency, "langCode": "sv", "isComplete": complete,
                "shippingMethodId": 1, "shippingMethodName": "Postpaket",
                "shippingCost": Decimal(shipping_cost), "shippingVatRate": Decimal(shipping_vat),
                "paymentMethodId": 1, "paymentMethodIdCode": payment_method,
                "paymentMethodName": payment_method.title(), "paymentFee": Decimal(0),
                "paymentVatRate": Decimal(25), "paymentReference": payment_reference,
                "paymentStatus": "reserved", "shippingTrackerType": None, "shippingTrackingNo": "",
                "originalCustomerEmail": email, "internalComment": "",
                "items": [], "externalServices": [],
                "customer": {"customerId": customer_id or order_id + 7000, "type": "person",
                             "email": email, "nationalIdNo": "", "vatNo": ""},
                "addresses": {"customerInvoice": dict(address), "customerDelivery": dict(address)},
            }
            for sku, qty, price, vat in items:
                self.orders[order_id]["items"].append(self._item(sku, qty, price, vat))
            return order_id

    def _item(self, sku, qty, price, vat, description=None) -> dict:
        return {"itemId": self._next("item"), "sku": sku, "description": description or sku,
                "quantity": qty, "unitSymbol": "st", "unitPrice": Decimal(str(price)),
                "vatRate": Decimal(str(vat)), "discount": Decimal(0), "discountType": "percent",
                "sortIndex": 0}

    # -- rendering ----------------------------------------------------------------------------
    def _render_order(self, order: dict, include: set[str]) -> dict:
        net = vat = Decimal(0)
        for it in order["items"]:
            line = it["unitPrice"] * it["quantity"]
            line -= (it["discount"] if it["discountType"] == "amount"
                     else line * it["discount"] / 100)
            line = line.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            net += line
            vat += (line * it["vatRate"] / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for cost, rate in ((order["shippingCost"], order["shippingVatRate"]),
                           (order["paymentFee"], order["paymentVatRate"])):
            net += cost
            vat += (cost * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out = {k: v for k, v in order.items()
               if k not in ("items", "externalServices", "customer", "addresses")}
        out.update(createdAt=order["createdAt"].astimezone(TZ).isoformat(timespec="seconds"),
                   modifiedAt=order["modifiedAt"].astimezone(TZ).isoformat(timespec="seconds"),
                   totalAmount=_money(net), totalVat=_money(vat), amountToPay=_money(net + vat),
                   shippingCost=_money(order["shippingCost"]), paymentFee=_money(order["paymentFee"]),
                   shippingVatRate=float(order["shippingVatRate"]),
                   paymentVatRate=float(order["paymentVatRate"]), baseCurrencyCode="SEK",
                   amountPaid=0)
        if "items" in include:
            out["items"] = {"data": [self._render_item(it) for it in order["items"]]}
        if "externalServices" in include:
            out["externalServices"] = {"data": [dict(s) for s in order["externalServices"]]}
        if "customer" in include:
            out["customer"] = {"data": dict(order["customer"])}
        if "addresses" in include:
            out["addresses"] = {"data": {k: dict(v) for k, v in order["addresses"].items()}}
        if "status" in include:
            out["status"] = {"data": next(s for s in self.statuses
                                          if s["statusId"] == order["statusId"])}
        return out

    @staticmethod
    def _render_item(it: dict) -> dict:
        return {**it, "unitPrice": float(it["unitPrice"]), "vatRate": float(it["vatRate"]),
                "discount": float(it["discount"])}

    def _page(self, rows: list, req: Request) -> dict:
        page = self._int_param(req, "page", 1, minimum=1)
        total = len(rows)
        pages = max(1, -(-total // self.per_page))
        chunk = rows[(page - 1) * self.per_page: page * self.per_page]
        return {"data": chunk, "meta": {"pagination": {
            "current_page": page, "per_page": self.per_page, "total": total,
            "count": len(chunk), "total_pages": pages}}}

    # -- validation helpers -------------------------------------------------------------------
    def _bad(self, message: str, code: str = "invalid_request") -> Refuse:
        return Refuse(self.error(400, code, message))

    def _int_param(self, req, name, default, minimum=None):
        raw = req.query.get(name)
        if raw is None:
            return default
        if not re.fullmatch(r"-?[0-9]{1,9}", raw) or (minimum is not None and int(raw) < minimum):
            raise self._bad(f"The parameter {name} must be an integer"
                            + (f" >= {minimum}" if minimum is not None else ""))
        return int(raw)

    def _includes(self, req, allowed) -> set[str]:
        raw = req.query.get("include", "")
        names = {n for n in raw.split(",") if n}
        unknown = names - allowed
        if unknown:
            raise self._bad(f"Unknown include: {', '.join(sorted(unknown))}")
        return names

    def _body(self, req: Request, schema: dict):
        try:
            body = req.json()
        except ValueError:
            raise self._bad("The request body is not valid JSON") from None
        problems = validate(body, schema)
        if problems:
            raise self._bad("; ".join(f"{p} {m}" for p, m in problems), "validation_failed")
        return body

    def _order(self, req) -> dict:
        order = self.orders.get(int(req.params["order"]))
        if order is None:
            raise Refuse(self.error(404, "not_found", "The order was not found"))
        return order

    # -- handlers -----------------------------------------------------------------------------
    def token(self, req: Request) -> Reply:
        if "application/x-www-form-urlencoded" not in (req.header("content-type") or ""):
            raise self._bad("The token request must be application/x-www-form-urlencoded")
        form = {k: v[-1] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            raise self._bad("Only grant_type client_credentials is allowed", "unsupported_grant_type")
        if self.clients.get(form.get("client_id")) != form.get("client_secret") or not form.get(
                "client_secret"):
            raise self._bad("The client credentials are invalid", "invalid_client")
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.monotonic() + self.token_lifetime
        self.tokens_issued += 1
        return Reply(200, {"access_token": token, "scope": "admin", "expires_in": self.token_lifetime})

    def list_orders(self, req: Request) -> Reply:
        include = self._includes(req, ORDER_INCLUDES)
        rows = [o for o in self.orders.values()
                if o["isComplete"] or req.query.get("includeNonCompletePayments") == "true"]
        for name, keep in (("ordersCreatedAfter", lambda o, t: o["createdAt"] > t),
                           ("ordersCreatedBefore", lambda o, t: o["createdAt"] < t)):
            if name in req.query:
                try:
                    when = dt.datetime.fromisoformat(req.query[name].replace("Z", "+00:00"))
                except ValueError:
                    raise self._bad(f"{name} must be an ISO-8601 timestamp") from None
                when = when if when.tzinfo else when.replace(tzinfo=TZ)
                rows = [o for o in rows if keep(o, when)]
        if "statusFilter" in req.query:
            status = self._int_param(req, "statusFilter", None, minimum=1)
            rows = [o for o in rows if o["statusId"] == status]
        sort_by = req.query.get("sortBy", "orderId")
        order = req.query.get("sortOrder", "DESC")
        if sort_by not in ("orderId", "createdAt", "modifiedAt") or order not in ("ASC", "DESC"):
            raise self._bad("sortBy/sortOrder has an invalid value")
        rows.sort(key=lambda o: (o[sort_by], o["orderId"]), reverse=order == "DESC")
        page = self._page(rows, req)
        page["data"] = [self._render_order(o, include) for o in page["data"]]
        return Reply(200, page)

    def get_order(self, req: Request) -> Reply:
        return Reply(200, {"data": self._render_order(self._order(req),
                                                      self._includes(req, ORDER_INCLUDES))})

    def patch_order(self, req: Request) -> Reply:
        order = self._order(req)
        body = self._body(req, ORDER_PATCH)
        if "statusId" in body and body["statusId"] not in {s["statusId"] for s in self.statuses}:
            raise self._bad(f"The order status {body['statusId']} does not exist", "invalid_status")
        if body.get("shippingTrackerType") is not None and \
                body["shippingTrackerType"] not in self.tracking_types:
            raise self._bad("Unknown shippingTrackerType", "invalid_tracker_type")
        if "statusId" in body:
            self.status_changes.append({
                "orderId": order["orderId"], "statusId": body["statusId"],
                "processPayment": body.get("onOrderStatusChangeProcessPayment", True),
                "sendEmail": body.get("onOrderStatusChangeSendEmail", True)})
        for key, value in body.items():
            if not key.startswith("onOrderStatusChange") and key != "sendEmailsOnStatusChange":
                order[key] = value
        order["modifiedAt"] = dt.datetime.now(dt.UTC)
        return Reply(200, {"data": self._render_order(order, set())})

    def list_items(self, req: Request) -> Reply:
        return Reply(200, {"data": [self._render_item(i) for i in self._order(req)["items"]]})

    def add_item(self, req: Request) -> Reply:
        order = self._order(req)
        body = self._body(req, {**ORDER_ITEM, "required": ["sku", "quantity", "unitPrice"]})
        item = self._item(body["sku"], body["quantity"], body["unitPrice"], body.get("vatRate", 25),
                          body.get("description"))
        order["items"].append(item)
        return Reply(201, {"data": self._render_item(item)})

    def _find_item(self, order, req) -> dict:
        for item in order["items"]:
            if item["itemId"] == int(req.params["item"]):
                return item
        raise Refuse(self.error(404, "not_found", "The order item was not found"))

    def patch_item(self, req: Request) -> Reply:
        item = self._find_item(self._order(req), req)
        for key, value in self._body(req, ORDER_ITEM).items():
            item[key] = Decimal(str(value)) if key in ("unitPrice", "vatRate", "discount") else value
        return Reply(200, {"data": self._render_item(item)})

    def delete_item(self, req: Request) -> Reply:
        order = self._order(req)
        order["items"].remove(self._find_item(order, req))
        return Reply(204)

    def list_services(self, req: Request) -> Reply:
        return Reply(200, {"data": [dict(s) for s in self._order(req)["externalServices"]]})

    def add_service(self, req: Request) -> Reply:
        order = self._order(req)
        body = self._body(req, EXTERNAL_SERVICE)
        if any(s["serviceName"] == body["serviceName"] for s in order["externalServices"]):
            raise self._bad("An external service with that serviceName already exists", "duplicate")
        service = {**body, "readOnly": False}
        order["externalServices"].append(service)
        return Reply(201, {"data": dict(service)})

    def put_service(self, req: Request) -> Reply:
        order = self._order(req)
        name = unquote(req.params["name"])
        service = next((s for s in order["externalServices"] if s["serviceName"] == name), None)
        if service is None:
            raise Refuse(self.error(404, "not_found", "The external service was not found"))
        body = self._body(req, {**EXTERNAL_SERVICE, "required": ["externalIdValue"]})
        if service["readOnly"]:
            raise self._bad("This external service is read-only", "read_only")
        service["externalIdValue"] = body["externalIdValue"]
        return Reply(200, {"data": dict(service)})

    def list_statuses(self, req: Request) -> Reply:
        return Reply(200, {"data": [dict(s) for s in self.statuses]})
