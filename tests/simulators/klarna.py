"""Klarna Order Management + Settlements simulator: Basic auth, captures with idempotency keys, payouts.

Follows reference/integrations.md §2–3 and Klarna's OpenAPI: amounts in minor units, errors
`{"error_code", "error_messages", "correlation_id"}`; capture/refund answer 201 with `Location`
and `Capture-Id`/`Refund-Id` headers and no body; business refusals are 403 `*_NOT_ALLOWED`.
`Klarna-Idempotency-Key`: a repeated key returns the first answer and does nothing again (only
the key matters, not the body). Strict: lines must be well typed and, when given, sum to the
captured amount (a simulator choice: the spec does not say what Klarna does on a mismatch).
Test helpers: `add_order(lines, expires_in=)`, `add_payout(...)`, `add_transaction(...)`.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid

from tests.simulators.base import Refuse, Reply, Request, Simulator, validate

OM = "/ordermanagement/v1/orders/(?P<order>[^/]+)"
ST = "/settlements/v1"
LINE = {"type": "object", "required": ["name", "quantity", "unit_price", "total_amount"],
        "properties": {
            "type": {"type": "string", "enum": ["physical", "discount", "shipping_fee", "sales_tax",
                                                "store_credit", "gift_card", "digital", "surcharge",
                                                "return_fee"]},
            "reference": {"type": "string", "maxLength": 255},
            "name": {"type": "string", "maxLength": 255},
            "quantity": {"type": "integer", "minimum": 0},
            "quantity_unit": {"type": "string", "maxLength": 10},
            "unit_price": {"type": "integer"}, "tax_rate": {"type": "integer", "minimum": 0},
            "total_amount": {"type": "integer", "maximum": 200000000},
            "total_discount_amount": {"type": "integer", "minimum": 0},
            "total_tax_amount": {"type": "integer"}, "merchant_data": {"type": "string"}}}
CAPTURE = {"type": "object", "required": ["captured_amount"], "properties": {
    "captured_amount": {"type": "integer", "minimum": 0, "maximum": 200000000},
    "description": {"type": "string", "maxLength": 255},
    "order_lines": {"type": "array", "maxItems": 1000, "items": LINE},
    "reference": {"type": "string", "maxLength": 255},
    "shipping_delay": {"type": "integer", "minimum": 0},
    "shipping_info": {"type": "array", "maxItems": 500, "items": {"type": "object"}}}}
REFUND = {"type": "object", "required": ["refunded_amount"], "properties": {
    "refunded_amount": {"type": "integer", "minimum": 0, "maximum": 200000000},
    "description": {"type": "string", "maxLength": 255},
    "order_lines": {"type": "array", "maxItems": 1000, "items": LINE},
    "reference": {"type": "string", "maxLength": 255}}}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class KlarnaSimulator(Simulator):
    vendor = "Klarna"
    routes = [
        ("GET", OM, "get_order"),
        ("POST", OM + "/captures", "capture"),
        ("GET", OM + "/captures", "list_captures"),
        ("GET", OM + "/captures/(?P<capture>[^/]+)", "get_capture"),
        ("POST", OM + "/release-remaining-authorization", "release"),
        ("POST", OM + "/cancel", "cancel"),
        ("POST", OM + "/refunds", "refund"),
        ("GET", OM + "/refunds/(?P<refund>[^/]+)", "get_refund"),
        ("GET", ST + "/payouts", "list_payouts"),
        ("GET", ST + "/transactions", "list_transactions"),
    ]

    def __init__(self, username: str = "PK1234_abc", password: str = "shared-secret"):
        super().__init__()
        self.credentials = (username, password)
        self.orders: dict[str, dict] = {}
        self.idempotency: dict[str, Reply] = {}
        self.payouts: list[dict] = []
        self.transactions: list[dict] = []

    def error(self, status: int, code: str, message: str) -> Reply:
        return Reply(status, {"error_code": code, "error_messages": [message],
                              "correlation_id": str(uuid.uuid4())})

    def fault_code(self, status: int) -> str:
        return {429: "TOO_MANY_REQUESTS", 500: "INTERNAL_SERVER_ERROR"}.get(
            status, "TEMPORARILY_UNAVAILABLE")

    def authorize(self, req: Request) -> Reply | None:
        header = req.header("authorization") or ""
        try:
            user, _, pw = base64.b64decode(header.removeprefix("Basic "), validate=True
                                           ).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            user = pw = None
        if not header.startswith("Basic ") or (user, pw) != self.credentials:
            return Reply(401, {"error_code": "UNAUTHORIZED",
                               "error_messages": ["Bad credentials"], "correlation_id": "x"})
        return None

    # -- test helpers -------------------------------------------------------------------------
    def add_order(self, lines: list[dict], *, currency: str = "SEK", expires_in_days: int = 28,
                  merchant_reference1: str = "") -> str:
        order_id = str(uuid.uuid4())
        amount = sum(line["total_amount"] for line in lines)
        with self.lock:
            self.orders[order_id] = {
                "order_id": order_id, "status": "AUTHORIZED", "fraud_status": "ACCEPTED",
                "order_amount": amount, "original_order_amount": amount, "captured_amount": 0,
                "refunded_amount": 0, "remaining_authorized_amount": amount,
                "purchase_currency": currency, "purchase_country": "SE", "locale": "sv-SE",
                "order_lines": lines, "merchant_reference1": merchant_reference1,
                "merchant_reference2": "", "klarna_reference": order_id[:7].upper(),
                "created_at": _now(),
                "expires_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)
                               ).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "captures": [], "refunds": []}
        return order_id

    def expire(self, order_id: str) -> None:
        with self.lock:
            self.orders[order_id]["expires_at"] = "2000-01-01T00:00:00.000Z"

    def add_payout(self, reference: str, date: str, totals: dict, currency: str = "SEK") -> None:
        full = {k: 0 for k in ("commission_amount", "repay_amount", "sale_amount", "holdback_amount",
                               "settlement_amount", "reversal_amount", "release_amount",
                               "return_amount", "fee_amount", "charge_amount", "credit_amount",
                               "fee_refund_amount", "tax_refund_amount", "deposit_amount",
                               "opening_debt_balance_amount", "closing_debt_balance_amount")}
        self.payouts.append({"payment_reference": reference, "payout_date": date,
                             "currency_code": currency, "merchant_settlement_type": "NET",
                             "merchant_id": self.credentials[0], "totals": {**full, **totals},
                             "transactions": f"{self.url}{ST}/transactions?payment_reference={reference}"})

    def add_transaction(self, **fields) -> None:
        self.transactions.append({"currency_code": "SEK", "purchase_country": "SE",
                                  "sale_date": "2026-03-01T10:00:00Z",
                                  "capture_date": "2026-03-02T10:00:00Z", **fields})

    # -- helpers ------------------------------------------------------------------------------
    def _order(self, req: Request) -> dict:
        order = self.orders.get(req.params["order"])
        if order is None:
            raise Refuse(self.error(404, "NO_SUCH_ORDER", "The order does not exist"))
        return order

    def _body(self, req: Request, schema: dict) -> dict:
        try:
            body = req.json()
        except ValueError:
            raise Refuse(self.error(400, "BAD_VALUE", "The request body is not valid JSON")) from None
        problems = validate(body, schema)
        if problems:
            raise Refuse(self.error(400, "BAD_VALUE", "; ".join(f"{p} {m}" for p, m in problems)))
        lines = body.get("order_lines")
        amount = body.get("captured_amount", body.get("refunded_amount"))
        if lines and sum(line["total_amount"] for line in lines) != amount:
            raise Refuse(self.error(400, "BAD_VALUE", "The order lines do not add up to the amount"))
        return body

    def _idempotent(self, req: Request, action) -> Reply:
        key = req.header("klarna-idempotency-key")
        if key and key in self.idempotency:
            return self.idempotency[key]
        try:
            reply = action()
        except Refuse as exc:  # refusals are remembered too: only the key matters
            reply = exc.reply
        if key and reply.status < 500:
            self.idempotency[key] = reply
        return reply

    def _not_allowed(self, code: str, message: str) -> Refuse:
        return Refuse(self.error(403, code, message))

    # -- order management ---------------------------------------------------------------------
    def get_order(self, req: Request) -> Reply:
        return Reply(200, self._order(req))

    def capture(self, req: Request) -> Reply:
        order = self._order(req)

        def act() -> Reply:
            body = self._body(req, CAPTURE)
            amount = body["captured_amount"]
            if order["status"] in ("CANCELLED", "EXPIRED", "CLOSED", "CAPTURED"):
                raise self._not_allowed("CAPTURE_NOT_ALLOWED", f"Order is {order['status']}")
            if order["expires_at"] < _now():
                raise self._not_allowed("CAPTURE_NOT_ALLOWED", "The authorization has expired")
            if amount < 1 or amount > order["remaining_authorized_amount"]:
                raise self._not_allowed("CAPTURE_NOT_ALLOWED",
                                        "Captured amount is higher than the remaining authorized amount")
            capture_id = str(uuid.uuid4())
            order["captures"].append({
                "capture_id": capture_id, "captured_amount": amount, "captured_at": _now(),
                "klarna_reference": f"{order['klarna_reference']}-{len(order['captures']) + 1}",
                "description": body.get("description", ""), "order_lines": body.get("order_lines", []),
                "reference": body.get("reference", ""), "refunded_amount": 0,
                "shipping_info": body.get("shipping_info", [])})
            order["captured_amount"] += amount
            order["remaining_authorized_amount"] -= amount
            order["status"] = "CAPTURED" if order["remaining_authorized_amount"] == 0 else "PART_CAPTURED"
            path = f"/ordermanagement/v1/orders/{order['order_id']}/captures/{capture_id}"
            return Reply(201, None, {"Location": self.url + path, "Capture-Id": capture_id})

        return self._idempotent(req, act)

    def list_captures(self, req: Request) -> Reply:
        return Reply(200, self._order(req)["captures"])

    def get_capture(self, req: Request) -> Reply:
        for capture in self._order(req)["captures"]:
            if capture["capture_id"] == req.params["capture"]:
                return Reply(200, capture)
        raise Refuse(self.error(404, "NO_SUCH_CAPTURE", "The capture does not exist"))

    def release(self, req: Request) -> Reply:
        order = self._order(req)

        def act() -> Reply:
            if order["status"] in ("CANCELLED", "AUTHORIZED") or not order["captures"]:
                raise self._not_allowed("NOT_ALLOWED",
                                        "Can not release when order is cancelled or has no captures")
            order["remaining_authorized_amount"] = 0
            order["order_amount"] = order["captured_amount"]
            order["status"] = "CAPTURED"
            return Reply(204)

        return self._idempotent(req, act)

    def cancel(self, req: Request) -> Reply:
        order = self._order(req)

        def act() -> Reply:
            if order["captures"] or order["status"] != "AUTHORIZED":
                raise self._not_allowed("CANCEL_NOT_ALLOWED", "Order has captures or is not open")
            order["status"] = "CANCELLED"
            order["remaining_authorized_amount"] = 0
            return Reply(204)

        return self._idempotent(req, act)

    def refund(self, req: Request) -> Reply:
        order = self._order(req)

        def act() -> Reply:
            body = self._body(req, REFUND)
            amount = body["refunded_amount"]
            if amount < 1 or amount > order["captured_amount"] - order["refunded_amount"]:
                raise self._not_allowed("REFUND_NOT_ALLOWED",
                                        "Refunded amount is higher than the captured amount")
            refund_id = str(uuid.uuid4())
            order["refunds"].append({"refund_id": refund_id, "refunded_amount": amount,
                                     "refunded_at": _now(), "description": body.get("description", ""),
                                     "reference": body.get("reference", ""),
                                     "order_lines": body.get("order_lines", [])})
            order["refunded_amount"] += amount
            path = f"/ordermanagement/v1/orders/{order['order_id']}/refunds/{refund_id}"
            return Reply(201, None, {"Location": self.url + path, "Refund-Id": refund_id})

        return self._idempotent(req, act)

    def get_refund(self, req: Request) -> Reply:
        for refund in self._order(req)["refunds"]:
            if refund["refund_id"] == req.params["refund"]:
                return Reply(200, refund)
        raise Refuse(self.error(404, "NOT_FOUND", "The refund does not exist"))

    # -- settlements --------------------------------------------------------------------------
    def _paging(self, req: Request, rows: list, name: str, path: str) -> Reply:
        try:
            size = int(req.query.get("size", 20))
            offset = int(req.query.get("offset", 0))
        except ValueError:
            raise Refuse(self.error(400, "BAD_VALUE", "size and offset must be integers")) from None
        if not 1 <= size <= 500 or offset < 0:
            raise Refuse(self.error(400, "BAD_VALUE", "size must be 1..500 and offset >= 0"))
        chunk = rows[offset: offset + size]
        base = {k: v for k, v in req.query.items() if k not in ("size", "offset")}
        link = lambda off: self.url + path + "?" + "&".join(
            [f"{k}={v}" for k, v in base.items()] + [f"offset={off}", f"size={size}"])
        pagination = {"count": len(chunk), "total": len(rows), "offset": offset}
        if offset + size < len(rows):
            pagination["next"] = link(offset + size)
        if offset > 0:
            pagination["prev"] = link(max(0, offset - size))
        return Reply(200, {name: chunk, "pagination": pagination})

    def list_payouts(self, req: Request) -> Reply:
        rows = self.payouts
        for name, keep in (("start_date", lambda p, t: p["payout_date"] >= t),
                           ("end_date", lambda p, t: p["payout_date"] <= t)):
            if name in req.query:
                value = req.query[name]
                try:
                    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    raise Refuse(self.error(400, "BAD_VALUE", f"{name} is not ISO 8601")) from None
                rows = [p for p in rows if keep(p, value)]
        if "currency_code" in req.query:
            rows = [p for p in rows if p["currency_code"] == req.query["currency_code"]]
        return self._paging(req, rows, "payouts", ST + "/payouts")

    def list_transactions(self, req: Request) -> Reply:
        rows = self.transactions
        for name in ("payment_reference", "order_id"):
            if name in req.query:
                rows = [t for t in rows if t.get(name) == req.query[name]]
        return self._paging(req, rows, "transactions", ST + "/transactions")
