"""Product search: search-as-you-type over FTS5 (name, SKU, barcodes) and barcode lookup by primary key.

Both take a SQLAlchemy `Connection` or `Session` and run one indexed statement, so they serve the
POS at a million products. `product_fts` and its triggers come from migration 0002 (SQLite only);
on PostgreSQL search falls back to ILIKE.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import text

from core.catalog.barcodes import lookup_variants

#: words of user text: runs of letters and digits, split like FTS5's unicode61 tokenizer splits
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
TRIGGERS = ("product_fts_ai", "product_fts_au", "product_fts_ad",
            "barcode_fts_ai", "barcode_fts_au", "barcode_fts_ad")
#: the triggers `bulk_append` suspends (the ones that fire on appends)
_INSERT_TRIGGERS = ("product_fts_ai", "barcode_fts_ai")
_NAME = {"sv": "p.name_sv", "en": "p.name_en"}
_INDEX = ("INSERT OR REPLACE INTO product_fts(rowid, name_sv, name_en, sku, barcodes) "
          "SELECT p.id, p.name_sv, p.name_en, p.sku, "
          "(SELECT group_concat(code, ' ') FROM barcode WHERE product_id = p.id) FROM product p")

_BARCODE_ONE = text("SELECT product_id FROM barcode WHERE code = :a")
_BARCODE_TWO = text("SELECT product_id FROM barcode WHERE code IN (:a, :b) ORDER BY code <> :a LIMIT 1")


class Hit(NamedTuple):
    id: int
    sku: str
    name: str


def _dialect(conn) -> str:
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    return bind.dialect.name


def words(user_text: str) -> list[str]:
    """The searchable words in what the user typed (NFC, letters and digits only, at most MAX_WORDS)."""
    return _WORD.findall(unicodedata.normalize("NFC", user_text or ""))[:MAX_WORDS]


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression where every word is a prefix and all must match; None for no words.

    A single character matches a whole word only (the size M, not every word starting with m): a
    one-letter prefix is not in the prefix index and would touch every product at a million.

    Each word is a quoted FTS5 string, so quotes, `*`, `-`, `AND`/`OR`/`NEAR` and column filters in
    user text are plain text, never syntax.
    """
    ws = words(user_text)
    if not ws:
        return None
    return " ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in ws)


def search_products(conn, user_text: str, limit: int = 50, *, active_only: bool = True,
                    lang: str = "sv") -> list[Hit]:
    """Products whose name (sv or en), SKU or a barcode has a word starting with each typed word.

    Results come in product id order (ranking every match of a short prefix would cost too much
    at a million products).
    """
    name = _NAME.get(lang)
    if name is None:
        raise ValueError(f"lang must be one of {', '.join(_NAME)}")
    if _dialect(conn) != "sqlite":
        return _search_like(conn, user_text, limit, active_only, name)
    query = fts_query(user_text)
    if query is None or limit <= 0:
        return []
    active = "AND p.active " if active_only else ""
    stmt = text(f"SELECT p.id, p.sku, {name} FROM product_fts f JOIN product p ON p.id = f.rowid "
                f"WHERE product_fts MATCH :q {active}ORDER BY f.rowid LIMIT :n")
    return [Hit(*row) for row in conn.execute(stmt, {"q": query, "n": limit})]


def _search_like(conn, user_text: str, limit: int, active_only: bool, name: str) -> list[Hit]:
    """PostgreSQL (no FTS5): every word must appear in a name, the SKU or a barcode."""
    ws = words(user_text)
    if not ws or limit <= 0:
        return []
    conds, params = [], {"n": limit}
    for i, w in enumerate(ws):
        params[f"w{i}"] = f"%{w}%"  # words hold no % or _ (see _WORD)
        conds.append(f"(p.name_sv ILIKE :w{i} OR p.name_en ILIKE :w{i} OR p.sku ILIKE :w{i} OR EXISTS "
                     f"(SELECT 1 FROM barcode b WHERE b.product_id = p.id AND b.code LIKE :w{i}))")
    if active_only:
        conds.append("p.active")
    stmt = text(f"SELECT p.id, p.sku, {name} FROM product p WHERE {' AND '.join(conds)} "
                "ORDER BY p.id LIMIT :n")
    return [Hit(*row) for row in conn.execute(stmt, params)]


def lookup_barcode(conn, code: str) -> int | None:
    """The product id with this barcode, or None: one primary-key lookup (UPC-A also as 0+UPC-A)."""
    if not code:
        return None
    forms = lookup_variants(code.replace(" ", "").replace("-", ""))
    if len(forms) == 1:
        return conn.execute(_BARCODE_ONE, {"a": forms[0]}).scalar()
    return conn.execute(_BARCODE_TWO, {"a": forms[0], "b": forms[1]}).scalar()


def search_index_problems(conn) -> list[str]:
    """What is missing from the search index's machinery (empty when all is well; SQLite only)."""
    if _dialect(conn) != "sqlite":
        return []
    have = {n for (n,) in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE '%fts%'"))}
    return [f"missing {'table' if n == 'product_fts' else 'trigger'} {n}"
            for n in ("product_fts", *TRIGGERS) if n not in have]


def rebuild_search_index(conn) -> int:
    """Refill product_fts from product and barcode (after a repair); returns the number of rows."""
    conn.execute(text("DELETE FROM product_fts"))
    conn.execute(text(_INDEX))
    return conn.execute(text("SELECT count(*) FROM product_fts")).scalar()


@contextlib.contextmanager
def bulk_append(conn) -> Iterator[None]:
    """Append many products and barcodes fast: index them in one statement instead of row by row.

    Inside the caller's transaction on `conn` (a SQLAlchemy Connection or Session on SQLite) the
    two insert triggers are dropped; on leaving, the new products (ids above every id before) and
    the products that got barcodes are indexed and the triggers are put back as they were. The DDL
    is part of the same transaction, so no other connection ever sees the triggers missing, and a
    rollback undoes all of it. Updates and deletes keep their triggers meanwhile. New products
    must get ids above the existing ones; if the row counts say otherwise the whole index is rebuilt.
    """
    if _dialect(conn) != "sqlite":
        yield
        return
    names = ", ".join(f"'{n}'" for n in _INSERT_TRIGGERS)
    saved = conn.execute(text(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                              f"AND name IN ({names})")).all()
    if len(saved) != len(_INSERT_TRIGGERS):
        raise RuntimeError("product search triggers are missing: " + "; ".join(search_index_problems(conn)))
    before_id, before_count = conn.execute(text("SELECT coalesce(max(id), 0), count(*) FROM product")).one()
    before_barcode = conn.execute(text("SELECT coalesce(max(rowid), 0) FROM barcode")).scalar()
    for name, _sql in saved:
        conn.execute(text(f"DROP TRIGGER {name}"))
    try:
        yield
        conn.execute(text(_INDEX + " WHERE p.id > :id"), {"id": before_id})
        conn.execute(text(_INDEX + " WHERE p.id IN (SELECT product_id FROM barcode "
                          "WHERE rowid > :b AND product_id <= :id)"), {"id": before_id, "b": before_barcode})
        new, total = conn.execute(text("SELECT count(*) FILTER (WHERE id > :id), count(*) FROM product"),
                                  {"id": before_id}).one()
        if before_count + new != total:  # a low id was inserted, or products were deleted meanwhile
            rebuild_search_index(conn)
    finally:
        for _name, sql in saved:
            conn.execute(text(sql))
