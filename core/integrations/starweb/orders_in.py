"""Import new Starweb orders: idempotent on (connection, shop order id), customer matched, stock reserved at once.

Each order goes in under its own savepoint, a page of orders per transaction. An order whose
lines are partly unknown (SKU not in our catalogue) is imported with the lines we know and
flagged; one we cannot import at all (no known line, a refusal from our own rules, a malformed
payload) is *held*: a `webshop_order` row without an order, retried every round, shown in the
problem log. Nothing the shop sent is dropped. Amounts: the shop's ex-VAT unit prices (öre,
converted exactly by the client) are turned into our document's VAT basis; any difference
between our totals and the shop's is flagged, never silently absorbed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.customers.matching import MatchOptions, match_customer
from core.customers.service import AddressIn, CustomerIn
from core.db import Store
from core.errors import UserError
from core.integrations.connections import DEFAULT_PAYMENT_MAP, Connection, log_problem
from core.integrations.http import VendorError, VendorNotFound, VendorPayloadError
from core.integrations.models import IntegrationConnection, WebshopOrder
from core.integrations.starweb.client import StarwebAddress, StarwebClient, StarwebOrder
from core.money import gross_from_net
from core.orders.lifecycle import confirm_order
from core.orders.pricing import LineIn
from core.orders.service import PROVIDER_PAID, OrderIn, create_order, lines_of
from core.pricing.models import PriceList, PriceListChannel
from core.quantity import ONE

JOB = "orders_in"
#: orders created this long before the newest one imported are asked for again (clock skew, late commits)
OVERLAP = dt.timedelta(minutes=10)


@dataclass
class ImportResult:
    imported: int = 0
    flagged: int = 0
    held: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


def who_for(conn: Connection) -> str:
    return f"webshop:{conn.code}"[:100]


def _address(a: StarwebAddress | None) -> dict | None:
    if a is None or not (a.address and a.postal_code and a.city):
        return None
    name = a.company or f"{a.first_name} {a.last_name}".strip()
    return {"name": name or None, "address1": a.address, "address2": None,
            "postal_code": a.postal_code, "city": a.city, "country": (a.country or "SE").upper()}


def _customer(session: Session, conn: Connection, so: StarwebOrder, problems: list[str]
              ) -> tuple[str | None, str]:
    """(customer id or None, display name) by the foundation's matching rules."""
    inv = so.addresses.get("customerInvoice") or so.addresses.get("customerDelivery")
    name = ((inv.company or f"{inv.first_name} {inv.last_name}".strip()) if inv else "") \
        or so.email or f"Starweb {so.order_id}"
    addresses = []
    for kind, key in (("invoice", "customerInvoice"), ("delivery", "customerDelivery")):
        a = _address(so.addresses.get(key))
        if a:
            addresses.append(AddressIn(kind=kind, address1=a["address1"], postal_code=a["postal_code"],
                                       city=a["city"], country=a["country"], name=a["name"]))
    options = MatchOptions(**{k: bool(v) for k, v in conn.setting("match", {}).items()
                              if k in ("ignore_email", "new_when_email_differs", "force_update")})
    phone = inv.phone if inv else None
    attempts = [CustomerIn(name=name, email=so.email or None, phone=phone or None,
                           personal_number=so.national_id or None, addresses=addresses),
                CustomerIn(name=name, email=so.email or None)]
    for data in attempts:
        try:
            with session.begin_nested():
                return match_customer(session, data, options).customer_id, name
        except UserError as exc:
            problems.append(f"customer data refused ({exc}); retried with less")
    problems.append("customer not matched: imported without a customer record")
    return None, name


def _includes_vat(session: Session, conn: Connection, channel_id: int) -> tuple[int | None, bool]:
    pl = None
    if conn.price_list_code:
        pl = session.scalar(select(PriceList).where(PriceList.code == conn.price_list_code))
    if pl is None:
        pl_id = session.scalar(select(PriceListChannel.price_list_id)
                               .where(PriceListChannel.channel_id == channel_id).limit(1))
        pl = session.get(PriceList, pl_id) if pl_id else session.scalar(
            select(PriceList).where(PriceList.is_default).order_by(PriceList.id).limit(1))
    return (pl.id, bool(pl.includes_vat)) if pl else (None, True)


