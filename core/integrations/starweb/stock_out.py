"""Publish available stock (on hand − reserved − buffer) and prices to each shop, within seconds of a change.

What changed is found three ways, all cheap: the `publish_queue` (filled by `mark_dirty`, the
hook stock writers may call), `stock_level.updated_at` at the shop's location and `price_change`
rows of the shop's price list since the last sweep (less an overlap, for transactions that
committed late). SET articles follow their components. Each shop keeps its own cursor, so a shop
that is down publishes everything it missed when it is back. Values equal to what was last sent
are not sent again; a full reconciliation (pages of the shop's catalogue) runs on a schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, delete, func, or_, select, text
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.company.models import Channel
from core.db import Store
from core.errors import ValidationError
from core.integrations.connections import Connection, log_problem
from core.integrations.http import VendorError, VendorNotFound
from core.integrations.models import IntegrationConnection, PublishedItem, PublishQueue
from core.integrations.payload import Reader
from core.integrations.starweb.client import StarwebClient, VariantRef
from core.integrations.starweb.variant_match import match_by_names
from core.inventory import hooks
from core.inventory.levels import bundle_available, levels_for
from core.inventory.models import Location
from core.money import net_from_gross
from core.orders.pricing import seller_country
from core.pricing.models import PriceChange, PriceList, PriceListItem
from core.quantity import ONE
from core.vat.rates import RateTable

JOB = "stock_out"
OVERLAP = dt.timedelta(seconds=30)
RECONCILE_EVERY = dt.timedelta(hours=6)
_read = Reader("Starweb")


_ANY_SHOP = text("SELECT 1 FROM integration_connection WHERE kind = 'starweb' AND active LIMIT 1")


def mark_dirty(session: Session, product_ids: Iterable[int]) -> None:
    """Hook for stock and price writers: publish these products to every shop soon (same transaction).

    Nothing is queued while no webshop is connected (nobody would ever empty the queue).
    """
    ids = sorted(set(product_ids))
    if ids and session.execute(_ANY_SHOP).first() is not None:
        session.execute(PublishQueue.__table__.insert(), [{"product_id": p} for p in ids])


# registered on import: every stock or price change in this process queues the product at once
hooks.on_levels_changed(mark_dirty)


@dataclass
class PublishResult:
    stock_sent: int = 0
    prices_sent: int = 0
    unchanged: int = 0
    not_in_shop: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    location_id: int | None
    price_list: PriceList | None
    shop_location: int | None
    shop_pricelist: int | None
    stock_status: int


def _target(session: Session, conn: Connection) -> _Target:
    loc = None
    if conn.stock_location_code:
        loc = session.scalar(select(Location.id).where(Location.code == conn.stock_location_code))
        if loc is None:
            raise ValidationError(f"no stock location {conn.stock_location_code!r}",
                                  field="stock_location_code")
    elif conn.channel_id is not None:
        loc = session.scalar(select(Channel.location_id).where(Channel.id == conn.channel_id))
    pl = session.scalar(select(PriceList).where(PriceList.code == conn.price_list_code)) \
        if conn.price_list_code else None
    if conn.price_list_code and pl is None:
        raise ValidationError(f"no price list {conn.price_list_code!r}", field="price_list_code")
    shop_loc, shop_pl = conn.setting("shop_stock_location_id"), conn.setting("shop_pricelist_id")
    return _Target(loc, pl, int(shop_loc) if shop_loc is not None else None,
                   int(shop_pl) if shop_pl is not None else None,
                   int(conn.setting("stock_status_id", 1)))


def changed_products(session: Session, conn_row: IntegrationConnection, target: _Target,
                     now: dt.datetime) -> tuple[set[int], int]:
    """Products to publish now, and the queue id the cursor may move to."""
    top = session.scalar(select(func.max(PublishQueue.id))) or 0
    ids = set(session.scalars(select(PublishQueue.product_id).where(
        PublishQueue.id > conn_row.publish_cursor, PublishQueue.id <= top)))
    since = (conn_row.swept_at or dt.datetime.min + OVERLAP) - OVERLAP
    if target.location_id is not None:
        ids |= set(session.scalars(text(
            "SELECT product_id FROM stock_level WHERE location_id = :l AND updated_at > :t"),
            {"l": target.location_id, "t": since}))
    if target.price_list is not None:
        ids |= set(session.scalars(select(PriceChange.product_id).where(
            PriceChange.price_list_id == target.price_list.id, PriceChange.changed_at > since)))
    return ids | bundles_of(session, ids), top


_BUNDLES = text("SELECT DISTINCT bundle_id FROM bundle_component WHERE component_id IN :ids"
                ).bindparams(bindparam("ids", expanding=True, type_=Integer))


def bundles_of(session: Session, component_ids: set[int]) -> set[int]:
    """SET articles holding any of these products (one level; nested sets follow on the next pass)."""
    out: set[int] = set()
    ids = sorted(component_ids)
    for start in range(0, len(ids), 900):
        out |= set(session.scalars(_BUNDLES, {"ids": ids[start:start + 900]}))
    return out


def _quantities(session: Session, products: list[Product], target: _Target, buffer: int
                ) -> dict[int, int | None]:
    """Whole pieces to publish per product; None = not limited by stock (services, drop-ship)."""
    if target.location_id is None:
        return {p.id: None for p in products}
    singles = [p.id for p in products if p.product_type != "bundle" and p.stocked]
    levels = levels_for(session, singles, target.location_id)
    out: dict[int, int | None] = {}
    for p in products:
        if p.product_type == "bundle":
            have = bundle_available(session, p.id, target.location_id)
        elif p.stocked and not p.drop_ship:
            have = levels[p.id].available
        else:
            have = None
        out[p.id] = None if have is None else max(0, (have - buffer) // ONE)
    return out


def _prices(session: Session, products: list[Product], target: _Target, on: dt.date
            ) -> dict[int, tuple[int, int | None]]:
    """(regular, campaign or None) price excluding VAT in öre per product on the shop's list."""
    if target.price_list is None:
        return {}
    pl = target.price_list
    rows = session.execute(select(PriceListItem.product_id, PriceListItem.price, PriceListItem.campaign)
                           .where(PriceListItem.price_list_id == pl.id,
                                  PriceListItem.product_id.in_([p.id for p in products]),
                                  PriceListItem.min_qty == ONE,
                                  or_(PriceListItem.valid_from.is_(None), PriceListItem.valid_from <= on),
                                  or_(PriceListItem.valid_to.is_(None), PriceListItem.valid_to >= on))
                           .order_by(PriceListItem.id)).all()
    found: dict[int, dict[bool, int]] = {}
    for pid, price, campaign in rows:
        found.setdefault(pid, {})[bool(campaign)] = price
    rates, country = RateTable.load(session), seller_country(session)
    by_id = {p.id: p for p in products}
    out = {}
    for pid, kinds in found.items():
        if False not in kinds:
            continue
        rate = rates.rate(country, by_id[pid].vat_class, on, pid) if pl.includes_vat else 0
        ex = [net_from_gross(kinds[c], rate) if pl.includes_vat and c in kinds else kinds.get(c)
              for c in (False, True)]
        out[pid] = (ex[0], ex[1])
    return out


