"""Starweb Shop API v2 client: OAuth2 token, orders (list/get/patch/items/external ref), SKU lookup, stock, prices.

Facts: reference/integrations.md §1. Amounts arrive as JSON numbers in major units; they are
parsed as Decimal and converted to öre exactly (`199.2` → 19920). Orders are read into
`StarwebOrder` by `parse_order`, which refuses a malformed order with a `VendorPayloadError`
naming the field, so the importer can log it and carry on with the next one.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from core.errors import ValidationError
from core.integrations.http import (
    DEFAULT_TIMEOUT,
    ErrorInfo,
    VendorAuthError,
    VendorError,
    VendorHttp,
    VendorNotFound,
    VendorPayloadError,
)
from core.integrations.payload import Reader, minor_to_major

VENDOR = "Starweb"
SKU_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,40}")
DEFAULT_INCLUDE = ("items", "addresses", "customer", "externalServices")
MAX_PAGE_ITEMS = 1000
MAX_PAGES = 10_000
_read = Reader(VENDOR)


def parse_error(data: Any) -> ErrorInfo | None:
    if isinstance(data, dict) and ("error" in data or "error_description" in data):
        return ErrorInfo(message=str(data.get("error_description") or data.get("error"))[:300],
                         code=str(data.get("error"))[:80] if data.get("error") else None)
    return None


@dataclass(frozen=True)
class StarwebItem:
    item_id: int
    sku: str
    description: str
    quantity: int
    unit_price_ex_vat: int      # öre, rounded half up if the shop keeps finer prices
    vat_rate_bp: int
    discount: int               # öre when discount_type == 'amount', else basis points
    discount_type: str


@dataclass(frozen=True)
class StarwebAddress:
    company: str
    first_name: str
    last_name: str
    address: str
    postal_code: str
    city: str
    country: str
    phone: str


@dataclass(frozen=True)
class StarwebOrder:
    order_id: int
    created_at: dt.datetime     # naive UTC
    status_id: int
    currency: str
    total_ex_vat: int           # öre (Starweb totalAmount)
    total_vat: int
    amount_to_pay: int
    shipping_cost: int
    shipping_vat_rate_bp: int | None
    payment_method: str
    payment_reference: str
    customer_id: int | None
    email: str
    national_id: str
    items: list[StarwebItem] = field(default_factory=list)
    addresses: dict[str, StarwebAddress] = field(default_factory=dict)
    external_refs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderPage:
    orders: list[StarwebOrder]
    problems: list[tuple[Any, VendorPayloadError]]   # (orderId or index, why) for bad rows
    page: int
    total_pages: int


@dataclass(frozen=True)
class VariantRef:
    product_id: int
    variant_id: int
    sku: str


def parse_time(value: str, where: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise _read.fail(where, f"is not an ISO-8601 time: {str(value)[:40]!r}") from None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def _sub(data: dict, key: str, where: str) -> Any:
    """An included child: `{"data": ...}` or absent."""
    child = data.get(key)
    if child is None:
        return None
    return _read.obj(child, f"{where}.{key}").get("data")


def parse_order(data: Any, where: str = "order") -> StarwebOrder:
    """One OrderModel (with includes) → StarwebOrder; malformed → VendorPayloadError naming the field."""
    r = _read
    o = r.obj(data, where)
    order_id = r.int(o, "orderId", where, minimum=1)
    where = f"order {order_id}"
    items = []
    for i, raw in enumerate(r.list(_sub(o, "items", where) or [], f"{where}.items",
                                   max_items=MAX_PAGE_ITEMS)):
        w = f"{where}.items[{i}]"
        it = r.obj(raw, w)
        dtype = r.str(it, "discountType", w, required=False) or "percent"
        if dtype not in ("amount", "percent"):
            raise r.fail(f"{w}.discountType", f"is {dtype!r}, expected amount or percent")
        discount = (r.minor(it, "discount", w, required=False) if dtype == "amount"
                    else r.rate_bp(it, "discount", w, required=False)) or 0
        items.append(StarwebItem(
            item_id=r.int(it, "itemId", w), sku=(r.str(it, "sku", w, required=False) or "").strip(),
            description=r.str(it, "description", w, required=False) or "",
            quantity=r.int(it, "quantity", w), discount=discount, discount_type=dtype,
            unit_price_ex_vat=r.minor(it, "unitPrice", w, exact=False),
            vat_rate_bp=r.rate_bp(it, "vatRate", w)))
    addresses = {}
    for kind, raw in r.obj(_sub(o, "addresses", where) or {}, f"{where}.addresses").items():
        if raw is None:
            continue
        w = f"{where}.addresses.{kind}"
        a = r.obj(raw, w)
        addresses[kind] = StarwebAddress(*(r.str(a, k, w, required=False, max_len=255) or "" for k in (
            "companyName", "firstName", "lastName", "address", "postalCode", "city", "countryCode",
            "mobilePhoneNo")))
    refs = {}
    for i, raw in enumerate(r.list(_sub(o, "externalServices", where) or [],
                                   f"{where}.externalServices", max_items=100)):
        s = r.obj(raw, f"{where}.externalServices[{i}]")
        refs[r.str(s, "serviceName", f"{where}.externalServices[{i}]")] = r.str(
            s, "externalIdValue", f"{where}.externalServices[{i}]", required=False) or ""
    customer = r.obj(_sub(o, "customer", where) or {}, f"{where}.customer")
    return StarwebOrder(
        order_id=order_id, created_at=parse_time(r.str(o, "createdAt", where), f"{where}.createdAt"),
        status_id=r.int(o, "statusId", where), currency=r.str(o, "currencyCode", where, max_len=3),
        total_ex_vat=r.minor(o, "totalAmount", where), total_vat=r.minor(o, "totalVat", where),
        amount_to_pay=r.minor(o, "amountToPay", where),
        shipping_cost=r.minor(o, "shippingCost", where, required=False) or 0,
        shipping_vat_rate_bp=r.rate_bp(o, "shippingVatRate", where, required=False),
        payment_method=r.str(o, "paymentMethodIdCode", where, required=False) or "",
        payment_reference=r.str(o, "paymentReference", where, required=False) or "",
        customer_id=r.int(o, "customerId", where, required=False),
        email=(r.str(customer, "email", f"{where}.customer", required=False)
               or r.str(o, "originalCustomerEmail", where, required=False) or ""),
        national_id=r.str(customer, "nationalIdNo", f"{where}.customer", required=False) or "",
        items=items, addresses=addresses, external_refs=refs)


class StarwebClient:
    """One shop. Thread-safe token cache; every call goes through `_call` (renews once on 401)."""

    def __init__(self, base_url: str, client_id: str, client_secret: str, *,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 4,
                 backoff: float = 0.5, max_retry_after: float = 60.0, renew_margin: float = 60.0,
                 clock=time.monotonic):
        if not client_id or not client_secret:
            raise ValidationError("client id and secret are both needed", field="client_id",
                                  hint="copy them from the shop's API settings")
        self.http = VendorHttp(VENDOR, base_url, parse_error=parse_error, timeout=timeout,
                               retries=retries, backoff=backoff, max_retry_after=max_retry_after)
        self._credentials = (client_id, client_secret)
        self._renew_margin, self._clock = renew_margin, clock
        self._token: tuple[str, float] | None = None
        self._token_lock = threading.Lock()

    # -- auth ---------------------------------------------------------------------------------
    def token(self, *, renew: bool = False) -> str:
        """The cached access token, fetched again when it is about to expire (or `renew`)."""
        with self._token_lock:
            now = self._clock()
            if self._token and not renew and now < self._token[1]:
                return self._token[0]
            client_id, secret = self._credentials
            resp = self.http.request("POST", "/token", safe=True, form={
                "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
            data = _read.obj(self.http.decode(resp, "POST /token"), "token")
            token = _read.str(data, "access_token", "token", max_len=4096)
            lifetime = _read.int(data, "expires_in", "token", required=False, minimum=0) or 3600
            self._token = (token, now + max(0.0, lifetime - min(self._renew_margin, lifetime / 10)))
            return token

    def _call(self, method: str, path: str, **kw) -> Any:
        resp = self._send(method, path, **kw)
        return self.http.decode(resp, f"{method} {path}") if resp.content else None

    def _send(self, method: str, path: str, **kw) -> requests.Response:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token(renew=attempt == 2)}"}
            try:
                return self.http.request(method, path, headers=headers, **kw)
            except VendorAuthError as exc:
                if exc.status == 401 and attempt == 1:
                    continue  # token revoked or expired early: renew once
                raise
        raise AssertionError("unreachable")

    # -- orders -------------------------------------------------------------------------------
    def list_orders(self, *, created_after: dt.datetime | None = None, page: int = 1,
                    include: tuple[str, ...] = DEFAULT_INCLUDE, status_id: int | None = None,
                    ) -> OrderPage:
        """One page of complete orders, oldest first; bad rows go to `problems`, not raised."""
        params = {"page": page, "sortBy": "orderId", "sortOrder": "ASC", "include": ",".join(include)}
        if created_after is not None:
            params["ordersCreatedAfter"] = _iso(created_after)
        if status_id is not None:
            params["statusFilter"] = status_id
        body = _read.obj(self._call("GET", "/orders", params=params), "orders page")
        rows = _read.list(body.get("data"), "orders page.data", max_items=MAX_PAGE_ITEMS)
        meta = _read.obj(_read.obj(body.get("meta") or {}, "meta").get("pagination") or {},
                         "meta.pagination")
        total_pages = _read.int(meta, "total_pages", "meta.pagination", required=False) or page
        orders, problems = [], []
        for i, row in enumerate(rows):
            try:
                orders.append(parse_order(row, f"orders page {page}.data[{i}]"))
            except VendorPayloadError as exc:
                ident = row.get("orderId") if isinstance(row, dict) else i
                problems.append((ident, exc))
        return OrderPage(orders, problems, page, total_pages)

    def iter_order_pages(self, *, created_after: dt.datetime | None = None,
                         include: tuple[str, ...] = DEFAULT_INCLUDE,
                         max_pages: int = MAX_PAGES) -> Iterator[OrderPage]:
        """Every page after `created_after`; stops on an empty page or at `max_pages` (hostile meta)."""
        page = 1
        while True:
            result = self.list_orders(created_after=created_after, page=page, include=include)
            yield result
            if page >= result.total_pages or not (result.orders or result.problems):
                return
            if page >= max_pages:
                raise VendorPayloadError(VENDOR, f"more than {max_pages} pages of orders",
                                         hint="import again with a later start time")
            page += 1

    def get_order(self, order_id: int, include: tuple[str, ...] = DEFAULT_INCLUDE) -> StarwebOrder:
        body = self._call("GET", f"/orders/{int(order_id)}", params={"include": ",".join(include)})
        return parse_order(_read.obj(body, "order").get("data"), f"order {order_id}")

    def update_order(self, order_id: int, *, status_id: int | None = None,
                     tracking_no: str | None = None, tracker_type: int | None = None,
                     send_email: bool = True, **fields: Any) -> None:
        """PATCH the order. A status change never lets Starweb process the payment (we capture)."""
        body = dict(fields)
        if status_id is not None:
            body.update(statusId=int(status_id), onOrderStatusChangeProcessPayment=False,
                        onOrderStatusChangeSendEmail=bool(send_email))
        if tracking_no is not None:
            if len(tracking_no) > 50:
                raise ValidationError("at most 50 characters for Starweb", field="tracking_no")
            body["shippingTrackingNo"] = tracking_no
        if tracker_type is not None:
            body["shippingTrackerType"] = int(tracker_type)
        self._call("PATCH", f"/orders/{int(order_id)}", json_body=body)

    def set_external_reference(self, order_id: int, service_name: str, value: str) -> None:
        """Write our order number back as an external service reference (upsert, safe to repeat)."""
        if not service_name or len(service_name) > 40 or len(value) > 40:
            raise ValidationError("service name and value must be 1–40 characters",
                                  field="external_reference")
        path = f"/orders/{int(order_id)}/external-services"
        # not there yet is the usual case on a new order: expected, so not logged as a failure
        updated = self._send("PUT", f"{path}/{quote(service_name, safe='')}", expect=(200, 404),
                             json_body={"externalIdValue": value})
        if updated.status_code == 404:
            try:
                self._call("POST", path, safe=True, expect=(201,),
                           json_body={"serviceName": service_name, "externalIdValue": value})
            except VendorError as exc:  # created meanwhile (a lost answer): update it
                if exc.status != 400:
                    raise
                self._call("PUT", f"{path}/{quote(service_name, safe='')}",
                           json_body={"externalIdValue": value})

    def add_order_item(self, order_id: int, sku: str, quantity: int, unit_price_ex_vat: int,
                       vat_rate_bp: int, description: str = "") -> int:
        """Add a line (not safe to repeat blindly: POST without idempotency); returns its itemId."""
        body = {"sku": sku, "quantity": int(quantity), "unitPrice": minor_to_major(unit_price_ex_vat),
                "vatRate": minor_to_major(vat_rate_bp), "description": description or sku}
        data = self._call("POST", f"/orders/{int(order_id)}/items", json_body=body, expect=(201,))
        return _read.int(_read.obj(_read.obj(data, "item").get("data"), "item.data"), "itemId", "item")

    def update_order_item(self, order_id: int, item_id: int, *, quantity: int) -> None:
        self._call("PATCH", f"/orders/{int(order_id)}/items/{int(item_id)}",
                   json_body={"quantity": int(quantity)})

    def delete_order_item(self, order_id: int, item_id: int) -> None:
        try:
            self._call("DELETE", f"/orders/{int(order_id)}/items/{int(item_id)}", expect=(204, 200))
        except VendorNotFound:
            pass  # already gone (a repeat after a lost answer)

    def order_statuses(self) -> dict[str, int]:
        """idCode → statusId for the shop's statuses that have an idCode."""
        rows = _read.list(_read.obj(self._call("GET", "/order-statuses"), "statuses").get("data"),
                          "statuses.data", max_items=MAX_PAGE_ITEMS)
        out = {}
        for i, row in enumerate(rows):
            code = _read.str(_read.obj(row, f"statuses[{i}]"), "idCode", f"statuses[{i}]",
                             required=False)
            if code:
                out[code] = _read.int(row, "statusId", f"statuses[{i}]")
        return out

    # -- catalogue ----------------------------------------------------------------------------
    def find_variant(self, sku: str) -> VariantRef | None:
        """The shop's product variant with this SKU, or None."""
        if not SKU_PATTERN.fullmatch(sku or ""):
            raise ValidationError("Starweb SKUs may hold only A–Z, 0–9, '.', '_' and '-' "
                                  "(at most 40)", field="sku", hint=f"rename {sku!r} in the shop")
        body = _read.obj(self._call("GET", "/products", params={
            "filterSku": sku, "include": "primaryVariant"}), "products")
        for i, raw in enumerate(_read.list(body.get("data"), "products.data", max_items=MAX_PAGE_ITEMS)):
            product = _read.obj(raw, f"products[{i}]")
            product_id = _read.int(product, "productId", f"products[{i}]")
            variants = _sub(product, "variants", f"products[{i}]") or []
            if product.get("hasSeveralVariants"):
                variants = _read.obj(self._call("GET", f"/products/{product_id}/variants"),
                                     "variants").get("data")
            for j, v in enumerate(_read.list(variants, "variants", max_items=MAX_PAGE_ITEMS)):
                v = _read.obj(v, f"product {product_id}.variants[{j}]")
                if v.get("sku") == sku:
                    return VariantRef(product_id, _read.int(v, "variantId", f"variant {sku}"), sku)
        return None

    def set_stock(self, variant: VariantRef, stock_location_id: int, quantity: int,
                  stock_status_id: int) -> None:
        """PUT the available quantity (whole pieces) at one stock location."""
        self._call("PUT", f"/products/{variant.product_id}/variants/{variant.variant_id}/stocks/"
                   f"{int(stock_location_id)}", json_body={"stockStatusId": int(stock_status_id),
                                                         "stockQuantity": int(quantity)})

    def set_price(self, variant: VariantRef, pricelist_id: int, price_ex_vat: int,
                  special_price_ex_vat: int | None = None) -> None:
        """PUT the price (öre, excluding VAT) on one price list; sent as exact major units."""
        body = {"pricelistId": int(pricelist_id), "priceExVat": minor_to_major(price_ex_vat)}
        if special_price_ex_vat is not None:
            body["specialPriceExVat"] = minor_to_major(special_price_ex_vat)
        self._call("PUT", f"/products/{variant.product_id}/variants/{variant.variant_id}/prices/"
                   f"{int(pricelist_id)}", json_body=body)


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:  # our timestamps are naive UTC
        when = when.replace(tzinfo=dt.UTC)
    return when.isoformat(timespec="seconds")
