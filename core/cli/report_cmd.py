"""`butik report x|z --register R`: the X-dagrapport or Z-dagrapport of a register on this machine's replica."""

from __future__ import annotations

import json

from core.cli.main import add_data_dir
from core.paths import replica_path


def register(sub) -> None:
    p = sub.add_parser("report", help="X- or Z-report of a register",
                       description="Print the X-dagrapport (any time, changes nothing but the journal) "
                                   "or take the Z-dagrapport (closes the day: next Z number, day totals "
                                   "reset). Reads the running totals on this machine's replica.")
    p.add_argument("kind", choices=["x", "z"], help="x = report now, z = close the day")
    p.add_argument("--register", required=True, metavar="CODE", help="register identity, e.g. KASSA1")
    p.add_argument("--db", metavar="PATH", help="replica database (default: the data folder's replica)")
    p.add_argument("--pdf", metavar="FILE", help="also write the report as a PDF")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    p.add_argument("--cashier", metavar="NAME", help="who takes the report (journaled)")
    add_data_dir(p)
    p.set_defaults(func=_run)


def _run(args) -> int:
    from core.db import open_store
    from core.documents.receipt_pdf import layout_pdf
    from core.sales import reports
    from core.sales.receipt_layout import report_layout, to_text
    from core.sales.register import load_register

    store = open_store(args.db or replica_path(getattr(args, "data_dir", None)))
    try:
        with store.write() as s:
            reg = load_register(s, args.register)
            make = reports.z_report if args.kind == "z" else reports.x_report
            body = make(s, reg, cashier=args.cashier)
            s.commit()
    finally:
        store.dispose()
    layout = report_layout(body)
    if args.pdf:
        layout_pdf(layout, args.pdf, title=body["title"])
    print(json.dumps(body, ensure_ascii=False, indent=2) if args.json else to_text(layout), end="")
    return 0
