"""A throwaway PostgreSQL 15 cluster for the tests: started once per session, a fresh database per test.

The cluster runs as the `postgres` user (initdb refuses root) in a folder under /tmp owned by it,
on a free port on 127.0.0.1, with its socket in that folder and fsync off. When it cannot start the
tests that need it skip — or FAIL with the reason when BUTIK_REQUIRE_POSTGRES=1 (CI sets it).

Fixtures: `pg_server` (session) and `pg_url` (function: a new, empty database per test, as
`postgresql+psycopg://postgres@127.0.0.1:PORT/NAME`). Both are registered in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_VERSIONS = ("15", "16", "17", "14")
START_TIMEOUT_S = 30


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started here; the message says why."""


@dataclass
class PgServer:
    bindir: Path
    datadir: Path
    port: int
    host: str = "127.0.0.1"
    user: str = "postgres"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.dsn(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def find_bindir() -> Path:
    explicit = os.environ.get("BUTIK_PG_BINDIR")
    candidates = ([Path(explicit)] if explicit
                  else [Path(f"/usr/lib/postgresql/{v}/bin") for v in PG_VERSIONS])
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    which = None if explicit else shutil.which("pg_ctl")
    if which:
        return Path(which).parent
    raise PostgresUnavailable("no PostgreSQL binaries (initdb, pg_ctl) found; install Debian's "
                              "postgresql package or set BUTIK_PG_BINDIR")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root), else as ourselves."""
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            raise PostgresUnavailable("running as root but `runuser` is missing")
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], what: str) -> None:
    try:
        res = subprocess.run(_as_postgres(cmd), capture_output=True, text=True,
                             timeout=START_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f"{what} failed: {exc}") from exc
    if res.returncode != 0:
        raise PostgresUnavailable(f"{what} failed (exit {res.returncode}): "
                                  f"{(res.stderr or res.stdout).strip()[-800:]}")


def start_cluster() -> PgServer:
    """initdb + pg_ctl start in a fresh folder under /tmp; raises PostgresUnavailable with the reason."""
    bindir = find_bindir()
    if os.geteuid() == 0:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no `postgres` user") from None
    base = Path(tempfile.mkdtemp(prefix="butik-pg-", dir="/tmp"))
    try:
        if os.geteuid() == 0:
            os.chown(base, pw.pw_uid, pw.pw_gid)
        os.chmod(base, 0o700)
        datadir = base / "data"
        _run([str(bindir / "initdb"), "-D", str(datadir), "--auth=trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
        last: Exception | None = None
        for _attempt in range(3):  # the free port may be taken between probe and start
            port = free_port()
            opts = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
                    "-c shared_buffers=64MB")
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(datadir), "-o", opts, "-l",
                      str(base / "server.log"), "-w", "-t", str(START_TIMEOUT_S), "start"],
                     "pg_ctl start")
                return PgServer(bindir=bindir, datadir=datadir, port=port)
            except PostgresUnavailable as exc:
                log = base / "server.log"
                tail = log.read_text(errors="replace")[-600:] if log.exists() else ""
                last = PostgresUnavailable(f"{exc}\n{tail}")
        raise last  # type: ignore[misc]
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise


def stop_cluster(server: PgServer) -> None:
    try:
        _run([str(server.bindir / "pg_ctl"), "-D", str(server.datadir), "-m", "immediate",
              "-w", "stop"], "pg_ctl stop")
    finally:
        shutil.rmtree(server.datadir.parent, ignore_errors=True)


def postgres_required() -> bool:
    return os.environ.get("BUTIK_REQUIRE_POSTGRES") == "1"


def unavailable(reason: str):
    """Skip, or fail when CI demands PostgreSQL."""
    if postgres_required():
        pytest.fail(f"PostgreSQL is required (BUTIK_REQUIRE_POSTGRES=1) but could not start: {reason}",
                    pytrace=False)
    pytest.skip(f"PostgreSQL could not start: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL cluster for the whole test session."""
    reason = None
    try:
        server = start_cluster()
    except PostgresUnavailable as exc:
        reason = str(exc)
    if reason is not None:
        unavailable(reason)
    try:
        yield server
    finally:
        stop_cluster(server)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database for this test: postgresql+psycopg://postgres@127.0.0.1:PORT/NAME."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    try:
        pg_server.drop_database(name)
    except Exception:  # a leftover database dies with the cluster anyway
        pass
