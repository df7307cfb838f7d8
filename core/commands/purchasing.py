"""Back-office commands for purchasing: suppliers, purchase orders, receipts, supplier invoices, reorder, drop ship.

Each command turns its JSON arguments into the core use case's types (naming the argument that
does not fit) and calls core.purchasing; results are ids, numbers and counts. Views of the
purchasing area reload after these ran; drop-ship confirmations deliver customer orders, so
they announce "orders" (the purchasing tab reloads on that too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.commands import as_date, as_int, command
from core.errors import NotFound, ValidationError
from core.purchasing import orders, po_mail, receiving, suppliers

AREA = "purchasing"

#: supplier fields and their JSON kind ('text' = string or null, 'days' = whole number or null)
SUPPLIER_FIELDS = {"code": "text", "name": "text", "email": "text", "phone": "text",
                   "currency": "text", "lead_time_days": "days", "payment_terms_days": "days",
                   "org_number": "text", "address1": "text", "postal_code": "text", "city": "text",
                   "country": "text", "our_customer_no": "text", "notes": "text", "active": "bool"}


# ------------------------------------------------------------------ argument checks

def as_text(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def as_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false, not {value!r}", field=field)
    return value


def items(value: Any, field: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
          ) -> list[dict]:
    """A list of objects with exactly these keys (the optional ones may be left out)."""
    if not isinstance(value, list):
        raise ValidationError(f"{field} must be a list of objects", field=field)
    for i, item in enumerate(value, start=1):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object", field=where)
        unknown = sorted(set(item) - set(required) - set(optional))
        if unknown:
            raise ValidationError(f"{where} has no field {unknown[0]!r}", field=f"{where}.{unknown[0]}",
                                  hint="it takes: " + ", ".join(required + optional))
        missing = [k for k in required if k not in item]
        if missing:
            raise ValidationError(f"{where} needs {missing[0]!r}", field=f"{where}.{missing[0]}")
    return value


def supplier_values(values: Any, field: str = "changes") -> dict:
    """Supplier fields typed as the rules expect (unknown names and wrong kinds refused)."""
    if not isinstance(values, dict):
        raise ValidationError(f"{field} must be an object of supplier fields", field=field)
    out = {}
    for key, value in values.items():
        kind = SUPPLIER_FIELDS.get(key)
        if kind is None:
            raise ValidationError(f"{key!r} is not a supplier field", field=key,
                                  hint="fields: " + ", ".join(SUPPLIER_FIELDS))
        if kind == "bool":
            out[key] = as_bool(value, key)
        elif kind == "days":
            out[key] = as_int(value, key, optional=True)
        else:
            out[key] = as_text(value, key, optional=key not in ("code", "name"))
    return out


def product_of(session: Session, sku: Any, product_id: Any, where: str = "") -> int:
    """A product named by our `sku` or by its `product_id` (exactly one of them)."""
    prefix = f"{where}." if where else ""
    if (sku is None) == (product_id is None):
        raise ValidationError("give either the product's SKU or its id", field=f"{prefix}sku")
    if product_id is not None:
        return as_int(product_id, f"{prefix}product_id")
    try:
        return get_by_sku(session, as_text(sku, f"{prefix}sku")).id
    except NotFound as exc:
        raise NotFound(exc.message, field=f"{prefix}sku", hint="check our article number") from None


# ------------------------------------------------------------------ suppliers

@command("suppliers.create", area=AREA)
def create_supplier(session: Session, who: str, code: str, name: str, email=None, phone=None,
                    currency="SEK", lead_time_days=None, payment_terms_days=30, org_number=None,
                    address1=None, postal_code=None, city=None, country=None, our_customer_no=None,
                    notes=None, active=True) -> dict:
    values = {k: v for k, v in locals().items() if k in SUPPLIER_FIELDS}
    supplier = suppliers.create_supplier(session, suppliers.SupplierIn(**supplier_values(values)))
    return {"id": supplier.id, "code": supplier.code}


@command("suppliers.update", area=AREA)
def update_supplier(session: Session, who: str, supplier_id: int, changes: dict) -> dict:
    """Change some of a supplier's fields (`changes`: field → new value, null clears it)."""
    supplier = suppliers.update_supplier(session, as_int(supplier_id, "supplier_id"),
                                         **supplier_values(changes))
    return {"id": supplier.id, "code": supplier.code}


@command("suppliers.set_article", area=AREA)
def set_article(session: Session, who: str, supplier_id: int, supplier_sku: str, price: int,
                sku: str | None = None, product_id: int | None = None, pack_qty: int = 1000,
                preferred: bool = True) -> dict:
    """The supplier's article number and price (öre excl. VAT) for one of our products (SKU or id)."""
    pid = product_of(session, sku, product_id)
    suppliers.set_supplier_article(session, as_int(supplier_id, "supplier_id"), pid,
                                   as_text(supplier_sku, "supplier_sku"), as_int(price, "price"),
                                   as_int(pack_qty, "pack_qty"), as_bool(preferred, "preferred"))
    return {"supplier_id": supplier_id, "product_id": pid}


