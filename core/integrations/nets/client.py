"""Nets Easy (Nexi Checkout, formerly DIBS) client: payment, charge, cancel, refund; reporting payouts.

Facts: reference/integrations.md §4. `Authorization: <secret key>` (no "Bearer"); amounts are
integers in minor units; charges and refunds carry an `Idempotency-Key` (1–64 characters) that
the caller derives from its own ids. A partial charge sends `orderItems` whose
`grossTotalAmount`s add up to `amount` (checked here before sending). Errors: 400 → field errors,
other 4xx → Nets' numeric code and message (e.g. 1001 OverCharge), both as `VendorError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from core.errors import ValidationError
from core.integrations.http import DEFAULT_TIMEOUT, ErrorInfo, VendorHttp, VendorPayloadError
from core.integrations.payload import Reader

VENDOR = "Nets"
MAX_LIST = 1000
_read = Reader(VENDOR)


def parse_error(data: Any) -> ErrorInfo | None:
    if isinstance(data, dict) and "code" in data:
        return ErrorInfo(message=str(data.get("message") or "refused")[:300],
                         code=str(data["code"])[:20])
    errors = data.get("errors", data) if isinstance(data, dict) else None
    if isinstance(errors, dict) and errors:
        field, messages = next(iter(errors.items()))
        text = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in list(errors.items())[:5])
        return ErrorInfo(message=text[:300], field=str(field)[:80], details=errors)
    return None


@dataclass(frozen=True)
class NetsItem:
    """An order item: unit_price and net total ex tax, gross total incl. tax, tax_rate in bp."""

    reference: str
    name: str
    quantity: int
    unit: str
    unit_price: int
    tax_rate: int
    tax_amount: int
    gross_total_amount: int
    net_total_amount: int

    def to_json(self) -> dict:
        d = asdict(self)
        return {"reference": d["reference"], "name": d["name"], "quantity": d["quantity"],
                "unit": d["unit"], "unitPrice": d["unit_price"], "taxRate": d["tax_rate"],
                "taxAmount": d["tax_amount"], "grossTotalAmount": d["gross_total_amount"],
                "netTotalAmount": d["net_total_amount"]}


@dataclass(frozen=True)
class NetsPayment:
    payment_id: str
    currency: str
    order_amount: int
    reserved: int
    charged: int
    refunded: int
    cancelled: int
    charge_ids: list[str]
    status: str   # derived from the summary, as Nexi's SDK does


@dataclass(frozen=True)
class NetsPayout:
    id: str
    reference: str
    date: str
    currency: str
    amount: int
    fees: int


@dataclass(frozen=True)
class NetsPaymentAction:
    id: str
    payment_id: str
    action: str
    amount: int
    fee: int
    currency: str
    reference: str
    invoice_number: str


def _status(reserved: int, charged: int, refunded: int, cancelled: int) -> str:
    if cancelled and not charged:
        return "cancelled"
    if refunded:
        return "refunded" if refunded >= charged else "partially_refunded"
    if charged:
        return "charged" if charged + cancelled >= reserved else "partially_charged"
    return "reserved" if reserved else "new"


def _key(key: str) -> str:
    if not key or len(key) > 64:
        raise ValidationError("must be 1–64 characters", field="idempotency_key")
    return key


def _items(items: list[NetsItem] | None, amount: int) -> list[dict] | None:
    if items is None:
        return None
    if not items:
        raise ValidationError("a partial charge needs at least one order item", field="order_items")
    total = sum(i.gross_total_amount for i in items)
    if total != amount:
        raise ValidationError(f"the items add up to {total}, not {amount}", field="amount")
    return [i.to_json() for i in items]


def _amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValidationError("must be a positive whole number of minor units", field="amount")
    return amount


class NetsClient:
    """One merchant: base_url https://api.dibspayment.eu (test: https://test.api.dibspayment.eu)."""

    def __init__(self, base_url: str, secret_key: str, *,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 4,
                 backoff: float = 0.5, max_retry_after: float = 60.0):
        if not secret_key:
            raise ValidationError("the secret API key is needed", field="secret_key")
        self.http = VendorHttp(VENDOR, base_url, parse_error=parse_error, timeout=timeout,
                               retries=retries, backoff=backoff, max_retry_after=max_retry_after,
                               headers={"Authorization": secret_key})

    def get_payment(self, payment_id: str) -> NetsPayment:
        body = _read.obj(self.http.get_json(f"/v1/payments/{payment_id}"), "payment")
        p = _read.obj(body.get("payment"), "payment")
        w = f"payment {payment_id}"
        details = _read.obj(p.get("orderDetails"), f"{w}.orderDetails")
        s = _read.obj(p.get("summary") or {}, f"{w}.summary")
        amounts = [(_read.int(s, k, f"{w}.summary", required=False) or 0) for k in (
            "reservedAmount", "chargedAmount", "refundedAmount", "cancelledAmount")]
        charges = _read.list(p.get("charges") or [], f"{w}.charges", max_items=MAX_LIST)
        return NetsPayment(
            payment_id=_read.str(p, "paymentId", w), currency=_read.str(details, "currency", w),
            order_amount=_read.int(details, "amount", f"{w}.orderDetails"), reserved=amounts[0],
            charged=amounts[1], refunded=amounts[2], cancelled=amounts[3],
            charge_ids=[_read.str(_read.obj(c, f"{w}.charges"), "chargeId", f"{w}.charges")
                        for c in charges], status=_status(*amounts))

    def charge(self, payment_id: str, amount: int, *, idempotency_key: str,
               items: list[NetsItem] | None = None, tracking_number: str | None = None,
               provider: str | None = None, my_reference: str | None = None) -> str:
        """Charge `amount` (partial: exactly these items); returns the charge id."""
        body: dict = {"amount": _amount(amount)}
        if (payload := _items(items, amount)) is not None:
            body["orderItems"] = payload
        if tracking_number:
            body["shipping"] = {"trackingNumber": tracking_number, "provider": provider or ""}
        if my_reference:
            body["myReference"] = my_reference[:128]
        data = self.http.json("POST", f"/v1/payments/{payment_id}/charges", json_body=body,
                              safe=True, expect=(200, 201),
                              headers={"Idempotency-Key": _key(idempotency_key)})
        return _read.str(_read.obj(data, "charge"), "chargeId", "charge", max_len=100)

    def cancel(self, payment_id: str, amount: int, items: list[NetsItem] | None = None) -> None:
        """Release `amount` of the reservation (the rest after partial charges)."""
        body: dict = {"amount": _amount(amount)}
        if items:
            body["orderItems"] = _items(items, amount)
        # no idempotency key in the API; repeating a cancel is refused (1019), never doubled
        self.http.request("POST", f"/v1/payments/{payment_id}/cancels", json_body=body,
                          safe=False, expect=(200, 201, 204))

    def refund_charge(self, charge_id: str, amount: int, *, idempotency_key: str,
                      items: list[NetsItem] | None = None, my_reference: str | None = None) -> str:
        body: dict = {"amount": _amount(amount)}
        if items:
            body["orderItems"] = _items(items, amount)
        if my_reference:
            body["myReference"] = my_reference[:128]
        data = self.http.json("POST", f"/v1/charges/{charge_id}/refunds", json_body=body,
                              safe=True, expect=(200, 201),
                              headers={"Idempotency-Key": _key(idempotency_key)})
        return _read.str(_read.obj(data, "refund"), "refundId", "refund", max_len=100)

    # -- reporting ----------------------------------------------------------------------------
    def payouts(self, from_date: dt.date, to_date: dt.date, *, currency: str | None = None,
                page_size: int = 100, max_pages: int = 1000) -> Iterator[NetsPayout]:
        params = {"fromDate": from_date.isoformat(), "toDate": to_date.isoformat(),
                  "pageSize": page_size}
        if currency:
            params["currency"] = currency
        seen = 0
        for page in range(max_pages):
            body = _read.obj(self.http.get_json("/report/v1/payouts",
                                                params={**params, "pageNumber": page}), "payouts")
            total = _read.int(body, "numberOfPayouts", "payouts", minimum=0)
            rows = _read.list(body.get("payouts") or [], "payouts", max_items=max(page_size, 1000))
            for i, raw in enumerate(rows):
                yield self._payout(_read.obj(raw, f"payouts[{seen + i}]"), f"payouts[{seen + i}]")
            seen += len(rows)
            if not rows or seen >= total:
                return
        raise VendorPayloadError(VENDOR, f"more than {max_pages} pages of payouts",
                                 hint="narrow the date range")

    @staticmethod
    def _payout(p: dict, w: str) -> NetsPayout:
        return NetsPayout(_read.str(p, "id", w), _read.str(p, "reference", w, required=False) or "",
                          _read.str(p, "date", w), _read.str(p, "currency", w),
                          _read.int(p, "amount", w), _read.int(p, "fees", w, required=False) or 0)

    def payout_details(self, payout_id: str, *, page_size: int = 100,
                       max_pages: int = 1000) -> tuple[NetsPayout, list[NetsPaymentAction]]:
        actions: list[NetsPaymentAction] = []
        payout = None
        for page in range(max_pages):
            body = _read.obj(self.http.get_json(f"/report/v1/payouts/{payout_id}", params={
                "pageNumber": page, "pageSize": page_size}), "payout")
            payout = payout or self._payout(body, f"payout {payout_id}")
            total = _read.int(body, "numberOfPaymentActions", "payout", minimum=0)
            rows = _read.list(body.get("paymentActions") or [], "paymentActions",
                              max_items=max(page_size, 1000))
            for raw in rows:
                w = f"payout {payout_id}.paymentActions[{len(actions)}]"
                a = _read.obj(raw, w)
                s = lambda key: _read.str(a, key, w, required=False) or ""
                actions.append(NetsPaymentAction(
                    id=s("id"), payment_id=_read.str(a, "paymentId", w), action=s("paymentAction"),
                    amount=_read.int(a, "amount", w), fee=_read.int(a, "fee", w, required=False) or 0,
                    currency=s("currency"), reference=s("reference"), invoice_number=s("invoiceNumber")))
            if not rows or len(actions) >= total:
                return payout, actions
        raise VendorPayloadError(VENDOR, f"more than {max_pages} pages of payment actions")
