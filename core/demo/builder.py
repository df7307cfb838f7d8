"""Build the deterministic demo shop into a store: `build_demo(store, products=N, progress=…)`.

Two stores and a warehouse, a webshop channel, a category tree, clothing in colour × size
variants, SET articles, food and books at 6 %, a service at 25 %, retail (incl. VAT), reseller
(excl. VAT) and EUR price lists, 200 customers and opening stock. The same seed gives the same
shop. Rows are written with Core executemany in chunks (a million products in a few minutes);
the catalogue's FTS triggers keep search right as rows go in.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, insert, select

from core.catalog.search import rebuild_search_index
from core.db.bulk import raw_insert, triggers_suspended
from core.db.schema import load_all
from core.demo import words as W
from core.errors import Conflict, ValidationError
from core.progress import Progress, null_progress

CHUNK = 50_000
#: tables whose rows the builder gives in full, written with the driver's executemany
RAW_TABLES = {"product", "barcode", "price_list_item", "stock_movement", "stock_level",
              "variant_attribute", "variant_attribute_value", "product_variant_value", "bundle_component"}
TODAY = dt.date(2026, 11, 1)


@dataclass
class DemoSummary:
    products: int = 0
    sellable: int = 0
    variants: int = 0
    bundles: int = 0
    barcodes: int = 0
    prices: int = 0
    customers: int = 0
    stock_rows: int = 0
    counts: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"products      {self.products:>10,}  (sellable {self.sellable:,}, variants "
                f"{self.variants:,}, SET articles {self.bundles:,})",
                f"barcodes      {self.barcodes:>10,}",
                f"prices        {self.prices:>10,}",
                f"customers     {self.customers:>10,}",
                f"stock rows    {self.stock_rows:>10,}"]


def _tables():
    return load_all().metadata.tables


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    """executemany needs one key set per statement: group rows by their keys (order kept per group)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for group in groups.values():
        conn.execute(insert(table), group)


