"""`butik ledger sie-export|sie-import|vat-report|post-pending`: the ledger on the server database."""

from __future__ import annotations

import json

from core.cli.main import add_data_dir
from core.paths import server_db_path


def register(sub) -> None:
    p = sub.add_parser("ledger", help="ledger: SIE4 export/import, VAT return",
                       description="The ledger in the server database: SIE type 4 export and "
                                   "import, and the VAT return for a month.")
    cmds = p.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)

    exp = cmds.add_parser("sie-export", help="write a financial year as a SIE4 file",
                          description="Write the financial year starting in YEAR (header, chart, "
                                      "opening and closing balances, results, every voucher) as "
                                      "SIE type 4 in code page 437.")
    exp.add_argument("--year", type=int, required=True, metavar="YYYY")
    exp.add_argument("--out", required=True, metavar="FILE")
    add_data_dir(exp)
    exp.set_defaults(func=_export)

    imp = cmds.add_parser("sie-import", help="import a chart and opening balances from SIE",
                          description="Import #KONTO accounts and the #IB 0 opening balances of "
                                      "#RAR 0 from a SIE file made by another system. A malformed "
                                      "file is refused with its line number and nothing is imported.")
    imp.add_argument("file", metavar="FILE")
    add_data_dir(imp)
    imp.set_defaults(func=_import)

    vat = cmds.add_parser("vat-report", help="the VAT return of a month by box",
                          description="The VAT return (momsdeklaration) for a month, box by box, "
                                      "computed from the ledger. Amounts in kronor with öre.")
    vat.add_argument("--period", required=True, metavar="YYYY-MM")
    vat.add_argument("--json", action="store_true", help="print one JSON object (amounts in öre)")
    add_data_dir(vat)
    vat.set_defaults(func=_vat_report)

    pend = cmds.add_parser("post-pending", help="post every document that has no voucher yet",
                           description="Post the Z-reports, invoices and credit notes, incoming "
                                       "payments, provider settlements, supplier invoices and "
                                       "payments and stock counts that have no voucher yet, each "
                                       "once (the server's ledger job does the same every few "
                                       "seconds). A refused document is listed and stays pending.")
    pend.add_argument("--valuation-on", metavar="YYYY-MM-DD", default=None,
                      help="also post the stock valuation (value at average cost now) on this day")
    pend.add_argument("--json", action="store_true", help="print {posted: [...], failed: {...}}")
    add_data_dir(pend)
    pend.set_defaults(func=_post_pending)


def _open(args):
    # imported here so `butik --help` does not open a database
    from core.db import open_store
    from core.ledger.chart import seed_ledger

    store = open_store(server_db_path(getattr(args, "data_dir", None)))
    with store.write() as session:  # a fresh store gets the BAS chart and the series
        if seed_ledger(session):
            session.commit()
    return store


def _export(args) -> int:
    import sys

    from core.ledger.periods import year_starting
    from core.ledger.sie4 import export_sie4
    from core.progress import cli_progress

    store = _open(args)
    try:
        with store.read() as session:
            year = year_starting(session, args.year)
            with cli_progress("SIE4 export", None, enabled=sys.stderr.isatty()) as progress:
                count = export_sie4(session.connection(), args.out, year.id, progress=progress)
    finally:
        store.dispose()
    print(f"{count} voucher(s) written to {args.out}")
    return 0


def _import(args) -> int:
    from core.ledger.sie4_import import import_sie

    with open(args.file, "rb") as f:
        data = f.read()
    store = _open(args)
    try:
        with store.write() as session:
            result = import_sie(session, data)
            session.commit()
    finally:
        store.dispose()
    year = f" for {result.year[0]}–{result.year[1]}" if result.year else ""
    print(f"{result.accounts_added} account(s) added, {result.accounts_renamed} renamed, "
          f"{result.balances} opening balance(s){year}")
    return 0


def _vat_report(args) -> int:
    from core.documents.ledger_pdf import VAT_BOX_NAMES
    from core.ledger.vat_return import month, vat_return
    from core.money import format_amount

    start, end = month(args.period)
    store = _open(args)
    try:
        with store.read() as session:
            ret = vat_return(session.connection(), start, end)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps(ret.as_dict(), sort_keys=True))
        return 0
    print(f"Momsdeklaration {start.isoformat()} – {end.isoformat()}")
    for box, value in ret.boxes.items():
        print(f"{box}  {VAT_BOX_NAMES.get(box, ''):55} {format_amount(value, thousands_sep=' '):>16}")
    return 0


def _post_pending(args) -> int:
    import datetime as dt

    from core.errors import ValidationError
    from core.ledger.autopost import BATCH, post_pending

    on = None
    if args.valuation_on:
        try:
            on = dt.date.fromisoformat(args.valuation_on)
        except ValueError:
            raise ValidationError(f"{args.valuation_on!r} is not a date", field="valuation-on",
                                  hint="write YYYY-MM-DD") from None
    store = _open(args)
    posted: list[str] = []
    failed: dict[str, str] = {}
    try:
        while True:  # in batches, each its own transaction, until nothing more gets posted
            with store.write() as session:
                result = post_pending(session, who="butik ledger post-pending",
                                      skip=set(failed) | set(posted), valuation_on=on)
                session.commit()
            posted += result.posted
            failed.update(result.failed)
            on = None
            if len(result.posted) + len(result.failed) < BATCH:
                break
    finally:
        store.dispose()
    if args.json:
        print(json.dumps({"posted": posted, "failed": failed}, sort_keys=True))
        return 0
    print(f"{len(posted)} document(s) posted")
    for key, reason in sorted(failed.items()):
        print(f"not posted: {key}: {reason}")
    return 0
