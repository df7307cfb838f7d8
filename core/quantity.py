"""Quantities are exact integers in thousandths of the product's unit (1 piece = 1000, 0.250 kg = 250)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.errors import ValidationError

ONE = 1000


def pieces(n: int) -> int:
    """n whole units as a quantity."""
    return n * ONE


def parse_qty(text: str | int, field: str = "quantity", allow_negative: bool = False) -> int:
    """'2', '0,250', '1.5' → 2000, 250, 1500; refuses more than three decimals."""
    cleaned = str(text).strip().replace(",", ".").replace(" ", "")
    try:
        value = Decimal(cleaned) * ONE
    except InvalidOperation:
        raise ValidationError(f"{text!r} is not a quantity", field=field, hint="write e.g. 2 or 0,250") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(f"{text!r} has more than three decimals", field=field)
    if value < 0 and not allow_negative:
        raise ValidationError(f"must not be negative, got {text!r}", field=field)
    return int(value)


def format_qty(qty: int) -> str:
    """2000 → '2', 250 → '0,25', 1500 → '1,5'."""
    sign = "-" if qty < 0 else ""
    whole, frac = divmod(abs(qty), ONE)
    return f"{sign}{whole}" if frac == 0 else f"{sign}{whole},{frac:03d}".rstrip("0")


def line_quantities(lines, *, verb: str, document: str) -> list[tuple]:
    """{line_id: qty} or [(line_id, qty)] as pairs: each line once, each qty positive thousandths.

    `verb` and `document` word the refusals ("deliver", "a delivery"; "receive", "a receipt").
    """
    from collections.abc import Mapping

    pairs = list(lines.items()) if isinstance(lines, Mapping) else [tuple(p) for p in lines]
    seen: set = set()
    for line_id, qty in pairs:
        if line_id in seen:
            raise ValidationError(f"line {line_id} is listed twice", field="lines",
                                  hint="give each line once with its total quantity")
        seen.add(line_id)
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationError(f"{verb} a positive quantity in thousandths, not {qty!r}",
                                  field=f"lines[{line_id}].qty")
    if not pairs:
        raise ValidationError(f"{document} needs at least one line", field="lines")
    return pairs
