"""SIGKILL during 200 sales: every completed sale is saved, the journal verifies, numbers have no gaps,
nothing is half-written (receipt, counters, journal and outbox event always together)."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from core.db import open_store
from core.sales import journal
from core.sales.counters import DayTotals
from core.sales.models import JournalEntry, RegisterCounters, SalesReceipt
from core.sync.outbox import OutboxEvent
from tests.sales_support import setup_shop

ROOT = Path(__file__).resolve().parents[2]
TARGET = 200

CHILD = """
import sys
from core.db import open_store
from core.sales.payments import Payment
from core.sales.register import load_register
from core.sales.till import Till
from tests.sales_support import control_unit

store = open_store(sys.argv[1])
with store.read() as s:
    reg = load_register(s, "KASSA1")
till = Till(store, reg, control_unit(), cashier="Anna")
target = int(sys.argv[2])
print("ready", flush=True)
while True:
    with store.read() as s:
        from core.sales.models import RegisterCounters
        done = s.get(RegisterCounters, reg.id)
        if done is not None and done.next_receipt_no > target:
            break
    till.scan("7350000000019")
    till.scan("MILK")
    sale = till.complete([Payment("cash", 25000)])
    print(sale.number, flush=True)  # after the commit returned: this sale is complete
"""


def run_child(db: Path, kill_after: float | None) -> list[int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # a child that is to be killed sells without end, so a fast machine cannot finish before the kill
    target = TARGET if kill_after is None else 10**9
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(target)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready", proc.stderr.read().decode()
    if kill_after is None:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    else:
        time.sleep(kill_after)  # somewhere inside a sale: scanning, signing, committing…
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
    return [int(x) for x in out.split()]


def test_sigkill_at_random_points_loses_no_completed_sale(tmp_path):
    db = tmp_path / "till.sqlite"
    store = open_store(db)
    reg = setup_shop(store)
    store.dispose()

    rng = random.Random(4)
    reported: list[int] = []
    kills = 0
    for _ in range(8):
        reported += run_child(db, kill_after=rng.uniform(0.05, 0.6))
        kills += 1
    reported += run_child(db, kill_after=None)  # finish the 200

    store = open_store(db)
    with store.read() as s:
        numbers = sorted(s.scalars(select(SalesReceipt.number)))
        assert numbers == list(range(1, len(numbers) + 1)), "receipt numbers have a gap"
        assert len(numbers) >= TARGET
        assert set(reported) <= set(numbers), "a sale reported complete is missing"
        assert journal.verify(s, reg.id) is None
        head = s.get(RegisterCounters, reg.id)
        assert head.next_receipt_no == len(numbers) + 1
        day = DayTotals.load(head.day)
        assert day.receipts == len(numbers)
        assert day.sales == head.grand_sales == sum(s.scalars(select(SalesReceipt.total)))
        ids = set(s.scalars(select(SalesReceipt.id)))
        events = set(s.scalars(select(OutboxEvent.id).where(OutboxEvent.type == "receipt")))
        assert ids == events, "a receipt without its outbox event (or the reverse)"
        journaled = s.scalar(select(func.count()).select_from(JournalEntry)
                             .where(JournalEntry.event_type == "receipt"))
        assert journaled == len(numbers)
    store.dispose()
    assert kills == 8
