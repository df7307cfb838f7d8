"""The BAS chart for a retailer, voucher series, and which account plays which role (configurable).

`seed_ledger(session)` adds what is missing and never overwrites an edited account. Roles map a
purpose ('provider_receivable', 'card_fees'…) to an account number; the defaults follow
reference/sweden.md and `set_role` changes one (e.g. the provider receivable to 1686).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationError
from core.ledger.models import Account, LedgerSetting, VoucherSeries

#: number, Swedish name, default VAT return box
BAS_RETAIL: list[tuple[int, str, str | None]] = [
    (1460, "Lager av handelsvaror", None),
    (1510, "Kundfordringar", None),
    (1580, "Fordringar för kontokort och rabattkuponger", None),
    (1686, "Fordringar hos betaltjänstleverantörer", None),
    (1910, "Kassa", None),
    (1920, "PlusGiro", None),
    (1930, "Företagskonto/checkkonto/affärskonto", None),
    (2081, "Aktiekapital", None),
    (2091, "Balanserad vinst eller förlust", None),
    (2099, "Årets resultat", None),
    (2421, "Ej inlösta presentkort", None),
    (2440, "Leverantörsskulder", None),
    (2611, "Utgående moms på försäljning inom Sverige, 25 %", "10"),
    (2614, "Utgående moms omvänd skattskyldighet, 25 %", "30"),
    (2615, "Utgående moms import av varor, 25 %", "60"),
    (2621, "Utgående moms på försäljning inom Sverige, 12 %", "11"),
    (2624, "Utgående moms omvänd skattskyldighet, 12 %", "31"),
    (2625, "Utgående moms import av varor, 12 %", "61"),
    (2631, "Utgående moms på försäljning inom Sverige, 6 %", "12"),
    (2634, "Utgående moms omvänd skattskyldighet, 6 %", "32"),
    (2635, "Utgående moms import av varor, 6 %", "62"),
    (2641, "Debiterad ingående moms", "48"),
    (2645, "Beräknad ingående moms på förvärv från utlandet", "48"),
    (2650, "Redovisningskonto för moms", None),
    (2670, "Utgående moms på försäljning inom EU, OSS", None),
    (3001, "Försäljning inom Sverige, 25 % moms", "05"),
    (3002, "Försäljning inom Sverige, 12 % moms", "05"),
    (3003, "Försäljning inom Sverige, 6 % moms", "05"),
    (3004, "Försäljning inom Sverige, momsfri", "42"),
    (3105, "Försäljning varor till land utanför EU", "36"),
    (3106, "Försäljning varor till annat EU-land, momspliktig (OSS)", None),
    (3108, "Försäljning varor till annat EU-land, momsfri", "35"),
    (3730, "Lämnade rabatter", None),
    (3731, "Lämnade kassarabatter", None),
    (3740, "Öres- och kronutjämning", None),
    (3960, "Valutakursvinster på fordringar och skulder av rörelsekaraktär", None),
    (4010, "Inköp av handelsvaror", None),
    (4070, "Inköp av handelsvaror från annat EU-land", "20"),
    (4080, "Import av handelsvaror", "50"),
    (4960, "Förändring av lager av handelsvaror", None),
    (6040, "Kontokortsavgifter", None),
    (6570, "Bankkostnader", None),
    (7960, "Valutakursförluster på fordringar och skulder av rörelsekaraktär", None),
    (8999, "Årets resultat", None),
]

SERIES: list[tuple[str, str]] = [
    ("A", "Kassa (Z-dagrapporter)"),
    ("B", "Kundfakturor"),
    ("C", "Inbetalningar"),
    ("D", "Inköp och leverantörsbetalningar"),
    ("E", "Avräkningar betaltjänster"),
    ("F", "Lager"),
    ("M", "Manuella verifikationer"),
    ("V", "Momsredovisning"),
]

#: role → default account
DEFAULT_ROLES: dict[str, int] = {
    "cash": 1910, "bank": 1930, "swish": 1930, "provider_receivable": 1580,
    "card": 1580, "receivables": 1510, "payables": 2440, "gift_cards": 2421, "voucher": 2421,
    "stock": 1460, "stock_change": 4960, "purchases": 4010, "purchases_eu": 4070,
    "purchases_import": 4080, "input_vat": 2641, "input_vat_foreign": 2645,
    "vat_settlement": 2650, "oss_sales": 3106, "oss_vat": 2670, "export_sales": 3105,
    "eu_business_sales": 3108, "exempt_sales": 3004, "rounding": 3740, "card_fees": 6040,
    "bank_fees": 6570, "fx_gain": 3960, "fx_loss": 7960,
}

#: Swedish rate (basis points) → (sales account, output VAT account)
DOMESTIC_RATE_ACCOUNTS: dict[int, tuple[int, int | None]] = {
    2500: (3001, 2611), 1200: (3002, 2621), 600: (3003, 2631), 0: (3004, None),
}
#: rate → output VAT accounts for reverse-charge EU purchases and for imports
REVERSE_VAT_ACCOUNTS: dict[int, int] = {2500: 2614, 1200: 2624, 600: 2634}
IMPORT_VAT_ACCOUNTS: dict[int, int] = {2500: 2615, 1200: 2625, 600: 2635}


def seed_ledger(session: Session) -> int:
    """Add the BAS retail accounts, the voucher series and default roles that are missing; returns accounts added."""
    have = set(session.scalars(select(Account.number)))
    added = 0
    for number, name, box in BAS_RETAIL:
        if number not in have:
            session.add(Account(number=number, name=name, vat_box=box, active=True))
            added += 1
    series = set(session.scalars(select(VoucherSeries.code)))
    for code, name in SERIES:
        if code not in series:
            session.add(VoucherSeries(code=code, name=name))
    session.flush()
    return added


def roles(session: Session) -> dict[str, int]:
    """Every role's account: the defaults overlaid with the stored settings."""
    out = dict(DEFAULT_ROLES)
    for key, value in session.execute(select(LedgerSetting.key, LedgerSetting.value)):
        if key.startswith("role."):
            out[key[5:]] = int(value)
    return out


