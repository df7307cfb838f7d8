"""`butik server` (the central server), `butik user add`, `butik enrolment-code`.

The server runs uvicorn in this process on the given host/port over a SQLite file in the data
folder (default) or `--db postgresql+psycopg://…`; migrations run at start. SIGTERM/SIGINT stop it
cleanly: uvicorn finishes the requests in flight, then the database is closed.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys

from core.cli.main import add_data_dir
from core.errors import UserError

log = logging.getLogger("server")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL",
                   help="database URL (default: $BUTIK_DB, else server.sqlite in the data "
                        "folder), e.g. postgresql+psycopg://user@host/butik")
    add_data_dir(p)


def register(sub) -> None:
    p = sub.add_parser("server", help="run the central server (HTTP API)",
                       description="Run the central server: stock, numbers, documents, sync.")
    _add_db(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=run_server)

    u = sub.add_parser("user", help="manage server users",
                       description="Manage the users of the central server.")
    users = u.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = users.add_parser("add", help="add a user (asks for the password)",
                           description="Add a user to the server database.")
    add.add_argument("username")
    add.add_argument("--role", choices=["cashier", "manager", "admin"], default="cashier")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin (for scripts)")
    add.add_argument("--pin", action="store_true",
                     help="also set a PIN (asked for; with --password-stdin: the second line)")
    _add_db(add)
    add.set_defaults(func=run_user_add)

    e = sub.add_parser("enrolment-code", help="create a one-time code for enrolling a device",
                       description="Create a one-time enrolment code (valid 24 h) for a new device.")
    e.add_argument("--name", required=True, help="the device's name, e.g. 'Kassa 1'")
    e.add_argument("--kind", choices=["pos", "backoffice", "sync_node"], default="pos")
    e.add_argument("--register", dest="register_code", help="the register code of a POS till")
    _add_db(e)
    e.set_defaults(func=run_enrolment_code)


def _open(args):
    from core.db import open_store
    from core.paths import server_database

    return open_store(server_database(args.db, getattr(args, "data_dir", None)))


def _describe(store) -> str:
    url = store.engine.url
    return url.render_as_string(hide_password=True) if url.drivername != "sqlite" else str(url.database)


def run_server(args) -> int:
    import uvicorn

    from core.auth.service import count_users
    from server.app import create_app

    store = _open(args)
    try:
        app = create_app(store)
        with store.read() as s:
            if not count_users(s):
                print("butik server: no users yet. Create the first admin with:\n"
                      "  butik user add --role admin NAME (with the same --db / BUTIK_DB)"
                      "   (asks for a password; --password-stdin for scripts)", file=sys.stderr)
        log.info("Butik server on http://%s:%d, database %s", args.host, args.port, _describe(store))
        config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                                access_log=args.log_level == "debug", lifespan="off",
                                timeout_graceful_shutdown=10)
        server = uvicorn.Server(config)
        # uvicorn stops on SIGTERM/SIGINT (no new connections, requests in flight finished) and
        # then re-raises the signal to the handler that was there before: make that a no-op so we
        # get here, close the database and exit 0
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: None)
        server.run()
        if not server.started:
            raise UserError(f"the server could not listen on {args.host}:{args.port}",
                            field="port", hint="is another server using that port?")
    finally:
        store.dispose()
    return 0


def _ask(prompt: str) -> str:
    first = getpass.getpass(prompt)
    if getpass.getpass("again: ") != first:
        raise UserError("the two entries differ", hint="run the command again")
    return first


def run_user_add(args) -> int:
    from core.auth.service import add_user

    if args.password_stdin:
        lines = sys.stdin.read().splitlines()
        password = lines[0] if lines else ""
        pin = (lines[1] if len(lines) > 1 else "") if args.pin else None
    else:
        password = _ask(f"password for {args.username}: ")
        pin = _ask("PIN (4–8 digits): ") if args.pin else None
    if not password:
        raise UserError("a password is required", field="password")
    store = _open(args)
    try:
        with store.write() as s:
            user = add_user(s, args.username, args.role, password=password, pin=pin)
            s.commit()
            print(f"added {args.role} {user.username}")
    finally:
        store.dispose()
    return 0


def run_enrolment_code(args) -> int:
    from core.auth.service import create_enrolment_code

    store = _open(args)
    try:
        with store.write() as s:
            out = create_enrolment_code(s, args.name, args.kind, args.register_code)
            s.commit()
    finally:
        store.dispose()
    print(out["code"])
    print(f"valid until {out['expires_at']} UTC, once: butik enrol --server URL --code {out['code']}",
          file=sys.stderr)
    return 0
