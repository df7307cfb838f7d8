"""HTTP client for the central server's sync API (contract: server/API.md): timeouts, retries, bearer token.

Idempotent GETs are retried by urllib3's `Retry` with exponential backoff on connection errors,
429 and 5xx (honouring Retry-After). `POST /events` is not retried here: the pusher decides, so
that it can mark events, back off visibly and stop cleanly. Errors come out as:

- `Offline` (an `Unavailable`): connection refused, DNS failure, timeout, connection dropped;
- `ServerBusy` (an `Unavailable`): 429 or 5xx after retries, with `retry_after` seconds if sent;
- `AuthRefused` (a `UserError`): 401/403 — not enrolled, revoked, or not allowed;
- `ServerRefused` (a `UserError`): any other 4xx, with the server's error message and field
  (except the per-event answers of POST /events: 409 and 422 with results come back as a
  `PushResponse` so the pusher can settle each event).

The token is sent in the Authorization header only; it never appears in logs or error messages.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from core.errors import Unavailable, UserError

log = logging.getLogger(__name__)

API = "/api/v1"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0


class Offline(Unavailable):
    """The server could not be reached (refused, unreachable, timed out, dropped)."""


class ServerBusy(Unavailable):
    """The server answered 429 or 5xx; try again later."""

    def __init__(self, message: str, status: int, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class AuthRefused(UserError):
    """401/403: the device is not enrolled, was revoked, or lacks the role."""

    def __init__(self, message: str, status: int, **kw):
        super().__init__(message, **kw)
        self.status = status


class ServerRefused(UserError):
    """A 4xx other than 401/403/409 (malformed request, unknown event type, not found)."""

    def __init__(self, message: str, status: int, field: str | None = None):
        super().__init__(message, field=field)
        self.status = status


@dataclass
class PushResponse:
    """The server's per-event answers to one batch.

    200: all applied/replayed; 409: some `conflicts` (same id, other body); 422 with results:
    some `rejected` (well-formed but not applicable). The others in the batch were applied.
    """

    status: int
    results: list[dict]
    conflicts: list[str]
    rejected: list[str]


def _retry_policy(total: int) -> Retry:
    # a refused connection is retried once, at once: offline must be noticed quickly
    return Retry(total=total, connect=min(total, 1), read=total, status=total, backoff_factor=0.3,
                 backoff_max=10, status_forcelist=(429, 500, 502, 503, 504),
                 allowed_methods=frozenset({"GET", "HEAD"}), respect_retry_after_header=True,
                 raise_on_status=False)


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        import datetime as dt
        from email.utils import parsedate_to_datetime
        try:
            when = parsedate_to_datetime(value)
            return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def _error_text(resp: requests.Response) -> tuple[str, str | None]:
    try:
        data = resp.json()
    except ValueError:
        return (resp.text[:200] or resp.reason or f"HTTP {resp.status_code}"), None
    if isinstance(data, dict):
        if "message" in data:
            return str(data["message"]), data.get("field")
        if "detail" in data:  # FastAPI validation errors
            return json.dumps(data["detail"])[:500], None
    return str(data)[:500], None


class SyncClient:
    """One server, one device token. Thread-safe enough for one sync loop; not shared across threads."""

    def __init__(self, base_url: str, token: str | None = None, *,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT), retries: int = 3):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=_retry_policy(retries), pool_maxsize=4)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = "butik-sync/1"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:  # never shows the token
        return f"SyncClient({self.base_url!r})"

    def close(self) -> None:
        self.session.close()

    # -- plumbing ---------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kw) -> requests.Response:
        url = self.base_url + path
        try:
            return self.session.request(method, url, timeout=self.timeout, **kw)
        except requests.exceptions.RetryError as exc:
            raise ServerBusy(f"server at {self.base_url} kept failing: {type(exc).__name__}",
                             503) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise Offline(f"server at {self.base_url} unreachable ({type(exc).__name__})") from None

    def _check(self, resp: requests.Response, allow: tuple[int, ...] = ()) -> requests.Response:
        status = resp.status_code
        if status < 400 or status in allow:
            return resp
        message, field = _error_text(resp)
        if status in (401, 403):
            hint = ("enrol this device again with `butik enrol --server URL --code C`"
                    if status == 401 else "ask a manager for a device or user with that role")
            raise AuthRefused(f"server refused the device token ({status}): {message}", status,
                              hint=hint)
        if status == 429 or status >= 500:
            raise ServerBusy(f"server answered {status}: {message}", status, _retry_after(resp))
        raise ServerRefused(f"server answered {status}: {message}", status, field)

    def _get_json(self, path: str, params: dict | None = None) -> dict:
        resp = self._check(self._request("GET", path, params=params))
        try:
            return resp.json()
        except ValueError:
            raise ServerBusy(f"server sent a non-JSON answer to GET {path}", 502) from None

    # -- API --------------------------------------------------------------------------------

    def health(self) -> dict:
        return self._get_json("/health")

    def enrol(self, code: str, device_name: str) -> dict:
        """Exchange a one-time code for {device_id, token, kind, register_code}."""
        resp = self._check(self._request("POST", f"{API}/enrol",
                                         json={"code": code, "device_name": device_name}))
        return resp.json()

    def login(self, username: str, password: str) -> dict:
        """A user session: {"token", "role", "expires_at"} (401 → AuthRefused)."""
        resp = self._request("POST", f"{API}/auth/login",
                             json={"username": username, "password": password})
        if resp.status_code == 401:
            raise AuthRefused("wrong user name or password", 401, hint="check them and try again")
        return self._check(resp).json()

    def command(self, name: str, command_id: str | None, args: dict) -> dict:
        """Run a back-office command on the server: {"result", "seq", "replayed"}.

        A refusal (422/404/409) raises ServerRefused carrying the server's message and field; an
        unanswered request raises Offline/ServerBusy — retry with the same `command_id`.
        """
        body = json.dumps({"id": command_id, "args": args}, separators=(",", ":"), ensure_ascii=False)
        resp = self._request("POST", f"{API}/commands/{name}", data=body.encode(),
                             headers={"Content-Type": "application/json"})
        if resp.status_code in (404, 409, 422):  # the server's own words: it names the field
            message, field = _error_text(resp)
            raise ServerRefused(message, resp.status_code, field)
        resp = self._check(resp)
        try:
            return resp.json()
        except ValueError:
            raise ServerBusy(f"server sent a non-JSON answer to command {name}", 502) from None

    def changes(self, after: int, limit: int = 1000) -> dict:
        """{"changes": [...], "last_seq": int, "more": bool}."""
        return self._get_json(f"{API}/changes", {"after": after, "limit": limit})

    def snapshot_tables(self) -> dict:
        """{"tables": [FK-safe order], "seq": int}."""
        return self._get_json(f"{API}/snapshot/tables")

    def snapshot_page(self, table: str, after, limit: int = 5000) -> dict:
        """{"rows": [...], "next": pk | null}; `after` is the previous page's `next` (None first)."""
        after_param = "" if after is None else json.dumps(after)
        return self._get_json(f"{API}/snapshot/{table}", {"after": after_param, "limit": limit})

    def snapshot_rows(self, table: str, after, limit: int = 20000) -> dict | None:
        """A compact page (`format=rows`): {"columns": [...], "next": pk | None, "rows_json": the
        rows array as JSON text}; None when the server only serves the object format (older server).

        The rows stay JSON text: a SQLite replica inserts them with one statement that unpacks
        the JSON itself, so no Python work per value and no GIL hand-over per row between the
        fetching and the writing thread. Gzip is asked for except over the loopback.
        """
        after_param = "" if after is None else json.dumps(after)
        headers = {"Accept-Encoding": "identity" if self._loopback() else "gzip"}
        try:
            resp = self._check(self._request("GET", f"{API}/snapshot/{table}", headers=headers,
                                             params={"after": after_param, "limit": limit,
                                                     "format": "rows"}))
        except ServerRefused as exc:
            if exc.status == 422:  # a server without format=rows refuses limits above 5000
                return None
            raise
        return split_rows_page(resp.content.decode("utf-8"))

    def _loopback(self) -> bool:
        from urllib.parse import urlsplit
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in ("localhost", "::1") or host.startswith("127.")

    def push_events(self, events: list[dict]) -> PushResponse:
        """POST one batch. 200, 409 and a 422 with results carry per-event answers; else raises.

        A 422 without results (the whole request malformed, nothing applied) raises
        `ServerRefused` with status 422.
        """
        body = json.dumps({"events": events}, separators=(",", ":"), ensure_ascii=False)
        resp = self._check(self._request("POST", f"{API}/events", data=body.encode(),
                                         headers={"Content-Type": "application/json"}),
                           allow=(409, 422))
        try:
            data = resp.json()
        except ValueError:
            if resp.status_code == 200:
                raise ServerBusy("server sent a non-JSON answer to POST /events", 502) from None
            data = {}
        results = data.get("results") if isinstance(data, dict) else None
        if resp.status_code != 200 and not isinstance(results, list):
            message, field = _error_text(resp)
            raise ServerRefused(f"server answered {resp.status_code}: {message}",
                                resp.status_code, field)
        return PushResponse(resp.status_code, list(results or []),
                            [str(x) for x in data.get("conflicts") or []],
                            [str(x) for x in data.get("rejected") or []])



def split_rows_page(text: str) -> dict | None:
    """Split a `format=rows` body into its small head (columns, next) and the rows' JSON text.

    The server writes "rows" last; `,"rows":` cannot occur inside a JSON string (its quotes would
    be escaped), so the first occurrence is the key. None when the body is not that format.
    """
    if not text.startswith('{"columns":'):
        return None  # an older server ignoring format=rows
    i = text.find(',"rows":')
    if i < 0 or not text.endswith("}"):
        raise ServerBusy("server sent a malformed snapshot page", 502)
    try:
        head = json.loads(text[:i] + "}")
    except ValueError:
        raise ServerBusy("server sent a malformed snapshot page", 502) from None
    return {"columns": head["columns"], "next": head.get("next"), "rows_json": text[i + 8:-1]}
