"""One round of every integration job for every connection; the sync node calls `run_once()` each round.

Each connection's work is isolated: an outage (429/5xx after the client's short retries, a
refused connection) pauses that connection only — for the vendor's Retry-After or a growing
backoff — and the others go on. Any other failure is caught per job, logged in `integration_log`
and reported; nothing a vendor sends can end the round with an exception. Orders are imported
per the connection's polling interval; order write-backs, stock publishing and task processing
happen every round (they only send what changed), so a node that calls `run_once()` every few
seconds publishes stock within seconds.

Usage by the node (composition root)::

    runner = IntegrationRunner(store)            # connections + secrets loaded each round
    report = runner.run_once()                   # never raises for vendor trouble
    ...
    runner.close()
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from core.db import Store
from core.db.base import utcnow
from core.errors import Unavailable, UserError
from core.integrations.connections import (
    Connection,
    SecretLookup,
    get_secret,
    load_connections,
    log_problem,
    make_client,
    pause,
)
from core.integrations.http import VendorUnavailable
from core.integrations.models import IntegrationConnection

log = logging.getLogger(__name__)
SETTLE_EVERY = dt.timedelta(hours=24)
MAX_PAUSE_S = 300.0


@dataclass
class RoundReport:
    """What one round did, per job, and every problem met (also in integration_log)."""

    imported: int = 0
    flagged: int = 0
    held: int = 0
    pushed: int = 0
    stock_sent: int = 0
    prices_sent: int = 0
    payments_done: int = 0
    payments_failed: int = 0
    shipments: int = 0
    payouts: int = 0
    shipments_cancelled: int = 0
    labels_printed: int = 0
    carrier_statuses: int = 0
    skipped: list[str] = field(default_factory=list)      # connections paused or not due
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


class IntegrationRunner:
    """Runs the jobs; `connections` fixed (tests) or None to load them (with secrets) every round."""

    def __init__(self, store: Store, connections: Sequence[Connection] | None = None,
                 clock: Callable[[], dt.datetime] = utcnow, *,
                 secret_lookup: SecretLookup = get_secret, force_poll: bool = False):
        self.store, self.clock = store, clock
        self._fixed = list(connections) if connections is not None else None
        self._secret_lookup, self.force_poll = secret_lookup, force_poll
        self._clients: dict[int, tuple[Connection, object]] = {}
        self._statuses: dict[int, dict[str, int]] = {}
        self._failures: dict[int, int] = {}

    # -- plumbing -----------------------------------------------------------------------------
    def connections(self) -> list[Connection]:
        if self._fixed is not None:
            return self._fixed
        with self.store.write() as s:
            conns = load_connections(s, self._secret_lookup)
            s.commit()
        return conns

    def client(self, conn: Connection):
        cached = self._clients.get(conn.id)
        if cached is None or cached[0] != conn:  # settings or secret changed: a fresh client
            if cached is not None:
                cached[1].http.close()
            cached = (conn, make_client(conn))
            self._clients[conn.id] = cached
        return cached[1]

    def close(self) -> None:
        for _conn, client in self._clients.values():
            client.http.close()
        self._clients.clear()

    def _row(self, conn: Connection) -> IntegrationConnection:
        with self.store.read() as s:
            row = s.get(IntegrationConnection, conn.id)
            s.expunge(row)
        return row

    def _job(self, conn: Connection | None, job: str, report: RoundReport, fn, *args):
        """Run one job; returns its result, or None after logging why it failed."""
        try:
            out = fn(*args)
            if conn is not None:
                self._failures.pop(conn.id, None)
            return out
        except Unavailable as exc:
            self._outage(conn, job, exc, report)
        except UserError as exc:
            self._note(conn, job, str(exc), report)
        except Exception as exc:  # a bug or a payload nobody foresaw: logged, never fatal
            log.exception("integration job %s failed", job)
            self._note(conn, job, f"unexpected error: {type(exc).__name__}: {exc}", report)
        return None

    def _note(self, conn: Connection | None, job: str, text: str, report: RoundReport,
              level: str = "error") -> None:
        name = conn.code if conn else "-"
        report.problems.append(f"{name} {job}: {text}")
        try:
            with self.store.write() as s:
                log_problem(s, job, text, connection_id=conn.id if conn else None, level=level)
                s.commit()
        except Exception:  # the log must never hide the problem itself
            log.exception("could not write the integration log")

    def _outage(self, conn: Connection | None, job: str, exc: Unavailable, report: RoundReport) -> None:
        if conn is None:
            return self._note(None, job, str(exc), report, "warning")
        n = self._failures[conn.id] = self._failures.get(conn.id, 0) + 1
        wait = getattr(exc, "retry_after", None) if isinstance(exc, VendorUnavailable) else None
        wait = min(MAX_PAUSE_S, wait if wait else 5.0 * 2 ** (n - 1))
        self._note(conn, job, f"{exc} — paused {wait:g} s", report, "warning")
        with self.store.write() as s:
            pause(s, conn.id, wait, self.clock())
            s.commit()

    # -- the round ----------------------------------------------------------------------------
    def run_once(self) -> RoundReport:
        started = self.clock()
        report = RoundReport()
        conns = self._job(None, "connections", report, self.connections) or []
        by_kind: dict[str, Connection] = {}
        shops = []
        for conn in conns:
            row = self._row(conn)
            if row.paused_until and row.paused_until > self.clock():
                report.skipped.append(f"{conn.code}: paused until {row.paused_until:%H:%M:%S}")
                continue
            by_kind.setdefault(conn.kind, conn)
            if conn.kind == "starweb" and self._import(conn, row, report):
                shops.append((conn, row))
        # payments and shipments before the write-back, so the shop hears of them this round
        self._payments(by_kind, report)
        if "unifaun" in by_kind:
            self._shipping(by_kind["unifaun"], report)
        for conn, row in shops:
            if not self._paused(conn):
                self._write_back(conn, row, report)
        for kind in ("klarna", "nets"):
            if kind in by_kind:
                self._settlements(by_kind[kind], report)
        report.seconds = (self.clock() - started).total_seconds()
        return report

    def _paused(self, conn: Connection) -> bool:
        row = self._row(conn)
        return bool(row.paused_until and row.paused_until > self.clock())

    def _import(self, conn: Connection, row: IntegrationConnection, report: RoundReport) -> bool:
        """Import new orders when the polling interval has passed; False when the shop is down."""
        from core.integrations.starweb import orders_in

        now = self.clock()
        client = self._job(conn, "orders_in", report, self.client, conn)
        if client is None:
            return False
        due = self.force_poll or row.last_poll_at is None or \
            (now - row.last_poll_at).total_seconds() >= conn.poll_interval_s
        if due:
            got = self._job(conn, "orders_in", report, orders_in.import_new_orders,
                            self.store, conn, client)
            if got is None:
                return False
            report.imported += got.imported
            report.flagged += got.flagged
            report.held += got.held
            report.problems += [f"{conn.code} orders_in: {p}" for p in got.problems]
            with self.store.write() as s:
                s.get(IntegrationConnection, conn.id).last_poll_at = now
                s.commit()
        else:
            report.skipped.append(f"{conn.code}: orders not due")
        return True

    def _write_back(self, conn: Connection, row: IntegrationConnection, report: RoundReport) -> None:
        """Order write-backs, then stock and prices (the reconciliation when it is due)."""
        from core.integrations.starweb import orders_out, stock_out

        now = self.clock()
        client = self.client(conn)
        statuses = self._statuses.get(conn.id)
        if statuses is None:
            statuses = self._job(conn, "orders_out", report, client.order_statuses)
            if statuses is None:
                return
            self._statuses[conn.id] = statuses
        pushed = self._job(conn, "orders_out", report, orders_out.push_order_updates,
                           self.store, conn, client, statuses)
        if pushed is None:
            return
        report.pushed += pushed.references + pushed.statuses + pushed.tracking + pushed.line_changes
        report.problems += [f"{conn.code} orders_out: {p}" for p in pushed.problems]
        every = dt.timedelta(seconds=int(conn.setting("reconcile_every_s", 6 * 3600)))
        if row.last_reconcile_at is None or now - row.last_reconcile_at >= every:
            got = self._job(conn, "stock_out", report, stock_out.reconcile, self.store, conn,
                            client, now)
            if got is None:
                return
            self._add_publish(report, conn, got)
        got = self._job(conn, "stock_out", report, stock_out.publish_changes, self.store, conn,
                        client, now)
        if got is not None:
            self._add_publish(report, conn, got)

    @staticmethod
    def _add_publish(report: RoundReport, conn: Connection, got) -> None:
        report.stock_sent += got.stock_sent
        report.prices_sent += got.prices_sent
        report.problems += [f"{conn.code} stock_out: {p}" for p in got.problems]

    def _payments(self, by_kind: dict[str, Connection], report: RoundReport) -> None:
        from core.integrations.payments import process_payment_tasks

        providers = {k: c for k, c in by_kind.items() if k in ("klarna", "nets")}
        if not providers:
            return
        clients = {}
        for conn in providers.values():
            client = self._job(conn, "payments", report, self.client, conn)
            if client is not None:
                clients[conn.id] = client
        providers = {k: c for k, c in providers.items() if c.id in clients}
        got = self._job(None, "payments", report, process_payment_tasks, self.store, providers,
                        clients, self.clock())
        if got is not None:
            report.payments_done += got.done
            report.payments_failed += got.failed
            report.problems += [f"payments: {p}" for p in got.problems]

    def _shipping(self, conn: Connection, report: RoundReport) -> None:
        """Cancellations first (so a cancelled delivery is not booked), bookings, labels, status."""
        from core.integrations.shipments import (
            AfterBookingResult,
            after_booking,
            process_cancellations,
        )
        from core.integrations.shipping import process_shipment_tasks

        client = self._job(conn, "shipping", report, self.client, conn)
        if client is None:
            return
        cancels = AfterBookingResult()
        if self._job(conn, "shipping", report, process_cancellations, self.store, conn, client,
                     self.clock(), cancels) is None and self._paused(conn):
            return
        report.shipments_cancelled += cancels.cancelled
        report.problems += [f"{conn.code} shipping: {p}" for p in cancels.problems]
        got = self._job(conn, "shipping", report, process_shipment_tasks, self.store,
                        conn, client, self.clock())
        if got:
            report.shipments += got.booked + got.adopted
            report.problems += [f"{conn.code} shipping: {p}" for p in got.problems]
        if self._paused(conn):
            return
        after = self._job(conn, "shipping", report, after_booking, self.store, conn, client,
                          self.clock())
        if after:
            report.labels_printed += after.printed
            report.carrier_statuses += after.statuses
            report.problems += [f"{conn.code} shipping: {p}" for p in after.problems]

    def _settlements(self, conn: Connection, report: RoundReport) -> None:
        from core.integrations.settlements import import_settlements

        row = self._row(conn)
        every = dt.timedelta(seconds=int(conn.setting("settle_every_s", SETTLE_EVERY.total_seconds())))
        if row.last_settlement_at is not None and self.clock() - row.last_settlement_at < every:
            return
        client = self._job(conn, "settlements", report, self.client, conn)
        got = client and self._job(conn, "settlements", report, import_settlements, self.store,
                                   conn, client, self.clock())
        if got:
            report.payouts += got.payouts
            report.problems += [f"{conn.code} settlements: {p}" for p in got.problems]
