"""`butik journal verify` and `butik journal export --xml FILE`: the till's hash-chained journal."""

from __future__ import annotations

import sys

from sqlalchemy import select

from core.cli.main import add_data_dir
from core.errors import ValidationError
from core.paths import replica_path


def register(sub) -> None:
    p = sub.add_parser("journal", help="verify or export the till journal",
                       description="The journal (journalminne) of every event at the registers on "
                                   "this machine, each entry hash-chained to the one before.")
    cmds = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    v = cmds.add_parser("verify", help="check the hash chain; exit 1 at the first broken entry",
                        description="Check every register's chain (or one with --register); reports "
                                    "the first edited, deleted or inserted entry.")
    e = cmds.add_parser("export", help="export a register's journal as XML (SKVFS 2021:16 chapters)",
                        description="Write the journal as XML, one element per event named after its "
                                    "chapter in SKVFS 2021:16.")
    e.add_argument("--xml", required=True, metavar="FILE", help="where to write the XML")
    for sp in (v, e):
        sp.add_argument("--register", metavar="CODE", help="register identity (default: all / the only one)")
        sp.add_argument("--db", metavar="PATH", help="replica database (default: the data folder's replica)")
        add_data_dir(sp)
    v.set_defaults(func=_verify)
    e.set_defaults(func=_export)


def _open(args):
    from core.db import open_store

    return open_store(args.db or replica_path(getattr(args, "data_dir", None)))


def _registers(session, code: str | None) -> list[tuple[int, str]]:
    from core.company.models import Register

    stmt = select(Register.id, Register.code).order_by(Register.id)
    if code:
        stmt = stmt.where(Register.code == code)
    rows = [tuple(r) for r in session.execute(stmt)]
    if code and not rows:
        raise ValidationError(f"no register {code!r}", field="register")
    return rows


def _verify(args) -> int:
    from core.sales import journal

    store = _open(args)
    broken = 0
    try:
        with store.read() as s:
            for rid, code in _registers(s, args.register):
                result = journal.verify(s, rid)
                if result is None:
                    print(f"{code}: journal OK")
                else:
                    broken += 1
                    seq, reason = result
                    print(f"{code}: journal BROKEN at entry {seq}: {reason}", file=sys.stderr)
    finally:
        store.dispose()
    return 1 if broken else 0


def _export(args) -> int:
    from core.sales import journal
    from core.sales.register import load_register

    store = _open(args)
    try:
        with store.read() as s:
            regs = _registers(s, args.register)
            if len(regs) != 1:
                raise ValidationError("name the register to export", field="register",
                                      hint="add --register CODE")
            info = load_register(s, regs[0][0])
            header = {k: info.header.get(k) for k in ("company", "org_number", "store", "address")}
            header["register_code"] = info.code
            count = journal.export_xml(s, info.id, args.xml, header)
    finally:
        store.dispose()
    print(f"{count} journal entries written to {args.xml}")
    return 0
