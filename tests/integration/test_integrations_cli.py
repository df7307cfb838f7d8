"""`butik integrations run --once` and `problems` on a shop database."""

import subprocess
import sys

from core.db import open_store
from core.demo.builder import build_demo
from core.integrations.connections import log_problem
from core.paths import server_db_path


def _butik(*args, folder):
    return subprocess.run([sys.executable, "-m", "core.cli.main", *args, "--data-dir", str(folder)],
                          capture_output=True, text=True, timeout=120)


def test_a_round_with_no_connections_is_clean_and_problems_are_listed(tmp_path):
    store = open_store(server_db_path(tmp_path))
    build_demo(store, products=60, customers=5)
    store.dispose()
    result = _butik("integrations", "run", "--once", folder=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no open problems" in _butik("integrations", "problems", folder=tmp_path).stdout
    store = open_store(server_db_path(tmp_path))
    with store.write() as s:
        log_problem(s, "orders_in", "Starweb svarade 503", ref="1042")
        s.commit()
    store.dispose()
    listed = _butik("integrations", "problems", folder=tmp_path)
    assert listed.returncode == 0 and "Starweb svarade 503" in listed.stdout and "1042" in listed.stdout
