"""First-run use cases without Qt: create a single-machine shop, or connect this machine to a server.

Both the till's and the back office's wizards call these; so can a script. A single-machine shop is
built in `server.sqlite.new` and renamed to `server.sqlite` only when every step succeeded, so a
refusal (say, a bad organisation number) leaves nothing behind. A `standalone.json` in the config
folder tells the till to start the shop's server embedded, as `butik demo` does.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from core.db import Store, open_store
from core.errors import Conflict, UserError, ValidationError
from core.paths import config_dir, replica_path, server_db_path
from core.progress import Progress, null_progress

STANDALONE_FILE = "standalone.json"
STEPS = ("company", "store", "user")
Prepare = Callable[[Store], None]


@dataclass
class ShopDetails:
    """What the single-machine wizard asks; field names match the refusals' `field`."""

    company_name: str = ""
    org_number: str = ""
    vat_number: str | None = None
    address1: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str = "SE"
    store_code: str = "BUTIK"
    store_name: str | None = None
    register_code: str = "KASSA1"
    username: str = "admin"
    password: str = ""
    pin: str = ""
    role: str = "admin"


def _renamed(exc: UserError, mapping: dict[str | None, str]) -> UserError:
    """The same refusal, naming the wizard's field (several use cases all say 'code' or 'name')."""
    exc.field = mapping.get(exc.field, exc.field)
    exc.args = (str(exc),)
    return exc


def populate(session: Session, d: ShopDetails, steps: tuple[str, ...] = STEPS) -> dict:
    """Company, store with its stock location, channel, retail price list, register and first user.

    Runs in the caller's unit of work and does not commit; returns the new ids.
    """
    from core.auth.service import add_user
    from core.company.setup import add_channel, add_register, add_store, set_company
    from core.inventory import create_location
    from core.pricing.lists import assign_channel, create_price_list

    ids: dict = {}
    if "company" in steps:
        try:
            ids["company"] = set_company(session, name=d.company_name, org_number=d.org_number,
                                         vat_number=d.vat_number, address1=d.address1,
                                         postal_code=d.postal_code, city=d.city, country=d.country).id
        except UserError as exc:
            raise _renamed(exc, {"name": "company_name"}) from None
    if "store" in steps:
        name = (d.store_name or "").strip() or d.company_name
        try:
            store_code = (d.store_code or "").strip().upper()
            location = create_location(session, store_code, name, kind="store")
            store = add_store(session, code=store_code, name=name, address1=d.address1,
                              postal_code=d.postal_code, city=d.city, country=d.country,
                              location_id=location.id)
            channel = add_channel(session, code=store_code, name=name, kind="store", store_id=store.id,
                                  location_id=location.id)
        except UserError as exc:
            raise _renamed(exc, {"code": "store_code", "name": "store_name"}) from None
        try:
            register = add_register(session, store_id=store.id, code=(d.register_code or "").strip().upper())
        except UserError as exc:
            raise _renamed(exc, {"code": "register_code"}) from None
        retail = create_price_list(session, "RETAIL", "Butikspris", "SEK", True, is_default=True)
        assign_channel(session, retail.id, channel.id)
        ids.update(store=store.id, location=location.id, channel=channel.id, register=register.id,
                   register_code=register.code, price_list=retail.id)
    if "user" in steps:
        if not d.password:
            raise ValidationError("the first user needs a password (for the back office)", field="password",
                                  hint="use at least 8 characters")
        if not d.pin:
            raise ValidationError("the first user needs a PIN (to log in at the till)", field="pin",
                                  hint="4–8 digits")
        ids["user"] = add_user(session, (d.username or "").strip(), d.role, password=d.password,
                               pin=d.pin).id
    return ids


class Checker:
    """Try the wizard's answers on a scratch database and roll back: the refusal, or None when fine.

    Creating the scratch database takes a moment; make one per wizard and `close()` it.
    """

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="butik-setup-"))
        self._store: Store | None = None
        self._lock = threading.Lock()

    def check(self, details: ShopDetails, steps: tuple[str, ...] = STEPS) -> UserError | None:
        with self._lock:
            if self._store is None:
                self._store = open_store(self._dir / "check.sqlite")
                _seed_vat(self._store)
            with self._store.write() as s:  # rolled back: nothing is kept
                try:
                    populate(s, details, steps)
                except UserError as exc:
                    return exc
            return None

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.dispose()
                self._store = None
            shutil.rmtree(self._dir, ignore_errors=True)


