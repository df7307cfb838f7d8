"""Unifaun / nShift Delivery client: book a shipment, fetch its label PDF, cancel it, poll the TrackBack feed.

Facts: reference/integrations.md §5. Auth `Bearer <id>-<secret>` (or Basic). The API has no
idempotency key, so booking is never repeated blindly: a lost answer raises `OutcomeUnknown` and
the caller looks for the shipment by `orderNo` in the TrackBack feed before booking again.
Weights go in as grams (int) and are sent as exact kilograms. 422 validation statuses become one
`VendorError` listing each field.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.integrations.http import (
    DEFAULT_TIMEOUT,
    ErrorInfo,
    VendorHttp,
    VendorNotFound,
    VendorPayloadError,
)
from core.integrations.payload import Reader

VENDOR = "Unifaun"
MEDIA = ("laser-a5", "laser-2a5", "laser-ste", "laser-a4", "thermo-se", "thermo-190", "thermo-brev3")
_read = Reader(VENDOR)


def parse_error(data: Any) -> ErrorInfo | None:
    if isinstance(data, dict) and ("code" in data or "message" in data):
        return ErrorInfo(message=str(data.get("message") or data.get("code"))[:300],
                         code=str(data.get("code") or "")[:40] or None)
    if isinstance(data, list) and data:
        rows = [r for r in data if isinstance(r, dict)]
        errors = [r for r in rows if r.get("type") != "ignorable"] or rows
        text = "; ".join(f"{r.get('field') or '?'}: {r.get('message') or r.get('messageCode')}"
                         for r in errors[:10])
        return ErrorInfo(message=text[:500] or "validation failed",
                         code=str(errors[0].get("messageCode") or "")[:40] or None,
                         field=str(errors[0].get("field") or "")[:80] or None, details=rows[:50])
    return None


@dataclass(frozen=True)
class Party:
    name: str
    address1: str
    zipcode: str
    city: str
    country: str
    phone: str = ""
    email: str = ""
    quick_id: str = ""

    def to_json(self) -> dict:
        out = {"name": self.name, "address1": self.address1, "zipcode": self.zipcode,
               "city": self.city, "country": self.country}
        out.update({k: v for k, v in (("phone", self.phone), ("email", self.email),
                                      ("quickId", self.quick_id)) if v})
        return out


@dataclass(frozen=True)
class Parcel:
    weight_g: int
    copies: int = 1
    contents: str = ""
    reference: str = ""

    def to_json(self) -> dict:
        if self.copies < 1 or self.weight_g < 0:
            raise ValidationError("copies ≥ 1 and weight ≥ 0 g", field="parcels")
        out = {"copies": self.copies, "weight": Decimal(self.weight_g) / 1000,
               "valuePerParcel": True}
        out.update({k: v for k, v in (("contents", self.contents), ("reference", self.reference)) if v})
        return out


@dataclass(frozen=True)
class Shipment:
    id: str
    status: str                  # lower case: printed, delivering, delivered, cancelled…
    order_no: str
    tracking_numbers: list[str]  # parcels[].parcelNo
    pdf_ids: list[str] = field(default_factory=list)
    inline_pdfs: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class TrackBackBatch:
    fetch_id: str
    min_delay_ms: int
    done: bool
    shipments: list[Shipment]


def parse_shipment(data: Any, where: str) -> Shipment:
    s = _read.obj(data, where)
    parcels = _read.list(s.get("parcels") or [], f"{where}.parcels", max_items=1000)
    pdfs = _read.list(s.get("pdfs") or [], f"{where}.pdfs", max_items=100)
    inline = {}
    pdf_ids = []
    for i, raw in enumerate(pdfs):
        p = _read.obj(raw, f"{where}.pdfs[{i}]")
        pdf_id = _read.str(p, "id", f"{where}.pdfs[{i}]")
        pdf_ids.append(pdf_id)
        if isinstance(p.get("pdf"), str):
            try:
                inline[pdf_id] = base64.b64decode(p["pdf"], validate=True)
            except ValueError:
                raise _read.fail(f"{where}.pdfs[{i}].pdf", "is not base64") from None
    return Shipment(
        id=_read.str(s, "id", where), status=(_read.str(s, "status", where, required=False) or "").lower(),
        order_no=_read.str(s, "orderNo", where, required=False) or "",
        tracking_numbers=[t for t in (_read.str(_read.obj(p, f"{where}.parcels"), "parcelNo",
                                                f"{where}.parcels", required=False) for p in parcels) if t],
        pdf_ids=pdf_ids, inline_pdfs=inline)


class UnifaunClient:
    """One account: base_url e.g. https://api.unifaun.com/rs-extapi/v1; key = id + secret."""

    def __init__(self, base_url: str, key_id: str, secret: str, *, basic_auth: bool = False,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 4,
                 backoff: float = 0.5, max_retry_after: float = 60.0):
        if not key_id or not secret:
            raise ValidationError("API key id and secret are both needed", field="key_id",
                                  hint="a combined key is '<id>-<secret>'")
        auth, headers = ((key_id, secret), {}) if basic_auth else (
            None, {"Authorization": f"Bearer {key_id}-{secret}"})
        self.http = VendorHttp(VENDOR, base_url, parse_error=parse_error, auth=auth,
                               headers=headers, timeout=timeout, retries=retries, backoff=backoff,
                               max_retry_after=max_retry_after)

    def create_shipment(self, *, sender: Party, receiver: Party, service_id: str,
                        parcels: list[Parcel], order_no: str, sender_reference: str = "",
                        media: str = "laser-a4", test: bool = False,
                        inline_pdf: bool = False) -> Shipment:
        """Book and print one shipment (not repeated on a lost answer: see OutcomeUnknown)."""
        if media not in MEDIA:
            raise ValidationError(f"unknown label media {media!r}", field="media",
                                  hint="one of " + ", ".join(MEDIA))
        if not parcels:
            raise ValidationError("at least one parcel", field="parcels")
        shipment = {"sender": sender.to_json(), "receiver": receiver.to_json(),
                    "service": {"id": service_id}, "parcels": [p.to_json() for p in parcels],
                    "orderNo": order_no, "test": test}
        if sender_reference:
            shipment["senderReference"] = sender_reference
        data = self.http.json("POST", "/shipments", json_body={
            "pdfConfig": {"target1Media": media}, "shipment": shipment}, safe=False, expect=(201,),
            params={"inlinePdf": "true"} if inline_pdf else None)
        rows = _read.list(data, "shipments", max_items=100)
        if not rows:
            raise VendorPayloadError(VENDOR, "the booking answer lists no shipment")
        return parse_shipment(rows[0], "shipment")

    def label_pdf(self, shipment_id: str, pdf_id: str) -> bytes:
        """The label PDF bytes (available for one hour after booking)."""
        try:
            resp = self.http.request("GET", f"/shipments/{shipment_id}/pdfs/{pdf_id}",
                                     headers={"Accept": "application/pdf"})
        except VendorNotFound as exc:
            exc.hint = "labels are kept one hour after booking; book again or print from Unifaun"
            raise
        if not resp.content.startswith(b"%PDF-"):
            raise VendorPayloadError(VENDOR, "the label is not a PDF", status=resp.status_code)
        return resp.content

    def cancel_shipment(self, shipment_id: str) -> None:
        """Cancel (DELETE); a shipment already gone is fine (a repeat after a lost answer)."""
        try:
            self.http.request("DELETE", f"/shipments/{shipment_id}", expect=(204, 200))
        except VendorNotFound:
            pass

    def fetch_status(self, fetch_id: str = "-1") -> TrackBackBatch:
        """One TrackBack batch; keep `fetch_id`, call again at once while not `done`, else wait."""
        data = _read.obj(self.http.get_json("/shipments", params={"fetchId": fetch_id}), "trackback")
        rows = _read.list(data.get("shipments") or [], "trackback.shipments", max_items=1000)
        done = _read.bool(data, "done", "trackback")
        return TrackBackBatch(
            fetch_id=_read.str(data, "fetchId", "trackback", max_len=200),
            min_delay_ms=_read.int(data, "minDelay", "trackback", required=False, minimum=0) or 0,
            done=True if done is None else done,
            shipments=[parse_shipment(r, f"trackback.shipments[{i}]") for i, r in enumerate(rows)])