def publish_products(store: Store, conn: Connection, client: StarwebClient, product_ids: set[int],
                     now: dt.datetime, result: PublishResult) -> None:
    """Send stock and price of these products to the shop (what differs from what was last sent)."""
    with store.read() as s:
        target = _target(s, conn)
        products = list(s.scalars(select(Product).where(Product.id.in_(product_ids),
                                                        Product.product_type != "variant_parent")))
        qtys = _quantities(s, products, target, conn.buffer_qty)
        prices = _prices(s, products, target, now.date())
        known = {r.product_id: r for r in s.scalars(select(PublishedItem).where(
            PublishedItem.connection_id == conn.id, PublishedItem.product_id.in_(product_ids)))}
        reconciled = s.get(IntegrationConnection, conn.id).last_reconcile_at
        work = [(p.id, p.sku, p.created_at) for p in products]
        s.expunge_all()
    for pid, sku, created in work:
        item = known.get(pid)
        if item is None and (reconciled is None or created >= reconciled):
            item = _discover(store, conn, client, pid, sku)
        if item is None or item.shop_variant_id is None:
            result.not_in_shop += 1
            continue
        ref = VariantRef(item.shop_product_id, item.shop_variant_id, sku)
        qty, price = qtys.get(pid), prices.get(pid)
        sent = {}
        try:
            if qty is not None and target.shop_location is not None and qty != item.qty:
                client.set_stock(ref, target.shop_location, qty, target.stock_status)
                sent["qty"] = qty
                result.stock_sent += 1
            if price is not None and target.shop_pricelist is not None and price[0] != item.price_ex_vat:
                client.set_price(ref, target.shop_pricelist, price[0], price[1])
                sent["price_ex_vat"] = price[0]
                result.prices_sent += 1
        except VendorNotFound:  # the variant was removed in the shop: look it up again next time
            sent = {"shop_product_id": None, "shop_variant_id": None, "qty": None,
                    "price_ex_vat": None}
            result.problems.append(f"{sku}: the shop's variant is gone")
        except VendorError as exc:
            result.problems.append(f"{sku}: {exc}")
            with store.write() as s:
                log_problem(s, JOB, f"{sku}: {exc}", connection_id=conn.id, ref=sku)
                s.commit()
            continue
        if not sent:
            result.unchanged += 1
            continue
        with store.write() as s:
            row = s.get(PublishedItem, (conn.id, pid))
            for key, value in sent.items():
                setattr(row, key, value)
            row.published_at = now
            s.commit()


