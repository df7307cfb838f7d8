"""`butik enrol` (join a server with a one-time code) and `butik sync` (the headless sync node).

`butik sync` exit codes, for supervisors (systemd) and scripts:
  0  a --once round succeeded, or the loop stopped cleanly on SIGTERM/SIGINT
  1  a --once round failed (server unreachable, refused, local error) — details on stderr/log
  2  usage error
  3  not enrolled, or the server no longer accepts this device's token (revoked): enrol again
On SIGTERM/SIGINT the request in flight finishes (or times out), its answer is recorded, and the
process exits; events not yet acknowledged stay in the outbox for the next start.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading

from core.cli.main import add_data_dir

log = logging.getLogger("butik.sync")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_NOT_ENROLLED = 0, 1, 2, 3


def register(sub) -> None:
    p = sub.add_parser("enrol", help="enrol this device with a server using a one-time code",
                       description="Enrol this device with a Butik server. A manager creates the "
                                   "one-time code in the back office (or `butik enrolment-code`).")
    p.add_argument("--server", required=True, metavar="URL", help="server URL, e.g. http://host:8765")
    p.add_argument("--code", required=True, help="one-time enrolment code")
    p.add_argument("--name", help="name of this device (default: the host name)")
    add_data_dir(p)
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("sync", help="run the headless sync node (push the outbox, pull changes)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="run one round and exit")
    mode.add_argument("--status", action="store_true", help="show the sync status and exit")
    p.add_argument("--interval", type=float, default=30.0, metavar="S",
                   help="seconds between rounds (default 30)")
    p.add_argument("--log-file", metavar="F", help="also log to this file")
    p.add_argument("--integrations", nargs="?", const="", metavar="DB",
                   help="also run the webshop, payment and carrier jobs against the server "
                        "database DB (default: $BUTIK_DB, else the data folder's; see `butik integrations`)")
    add_data_dir(p)
    p.set_defaults(func=cmd_sync)


class _IntegrationJobs:
    """The integration runner beside the sync engine: its own thread, stopped with the node."""

    EVERY_S = 3.0

    def __init__(self, args, stop: threading.Event):
        from core.db import open_store
        from core.integrations.runner import IntegrationRunner
        from core.paths import server_database

        self.store = open_store(server_database(args.integrations, getattr(args, "data_dir", None)))
        self.runner = IntegrationRunner(self.store)
        self.stop = stop
        self.thread = threading.Thread(target=self._loop, name="butik-integrations", daemon=True)

    def round(self) -> bool:
        report = self.runner.run_once()
        for problem in report.problems:
            log.warning("integrations: %s", problem)
        return report.ok

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                self.round()
            except Exception:  # a bug in one round must not end the node; it is logged
                log.exception("integration round failed")
            self.stop.wait(self.EVERY_S)

    def close(self) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(30)
        self.runner.close()
        self.store.dispose()


def _replica(args):
    from core.db import open_store
    from core.paths import replica_path

    return open_store(replica_path(getattr(args, "data_dir", None)))


def cmd_enrol(args) -> int:
    from core.sync.enrolment import enrol

    name = args.name or socket.gethostname()
    store = _replica(args)
    try:
        answer, where = enrol(store, args.server, args.code, name)
    finally:
        store.dispose()
    kept = "the OS keyring" if where == "keyring" else where.removeprefix("file:")
    print(f"enrolled as device {answer['device_id']} ({answer.get('kind')}) with "
          f"{args.server}; token kept in {kept}")
    return EXIT_OK


def _setup_logging(log_file: str | None) -> None:
    # urllib3 warns on every retried request; offline is reported once by the engine instead
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    if not log_file:
        return
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


class _Bar:
    """A bootstrap progress bar, opened on the first call (only when stderr is a terminal)."""

    def __init__(self):
        self.cm = None
        self.update = None

    def __call__(self, done, total):
        if self.update is None:
            from core.progress import cli_progress
            self.cm = cli_progress("bootstrap", total, enabled=sys.stderr.isatty())
            self.update = self.cm.__enter__()
        self.update(done, total)
        if done and done % 100_000 < 5000:
            log.info("bootstrap: %d rows", done)

    def close(self):
        if self.cm is not None:
            self.cm.__exit__(None, None, None)


def cmd_sync(args) -> int:
    from core.errors import Unavailable, UserError
    from core.sync.client import AuthRefused
    from core.sync.engine import NotEnrolled, SyncEngine, client_for
    from core.sync.replica import Stopped
    from core.sync.status import read_status

    _setup_logging(args.log_file)
    if args.interval <= 0:
        print("butik sync: --interval must be more than 0 seconds", file=sys.stderr)
        return EXIT_USAGE
    store = _replica(args)
    try:
        if args.status:
            status = read_status(store)
            print(status.summary())
            return EXIT_OK if status.enrolled else EXIT_NOT_ENROLLED
        try:
            client = client_for(store)
        except NotEnrolled as exc:
            log.error("%s", exc)
            return EXIT_NOT_ENROLLED
        stop = threading.Event()

        def on_signal(signum, _frame):
            log.info("%s received: stopping after the request in flight",
                     signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        bar = _Bar()
        engine = SyncEngine(store, client, progress=bar, stop=stop)
        jobs = _IntegrationJobs(args, stop) if args.integrations is not None else None
        try:
            if not args.once:
                log.info("sync node started: %s every %.0f s", client.base_url, args.interval)
                if jobs is not None:
                    jobs.thread.start()
                engine.run_forever(args.interval, stop)
                log.info("sync node stopped")
                return EXIT_OK
            try:
                engine.run_once()
            except Stopped:
                log.info("stopped before the round finished; pending events stay queued")
                return EXIT_OK
            except AuthRefused as exc:
                log.error("%s", exc)
                return EXIT_NOT_ENROLLED if exc.status == 401 else EXIT_FAILURE
            except (Unavailable, UserError) as exc:
                log.error("sync failed: %s", exc)
                return EXIT_FAILURE
            log.info("%s", read_status(store).summary())
            if jobs is not None and not jobs.round():
                return EXIT_FAILURE
            return EXIT_OK
        finally:
            if jobs is not None:
                jobs.close()
            bar.close()
            client.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        store.dispose()
