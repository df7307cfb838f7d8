"""Back-office commands: settings — integration connections (secrets to the server's keyring), their
test and category push, integration problems and failed payment tasks; company, stores, tills, channels.

A connection's secret is an argument of `settings.connection_save`: from a workstation it travels
in the command's body to the server (HTTPS, or localhost in a one-PC shop) and is kept in the OS
keyring (or secrets file) of the machine the command runs on — never in a table, a result or a log.
Tests and pushes call the vendor from that machine too, because that is where the secret is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.commands import as_int, command
from core.company.setup import add_channel, add_register, add_store, set_company
from core.db.engine import Store
from core.errors import ValidationError
from core.integrations.admin import (
    list_connections,
    list_problems,
    load_connection,
    probe,
    save_with_secret,
)
from core.integrations.connections import DEFAULT_POLL_S, make_client, resolve_problem
from core.integrations.payments import retry_task

AREA = "integrations"


def _str(value: Any, field: str, *, optional: bool = False, secret: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        shown = "a secret" if secret else repr(value)  # a secret is never echoed back
        raise ValidationError(f"{field} must be text, not {shown}", field=field)
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false, not {value!r}", field=field)
    return value


def _object(value: Any, field: str, *, optional: bool = True) -> dict | None:
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise ValidationError(f"{field} must be an object", field=field)
    return value


def _limit(value: Any, field: str = "limit") -> int:
    value = as_int(value, field)
    if not 1 <= value <= 1000:
        raise ValidationError(f"{field} must be 1–1000", field=field)
    return value


# -- integration connections ------------------------------------------------------------------
@command("settings.connection_save", area=AREA)
def connection_save(session: Session, who: str, code: str, kind: str, base_url: str, secret: str = "",
                    client_id: str = "", name: str = "", channel_id=None, price_list_code=None,
                    stock_location_code=None, buffer_qty: int = 0, status_map=None,
                    poll_interval_s: int = DEFAULT_POLL_S, settings=None, active: bool = True) -> dict:
    """Create or update the connection `code`; a non-empty `secret` replaces the kept one."""
    status_map = _object(status_map, "status_map")
    for key, value in (status_map or {}).items():
        _str(value, f"status_map.{key}")
    row = save_with_secret(
        session, code=_str(code, "code"), kind=_str(kind, "kind"), base_url=_str(base_url, "base_url"),
        secret=_str(secret, "secret", secret=True), client_id=_str(client_id, "client_id"),
        name=_str(name, "name"), channel_id=as_int(channel_id, "channel_id", optional=True),
        price_list_code=_str(price_list_code, "price_list_code", optional=True),
        stock_location_code=_str(stock_location_code, "stock_location_code", optional=True),
        buffer_qty=as_int(buffer_qty, "buffer_qty"), status_map=status_map,
        poll_interval_s=as_int(poll_interval_s, "poll_interval_s"),
        settings=_object(settings, "settings"), active=_bool(active, "active"))
    return {"id": row.id, "code": row.code}


@command("settings.connections", writes=False, area=AREA)
def connections(session: Session, who: str, after: int | None = None, limit: int = 200) -> list:
    """A page of connections in id order (after the id `after`), each with `has_secret`, never the secret."""
    return list_connections(session, as_int(after, "after", optional=True), _limit(limit))


@command("settings.connection_test", writes=False, area=AREA)
def connection_test(session: Session, who: str, code: str) -> dict:
    """Ask the vendor something harmless with the kept secret; the vendor's refusal is the error."""
    conn = load_connection(session, _str(code, "code"))
    return {"code": conn.code, "message": probe(conn)}


@command("settings.categories_push", writes=False, area=AREA)
def categories_push(session: Session, who: str, code: str) -> dict:
    """Create our categories in a webshop that lacks them and map them (see starweb/categories.py).

    Marked as a query on purpose: it commits each mapping itself as soon as the shop answered, so
    no write lock is held across the vendor's calls and a push stopped halfway resumes; running
    it again is harmless (a category already mapped or created before is found, not created)."""
    from core.integrations.starweb.categories import push_categories

    conn = load_connection(session, _str(code, "code"))
    if conn.kind != "starweb":
        raise ValidationError("categories are pushed to a webshop connection only", field="code")
    session.rollback()  # let go of this read before the push writes
    r = push_categories(Store(session.get_bind()), conn, make_client(conn))
    return {"created": r.created, "matched": r.matched, "already": r.already, "problems": r.problems}


# -- problems and failed payment tasks --------------------------------------------------------
@command("settings.problems", writes=False, area=AREA)
def problems(session: Session, who: str, limit: int = 200, before: int | None = None) -> list:
    """Open integration problems, newest first (the log stays on the server)."""
    return list_problems(session, _limit(limit), as_int(before, "before", optional=True))


@command("settings.problem_resolve", area=AREA)
def problem_resolve(session: Session, who: str, log_id: int) -> dict:
    resolve_problem(session, as_int(log_id, "log_id"))
    return {"id": log_id}


@command("settings.task_retry", area=AREA)
def task_retry(session: Session, who: str, task_id: str) -> dict:
    """A payment task that gave up is tried again in the integrations' next round."""
    task = retry_task(session, _str(task_id, "task_id"))
    return {"id": task.id, "attempts": task.attempts}


# -- company, stores, tills, channels ---------------------------------------------------------
@command("settings.company_set", area="settings")
def company_set(session: Session, who: str, name: str, org_number: str, vat_number=None, address1=None,
                address2=None, postal_code=None, city=None, country: str = "SE", phone=None, email=None,
                base_currency: str = "SEK") -> dict:
    """Create or update the company printed on receipts and invoices (numbers are checked)."""
    texts = {k: v for k, v in locals().items() if k not in ("session", "who")}
    for key, value in texts.items():
        _str(value, key, optional=key not in ("name", "org_number", "country", "base_currency"))
    company = set_company(session, **texts)
    return {"id": company.id, "org_number": company.org_number, "vat_number": company.vat_number}


@command("settings.store_add", area="settings")
def store_add(session: Session, who: str, code: str, name: str, address1=None, postal_code=None, city=None,
              country: str = "SE", location_id=None) -> dict:
    for key, value in (("code", code), ("name", name), ("country", country)):
        _str(value, key)
    for key, value in (("address1", address1), ("postal_code", postal_code), ("city", city)):
        _str(value, key, optional=True)
    store = add_store(session, code=code, name=name, address1=address1, postal_code=postal_code, city=city,
                      country=country, location_id=as_int(location_id, "location_id", optional=True))
    return {"id": store.id, "code": store.code}


@command("settings.register_add", area="settings")
def register_add(session: Session, who: str, store_id: int, code: str, name=None, control_unit_serial=None,
                 active: bool = True) -> dict:
    """A till of a store; `code` is the register identity printed on receipts."""
    register = add_register(session, store_id=as_int(store_id, "store_id"), code=_str(code, "code"),
                            name=_str(name, "name", optional=True),
                            control_unit_serial=_str(control_unit_serial, "control_unit_serial", optional=True),
                            active=_bool(active, "active"))
    return {"id": register.id, "code": register.code}


@command("settings.channel_add", area="settings")
def channel_add(session: Session, who: str, code: str, name: str, kind: str, store_id=None,
                location_id=None) -> dict:
    channel = add_channel(session, code=_str(code, "code"), name=_str(name, "name"), kind=_str(kind, "kind"),
                          store_id=as_int(store_id, "store_id", optional=True),
                          location_id=as_int(location_id, "location_id", optional=True))
    return {"id": channel.id, "code": channel.code}
