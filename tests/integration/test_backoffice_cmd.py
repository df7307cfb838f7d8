"""`butik backoffice`: which database it opens, and a clear error when there is none."""

from __future__ import annotations

import pytest

from core.cli.backoffice_cmd import pick_database
from core.cli.main import build_parser
from core.errors import NotFound


def test_the_server_database_wins_over_the_tills_replica_beside_it(tmp_path):
    (tmp_path / "replica.sqlite").write_bytes(b"")
    assert pick_database(tmp_path) == str(tmp_path / "replica.sqlite")   # a workstation
    (tmp_path / "server.sqlite").write_bytes(b"")
    assert pick_database(tmp_path) == str(tmp_path / "server.sqlite")    # this machine is the server
    assert pick_database(tmp_path, "postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"


def test_no_database_says_how_to_get_one(tmp_path):
    with pytest.raises(NotFound) as err:
        pick_database(tmp_path)
    assert err.value.field == "data_dir" and "butik demo" in err.value.hint
    with pytest.raises(NotFound) as err:
        pick_database(tmp_path, str(tmp_path / "nope.sqlite"))
    assert err.value.field == "db"


def test_the_command_is_registered_with_its_options():
    args = build_parser().parse_args(["backoffice", "--db", "x.sqlite", "--lang", "en"])
    assert (args.db, args.lang) == ("x.sqlite", "en") and args.func.__module__ == "core.cli.backoffice_cmd"
