"""A real `butik server` subprocess on 127.0.0.1 for tests: start it, wait for /health, stop it.

    with live_server(tmp_path, db_url=None) as srv:      # SQLite in tmp_path/data/server.sqlite
        admin = srv.login()                                # the admin created before start
        token = srv.enrol_device("pos", register_code="K1")["token"]
        requests.get(srv.url + "/api/v1/changes", headers=bearer(token))

`db_url` may be a `pg_url` (PostgreSQL). The server's stderr goes to `srv.log_path`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

ADMIN, ADMIN_PASSWORD = "admin", "admin-password-1"
MANAGER, MANAGER_PASSWORD = "manager", "manager-password-1"
CASHIER, CASHIER_PASSWORD, CASHIER_PIN = "cashier", "cashier-password-1", "1234"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def butik(*args: str, data_dir: Path, stdin: str | None = None, check: bool = True,
          timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the `butik` CLI in a subprocess (same Python), with BUTIK_DATA_DIR set."""
    env = {**os.environ, "BUTIK_DATA_DIR": str(data_dir)}
    env.pop("BUTIK_DB", None)  # the database is always given with --db (or the data folder's)
    res = subprocess.run([sys.executable, "-m", "core.cli.main", *args], input=stdin, env=env,
                         capture_output=True, text=True, timeout=timeout)
    if check and res.returncode != 0:
        raise AssertionError(f"butik {' '.join(args)} failed ({res.returncode}):\n{res.stderr}")
    return res


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    db_url: str | None
    proc: subprocess.Popen
    log_path: Path
    _tokens: dict = field(default_factory=dict)

    def login(self, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        key = (username, password)
        if key not in self._tokens:
            r = requests.post(f"{self.url}/api/v1/auth/login",
                              json={"username": username, "password": password}, timeout=30)
            r.raise_for_status()
            self._tokens[key] = r.json()["token"]
        return self._tokens[key]

    def enrolment_code(self, kind: str = "pos", register_code: str | None = None,
                       name: str = "test device") -> str:
        r = requests.post(f"{self.url}/api/v1/enrolment-codes",
                          json={"device_name": name, "kind": kind, "register_code": register_code},
                          headers=bearer(self.login()), timeout=30)
        r.raise_for_status()
        return r.json()["code"]

    def enrol_device(self, kind: str = "pos", register_code: str | None = None,
                     name: str = "test device") -> dict:
        """Enrol a new device; returns {device_id, token, kind, register_code}."""
        code = self.enrolment_code(kind, register_code, name)
        r = requests.post(f"{self.url}/api/v1/enrol", json={"code": code, "device_name": name},
                          timeout=30)
        r.raise_for_status()
        return r.json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _db_args(db_url: str | None) -> list[str]:
    return ["--db", db_url] if db_url else []


@contextlib.contextmanager
def live_server(tmp_path: Path, db_url: str | None = None, *, users: bool = True,
                start_timeout: float = 60) -> Iterator[LiveServer]:
    """Start `butik server` on a free port (SQLite in tmp_path/data when db_url is None)."""
    data_dir = Path(tmp_path) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    if users:  # creating a user also migrates the database
        butik("user", "add", "--role", "admin", ADMIN, "--password-stdin", *_db_args(db_url),
              data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n")
        butik("user", "add", "--role", "manager", MANAGER, "--password-stdin", *_db_args(db_url),
              data_dir=data_dir, stdin=MANAGER_PASSWORD + "\n")
        butik("user", "add", "--role", "cashier", CASHIER, "--password-stdin", "--pin",
              *_db_args(db_url), data_dir=data_dir,
              stdin=f"{CASHIER_PASSWORD}\n{CASHIER_PIN}\n")
    port = free_port()
    log_path = Path(tmp_path) / f"server-{port}.log"
    env = {**os.environ, "BUTIK_DATA_DIR": str(data_dir)}
    env.pop("BUTIK_DB", None)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "core.cli.main", "server", "--host",
                                 "127.0.0.1", "--port", str(port), *_db_args(db_url)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    srv = LiveServer(f"http://127.0.0.1:{port}", data_dir, db_url, proc, log_path)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"butik server exited with {proc.returncode}:\n{srv.log()}")
            try:
                if requests.get(srv.url + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"butik server did not answer within {start_timeout} s:\n"
                                     f"{srv.log()}")
            time.sleep(0.1)
        yield srv
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 15) -> int:
    """SIGTERM (a clean shutdown), then SIGKILL if it does not stop in time; returns the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode
