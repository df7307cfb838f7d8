"""A Z-report pushed over HTTP to a real `butik server` is booked by the server's ledger job: exactly
one voucher in series A, and a replayed push books nothing more."""

from __future__ import annotations

import time
import uuid

import requests
from sqlalchemy import select

from core.db import open_store
from core.ledger.models import Voucher, VoucherRow
from tests.live import bearer, live_server


def z_event(register: str, z_no: int) -> dict:
    return {"id": str(uuid.uuid4()), "type": "z_report",
            "body": {"type": "Z", "register_code": register, "z_no": z_no,
                     "created_at": "2026-05-04T18:05:00", "store": "Butiken",
                     "vat": [{"rate_bp": 2500, "net": 40_000, "vat": 10_000},
                             {"rate_bp": 600, "net": 10_000, "vat": 600}],
                     "payments": {"cash": 10_600, "card": 45_000, "swish": 5_000},
                     "cash_rounding": 0, "gift_cards_sold": 0}}


def series_a(store) -> list[tuple[tuple, dict[int, int]]]:
    """(number, source_type, source_id, text) and {account: amount} of each series A voucher."""
    with store.read() as s:
        out = []
        for v in s.scalars(select(Voucher).where(Voucher.series == "A")):
            rows = dict(s.execute(select(VoucherRow.account, VoucherRow.amount)
                                  .where(VoucherRow.voucher_id == v.id)).all())
            out.append(((v.number, v.source_type, v.source_id, v.text), rows))
        return out


def wait_for(store, n: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = series_a(store)
        if len(found) >= n:
            return found
        time.sleep(0.2)
    return series_a(store)


def test_a_pushed_z_report_gets_exactly_one_voucher_in_series_a(tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_LEDGER_INTERVAL", "0.5")
    with live_server(tmp_path) as srv:
        token = srv.enrol_device("pos", "K7", "Kassa 7")["token"]
        event = z_event("K7", 1)
        r = requests.post(f"{srv.url}/api/v1/events", json={"events": [event]},
                          headers=bearer(token), timeout=60)
        assert r.status_code == 200, r.text
        store = open_store(srv.data_dir / "server.sqlite")
        try:
            found = wait_for(store, 1)
            assert len(found) == 1, srv.log()[-2000:]
            voucher, rows = found[0]
            assert voucher == (1, "z_report", "K7:1", "Z-dagrapport 1 K7")
            assert rows == {1910: 10_600, 1580: 45_000, 1930: 5_000, 3001: -40_000, 2611: -10_000,
                            3003: -10_000, 2631: -600}
            # the same event again is a replay; a few job cycles later there is still one voucher
            again = requests.post(f"{srv.url}/api/v1/events", json={"events": [event]},
                                  headers=bearer(token), timeout=60)
            assert again.status_code == 200, again.text
            time.sleep(2)
            assert len(series_a(store)) == 1
        finally:
            store.dispose()
        assert "Traceback" not in srv.log(), srv.log()[-4000:]
