"""The `butik` command line: --help everywhere, exit codes 0/1/2."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from core.cli.main import build_parser, main


def _command_paths(parser: argparse.ArgumentParser, prefix=()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths += _command_paths(sub, prefix + (name,))
    return paths


PATHS = _command_paths(build_parser())


def test_the_commands_the_design_names_exist():
    top = {p[0] for p in PATHS if p}
    assert {"demo", "import", "export", "bench"} <= top


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "butik")
def test_help_everywhere(path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*path, "--help"])
    assert exit_.value.code == 0
    assert "usage: butik" in capsys.readouterr().out


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2


def test_usage_errors_exit_2():
    for argv in (["no-such-command"], ["demo", "--products", "many"], ["export", "planets", "x.csv"]):
        result = subprocess.run([sys.executable, "-m", "core.cli.main", *argv], capture_output=True, text=True)
        assert result.returncode == 2, argv
        assert "usage:" in result.stderr


def test_failures_exit_1_with_a_clear_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "core.cli.main", "import", "products", str(tmp_path / "none.csv"),
                             "--data-dir", str(tmp_path), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "butik:" in result.stderr and "none.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    result = subprocess.run([sys.executable, "-m", "core.cli.main", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("butik ")


def test_an_unreachable_database_is_a_clear_failure(tmp_path):
    result = subprocess.run([sys.executable, "-m", "core.cli.main", "export", "products", str(tmp_path / "p.csv"),
                             "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none", "--quiet"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "cannot use the database" in result.stderr and "Traceback" not in result.stderr
