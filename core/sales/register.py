"""What a till needs to know about itself: register id and code, stock location, and the receipt header."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.errors import NotFound

_SQL = """
SELECT r.id, r.code, r.name, r.control_unit_serial, s.id, s.name, s.address1, s.postal_code,
       s.city, s.location_id, c.name, c.org_number, c.vat_number, c.address1, c.postal_code,
       c.city, c.phone, c.base_currency
FROM register r JOIN store s ON s.id = r.store_id JOIN company c ON c.id = s.company_id
WHERE {where}
"""


@dataclass(frozen=True)
class RegisterInfo:
    """A register as the till uses it; `header` is printed at the top of every receipt and report."""

    id: int
    code: str
    location_id: int | None
    currency: str = "SEK"
    header: dict = field(default_factory=dict)
    store_id: int | None = None


def load_register(session: Session, register: int | str) -> RegisterInfo:
    """Load by id (int) or register code (str); refuse an unknown register with how to fix it."""
    where = "r.id = :key" if isinstance(register, int) else "r.code = :key"
    row = session.execute(text(_SQL.format(where=where)), {"key": register}).first()
    if row is None:
        raise NotFound(f"no register {register!r}", field="register",
                       hint="create it in the back office (Settings → Registers) or check the code")
    (rid, code, rname, serial, store_id, store_name, s_addr, s_zip, s_city, location_id,
     company, org_no, vat_no, c_addr, c_zip, c_city, phone, currency) = row
    address = ", ".join(x for x in (s_addr, " ".join(y for y in (s_zip, s_city) if y)) if x)
    header = {"company": company, "org_number": org_no, "vat_number": vat_no,
              "store": store_name, "address": address or ", ".join(
                  x for x in (c_addr, " ".join(y for y in (c_zip, c_city) if y)) if x),
              "phone": phone, "register_code": code, "register_name": rname,
              "configured_serial": serial}
    return RegisterInfo(rid, code, location_id, currency or "SEK", header, store_id)