def _lines(session: Session, so: StarwebOrder, includes_vat: bool, problems: list[str]
           ) -> tuple[list[LineIn], list[int | None], list[int]]:
    """Our lines, the shop item id behind each, and the shop's VAT rate per line."""
    skus = {it.sku for it in so.items if it.sku}
    known = {row.sku: row for row in session.execute(
        select(Product.id, Product.sku, Product.product_type, Product.active)
        .where(Product.sku.in_(skus)))} if skus else {}
    lines, items, rates = [], [], []
    for it in so.items:
        row = known.get(it.sku)
        what = f"item {it.item_id} ({it.sku or 'no SKU'} × {it.quantity})"
        if row is None or row.product_type == "variant_parent" or not row.active:
            why = ("is a variant template" if row is not None and row.product_type == "variant_parent"
                   else "is not active" if row is not None else "is not in the catalogue")
            problems.append(f"{what}: SKU {why}; the line was left out")
            continue
        if it.quantity <= 0:
            problems.append(f"{what}: quantity must be positive; the line was left out")
            continue
        unit = gross_from_net(it.unit_price_ex_vat, it.vat_rate_bp) if includes_vat \
            else it.unit_price_ex_vat
        discount_bp = 0
        if it.discount:
            if it.discount_type == "percent":
                discount_bp = it.discount
            else:  # an amount off the line: as basis points of the line, and flagged if not exact
                line_ex = it.unit_price_ex_vat * it.quantity
                discount_bp = min(10000, (it.discount * 10000 + line_ex // 2) // max(line_ex, 1))
                problems.append(f"{what}: amount discount {it.discount} öre taken as "
                                f"{discount_bp / 100:.2f} %")
        lines.append(LineIn(product_id=row.id, qty=it.quantity * ONE, unit_price=unit,
                            discount_bp=discount_bp, name=it.description or None))
        items.append(it.item_id)
        rates.append(it.vat_rate_bp)
    if so.shipping_cost:
        rate = so.shipping_vat_rate_bp or 0
        lines.append(LineIn(kind="shipping", qty=ONE, name="Frakt", unit_price=(
            gross_from_net(so.shipping_cost, rate) if includes_vat else so.shipping_cost)))
        items.append(None)
        rates.append(rate)
    return lines, items, rates


def import_one(session: Session, conn: Connection, so: StarwebOrder) -> WebshopOrder:
    """Import one shop order (the caller's transaction); held on refusal, flagged on doubts."""
    link = session.scalar(select(WebshopOrder).where(
        WebshopOrder.connection_id == conn.id, WebshopOrder.shop_order_id == str(so.order_id)))
    if link is not None and link.order_id is not None:
        return link
    if link is None:
        link = WebshopOrder(connection_id=conn.id, shop_order_id=str(so.order_id))
        session.add(link)
    problems: list[str] = []
    try:
        with session.begin_nested():
            order = _create(session, conn, so, problems)
    except UserError as exc:
        link.order_id, link.flagged = None, True
        link.problems = "; ".join([f"held: {exc}", *problems])[:4000]
        session.flush()
        log_problem(session, JOB, f"shop order {so.order_id} is held: {exc}",
                    connection_id=conn.id, ref=str(so.order_id),
                    hint="fix it (e.g. add the SKU) — it is retried every round")
        return link
    link.order_id = order.id
    link.flagged = bool(problems)
    link.problems = "; ".join(problems)[:4000] or None
    session.flush()
    if problems:
        log_problem(session, JOB, f"shop order {so.order_id} → order {order.number}: "
                    + "; ".join(problems), connection_id=conn.id, ref=str(so.order_id),
                    level="warning")
    return link


def _create(session: Session, conn: Connection, so: StarwebOrder, problems: list[str]):
    channel_id = conn.channel_id
    price_list_id, includes_vat = _includes_vat(session, conn, channel_id)
    lines, items, rates = _lines(session, so, includes_vat, problems)
    if not any(ln.kind == "product" for ln in lines):
        raise UserError("no line of the order matches a product in the catalogue",
                        field="lines", hint="add the SKUs to the catalogue")
    customer_id, name = _customer(session, conn, so, problems)
    provider = DEFAULT_PAYMENT_MAP.get(so.payment_method.lower(), None)
    provider = conn.setting("payment_map", {}).get(so.payment_method.lower(), provider)
    if provider is None:
        problems.append(f"payment method {so.payment_method!r} unknown: treated as prepaid")
        provider = "prepaid"
    delivery = _address(so.addresses.get("customerDelivery"))
    invoice = _address(so.addresses.get("customerInvoice")) or delivery
    order = create_order(session, OrderIn(
        channel_id=channel_id, lines=lines, customer_id=customer_id,
        channel_order_no=str(so.order_id), customer_name=name[:200],
        customer_email=so.email or None, invoice_address=invoice, delivery_address=delivery,
        currency=so.currency.upper(), price_list_id=price_list_id, order_date=so.created_at.date(),
        payment_provider=provider, payment_reference=so.payment_reference or None,
        payment_authorised=so.amount_to_pay if provider in PROVIDER_PAID else 0,
        note=None), who_for(conn))
    if order.prices_include_vat != includes_vat:
        raise UserError(f"the order's VAT basis ({'incl.' if order.prices_include_vat else 'excl.'}"
                        " VAT) differs from the price list's", field="price_list_code",
                        hint="check the connection's price list")
    ours = lines_of(session, order.id)
    line_map = {}
    for line, item, rate in zip(ours, items, rates):
        if line.vat_rate_bp != rate:
            problems.append(f"line {line.position} ({line.sku or line.name}): VAT "
                            f"{rate / 100:g} % in the shop, {line.vat_rate_bp / 100:g} % here")
        if item is not None:
            line_map[line.id] = {"item": item, "qty": line.qty // ONE}
    if order.total_gross != so.amount_to_pay:
        problems.append(f"total {order.total_gross} öre here, {so.amount_to_pay} öre in the shop")
    if problems:
        order.note = ("Webshop: " + "; ".join(problems))[:4000]
    confirm_order(session, order.id, who_for(conn))
    link = session.scalar(select(WebshopOrder).where(
        WebshopOrder.connection_id == conn.id, WebshopOrder.shop_order_id == str(so.order_id)))
    link.line_map = line_map
    return order


def import_new_orders(store: Store, conn: Connection, client: StarwebClient) -> ImportResult:
    """One import pass: orders created after the cursor (less an overlap), then the held ones."""
    result = ImportResult()
    with store.read() as s:
        cursor = s.get(IntegrationConnection, conn.id).orders_cursor
    since = cursor - OVERLAP if cursor else None
    if since is None and conn.setting("import_since"):  # a new connection: not the shop's history
        since = dt.datetime.fromisoformat(str(conn.setting("import_since")))
    for page in client.iter_order_pages(created_after=since):
        with store.write() as s:
            known = set(s.scalars(select(WebshopOrder.shop_order_id).where(
                WebshopOrder.connection_id == conn.id, WebshopOrder.order_id.is_not(None),
                WebshopOrder.shop_order_id.in_([str(o.order_id) for o in page.orders]))))
            newest = cursor
            for so in page.orders:
                newest = max(newest or so.created_at, so.created_at)
                if str(so.order_id) in known:
                    result.already += 1
                    continue
                _count(result, import_one(s, conn, so))
            for ident, exc in page.problems:
                _hold_malformed(s, conn, ident, exc, result)
            row = s.get(IntegrationConnection, conn.id)
            row.orders_cursor = newest
            s.commit()
            cursor = newest
    retry_held(store, conn, client, result)
    return result


def _count(result: ImportResult, link: WebshopOrder) -> None:
    if link.order_id is None:
        result.held += 1
        result.problems.append(link.problems or "held")
    else:
        result.imported += 1
        result.flagged += int(link.flagged)


def _hold_malformed(session: Session, conn: Connection, ident, exc: VendorPayloadError,
                    result: ImportResult) -> None:
    ref = str(ident)[:64]
    result.problems.append(f"shop order {ref}: {exc}")
    if isinstance(ident, int) and ident > 0:
        link = session.scalar(select(WebshopOrder).where(
            WebshopOrder.connection_id == conn.id, WebshopOrder.shop_order_id == ref))
        if link is None:
            session.add(WebshopOrder(connection_id=conn.id, shop_order_id=ref, flagged=True,
                                     problems=f"held: {exc}"[:4000]))
            result.held += 1
    log_problem(session, JOB, f"shop order {ref} could not be read: {exc}", connection_id=conn.id,
                ref=ref, hint="it is read again every round until it can be imported"
                if isinstance(ident, int) else "it has no usable order id; check the shop")


def retry_held(store: Store, conn: Connection, client: StarwebClient,
               result: ImportResult, limit: int = 50) -> None:
    """Held orders are read from the shop again and imported when they can be."""
    with store.read() as s:
        held = list(s.scalars(select(WebshopOrder.shop_order_id).where(
            WebshopOrder.connection_id == conn.id, WebshopOrder.order_id.is_(None))
            .order_by(WebshopOrder.id).limit(limit)))
    for shop_id in held:
        try:
            so = client.get_order(int(shop_id))
        except VendorNotFound:  # not an order id after all (a garbled row's position)
            with store.write() as s:
                s.execute(delete(WebshopOrder).where(WebshopOrder.connection_id == conn.id,
                                                     WebshopOrder.shop_order_id == shop_id,
                                                     WebshopOrder.order_id.is_(None)))
                log_problem(s, JOB, f"shop order {shop_id} does not exist in the shop; no longer "
                            "retried", connection_id=conn.id, ref=shop_id, level="warning")
                s.commit()
            continue
        except VendorError as exc:
            result.problems.append(f"shop order {shop_id} still unreadable: {exc}")
            continue
        with store.write() as s:
            link = import_one(s, conn, so)
            if link.order_id is not None:
                result.imported += 1
                result.flagged += int(link.flagged)
            s.commit()
