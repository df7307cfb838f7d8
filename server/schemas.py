"""Request bodies of the HTTP API (pydantic): bounded integers, no NUL characters, known event types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# bounded so the database never sees a value it cannot store (PostgreSQL INTEGER / BIGINT)
Int32 = Annotated[int, Field(strict=True, ge=-(2 ** 31), le=2 ** 31 - 1)]
Id32 = Annotated[int, Field(strict=True, ge=1, le=2 ** 31 - 1)]
Int64 = Annotated[int, Field(strict=True, ge=-(2 ** 63), le=2 ** 63 - 1)]
NoNul = r"^[^\x00]*$"
Uuid = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                                    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]


def Text(max_length: int, min_length: int = 0):
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=NoNul)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    username: Text(64, 1)
    password: Text(200, 1)


class PinIn(Strict):
    username: Text(64, 1)
    pin: Text(16, 1)


class TokenOut(BaseModel):
    token: str
    role: str
    expires_at: str


class EnrolmentCodeIn(Strict):
    device_name: Text(100, 1)
    kind: Literal["pos", "backoffice", "sync_node"]
    register_code: Text(16, 1) | None = None


class CommandIn(Strict):
    """A back-office command: its id (a UUID; a retry sends the same one) and its arguments."""

    id: str | None = Field(None, min_length=8, max_length=36)
    args: dict = Field(default_factory=dict)


class EnrolIn(Strict):
    code: Text(40, 1)
    device_name: Text(100) | None = None


# ---------------------------------------------------------------------------- events

EVENT_TYPES = ("receipt", "customer_created", "stock_count", "shift_closed", "z_report")
MAX_EVENTS = 500
MAX_EVENTS_BYTES = 5 * 1024 * 1024


class EventIn(BaseModel):
    id: Uuid
    type: Literal["receipt", "customer_created", "stock_count", "shift_closed", "z_report"]
    body: dict[str, Any]
    created_at: dt.datetime | None = None


class EventsIn(BaseModel):
    events: list[EventIn] = Field(max_length=MAX_EVENTS)


class ReceiptLine(BaseModel):
    product_id: Id32
    sku: Text(64) | None = None
    name: Text(400) | None = None
    qty: Int64
    unit_price: Int64
    discount: Int64 = 0
    amount: Int64
    vat_rate_bp: Int32


class ReceiptPayment(BaseModel):
    method: Text(40, 1)
    amount: Int64
    reference: Text(200) | None = None


class GiftCardSold(BaseModel):
    code: Text(64, 1)
    amount: Int64


class VatPartIn(BaseModel):
    rate_bp: Int32
    net: Int64
    vat: Int64


class ReceiptBody(BaseModel):
    receipt_id: Uuid
    register_code: Text(16, 1)
    location_id: Id32
    number: Annotated[int, Field(strict=True, ge=1, le=2 ** 63 - 1)]
    created_at: dt.datetime
    kind: Literal["sale", "return", "training"]
    customer_id: Uuid | None = None
    currency: Text(3, 3) = "SEK"
    lines: list[ReceiptLine] = Field(max_length=2000)
    payments: list[ReceiptPayment] = Field(default_factory=list, max_length=50)
    total: Int64
    vat: list[VatPartIn] = Field(default_factory=list, max_length=20)
    cash_rounding: Int64 = 0
    control_code: Text(200) | None = None
    gift_cards: list[GiftCardSold] = Field(default_factory=list, max_length=200)


class CountLine(BaseModel):
    product_id: Id32
    qty: Int64


class StockCountBody(BaseModel):
    location_id: Id32
    counts: list[CountLine] = Field(max_length=100_000)

    @field_validator("counts")
    @classmethod
    def _unique(cls, counts: list[CountLine]) -> list[CountLine]:
        seen = set()
        for c in counts:
            if c.product_id in seen:
                raise ValueError(f"product {c.product_id} is counted twice; send one line per product")
            seen.add(c.product_id)
        return counts


class CustomerBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: Uuid
    name: Text(200, 1)


BODY_MODELS: dict[str, type[BaseModel] | None] = {
    "receipt": ReceiptBody, "stock_count": StockCountBody, "customer_created": CustomerBody,
    "shift_closed": None, "z_report": None,
}


# ---------------------------------------------------------------------------- stock

class MovementBody(Strict):
    product_id: Id32
    location_id: Id32
    qty: Int64
    reason: Text(30, 1)
    idem_key: Text(160, 1)
    source_type: Text(40) | None = None
    source_id: Text(64) | None = None
    note: Text(2000) | None = None


class MovementsIn(Strict):
    movements: list[MovementBody] = Field(min_length=1, max_length=5000)
    allow_negative: bool = False


class ReserveIn(Strict):
    product_id: Id32
    location_id: Id32
    qty: Annotated[int, Field(strict=True, ge=1, le=2 ** 63 - 1)]
    source_type: Text(40, 1)
    source_id: Text(64, 1)
    idem_key: Text(160, 1)


class ReleaseIn(Strict):
    source_type: Text(40, 1) | None = None
    source_id: Text(64, 1) | None = None
    idem_key: Text(160, 1) | None = None