def set_role(session: Session, role: str, account: int) -> None:
    """Let `role` use `account` (e.g. set_role(s, 'provider_receivable', 1686))."""
    if role not in DEFAULT_ROLES:
        raise ValidationError(f"unknown account role {role!r}", field="role",
                              hint="one of " + ", ".join(sorted(DEFAULT_ROLES)))
    get_account(session, account)
    row = session.get(LedgerSetting, f"role.{role}")
    if row is None:
        session.add(LedgerSetting(key=f"role.{role}", value=str(account)))
    else:
        row.value = str(account)
    if role == "provider_receivable":  # card payments land on the provider receivable too
        set_role(session, "card", account)
    session.flush()


def get_account(session: Session, number: int) -> Account:
    account = session.get(Account, number)
    if account is None:
        raise NotFound(f"account {number} is not in the chart", field="account",
                       hint="add it to the chart of accounts first")
    return account


def save_account(session: Session, number: int, name: str, vat_box: str | None = None,
                 active: bool = True) -> Account:
    """Add or edit an account of the chart."""
    if not 1000 <= int(number) <= 9999:
        raise ValidationError(f"account {number} is not a four-digit number", field="account")
    if not (name or "").strip():
        raise ValidationError("an account needs a name", field="name")
    if vat_box is not None and vat_box not in VAT_BOXES:
        raise ValidationError(f"{vat_box!r} is not a VAT return box", field="vat_box",
                              hint="one of " + ", ".join(VAT_BOXES))
    account = session.get(Account, int(number))
    if account is None:
        account = Account(number=int(number), name=name.strip(), vat_box=vat_box, active=active)
        session.add(account)
    else:
        account.name, account.vat_box, account.active = name.strip(), vat_box, active
    session.flush()
    return account


def is_balance_account(number: int) -> bool:
    """Classes 1 and 2 (assets, equity and liabilities) carry balances; 3–8 are results."""
    return number < 3000


#: boxes of the Swedish VAT return that rows can be tagged with
VAT_BOXES = ("05", "06", "07", "08", "10", "11", "12", "20", "21", "22", "23", "24", "30", "31",
             "32", "35", "36", "37", "38", "39", "40", "41", "42", "48", "50", "60", "61", "62")