@command("suppliers.remove_article", area=AREA)
def remove_article(session: Session, who: str, supplier_id: int, product_id: int) -> dict:
    suppliers.remove_supplier_article(session, as_int(supplier_id, "supplier_id"),
                                      as_int(product_id, "product_id"))
    return {"supplier_id": supplier_id, "product_id": product_id}


# ------------------------------------------------------------------ purchase orders

def _po_result(po) -> dict:
    return {"id": po.id, "number": po.number, "status": po.status, "total": po.total}


@command("purchase_orders.create", area=AREA)
def create_po(session: Session, who: str, supplier_id: int, lines: list, location_id: int | None = None,
              expected_date: str | None = None, note: str | None = None) -> dict:
    """A draft PO; lines [{sku | product_id, qty, unit_price?}] (no price: the supplier article's)."""
    items(lines, "lines", ("qty",), ("sku", "product_id", "unit_price"))
    wanted = [orders.PoLineIn(product_of(session, ln.get("sku"), ln.get("product_id"), f"lines[{i}]"),
                              as_int(ln["qty"], f"lines[{i}].qty"),
                              as_int(ln.get("unit_price"), f"lines[{i}].unit_price", optional=True))
              for i, ln in enumerate(lines, start=1)]
    po = orders.create_po(session, as_int(supplier_id, "supplier_id"), wanted, who,
                          location_id=as_int(location_id, "location_id", optional=True),
                          expected_date=as_date(expected_date, "expected_date"),
                          note=as_text(note, "note", optional=True))
    return _po_result(po)


@command("purchase_orders.send", area=AREA)
def send_po(session: Session, who: str, po_id: int) -> dict:
    """Mark a draft PO sent (the PDF is printed or mailed apart: purchase_orders.email)."""
    return _po_result(orders.send_po(session, as_int(po_id, "po_id"), who))


@command("purchase_orders.confirm", area=AREA)
def confirm_po(session: Session, who: str, po_id: int, supplier_reference: str | None = None,
               expected_date: str | None = None) -> dict:
    """The supplier confirmed the PO (with their reference and delivery date)."""
    return _po_result(orders.confirm_po(session, as_int(po_id, "po_id"), who,
                                        as_text(supplier_reference, "supplier_reference", optional=True),
                                        as_date(expected_date, "expected_date")))


@command("purchase_orders.cancel", area=AREA)
def cancel_po(session: Session, who: str, po_id: int) -> dict:
    return _po_result(orders.cancel_po(session, as_int(po_id, "po_id"), who))


@command("purchase_orders.close", area=AREA)
def close_po(session: Session, who: str, po_id: int, backorder: bool = False) -> dict:
    """Close a (partly) received PO: the rest cancelled, or with `backorder` put on a new PO."""
    po, new = orders.close_po(session, as_int(po_id, "po_id"), who,
                              backorder=as_bool(backorder, "backorder"))
    return _po_result(po) | {"backorder": None if new is None else _po_result(new)}


@command("purchase_orders.receive", area=AREA)
def receive(session: Session, who: str, po_id: int, lines: list, allow_over: bool = False,
            location_id: int | None = None) -> dict:
    """Goods in: lines [{line_id, qty, unit_price?}] (price: the delivery note's, if it differs)."""
    items(lines, "lines", ("line_id", "qty"), ("unit_price",))
    qty = {as_int(ln["line_id"], f"lines[{i}].line_id"): as_int(ln["qty"], f"lines[{i}].qty")
           for i, ln in enumerate(lines, start=1)}
    prices = {ln["line_id"]: as_int(ln["unit_price"], f"lines[{i}].unit_price")
              for i, ln in enumerate(lines, start=1) if ln.get("unit_price") is not None}
    receipt = receiving.receive(session, as_int(po_id, "po_id"), qty, who, prices=prices,
                                allow_over=as_bool(allow_over, "allow_over"),
                                location_id=as_int(location_id, "location_id", optional=True))
    return {"receipt_id": receipt.id, "po_id": receipt.po_id, "seq": receipt.seq}


@command("purchase_orders.email", area=AREA)
def email_po(session: Session, who: str, po_id: int, to: str | None = None) -> dict:
    """Mail the PO's PDF to the supplier (or `to`) with the e-mail settings of the machine running
    the command (the server: core/mail/server.py); a draft is marked sent."""
    from core.mail.server import smtp_settings

    settings, password = smtp_settings()
    message = po_mail.email_po(session, as_int(po_id, "po_id"), who, settings, password,
                               as_text(to, "to", optional=True))
    return {"po_id": po_id, "to": str(message["To"])}


from core.commands import purchasing_more  # noqa: F401  (registers payables, reorder, drop ship)
