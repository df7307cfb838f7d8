"""Klarna Order Management (capture, release, refund) and Settlements (payouts, transactions) client.

Facts: reference/integrations.md §2–3. Basic auth (API username, shared secret); amounts are
integers in minor units; every POST carries `Klarna-Idempotency-Key`, which the caller derives
from its own ids (`idempotency_key("klarna-capture", delivery_id)`) so that a retry — by urllib3
after a lost answer, or by us after a crash — captures once. Business refusals
(CAPTURE_NOT_ALLOWED…) come out as `VendorError` with Klarna's code and message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from core.errors import ValidationError
from core.integrations.http import DEFAULT_TIMEOUT, ErrorInfo, VendorHttp, VendorPayloadError
from core.integrations.payload import Reader

VENDOR = "Klarna"
OM = "/ordermanagement/v1/orders"
ST = "/settlements/v1"
MAX_LIST = 1000
_read = Reader(VENDOR)


def parse_error(data: Any) -> ErrorInfo | None:
    if not isinstance(data, dict) or "error_code" not in data:
        return None
    messages = data.get("error_messages") or [data.get("error_message") or ""]
    if not isinstance(messages, list):
        messages = [str(messages)]
    return ErrorInfo(message="; ".join(str(m) for m in messages[:5])[:300] or str(data["error_code"]),
                     code=str(data["error_code"])[:80],
                     correlation_id=str(data.get("correlation_id") or "")[:80] or None)


@dataclass(frozen=True)
class OrderLine:
    """A Klarna order line; money in minor units incl. tax, tax_rate in basis points (2500 = 25 %)."""

    reference: str
    name: str
    quantity: int
    unit_price: int
    total_amount: int
    tax_rate: int = 0
    total_tax_amount: int = 0
    total_discount_amount: int = 0
    type: str = "physical"
    quantity_unit: str = "pcs"

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class KlarnaOrder:
    order_id: str
    status: str
    currency: str
    order_amount: int
    captured_amount: int
    refunded_amount: int
    remaining_authorized_amount: int
    expires_at: str
    merchant_reference1: str
    capture_ids: list[str]


@dataclass(frozen=True)
class KlarnaCapture:
    capture_id: str
    captured_amount: int
    refunded_amount: int
    reference: str
    lines: list[tuple[str, int, int]]   # (reference, quantity, total_amount)


@dataclass(frozen=True)
class KlarnaPayout:
    payment_reference: str
    payout_date: str
    currency: str
    settlement_amount: int
    sale_amount: int
    fee_amount: int
    return_amount: int
    totals: dict[str, int]


@dataclass(frozen=True)
class KlarnaTransaction:
    type: str
    detailed_type: str
    amount: int
    currency: str
    order_id: str
    capture_id: str
    payment_reference: str
    merchant_reference1: str
    merchant_capture_reference: str
    vat_amount: int
    vat_rate: int


def _lines(lines: list[OrderLine] | None, amount: int, what: str) -> list[dict] | None:
    if not lines:
        return None
    total = sum(line.total_amount for line in lines)
    if total != amount:
        raise ValidationError(f"the lines add up to {total}, not {amount}", field=f"{what}_amount",
                              hint="send exactly the delivered lines")
    return [line.to_json() for line in lines]


def _check_amount(amount: int, field: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValidationError("must be a positive whole number of minor units", field=field)
    return amount


class KlarnaClient:
    """One merchant account: `base_url` is e.g. https://api.klarna.com (or the playground)."""

    def __init__(self, base_url: str, username: str, password: str, *,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 4,
                 backoff: float = 0.5, max_retry_after: float = 60.0):
        if not username or not password:
            raise ValidationError("API username and password are both needed", field="username")
        self.http = VendorHttp(VENDOR, base_url, parse_error=parse_error, auth=(username, password),
                               timeout=timeout, retries=retries, backoff=backoff,
                               max_retry_after=max_retry_after)

    def _post(self, path: str, key: str, body: dict | None, expect: tuple[int, ...]):
        if not key:
            raise ValidationError("an idempotency key is required", field="idempotency_key")
        return self.http.request("POST", path, json_body=body, safe=True, expect=expect,
                                 headers={"Klarna-Idempotency-Key": key})

    # -- order management ---------------------------------------------------------------------
    def get_order(self, order_id: str) -> KlarnaOrder:
        o = _read.obj(self.http.get_json(f"{OM}/{order_id}"), "order")
        w = f"order {order_id}"
        captures = _read.list(o.get("captures") or [], f"{w}.captures", max_items=MAX_LIST)
        return KlarnaOrder(
            order_id=_read.str(o, "order_id", w), status=_read.str(o, "status", w),
            currency=_read.str(o, "purchase_currency", w),
            order_amount=_read.int(o, "order_amount", w),
            captured_amount=_read.int(o, "captured_amount", w, required=False) or 0,
            refunded_amount=_read.int(o, "refunded_amount", w, required=False) or 0,
            remaining_authorized_amount=_read.int(o, "remaining_authorized_amount", w,
                                                  required=False) or 0,
            expires_at=_read.str(o, "expires_at", w, required=False) or "",
            merchant_reference1=_read.str(o, "merchant_reference1", w, required=False) or "",
            capture_ids=[_read.str(_read.obj(c, f"{w}.captures"), "capture_id", f"{w}.captures")
                         for c in captures])

    def capture(self, order_id: str, amount: int, *, idempotency_key: str,
                lines: list[OrderLine] | None = None, reference: str = "",
                description: str = "", shipping_info: list[dict] | None = None) -> str:
        """Capture `amount` (exactly the given lines' total when lines are sent); returns the capture id."""
        body: dict = {"captured_amount": _check_amount(amount, "captured_amount")}
        if (payload := _lines(lines, amount, "captured")) is not None:
            body["order_lines"] = payload
        if reference:
            body["reference"] = reference[:255]
        if description:
            body["description"] = description[:255]
        if shipping_info:
            body["shipping_info"] = shipping_info
        resp = self._post(f"{OM}/{order_id}/captures", idempotency_key, body, (201,))
        return self._created_id(resp, "Capture-Id", "captures")

    def list_captures(self, order_id: str) -> list[KlarnaCapture]:
        rows = _read.list(self.http.get_json(f"{OM}/{order_id}/captures"), "captures",
                          max_items=MAX_LIST)
        out = []
        for i, raw in enumerate(rows):
            w = f"captures[{i}]"
            c = _read.obj(raw, w)
            lines = [(_read.str(line, "reference", w, required=False) or "",
                      _read.int(line, "quantity", w), _read.int(line, "total_amount", w))
                     for line in (_read.obj(x, f"{w}.order_lines") for x in _read.list(
                         c.get("order_lines") or [], f"{w}.order_lines", max_items=MAX_LIST))]
            out.append(KlarnaCapture(_read.str(c, "capture_id", w), _read.int(c, "captured_amount", w),
                                     _read.int(c, "refunded_amount", w, required=False) or 0,
                                     _read.str(c, "reference", w, required=False) or "", lines))
        return out

    def release_remaining_authorization(self, order_id: str, *, idempotency_key: str) -> None:
        self._post(f"{OM}/{order_id}/release-remaining-authorization", idempotency_key, None, (204,))

    def cancel(self, order_id: str, *, idempotency_key: str) -> None:
        """Cancel an order with no captures at all."""
        self._post(f"{OM}/{order_id}/cancel", idempotency_key, None, (204,))

    def refund(self, order_id: str, amount: int, *, idempotency_key: str,
               lines: list[OrderLine] | None = None, reference: str = "",
               description: str = "") -> str:
        """Refund `amount` of what was captured; returns the refund id."""
        body: dict = {"refunded_amount": _check_amount(amount, "refunded_amount")}
        if (payload := _lines(lines, amount, "refunded")) is not None:
            body["order_lines"] = payload
        if reference:
            body["reference"] = reference[:255]
        if description:
            body["description"] = description[:255]
        resp = self._post(f"{OM}/{order_id}/refunds", idempotency_key, body, (201,))
        return self._created_id(resp, "Refund-Id", "refunds")

    @staticmethod
    def _created_id(resp, header: str, collection: str) -> str:
        ident = resp.headers.get(header) or resp.headers.get("Location", "").rstrip("/").rpartition(
            f"/{collection}/")[2]
        if not ident:
            raise VendorPayloadError(VENDOR, f"the answer has no {header} and no Location header",
                                     status=resp.status_code)
        return ident[:100]

    # -- settlements --------------------------------------------------------------------------
    def _pages(self, path: str, name: str, params: dict, size: int,
               max_pages: int) -> Iterator[tuple[int, dict]]:
        offset, pages = 0, 0
        while True:
            body = _read.obj(self.http.get_json(path, params={**params, "size": size,
                                                              "offset": offset}), name)
            rows = _read.list(body.get(name), f"{name}", max_items=max(size, 500))
            for i, row in enumerate(rows):
                yield offset + i, _read.obj(row, f"{name}[{offset + i}]")
            pagination = _read.obj(body.get("pagination") or {}, "pagination")
            nxt = pagination.get("next")
            pages += 1
            if not rows or not nxt:
                return
            if pages >= max_pages:
                raise VendorPayloadError(VENDOR, f"more than {max_pages} pages of {name}",
                                         hint="narrow the date range")
            try:
                offset = int(parse_qs(urlsplit(str(nxt)).query)["offset"][0])
            except (KeyError, ValueError, IndexError):
                offset += len(rows)

    def payouts(self, start: dt.datetime, end: dt.datetime, *, currency: str | None = None,
                size: int = 500, max_pages: int = 1000) -> Iterator[KlarnaPayout]:
        params = {"start_date": _iso(start), "end_date": _iso(end)}
        if currency:
            params["currency_code"] = currency
        for i, p in self._pages(f"{ST}/payouts", "payouts", params, size, max_pages):
            w = f"payouts[{i}]"
            totals_raw = _read.obj(p.get("totals"), f"{w}.totals")
            totals = {k: _read.int(totals_raw, k, f"{w}.totals") for k in totals_raw
                      if k.endswith("_amount") and totals_raw[k] is not None}
            yield KlarnaPayout(
                _read.str(p, "payment_reference", w), _read.str(p, "payout_date", w),
                _read.str(p, "currency_code", w), _read.int(totals_raw, "settlement_amount", w),
                totals.get("sale_amount", 0), totals.get("fee_amount", 0),
                totals.get("return_amount", 0), totals)

    def transactions(self, *, payment_reference: str | None = None, order_id: str | None = None,
                     size: int = 500, max_pages: int = 1000) -> Iterator[KlarnaTransaction]:
        params = {k: v for k, v in (("payment_reference", payment_reference),
                                    ("order_id", order_id)) if v}
        for i, t in self._pages(f"{ST}/transactions", "transactions", params, size, max_pages):
            w = f"transactions[{i}]"
            s = lambda key: _read.str(t, key, w, required=False) or ""
            yield KlarnaTransaction(
                type=_read.str(t, "type", w), detailed_type=s("detailed_type"),
                amount=_read.int(t, "amount", w), currency=_read.str(t, "currency_code", w),
                order_id=_read.str(t, "order_id", w), capture_id=s("capture_id"),
                payment_reference=s("payment_reference"), merchant_reference1=s("merchant_reference1"),
                merchant_capture_reference=s("merchant_capture_reference"),
                vat_amount=_read.int(t, "vat_amount", w, required=False) or 0,
                vat_rate=_read.int(t, "vat_rate", w, required=False) or 0)


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