class _Writer:
    """Buffers rows per table and flushes them with executemany in insertion order of tables."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.tables = _tables()
        self.buffers: dict[str, list[dict]] = {}
        self.order: list[str] = []
        self.written: dict[str, int] = {}

    def add(self, table: str, row: dict) -> None:
        if table not in self.buffers:
            self.buffers[table] = []
            self.order.append(table)
        self.buffers[table].append(row)

    def pending(self) -> int:
        return sum(len(b) for b in self.buffers.values())

    def flush(self) -> None:
        for name in self.order:
            rows = self.buffers[name]
            if rows and name in RAW_TABLES:
                columns = list(rows[0])
                raw_insert(self.conn, name, columns, [tuple(r[c] for c in columns) for r in rows])
            elif rows:
                _insert(self.conn, self.tables[name], rows)
            self.written[name] = self.written.get(name, 0) + len(rows)
            rows.clear()


def build_demo(store, products: int = 2000, progress: Progress = null_progress,
               seed: int = 20261101, customers: int = 200) -> DemoSummary:
    """Fill an empty, migrated store with the demo shop; refuses a store that already has products."""
    if products < 50:
        raise ValidationError("the demo needs at least 50 products", field="products")
    with store.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(_tables()["product"])).scalar():
            raise Conflict("this store already has products; the demo is built into an empty store",
                           hint="use a new --data-dir")
    rng = random.Random(seed)
    summary = DemoSummary()
    with store.engine.begin() as conn:
        from sqlalchemy.orm import Session

        from core.vat.seed import seed_vat

        with Session(bind=conn) as s:
            seed_vat(s)
            s.flush()
        ids = _setup(conn, rng)
    plan = _plan(products)
    done, total = 0, plan.total
    progress(0, total)
    with store.engine.connect() as conn:
        if store.is_sqlite:  # a rebuildable bulk load: big cache, no fsync per chunk
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA cache_size=-2000000")
            raw.execute("PRAGMA synchronous=OFF")
        w = _Writer(conn)
        gen = _Catalogue(rng, ids, summary, w)
        with triggers_suspended(conn, ["product", "barcode"]):
            conn.commit()
            for kind, count in plan.parts:
                for _ in range(count):
                    done += getattr(gen, kind)()
                    if w.pending() >= CHUNK:
                        w.flush()
                        conn.commit()
                        progress(min(done, total), total)
            gen.bundles_and_links(plan.bundles)
            _customers(w, rng, ids, customers, summary)
            w.flush()
            rebuild_search_index(conn)
        conn.commit()
        if store.is_sqlite:
            raw.execute("PRAGMA synchronous=FULL")
    progress(total, total)
    summary.counts = dict(w.written)
    return summary


@dataclass
class _Plan:
    parts: list
    total: int
    bundles: int


def _plan(products: int) -> _Plan:
    """How many products of each kind: ~60 % clothing variants, food, books, services, SET articles."""
    services = 5
    bundles = max(5, products // 200)
    food = products // 8
    books = products // 8
    rest = products - services - bundles - food - books
    # each garment = 1 parent + 3 colours × 3 sizes = 10 products
    garments = rest // 10
    singles = rest - garments * 10
    parts = [("service", services), ("food", food), ("book", books), ("garment", garments),
             ("accessory", singles)]
    return _Plan(parts, products, bundles)


def _setup(conn: Connection, rng: random.Random) -> dict:
    """Company, locations, stores, registers, channels, categories, suppliers and price lists."""
    t = _tables()
    now = dt.datetime(2026, 11, 1, 8, 0)
    _insert(conn, t["company"], [dict(
        id=1, name="Butik Demo AB", org_number=W.orgnr(1), vat_number="SE" + W.orgnr(1).replace("-", "") + "01",
        address1="Drottninggatan 12", postal_code="11151", city="Stockholm", country="SE",
        phone="08-123 456 00", email="info@butikdemo.se", base_currency="SEK")])
    _insert(conn, t["location"], [
        dict(id=1, code="STHLM", name="Butiken Drottninggatan", kind="store"),
        dict(id=2, code="GBG", name="Butiken Avenyn", kind="store"),
        dict(id=3, code="LAGER", name="Centrallager Västerås", kind="warehouse")])
    _insert(conn, t["store"], [
        dict(id=1, code="STHLM", name="Butik Demo Drottninggatan", address1="Drottninggatan 12",
             postal_code="11151", city="Stockholm", country="SE", location_id=1, company_id=1),
        dict(id=2, code="GBG", name="Butik Demo Avenyn", address1="Kungsportsavenyen 8",
             postal_code="41136", city="Göteborg", country="SE", location_id=2, company_id=1)])
    _insert(conn, t["register"], [
        dict(id=1, store_id=1, code="STHLM-K1", name="Kassa 1", active=True),
        dict(id=2, store_id=1, code="STHLM-K2", name="Kassa 2", active=True),
        dict(id=3, store_id=2, code="GBG-K1", name="Kassa 1", active=True)])
    _insert(conn, t["channel"], [
        dict(id=1, code="STHLM", name="Butiken Drottninggatan", kind="store", store_id=1, location_id=1),
        dict(id=2, code="GBG", name="Butiken Avenyn", kind="store", store_id=2, location_id=2),
        dict(id=3, code="WEB", name="Webbshop butikdemo.se", kind="webshop", location_id=3),
        dict(id=4, code="WEB-EU", name="Webshop butikdemo.eu", kind="webshop", location_id=3),
        dict(id=5, code="MANUAL", name="Manuella order", kind="manual", location_id=3),
        dict(id=6, code="B2B", name="Återförsäljare", kind="b2b", location_id=3)])
    cats = [(1, None, "KLADER", "Kläder", "Clothing"), (2, 1, "TROJOR", "Tröjor", "Sweaters"),
            (3, 1, "BYXOR", "Byxor", "Trousers"), (4, 1, "ACCESSOARER", "Accessoarer", "Accessories"),
            (5, None, "LIVSMEDEL", "Livsmedel", "Food"), (6, 5, "KAFFE-TE", "Kaffe & te", "Coffee & tea"),
            (7, 5, "DELIKATESS", "Delikatesser", "Delicatessen"), (8, None, "BOCKER", "Böcker", "Books"),
            (9, None, "TJANSTER", "Tjänster", "Services"), (10, None, "PRESENTER", "Presentset", "Gift sets")]
    _insert(conn, t["category"], [dict(id=i, parent_id=p, code=c, name_sv=sv, name_en=en, sort=i)
                                          for i, p, c, sv, en in cats])
    _insert(conn, t["supplier"], [
        dict(id=1, code="NORDTEX", name="Nordtextil AB", email="order@nordtextil.se", currency="SEK",
             lead_time_days=14, payment_terms_days=30),
        dict(id=2, code="ROSTERIET", name="Rosteriet i Norr AB", email="order@rosteriet.se", currency="SEK",
             lead_time_days=5, payment_terms_days=30),
        dict(id=3, code="BOKGROSS", name="Bokgrossisten AB", email="order@bokgross.se", currency="SEK",
             lead_time_days=7, payment_terms_days=20),
        dict(id=4, code="DROPSHIP", name="Nordic Dropship Oy", email="orders@dropship.fi", currency="EUR",
             lead_time_days=3, payment_terms_days=14)])
    _insert(conn, t["price_list"], [
        dict(id=1, code="RETAIL", name="Butikspris", currency="SEK", includes_vat=True, is_default=True, active=True),
        dict(id=2, code="RESELLER", name="Återförsäljare", currency="SEK", includes_vat=False, is_default=False, active=True),
        dict(id=3, code="EUR", name="Webshop EUR", currency="EUR", includes_vat=True, is_default=False, active=True)])
    _insert(conn, t["price_list_channel"], [
        dict(price_list_id=1, channel_id=c) for c in (1, 2, 3, 5)] + [
        dict(price_list_id=3, channel_id=4), dict(price_list_id=2, channel_id=6)])
    return {"now": now, "stores": (1, 2), "warehouse": 3, "retail": 1, "reseller": 2, "eur": 3}


class _Catalogue:
    """Generates products with their barcodes, prices and opening stock into a _Writer."""

    def __init__(self, rng: random.Random, ids: dict, summary: DemoSummary, writer: _Writer):
        self.rng, self.ids, self.summary, self.w = rng, ids, summary, writer
        self.next_id = 1
        self.next_attr = 1
        self.next_value = 1
        self.sellable: list[int] = []  # stocked, sellable single products (bundle components)
        self.now = ids["now"]

    # -- one product -------------------------------------------------------------------------
    def _product(self, sku: str, name_sv: str, name_en: str, *, category: int, vat_class: str,
                 kind: str = "goods", ptype: str = "single", parent: int | None = None,
                 unit: str = "pcs", supplier: int | None = None, cost: int | None = None,
                 weight: int | None = None, drop_ship: bool = False, description: str = "") -> int:
        pid = self.next_id
        self.next_id += 1
        stocked = kind == "goods" and ptype in ("single", "variant") and not drop_ship
        self.w.add("product", dict(
            id=pid, sku=sku, name_sv=name_sv, name_en=name_en, description=description, unit=unit,
            kind=kind, stocked=stocked, drop_ship=drop_ship, supplier_id=supplier, cost_price=cost,
            weight_g=weight, category_id=category, vat_class=vat_class, product_type=ptype,
            parent_id=parent, active=True, created_at=self.now, updated_at=self.now))
        self.summary.products += 1
        return pid

    def _sellable(self, pid: int, retail: int, *, stocked: bool = True, eur: bool = False) -> None:
        """Barcode, prices (retail, reseller with a break at 10, sometimes EUR/campaign), stock."""
        rng = self.rng
        self.w.add("barcode", dict(code=W.ean13(pid), product_id=pid))
        self.summary.barcodes += 1
        self.summary.sellable += 1
        self._price(self.ids["retail"], pid, retail)
        reseller = retail * 100 // 125 * 55 // 100  # ≈ 55 % of the price excl. VAT
        self._price(self.ids["reseller"], pid, reseller)
        self._price(self.ids["reseller"], pid, reseller * 90 // 100, min_qty=10_000)
        if eur:
            self._price(self.ids["eur"], pid, max(100, retail // 1150 * 100 + 95))
        if rng.random() < 0.05:
            self._price(self.ids["retail"], pid, retail * 80 // 100 // 100 * 100, campaign=True,
                        valid_from=dt.date(2026, 11, 20), valid_to=dt.date(2026, 12, 31))
        if stocked:
            self.sellable.append(pid)
            self._stock(pid, self.ids["warehouse"], rng.randint(5, 200))
            for store in self.ids["stores"]:
                if rng.random() < 0.2:
                    self._stock(pid, store, rng.randint(1, 30))

    def _price(self, list_id: int, pid: int, price: int, min_qty: int = 1000, campaign: bool = False,
               valid_from=None, valid_to=None) -> None:
        self.w.add("price_list_item", dict(price_list_id=list_id, product_id=pid, min_qty=min_qty,
                                           price=price, campaign=campaign, valid_from=valid_from,
                                           valid_to=valid_to))
        self.summary.prices += 1

    def _stock(self, pid: int, location: int, pieces: int) -> None:
        qty = pieces * 1000
        self.w.add("stock_movement", dict(product_id=pid, location_id=location, qty=qty, reason="initial",
                                          source_type="demo", source_id="opening",
                                          idem_key=f"demo:opening:{pid:09d}:{location}", created_at=self.now))
        self.w.add("stock_level", dict(product_id=pid, location_id=location, on_hand=qty, reserved=0,
                                       updated_at=self.now))
        self.summary.stock_rows += 1

    def _kronor(self, low: int, high: int) -> int:
        """A shop-like price in öre ending in 9 kronor (e.g. 249,00)."""
        return (self.rng.randint(low // 10, high // 10) * 10 - 1) * 100

    # -- kinds ---------------------------------------------------------------------------------
    def service(self) -> int:
        n = self.next_id
        names = [("Skräddarservice, per timme", "Tailoring, per hour", "h"),
                 ("Presentinslagning", "Gift wrapping", "pcs"), ("Hemleverans", "Home delivery", "pcs"),
                 ("Personlig shopping, per timme", "Personal shopping, per hour", "h"),
                 ("Lagning av plagg", "Garment repair", "pcs")]
        sv, en, unit = names[(n - 1) % len(names)]
        pid = self._product(f"TJ-{n:07d}", sv, en, category=9, vat_class="standard", kind="service",
                            unit=unit)
        self._sellable(pid, self._kronor(50, 600), stocked=False)
        return 1

    def food(self) -> int:
        rng = self.rng
        (sv, en), (qsv, qen) = rng.choice(W.FOODS), rng.choice(W.FOOD_QUALIFIERS)
        n = self.next_id
        by_weight = rng.random() < 0.1
        pid = self._product(f"LV-{n:07d}", f"{sv} {qsv}" + (", lösvikt" if by_weight else f" {rng.choice([250, 400, 500])} g"),
                            f"{en} {qen}" + (", loose" if by_weight else ""), category=rng.choice([6, 7]),
                            vat_class="food", unit="kg" if by_weight else "pcs", supplier=2,
                            cost=rng.randint(800, 6000), weight=None if by_weight else 500)
        self._sellable(pid, self._kronor(20, 160))
        return 1

    def book(self) -> int:
        rng = self.rng
        n = self.next_id
        title = f"{rng.choice(W.BOOK_WORDS)} {rng.choice(W.PLACES)}"
        author = f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}"
        pid = self._product(f"BOK-{n:07d}", f"{title} ({author})", f"{title} ({author})", category=8,
                            vat_class="books_culture", supplier=3, cost=rng.randint(5000, 15000), weight=450,
                            description=f"Roman av {author}.")
        self._sellable(pid, self._kronor(100, 350))
        return 1

    def accessory(self) -> int:
        rng = self.rng
        n = self.next_id
        (sv, en), (msv, men) = rng.choice(W.GARMENTS[7:]), rng.choice(W.MATERIALS)
        drop = rng.random() < 0.05
        pid = self._product(f"ACC-{n:07d}", f"{sv} {rng.choice(W.STYLES)} {msv}", f"{en} {men}", category=4,
                            vat_class="standard", supplier=4 if drop else 1, drop_ship=drop,
                            cost=rng.randint(3000, 20000), weight=150)
        self._sellable(pid, self._kronor(100, 600), stocked=not drop, eur=True)
        return 1

    def garment(self) -> int:
        """A variant parent with Färg × Storlek: 3 colours × 3 sizes = 9 variants (10 products)."""
        rng = self.rng
        n = self.next_id
        (sv, en), (msv, men) = rng.choice(W.GARMENTS[:7]), rng.choice(W.MATERIALS)
        style = rng.choice(W.STYLES)
        base_sku = f"KL-{n:07d}"
        name_sv, name_en = f"{sv} {style} {msv}", f"{en} {style} {men}"
        category = 3 if sv == "Byxor" else 2
        parent = self._product(base_sku, name_sv, name_en, category=category, vat_class="standard",
                               ptype="variant_parent", supplier=1)
        colours = rng.sample(W.COLOURS, 3)
        start = rng.randint(0, len(W.SIZES) - 3)
        sizes = W.SIZES[start:start + 3]
        attr_ids, value_ids = [], []
        for pos, (attr_name, values) in enumerate((("Färg", colours), ("Storlek", sizes))):
            aid = self.next_attr
            self.next_attr += 1
            self.w.add("variant_attribute", dict(id=aid, parent_id=parent, position=pos, name=attr_name))
            ids = []
            for vpos, (value, code) in enumerate(values):
                vid = self.next_value
                self.next_value += 1
                self.w.add("variant_attribute_value", dict(id=vid, attribute_id=aid, position=vpos,
                                                           value=value, code=code))
                ids.append(vid)
            attr_ids.append(aid)
            value_ids.append(ids)
        retail = self._kronor(200, 1500)
        cost = retail * 100 // 125 * 40 // 100
        for ci, (colour, ccode) in enumerate(colours):
            for si, (size, scode) in enumerate(sizes):
                pid = self._product(f"{base_sku}-{ccode}-{scode}", f"{name_sv} {colour} {size}",
                                    f"{name_en} {colour} {size}", category=category, vat_class="standard",
                                    ptype="variant", parent=parent, supplier=1, cost=cost, weight=400)
                self.w.add("product_variant_value", dict(product_id=pid, attribute_id=attr_ids[0],
                                                         value_id=value_ids[0][ci]))
                self.w.add("product_variant_value", dict(product_id=pid, attribute_id=attr_ids[1],
                                                         value_id=value_ids[1][si]))
                self._sellable(pid, retail, eur=True)
                self.summary.variants += 1
        return 10

    def bundles_and_links(self, count: int) -> None:
        """SET articles of 2–3 stocked products each, priced 10 % under the parts."""
        rng = self.rng
        pool = self.sellable
        for i in range(count):
            n = self.next_id
            parts = rng.sample(pool, k=rng.choice([2, 3]))
            pid = self._product(f"SET-{n:07d}", f"Presentset {rng.choice(W.STYLES)} nr {i + 1}",
                                f"Gift set {i + 1}", category=10, vat_class="standard", ptype="bundle")
            for comp in parts:
                self.w.add("bundle_component", dict(bundle_id=pid, component_id=comp,
                                                    qty=1000 * rng.choice([1, 1, 2])))
            self._sellable(pid, self._kronor(200, 900), stocked=False)
            self.summary.bundles += 1


def _customers(w: _Writer, rng: random.Random, ids: dict, count: int, summary: DemoSummary) -> None:
    """Private and company customers with valid personal/organisation numbers and addresses."""
    import uuid

    for i in range(count):
        cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        city, zipc = rng.choice(W.CITIES)
        street = f"{rng.choice(W.STREETS)} {rng.randint(1, 80)}"
        if i % 4 == 3:
            name = f"{rng.choice(W.LAST_NAMES)}s {rng.choice(W.COMPANY_WORDS)} AB"
            slug = name.split()[0].lower().translate(str.maketrans("åäöé", "aaoe")).rstrip("s")
            org = W.orgnr(1000 + i)
            row = dict(kind="company", name=name, contact_name=f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}",
                       org_number=org, personal_number=None, email=f"inkop@{slug}{i}.se",
                       vat_number="SE" + org.replace("-", "") + "01",
                       price_list_id=ids["reseller"] if i % 8 == 3 else None, credit_limit=5_000_000)
        else:
            first, last = rng.choice(W.FIRST_NAMES), rng.choice(W.LAST_NAMES)
            name = f"{first} {last}"
            mail = f"{first}.{last}{i}".lower().translate(str.maketrans("åäöé", "aaoe"))
            row = dict(kind="private", name=name, contact_name=None, org_number=None,
                       personal_number=W.personnummer(rng), email=f"{mail}@example.se", vat_number=None,
                       price_list_id=None, credit_limit=None)
        w.add("customer", dict(id=cid, number=f"{10001 + i}", phone=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                               vat_country="SE", notes="", created_at=ids["now"], updated_at=ids["now"], **row))
        for kind in ("invoice", "delivery"):
            w.add("customer_address", dict(customer_id=cid, kind=kind, name=name, address1=street,
                                           postal_code=zipc, city=city, country="SE"))
        summary.customers += 1
