"""Small reference lists the dialogs pick from (categories, VAT classes, suppliers, price lists, locations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text


@dataclass
class Lookups:
    """(id or code, label) pairs, read once per dialog on the database lane."""

    categories: list[tuple[int, str]] = field(default_factory=list)
    vat_classes: list[tuple[str, str]] = field(default_factory=list)
    suppliers: list[tuple[int, str]] = field(default_factory=list)
    price_lists: list[tuple[int, str, str, bool]] = field(default_factory=list)  # id, label, currency, incl VAT
    locations: list[tuple[int, str]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def load_lookups(conn, lang: str = "sv") -> Lookups:
    """Every small list at once; categories as paths (Kläder › Tröjor) in tree order."""
    name = "name_en" if lang == "en" else "name_sv"
    cats = conn.execute(text(f"SELECT id, parent_id, {name}, sort FROM category ORDER BY sort, id")).all()
    by_id = {c[0]: c for c in cats}

    def path(cid):
        parts, seen = [], set()
        while cid is not None and cid in by_id and cid not in seen:
            seen.add(cid)
            parts.append(by_id[cid][2])
            cid = by_id[cid][1]
        return " › ".join(reversed(parts))

    out = Lookups()
    out.categories = sorted(((c[0], path(c[0])) for c in cats), key=lambda x: x[1])
    out.vat_classes = [(r[0], r[1]) for r in conn.execute(text(f"SELECT code, {name} FROM vat_class ORDER BY code"))]
    out.suppliers = [(r[0], f"{r[1]} — {r[2]}") for r in conn.execute(text("SELECT id, code, name FROM supplier ORDER BY code"))]
    out.price_lists = [(r[0], f"{r[1]} — {r[2]}", r[3], bool(r[4])) for r in conn.execute(text(
        "SELECT id, code, name, currency, includes_vat FROM price_list ORDER BY is_default DESC, id"))]
    out.locations = [(r[0], f"{r[1]} — {r[2]}") for r in conn.execute(text("SELECT id, code, name FROM location ORDER BY id"))]
    out.countries = [r[0] for r in conn.execute(text("SELECT DISTINCT country FROM vat_rate ORDER BY country"))]
    return out
