"""The Settings tab: connections listed without a window; creating a Starweb shop puts its secret in the keyring
(never the database), and "Test connection" asks the Starweb simulator and shows its answer."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import pytest
from sqlalchemy import text

from backoffice.models.connections_model import ConnectionForm, ConnectionsModel, form_args
from core.errors import ValidationError
from core.integrations.connections import SECRETS_FILE_ENV, SERVICE
from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.backoffice_fixtures import settle
from tests.simulators.starweb import StarwebSimulator
from tests.sync_support import MemoryKeyring

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv(SECRETS_FILE_ENV, raising=False)
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def shop():
    with StarwebSimulator("shop-client", "right-secret") as sim:
        yield sim


def webshop_channel(store) -> int:
    with store.read() as s:
        return s.execute(text("SELECT id FROM channel ORDER BY kind = 'webshop' DESC, id")).scalar()


def stored_anywhere(store, secret: str) -> bool:
    """The secret in any column of any row, or in the database files' bytes."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute(text("SELECT * FROM integration_connection")).all()
    if any(secret in str(v) for r in rows for v in r):
        return True
    path = Path(store.engine.url.database)
    blobs = [p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    return any(secret.encode() in b for b in blobs)


def test_model_lists_connections_and_never_the_secret(runner, bo_store, memory_keyring):
    channel = webshop_channel(bo_store)

    def save(form):
        runner.command("settings.connection_save", form_args(form))
    with pytest.raises(ValidationError) as refused:  # a new connection needs its secret
        save(ConnectionForm("starweb", "web1", "https://x.example", "cid", channel_id=channel))
    assert refused.value.field == "secret"
    form = ConnectionForm("starweb", "web1", "https://shop.example/api/v2", "cid", secret="s3cret-XYZ",
                          channel_id=channel, price_list_code=None, buffer_qty=2000, poll_interval_s=120)
    save(form)
    save(ConnectionForm("klarna", "klarna", "https://api.klarna.example", "user", secret="pw-klarna"))
    assert runner.announced == ["integrations", "integrations"]
    model = ConnectionsModel(runner)
    model.reload()
    model.fetch_all_for_test()
    assert [(r.kind, r.code, r.buffer_qty, r.poll_interval_s, r.has_secret) for r in model.rows] == [
        ("starweb", "web1", 2000, 120, True), ("klarna", "klarna", 0, 60, True)]
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert "••••• saved" in shown and "s3cret-XYZ" not in shown and "2" in shown
    assert memory_keyring.secrets == {(SERVICE, "web1"): "s3cret-XYZ", (SERVICE, "klarna"): "pw-klarna"}
    assert not stored_anywhere(bo_store, "s3cret-XYZ")
    # editing without a secret keeps the stored one
    form.secret, form.poll_interval_s = "", 300
    save(form)
    assert memory_keyring.secrets[(SERVICE, "web1")] == "s3cret-XYZ"
    model.reload()
    assert [r.poll_interval_s for r in model.rows] == [300, 60]


def test_create_a_starweb_shop_then_test_the_connection(qtbot, window, bo_store, memory_keyring, shop):
    from backoffice import errors

    tab = window.pages["settings"]
    window.tabs.setCurrentWidget(tab)
    tab.open_dialog(None)
    settle(qtbot, window)
    dialog = tab.dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("starweb"))
    dialog.code.setText("web1")
    dialog.base_url.setText(shop.url + "/api/v2")
    dialog.client_id.setText("shop-client")
    dialog.secret.setText("right-secret")
    dialog.channel.setCurrentIndex(dialog.channel.findData(webshop_channel(bo_store)))
    dialog.buffer.setText("1")
    dialog.save_button.click()
    settle(qtbot, window)
    assert errors.shown == [] and not dialog.isVisible()
    assert memory_keyring.secrets == {(SERVICE, "web1"): "right-secret"}
    assert not stored_anywhere(bo_store, "right-secret")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    row = tab.model.rows[0]
    assert (row.code, row.buffer_qty, row.has_secret, row.status_map["delivered"]) == ("web1", 1000, True, "completed")

    tab.view.selectRow(0)
    tab.open_dialog(row)  # the secret is never shown back
    settle(qtbot, window)
    assert tab.dialog.secret.text() == "" and tab.dialog.secret.placeholderText() == "••••• saved"
    tab.dialog.reject()

    tab.test_button.click()
    qtbot.waitUntil(lambda: tab.result.text().startswith("Connected"), timeout=10000)
    assert shop.tokens_issued == 1

    keyring.set_password(SERVICE, "web1", "wrong-secret")
    tab.test_button.click()
    qtbot.waitUntil(lambda: tab.result.text().startswith("Failed"), timeout=10000)
    assert "client credentials are invalid" in tab.result.text()
    assert shop.tokens_issued == 1
