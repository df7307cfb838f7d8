"""Set up the company, its stores, registers and sales channels, with clear refusals for bad input."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.company.models import CHANNEL_KINDS, REGISTER_CODE_MAX, Channel, Company, Register, Store
from core.customers import validation as v
from core.customers.service import clean_postal_code
from core.errors import Conflict, NotFound, ValidationError
from core.money import check_currency

#: register codes go to the control unit and onto receipts: plain ASCII, no spaces
_REGISTER_CODE = re.compile(r"[A-Za-z0-9._-]+")


def _text(value, field: str, max_len: int, required: bool = False) -> str | None:
    text = None if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError("must not be empty", field=field)
        return None
    if len(text) > max_len:
        raise ValidationError(f"is longer than {max_len} characters", field=field)
    return text


def _code(value, field: str = "code", max_len: int = 20) -> str:
    code = _text(value, field, max_len, required=True)
    if any(ch.isspace() for ch in code):
        raise ValidationError(f"{code!r} contains spaces", field=field, hint="use e.g. STHLM or WEB-1")
    return code


def _postal_code(value, country: str) -> str | None:
    """Swedish postal codes become 'NNN NN'; others are kept as written."""
    return clean_postal_code(value, country) if _text(value, "postal_code", 20) else None


def get_company(session: Session) -> Company:
    """The company (the first one set up)."""
    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        raise NotFound("no company is set up yet", field="company", hint="run the set-up first")
    return company


def set_company(session: Session, *, name: str, org_number: str, vat_number: str | None = None,
                address1: str | None = None, address2: str | None = None,
                postal_code: str | None = None, city: str | None = None, country: str = "SE",
                phone: str | None = None, email: str | None = None,
                base_currency: str = "SEK") -> Company:
    """Create the company, or update it when it exists; numbers are validated and normalised."""
    org = v.org_number(_text(org_number, "org_number", 20, required=True))
    vat = _text(vat_number, "vat_number", 20)
    if vat is not None:
        vat = v.swedish_vat_number(vat)
        expected = "SE" + org.replace("-", "") + "01"
        if vat != expected:
            raise ValidationError(f"{vat_number!r} does not belong to organisation number {org}",
                                  field="vat_number", hint=f"a Swedish VAT number is SE + the "
                                                           f"organisation number + 01: {expected}")
    country = v.country_code(country)
    values = dict(name=_text(name, "name", 200, required=True), org_number=org, vat_number=vat,
                  address1=_text(address1, "address1", 200), address2=_text(address2, "address2", 200),
                  postal_code=_postal_code(postal_code, country), city=_text(city, "city", 100),
                  country=country, phone=v.phone(phone) if _text(phone, "phone", 40) else None,
                  email=v.email(email) if _text(email, "email", 254) else None,
                  base_currency=check_currency(base_currency, field="base_currency"))
    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        company = Company(**values)
        session.add(company)
    else:
        for key, value in values.items():
            setattr(company, key, value)
    session.flush()
    return company


def _unique(session: Session, model, code: str, what: str) -> None:
    if session.scalar(select(model.id).where(model.code == code)) is not None:
        raise Conflict(f"a {what} with code {code!r} already exists", field="code",
                       hint="choose another code")


def _exists(session: Session, model, id_: int | None, field: str) -> None:
    if id_ is not None and session.get(model, id_) is None:
        raise NotFound(f"no {model.__tablename__} with id {id_}", field=field)


def add_store(session: Session, *, code: str, name: str, address1: str | None = None,
              postal_code: str | None = None, city: str | None = None, country: str = "SE",
              location_id: int | None = None, company_id: int | None = None) -> Store:
    """Add a store of the company (default: the company set up with set_company)."""
    code = _code(code)
    _unique(session, Store, code, "store")
    if company_id is None:
        company_id = get_company(session).id
    _exists(session, Company, company_id, "company_id")
    country = v.country_code(country)
    store = Store(code=code, name=_text(name, "name", 200, required=True),
                  address1=_text(address1, "address1", 200), postal_code=_postal_code(postal_code, country),
                  city=_text(city, "city", 100), country=country,
                  location_id=location_id, company_id=company_id)
    session.add(store)
    session.flush()
    return store


def add_register(session: Session, *, store_id: int, code: str, name: str | None = None,
                 control_unit_serial: str | None = None, active: bool = True) -> Register:
    """Add a till to a store; `code` is the register identity printed on receipts (≤ 16 characters)."""
    raw = _text(code, "code", 10_000, required=True)
    if len(raw) > REGISTER_CODE_MAX:
        raise ValidationError(f"{raw!r} is {len(raw)} characters; a register code has at most "
                              f"{REGISTER_CODE_MAX}", field="code",
                              hint="the control unit takes at most 16 characters, e.g. STHLM-KASSA1")
    if not _REGISTER_CODE.fullmatch(raw):
        raise ValidationError(f"{raw!r} may only hold letters A–Z, digits, '.', '_' and '-'", field="code",
                              hint="it is sent to the control unit; e.g. STHLM-KASSA1")
    _unique(session, Register, raw, "register")
    _exists(session, Store, store_id, "store_id")
    register = Register(store_id=store_id, code=raw, name=_text(name, "name", 100) or raw,
                        control_unit_serial=_text(control_unit_serial, "control_unit_serial", 64),
                        active=bool(active))
    session.add(register)
    session.flush()
    return register


def add_channel(session: Session, *, code: str, name: str, kind: str, store_id: int | None = None,
                location_id: int | None = None) -> Channel:
    """Add a sales channel; a 'store' channel belongs to a store, a webshop may ship from a location."""
    code = _code(code)
    if kind not in CHANNEL_KINDS:
        raise ValidationError(f"unknown channel kind {kind!r}", field="kind",
                              hint="use one of " + ", ".join(CHANNEL_KINDS))
    if kind == "store" and store_id is None:
        raise ValidationError("a store channel needs its store", field="store_id")
    _unique(session, Channel, code, "channel")
    _exists(session, Store, store_id, "store_id")
    channel = Channel(code=code, name=_text(name, "name", 200, required=True), kind=kind,
                      store_id=store_id, location_id=location_id)
    session.add(channel)
    session.flush()
    return channel


def register_by_code(session: Session, code: str) -> Register:
    register = session.scalars(select(Register).where(Register.code == code)).first()
    if register is None:
        raise NotFound(f"no register with code {code!r}", field="register")
    return register


def list_stores(session: Session) -> list[Store]:
    return list(session.scalars(select(Store).order_by(Store.code)))


def list_registers(session: Session, store_id: int | None = None) -> list[Register]:
    stmt = select(Register).order_by(Register.code)
    if store_id is not None:
        stmt = stmt.where(Register.store_id == store_id)
    return list(session.scalars(stmt))


def list_channels(session: Session) -> list[Channel]:
    return list(session.scalars(select(Channel).order_by(Channel.code)))
