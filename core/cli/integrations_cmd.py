"""`butik integrations run|problems`: the webshop, payment and carrier jobs, headless.

The jobs write orders, reservations and captures, so they run against the authoritative database
(the server's: `--db URL`, or the SQLite file in the data folder), never against a till's replica.
"""

from __future__ import annotations

import logging
import signal
import threading

from core.cli.main import EXIT_FAILURE, EXIT_OK, add_data_dir
from core.paths import server_database

log = logging.getLogger("butik.integrations")


def register(sub) -> None:
    p = sub.add_parser("integrations", help="run the webshop/payment/carrier jobs",
                       description="Webshop orders in; stock, prices, status and tracking out; capture on "
                                   "delivery; shipments; payouts. Each connection runs isolated.")
    jobs = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = jobs.add_parser("run", help="run rounds until stopped (SIGTERM/SIGINT stop cleanly)")
    run.add_argument("--once", action="store_true", help="one round, exit 1 if it met problems")
    run.add_argument("--interval", type=float, default=3.0, metavar="S", help="seconds between rounds")
    problems = jobs.add_parser("problems", help="list the open problems of every connection")
    for q in (run, problems):
        add_data_dir(q)
        q.add_argument("--db", metavar="URL", help="the server database (default: $BUTIK_DB, else the data folder's)")
    run.set_defaults(func=cmd_run)
    problems.set_defaults(func=cmd_problems)


def _store(args):
    from core.db import open_store

    return open_store(server_database(args.db, getattr(args, "data_dir", None)))


def cmd_run(args) -> int:
    from core.integrations.runner import IntegrationRunner

    store = _store(args)
    runner = IntegrationRunner(store)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        while True:
            report = runner.run_once()
            for problem in report.problems:
                log.warning("%s", problem)
            log.info("round: %d imported, %d stock updates, %d captures, %d shipments in %.2f s",
                     report.imported, report.stock_sent, report.payments_done, report.shipments,
                     report.seconds)
            if args.once:
                return EXIT_OK if report.ok else EXIT_FAILURE
            if stop.wait(args.interval):
                return EXIT_OK
    finally:
        runner.close()
        store.dispose()


def cmd_problems(args) -> int:
    from core.integrations.connections import open_problems

    store = _store(args)
    try:
        with store.read() as s:
            rows = open_problems(s)
            for row in rows:
                print(f"{row.at:%Y-%m-%d %H:%M}  {row.job:12} {row.ref or '':20} {row.message}")
            if not rows:
                print("no open problems")
    finally:
        store.dispose()
    return EXIT_OK
