"""Where this device keeps its server token: the OS keyring, or a 0600 token file on headless machines.

The device token proves "this till / this sync node" to the server; whoever holds it can push sales.
It is never written to a plain config file, never logged, never put in an exception message.

Desktop machines keep it in the OS keyring (the `keyring` library: Secret Service on Linux,
Keychain on macOS, Credential Locker on Windows) under service ``butik``, one entry per server URL.

Headless machines (a sync node run by systemd, CI) usually have no keyring: `keyring` then picks its
``fail`` backend and every call raises ``NoKeyringError``. The documented choice there is a token
file: set ``BUTIK_TOKEN_FILE=/path/to/token`` in the service's environment. The file holds the
token on one line, must belong to the service user and have mode 0600 (or 0400); any group or
other permission bit makes Butik refuse it. ``butik enrol`` writes the file (mode 0600) when the
variable is set. See installer/butik-sync.service.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import keyring
import keyring.errors

from core.errors import UserError

SERVICE = "butik"
TOKEN_FILE_ENV = "BUTIK_TOKEN_FILE"

_NO_KEYRING_HINT = (
    "on a headless machine set BUTIK_TOKEN_FILE=/path/to/token (a file readable only by the "
    "service user, mode 0600) and run `butik enrol` again; on a desktop, install or unlock the "
    "system keyring (e.g. GNOME Keyring / KWallet)")


class NoSecretStore(UserError):
    """Neither a working keyring nor BUTIK_TOKEN_FILE is available."""


def server_key(server_url: str) -> str:
    """The keyring entry name for a server: its URL without a trailing slash, lower-cased host part."""
    url = server_url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def token_file() -> Path | None:
    value = os.environ.get(TOKEN_FILE_ENV, "").strip()
    return Path(value) if value else None


def _check_mode(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UserError(
            f"the token file {path} is readable by others (mode {stat.S_IMODE(mode):04o}); "
            "Butik refuses it", field=TOKEN_FILE_ENV,
            hint=f"run: chmod 600 {path} (and chown it to the service user)")


def _read_file(path: Path) -> str | None:
    if not path.exists():
        return None
    _check_mode(path)
    text = path.read_text(encoding="utf-8").strip()
    return text or None


def _write_file(path: Path, token: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode otherwise
        os.write(fd, (token + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _keyring_error(exc: Exception) -> UserError:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return NoSecretStore("no OS keyring is available to keep the device token",
                             hint=_NO_KEYRING_HINT)
    # the exception text may describe the backend, never the secret
    return NoSecretStore(f"the OS keyring refused access ({type(exc).__name__})",
                         hint=_NO_KEYRING_HINT)


def get_token(server_url: str) -> str | None:
    """The stored token for `server_url`, or None when this device has not enrolled there."""
    path = token_file()
    if path is not None:
        return _read_file(path)
    try:
        return keyring.get_password(SERVICE, server_key(server_url))
    except keyring.errors.KeyringError as exc:
        raise _keyring_error(exc) from None


def set_token(server_url: str, token: str) -> str:
    """Keep `token` for `server_url`; returns where it went ("file:/path" or "keyring")."""
    path = token_file()
    if path is not None:
        _write_file(path, token)
        return f"file:{path}"
    key = server_key(server_url)
    try:
        keyring.set_password(SERVICE, key, token)
        stored = keyring.get_password(SERVICE, key)
    except keyring.errors.KeyringError as exc:
        raise _keyring_error(exc) from None
    if stored != token:  # e.g. the `null` backend accepts writes and forgets them
        raise NoSecretStore("the OS keyring did not keep the device token "
                            f"(backend {type(keyring.get_keyring()).__name__})",
                            hint=_NO_KEYRING_HINT)
    return "keyring"


def delete_token(server_url: str) -> None:
    """Forget the token for `server_url` (after a revocation or re-enrolment elsewhere)."""
    path = token_file()
    if path is not None:
        if path.exists():
            path.unlink()
        return
    try:
        keyring.delete_password(SERVICE, server_key(server_url))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise _keyring_error(exc) from None


def check_store(server_url: str) -> str:
    """Prove the token can be kept before a one-time code is spent; returns where it would go."""
    path = token_file()
    if path is not None:
        if path.exists():
            _check_mode(path)
        parent = path.parent if path.parent.exists() else path.parent.parent
        if not os.access(parent, os.W_OK):
            raise UserError(f"cannot write the token file {path}", field=TOKEN_FILE_ENV,
                            hint="create its folder, owned by the service user")
        return f"file:{path}"
    probe = server_key(server_url) + "#probe"
    try:
        keyring.set_password(SERVICE, probe, "probe")
        kept = keyring.get_password(SERVICE, probe)
        keyring.delete_password(SERVICE, probe)
    except keyring.errors.KeyringError as exc:
        raise _keyring_error(exc) from None
    if kept != "probe":
        raise NoSecretStore("the OS keyring does not keep secrets "
                            f"(backend {type(keyring.get_keyring()).__name__})",
                            hint=_NO_KEYRING_HINT)
    return "keyring"
