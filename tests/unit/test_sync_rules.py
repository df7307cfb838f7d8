"""Rules of the sync client that need no server: backoff, token storage choices, row conversion, status text."""

from __future__ import annotations

import datetime as dt
import random

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import secrets
from core.sync.apply import TableWriter, _to_datetime
from core.sync.pusher import Backoff
from core.sync.status import SyncStatus
from tests.sync_support import install_memory_keyring


@pytest.fixture
def no_token_file(monkeypatch):
    monkeypatch.delenv(secrets.TOKEN_FILE_ENV, raising=False)


@pytest.fixture
def restore_keyring():
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=2**32))
def test_backoff_grows_and_stays_under_the_cap(failures, seed):
    b = Backoff(base=1.0, cap=60.0, rng=random.Random(seed))
    delays = [b.next_delay() for _ in range(failures)]
    for n, d in enumerate(delays, start=1):
        ceiling = min(60.0, 2.0 ** (n - 1))
        assert ceiling / 2 <= d <= ceiling


def test_backoff_honours_retry_after_and_resets():
    b = Backoff(base=1.0, cap=60.0, rng=random.Random(1))
    assert b.next_delay(retry_after=30) >= 30
    b.reset()
    assert b.next_delay() <= 1.0


def test_server_key_ignores_trailing_slash_and_host_case():
    assert secrets.server_key("HTTP://Shop.Example:8765/") == "http://shop.example:8765"
    assert secrets.server_key("http://a/b/") == "http://a/b"


def test_token_round_trip_through_the_keyring(no_token_file, restore_keyring):
    ring = install_memory_keyring()
    assert secrets.check_store("http://srv:1") == "keyring"
    assert secrets.set_token("http://srv:1/", "dev_secret") == "keyring"
    assert secrets.get_token("http://srv:1") == "dev_secret"
    assert list(ring.secrets) == [("butik", "http://srv:1")]  # the probe was removed
    secrets.delete_token("http://srv:1")
    assert secrets.get_token("http://srv:1") is None


def test_no_keyring_gives_a_clear_error_naming_the_token_file(no_token_file, restore_keyring):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(secrets.NoSecretStore) as err:
        secrets.get_token("http://srv:1")
    assert "BUTIK_TOKEN_FILE" in str(err.value)
    with pytest.raises(secrets.NoSecretStore):
        secrets.check_store("http://srv:1")


def test_a_keyring_that_forgets_is_refused(no_token_file, restore_keyring):
    keyring.set_keyring(keyring.backends.null.Keyring())
    with pytest.raises(secrets.NoSecretStore) as err:
        secrets.set_token("http://srv:1", "dev_secret")
    assert "dev_secret" not in str(err.value)
    with pytest.raises(secrets.NoSecretStore):
        secrets.check_store("http://srv:1")


def test_iso_timestamps_become_naive_utc():
    assert _to_datetime("2026-05-01T12:00:00") == dt.datetime(2026, 5, 1, 12)
    assert _to_datetime("2026-05-01T14:00:00+02:00") == dt.datetime(2026, 5, 1, 12)
    assert _to_datetime("2026-05-01 12:00:00.250000") == dt.datetime(2026, 5, 1, 12, 0, 0, 250000)


def test_writer_converts_dates_and_drops_unknown_columns():
    from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table

    t = Table("thing", MetaData(), Column("id", Integer, primary_key=True), Column("name", String),
              Column("valid_from", Date), Column("changed_at", DateTime))
    w = TableWriter(t, "sqlite")
    rows = w.prepare([{"id": 1, "name": "a", "valid_from": "2026-04-01",
                       "changed_at": "2026-04-01T10:00:00", "from_a_newer_server": 5}])
    assert rows == [{"id": 1, "name": "a", "valid_from": dt.date(2026, 4, 1),
                     "changed_at": dt.datetime(2026, 4, 1, 10)}]


def test_status_summary_says_what_matters():
    s = SyncStatus(online=False, last_sync=dt.datetime(2026, 5, 1, 12), events_waiting=3,
                   failed_events=1, last_error="Offline: refused", cursor=10,
                   server_url="http://srv", device_id="d1")
    text = s.summary()
    assert "offline" in text and "3 event(s) waiting" in text and "1 refused" in text
    assert SyncStatus(False, None, 0, 0, None, None).summary() == "not enrolled with a server"