def _discover(store: Store, conn: Connection, client: StarwebClient, pid: int, sku: str
              ) -> PublishedItem:
    try:
        ref = client.find_variant(sku)
    except ValidationError:
        ref = None  # a SKU the shop cannot hold: never in the shop
    with store.write() as s:
        row = s.get(PublishedItem, (conn.id, pid)) or PublishedItem(connection_id=conn.id,
                                                                     product_id=pid)
        row.shop_product_id = ref.product_id if ref else None
        row.shop_variant_id = ref.variant_id if ref else None
        s.add(row)
        s.commit()
        s.refresh(row)
        s.expunge(row)
    return row


def publish_changes(store: Store, conn: Connection, client: StarwebClient, now: dt.datetime
                    ) -> PublishResult:
    """One pass: publish what changed since this shop's cursor, then move the cursor."""
    result = PublishResult()
    with store.read() as s:
        row = s.get(IntegrationConnection, conn.id)
        target = _target(s, conn)
        ids, top = changed_products(s, row, target, now)
    if ids:
        publish_products(store, conn, client, ids, now, result)
    with store.write() as s:
        row = s.get(IntegrationConnection, conn.id)
        row.publish_cursor, row.swept_at = max(row.publish_cursor, top), now
        floor = s.scalar(select(func.min(IntegrationConnection.publish_cursor)).where(
            IntegrationConnection.kind == "starweb", IntegrationConnection.active.is_(True)))
        if floor:
            s.execute(delete(PublishQueue).where(PublishQueue.id <= floor))
        s.commit()
    return result


def shop_variants(client: StarwebClient, max_pages: int = 10_000):
    """Every (sku, productId, variantId) in the shop, page by page (the reconciliation's walk)."""
    page = 1
    while page <= max_pages:
        body = _read.obj(client._call("GET", "/products", params={
            "page": page, "include": "primaryVariant"}), "products")
        rows = _read.list(body.get("data"), "products.data", max_items=1000)
        for i, raw in enumerate(rows):
            product = _read.obj(raw, f"products[{i}]")
            pid = _read.int(product, "productId", f"products[{i}]")
            variants = (product.get("variants") or {}).get("data") or []
            if product.get("hasSeveralVariants"):
                variants = _read.obj(client._call("GET", f"/products/{pid}/variants"),
                                     "variants").get("data") or []
            for j, v in enumerate(_read.list(variants, "variants", max_items=1000)):
                v = _read.obj(v, f"product {pid}.variants[{j}]")
                sku = _read.str(v, "sku", f"product {pid}.variants[{j}]", required=False)
                if sku:
                    yield sku, pid, _read.int(v, "variantId", f"product {pid}.variants[{j}]")
        meta = _read.obj((body.get("meta") or {}).get("pagination") or {}, "meta.pagination")
        if not rows or page >= (_read.int(meta, "total_pages", "meta", required=False) or page):
            return
        page += 1


def reconcile(store: Store, conn: Connection, client: StarwebClient, now: dt.datetime,
              batch: int = 500) -> PublishResult:
    """Full reconciliation: learn the shop's variants by SKU, then publish all of them afresh."""
    result = PublishResult()
    pending: dict[str, tuple[int, int]] = {}

    def flush() -> None:
        with store.write() as s:
            ours = dict(s.execute(select(Product.sku, Product.id).where(Product.sku.in_(pending))).all())
            for sku, pid in ours.items():
                row = s.get(PublishedItem, (conn.id, pid)) or PublishedItem(connection_id=conn.id,
                                                                             product_id=pid)
                row.shop_product_id, row.shop_variant_id = pending[sku]
                row.qty = row.price_ex_vat = None  # forces a fresh publish
                s.add(row)
            s.commit()
        if ours:
            publish_products(store, conn, client, set(ours.values()), now, result)
        pending.clear()

    for sku, product_id, variant_id in shop_variants(client):
        pending[sku] = (product_id, variant_id)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    by_names = match_by_names(store, conn, client)  # variants the shop keeps under other SKUs
    if by_names:
        publish_products(store, conn, client, by_names, now, result)
    with store.write() as s:
        s.get(IntegrationConnection, conn.id).last_reconcile_at = now
        s.commit()
    return result
