"""Nets Easy (Nexi Checkout) simulator: payments, charges (Idempotency-Key), cancels, refunds, reporting payouts.

Follows reference/integrations.md §4: `Authorization: <secret key>` (no Bearer), minor units,
400 → `{"errors": {field: [msg]}}`, business refusals → `{"code", "message", "source"}` with the
SDK's codes (1001 OverCharge, 1002 ZeroCharge, 1005 AmountDiffersFromOrderItems, 1007
PartialCancelNotAllowed, 1008 AlreadyCharged, 1009 InvalidRefundAmount, 1010 ReservationExpired,
1015 OrderItemsMissing, 1019 AlreadyCancelled, 1026 ChargeTriedWithDifferentAmount). The HTTP
status of those is UNCONFIRMED: knob `business_status` (default 402). Whether a partial cancel
is allowed after a partial charge is UNCONFIRMED: knob `allow_cancel_after_charge` (default True).
A repeated Idempotency-Key with the same amount returns the first answer; with another amount → 1026.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from tests.simulators.base import Refuse, Reply, Request, Simulator, validate

ITEM = {"type": "object",
        "required": ["reference", "name", "quantity", "unit", "unitPrice", "grossTotalAmount",
                     "netTotalAmount"],
        "properties": {"reference": {"type": "string", "maxLength": 128},
                       "name": {"type": "string", "maxLength": 128},
                       "quantity": {"type": "number", "minimum": 0},
                       "unit": {"type": "string", "maxLength": 128},
                       "unitPrice": {"type": "integer"}, "taxRate": {"type": "integer", "minimum": 0},
                       "taxAmount": {"type": "integer"}, "grossTotalAmount": {"type": "integer"},
                       "netTotalAmount": {"type": "integer"}}}
AMOUNT_BODY = {"type": "object", "required": ["amount"], "properties": {
    "amount": {"type": "integer"}, "orderItems": {"type": "array", "items": ITEM},
    "myReference": {"type": "string", "maxLength": 128},
    "shipping": {"type": "object", "properties": {"trackingNumber": {"type": "string"},
                                                  "provider": {"type": "string"}}}}}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


class NetsSimulator(Simulator):
    vendor = "Nets"
    routes = [
        ("GET", r"/v1/payments/(?P<payment>[0-9a-f]{32})", "get_payment"),
        ("POST", r"/v1/payments/(?P<payment>[0-9a-f]{32})/charges", "charge"),
        ("POST", r"/v1/payments/(?P<payment>[0-9a-f]{32})/cancels", "cancel"),
        ("POST", r"/v1/charges/(?P<charge>[0-9a-f]{32})/refunds", "refund"),
        ("GET", r"/report/v1/payouts", "list_payouts"),
        ("GET", r"/report/v1/payouts/(?P<payout>[^/]+)", "get_payout"),
    ]

    def __init__(self, secret_key: str = "live-secret-key-0123456789abcdef"):
        super().__init__()
        self.secret_key = secret_key
        self.business_status = 402
        self.allow_cancel_after_charge = True
        self.payments: dict[str, dict] = {}
        self.charges: dict[str, str] = {}          # chargeId → paymentId
        self.idempotency: dict[tuple[str, str], tuple[int, Reply]] = {}
        self.payouts: list[dict] = []
        self.payment_actions: dict[str, list[dict]] = {}

    def error(self, status: int, code: str, message: str) -> Reply:
        if status == 400:
            return Reply(400, {"errors": {code: [message]}})
        if status in (401, 404):
            return Reply(status, None)
        return Reply(status, {"code": code, "message": message, "source": "Payment API"})

    def fault_code(self, status: int) -> str:
        return "1000"

    def authorize(self, req: Request) -> Reply | None:
        if req.header("authorization") != self.secret_key:
            return Reply(401, None)
        return None

    # -- test helpers -------------------------------------------------------------------------
    def add_payment(self, amount: int, items: list[dict], *, currency: str = "SEK",
                    reference: str = "", expired: bool = False) -> str:
        payment_id = uuid.uuid4().hex
        with self.lock:
            self.payments[payment_id] = {
                "paymentId": payment_id, "orderDetails": {"amount": amount, "currency": currency,
                                                          "reference": reference},
                "summary": {"reservedAmount": amount}, "charges": [], "refunds": [],
                "paymentDetails": {"paymentType": "CARD", "paymentMethod": "Visa"},
                "created": _now(), "orderItems": items, "_expired": expired}
        return payment_id

    def add_payout(self, payout_id: str, date: str, amount: int, actions: list[dict], **fields):
        self.payouts.append({"id": payout_id, "reference": f"REF-{payout_id}", "date": date,
                             "currency": "SEK", "amount": amount, "numberOfCharges": len(actions),
                             "fees": sum(a.get("fee", 0) for a in actions), "feeTaxAmount": 0,
                             **fields})
        self.payment_actions[payout_id] = actions

    # -- helpers ------------------------------------------------------------------------------
    def _biz(self, code: int, message: str) -> Refuse:
        return Refuse(self.error(self.business_status, str(code), message))

    def _payment(self, payment_id: str) -> dict:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise Refuse(Reply(404, None))
        return payment

    def _body(self, req: Request) -> dict:
        try:
            body = req.json()
        except ValueError:
            raise Refuse(Reply(400, {"errors": {"body": ["The request body is not valid JSON"]}})
                         ) from None
        problems = validate(body, AMOUNT_BODY, "")
        if problems:
            errors: dict[str, list[str]] = {}
            for path, message in problems:
                errors.setdefault(path.lstrip(".") or "body", []).append(message)
            raise Refuse(Reply(400, {"errors": errors}))
        items = body.get("orderItems")
        if items is not None:
            if not items:
                raise self._biz(1015, "OrderItemsMissing")
            if sum(i["grossTotalAmount"] for i in items) != body["amount"]:
                raise self._biz(1005, "AmountDiffersFromOrderItems")
        return body

    def _idempotent(self, req: Request, scope: str, action) -> Reply:
        key = req.header("idempotency-key")
        if key is not None and not 1 <= len(key) <= 64:
            return Reply(400, {"errors": {"Idempotency-Key": ["must be 1 to 64 characters"]}})
        body = self._body(req)
        if key is not None and (scope, key) in self.idempotency:
            amount, reply = self.idempotency[(scope, key)]
            if amount != body["amount"]:
                raise self._biz(1026, "ChargeTriedWithDifferentAmount")
            return reply
        try:
            reply = action(body)
        except Refuse as exc:
            reply = exc.reply
        if key is not None and reply.status < 300:
            self.idempotency[(scope, key)] = (body["amount"], reply)
        return reply

    @staticmethod
    def _sum(payment: dict, name: str) -> int:
        return payment["summary"].get(name, 0)

    # -- payment API --------------------------------------------------------------------------
    def get_payment(self, req: Request) -> Reply:
        payment = self._payment(req.params["payment"])
        out = {k: v for k, v in payment.items() if not k.startswith("_") and k != "orderItems"}
        out["refunds"] = [{k: v for k, v in r.items() if k != "_charge"} for r in payment["refunds"]]
        return Reply(200, {"payment": out})

    def charge(self, req: Request) -> Reply:
        payment = self._payment(req.params["payment"])

        def act(body: dict) -> Reply:
            amount = body["amount"]
            s = payment["summary"]
            if amount <= 0:
                raise self._biz(1002, "ZeroCharge")
            if payment["_expired"]:
                raise self._biz(1010, "ReservationExpired")
            if s.get("cancelledAmount"):
                raise self._biz(1019, "AlreadyCancelled")
            open_amount = s["reservedAmount"] - s.get("chargedAmount", 0)
            if open_amount == 0:
                raise self._biz(1008, "AlreadyCharged")
            if amount > open_amount:
                raise self._biz(1001, "OverCharge")
            charge_id = uuid.uuid4().hex
            payment["charges"].append({"chargeId": charge_id, "amount": amount, "created": _now(),
                                       "orderItems": body.get("orderItems") or []})
            s["chargedAmount"] = s.get("chargedAmount", 0) + amount
            self.charges[charge_id] = payment["paymentId"]
            return Reply(201, {"chargeId": charge_id})

        return self._idempotent(req, "charge:" + payment["paymentId"], act)

    def cancel(self, req: Request) -> Reply:
        payment = self._payment(req.params["payment"])
        body = self._body(req)
        s = payment["summary"]
        if s.get("cancelledAmount"):
            raise self._biz(1019, "AlreadyCancelled")
        open_amount = s["reservedAmount"] - s.get("chargedAmount", 0)
        if s.get("chargedAmount") and not self.allow_cancel_after_charge:
            raise self._biz(1007, "PartialCancelNotAllowed")
        if body["amount"] != open_amount:
            raise self._biz(1007, "PartialCancelNotAllowed")
        s["cancelledAmount"] = open_amount
        return Reply(204)

    def refund(self, req: Request) -> Reply:
        payment_id = self.charges.get(req.params["charge"])
        if payment_id is None:
            raise self._biz(1011, "ChargeNotFound")
        payment = self.payments[payment_id]
        charge = next(c for c in payment["charges"] if c["chargeId"] == req.params["charge"])

        def act(body: dict) -> Reply:
            refunded = sum(r["amount"] for r in payment["refunds"]
                           if r["_charge"] == charge["chargeId"])
            if body["amount"] <= 0 or body["amount"] > charge["amount"] - refunded:
                raise self._biz(1009, "InvalidRefundAmount")
            refund_id = uuid.uuid4().hex
            payment["refunds"].append({"refundId": refund_id, "amount": body["amount"],
                                       "state": "Completed", "lastUpdated": _now(),
                                       "orderItems": body.get("orderItems") or [],
                                       "_charge": charge["chargeId"]})
            payment["summary"]["refundedAmount"] = self._sum(payment, "refundedAmount") + body["amount"]
            return Reply(201, {"refundId": refund_id})

        return self._idempotent(req, "refund:" + charge["chargeId"], act)

    # -- reporting ----------------------------------------------------------------------------
    def _paging(self, req: Request) -> tuple[int, int]:
        try:
            number = int(req.query.get("pageNumber", 0))
            size = int(req.query.get("pageSize", 100))
        except ValueError:
            raise Refuse(Reply(400, {"errors": {"pageNumber": ["must be an integer"]}})) from None
        if number < 0 or not 1 <= size <= 1000:
            raise Refuse(Reply(400, {"errors": {"pageSize": ["must be 1..1000"]}}))
        return number, size

    def list_payouts(self, req: Request) -> Reply:
        errors = {name: ["is required as YYYY-MM-DD"] for name in ("fromDate", "toDate")
                  if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", req.query.get(name, ""))}
        if errors:
            return Reply(400, {"errors": errors})
        number, size = self._paging(req)
        rows = [p for p in self.payouts
                if req.query["fromDate"] <= p["date"][:10] <= req.query["toDate"]
                and p["currency"] == req.query.get("currency", p["currency"])]
        return Reply(200, {"numberOfPayouts": len(rows),
                           "payouts": rows[number * size:(number + 1) * size]})

    def get_payout(self, req: Request) -> Reply:
        payout = next((p for p in self.payouts if p["id"] == req.params["payout"]), None)
        if payout is None:
            return Reply(404, None)
        number, size = self._paging(req)
        actions = self.payment_actions[payout["id"]]
        return Reply(200, {**payout, "numberOfPaymentActions": len(actions),
                           "paymentActions": actions[number * size:(number + 1) * size]})