def _seed_vat(store: Store) -> None:
    try:
        from core.vat.seed import seed_vat
    except ModuleNotFoundError:
        return
    with store.write() as s:
        seed_vat(s)
        s.commit()


def is_set_up(folder: Path) -> bool:
    """Whether the data folder holds a database (a replica or a server database) already."""
    return replica_path(folder).exists() or server_db_path(folder).exists()


def _remove_sqlite(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def create_single_machine_shop(folder: Path, details: ShopDetails, prepare: Prepare | None = None) -> dict:
    """The shop's server database in the data folder, set up from `details`; returns the new ids.

    `prepare` is the server's start-up step (`server.app.prepare_database`: change capture, VAT
    tables), passed in because core does not import the server. On any refusal nothing is created.
    """
    target = server_db_path(folder)
    if is_set_up(folder):
        raise Conflict(f"{folder} already holds a database", field="data_dir",
                       hint="start Butik normally, or choose an empty data folder")
    draft = target.with_name(target.name + ".new")
    _remove_sqlite(draft)  # left over from a crash during an earlier attempt
    store = open_store(draft)
    try:
        if prepare is not None:
            prepare(store)
        else:
            _seed_vat(store)
        with store.write() as s:
            ids = populate(s, details)
            s.commit()
    except BaseException:
        store.dispose()
        _remove_sqlite(draft)
        raise
    store.dispose()  # the last connection checkpoints the WAL into the file
    _remove_sqlite(Path(f"{draft}-wal"))
    os.replace(draft, target)
    write_standalone(folder, ids["register_code"])
    return ids


def write_standalone(folder: Path, register_code: str) -> Path:
    """Mark this data folder as a single-machine shop whose till runs the server embedded."""
    path = config_dir(folder) / STANDALONE_FILE
    path.write_text(json.dumps({"register_code": register_code}, indent=2), encoding="utf-8")
    return path


def read_standalone(folder: Path) -> dict | None:
    """The single-machine marker ({'register_code': …}) or None for a till connected to a server."""
    path = config_dir(folder) / STANDALONE_FILE
    if not path.exists() or not server_db_path(folder).exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _forget(replica: Store, path: Path, fresh: bool) -> None:
    """Drop a replica made for an enrolment that failed, so the next start asks again."""
    if fresh:
        replica.dispose()
        _remove_sqlite(path)


def connect_to_server(folder: Path, url: str, code: str, name: str, progress: Progress = null_progress,
                      stop: threading.Event | None = None) -> dict:
    """Enrol a new replica with the server using the one-time code, then bootstrap it.

    Runs for a while (network): never on the GUI thread. A refused code leaves no replica behind;
    an interrupted bootstrap resumes when called again (the enrolment is kept).
    """
    from core.secrets import get_token
    from core.sync import state
    from core.sync.client import AuthRefused
    from core.sync.engine import client_for
    from core.sync.enrolment import enrol
    from core.sync.replica import bootstrap

    url = (url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValidationError("the server address starts with http:// or https://", field="url",
                              hint="e.g. https://butik.example.se")
    if not (name or "").strip():
        raise ValidationError("give this device a name", field="name", hint="e.g. Kassa 1")
    path = replica_path(folder)
    fresh = not path.exists()
    if server_db_path(folder).exists():
        raise Conflict(f"{folder} already holds a shop's server database", field="data_dir",
                       hint="choose an empty data folder to connect to another server")
    replica = open_store(path)
    try:
        with replica.read() as s:
            enrolled = state.get(s, state.SERVER_URL) == url and state.get(s, state.DEVICE_ID)
        if not (enrolled and get_token(url)):
            if not (code or "").strip():
                raise ValidationError("enter the enrolment code from the back office", field="code")
            try:
                answer, where = enrol(replica, url, code, name.strip())
            except AuthRefused as exc:
                _forget(replica, path, fresh)
                raise ValidationError("the server does not know this enrolment code, or it was used or has "
                                      "expired", field="code",
                                      hint="ask a manager for a new code in the back office") from exc
            except BaseException:
                _forget(replica, path, fresh)
                raise
        else:
            answer, where = {}, "kept"
        client = client_for(replica)
        try:
            cursor = bootstrap(replica, client, progress, stop=stop)
        finally:
            client.close()
        answer = {k: v for k, v in answer.items() if k != "token"}  # the token stays in its store
        return {**answer, "token_kept_in": where, "cursor": cursor}
    finally:
        replica.dispose()
