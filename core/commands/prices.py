"""Back-office commands: prices — set one price (break, dates, campaign) and a bulk change of a list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.commands import as_date, as_int, command
from core.commands.catalog import flag_arg, id_arg, list_arg, text_arg
from core.errors import ValidationError
from core.pricing.bulk import bulk_change as bulk_price_change
from core.pricing.lists import set_price as set_list_price
from core.quantity import ONE

AREA = "prices"


@command("prices.set", area=AREA)
def set_price(session: Session, who: str, price_list_id: int, price: int, product_id=None, sku=None,
              min_qty: int = ONE, valid_from=None, valid_to=None, campaign: bool = False) -> dict:
    """One price (öre) of one product (by id or SKU) from `min_qty` (thousandths), maybe dated or a campaign."""
    list_id = id_arg(price_list_id, "price_list_id")
    amount = as_int(price, "price")
    pid = id_arg(product_id, "product_id", optional=True)
    code = text_arg(sku, "sku", optional=True)
    if (pid is None) == (not (code or "").strip()):
        raise ValidationError("name the product by product_id or by sku (one of them)", field="sku")
    if pid is None:
        pid = get_by_sku(session, code).id
    item = set_list_price(session, list_id, pid, amount, as_int(min_qty, "min_qty"),
                          as_date(valid_from, "valid_from"), as_date(valid_to, "valid_to"),
                          flag_arg(campaign, "campaign"), changed_by=who)
    return {"id": item.id, "product_id": pid, "price": item.price}


@command("prices.bulk_change", area=AREA)
def bulk_change(session: Session, who: str, price_list_id: int, product_ids, percent_bp=None, amount=None,
                round_to=None) -> dict:
    """Change the regular prices of `product_ids` (null: every product of the list) by a percentage
    (basis points) or an amount (öre), rounded to `round_to` öre; the answer counts them."""
    list_id = id_arg(price_list_id, "price_list_id")
    ids = None if product_ids is None else [
        id_arg(v, f"product_ids[{i}]") for i, v in enumerate(list_arg(product_ids, "product_ids"))]
    deltas = bulk_price_change(session, list_id, ids, as_int(percent_bp, "percent_bp", optional=True),
                               as_int(amount, "amount", optional=True),
                               as_int(round_to, "round_to", optional=True), preview=False, changed_by=who)
    return {"prices": len(deltas), "changed": sum(1 for d in deltas if d.new != d.old)}
