"""Shared HTTP plumbing for vendor clients: timeouts, retries on 429/5xx (Retry-After honoured), vendor errors.

Every vendor client owns one `VendorHttp`. A request is *safe to repeat* when its method is
idempotent (GET, PUT, PATCH, DELETE) or it carries an idempotency key; such requests are retried
by urllib3's `Retry` on refused connections, lost responses, 429 and 5xx, with exponential backoff
or the server's Retry-After (capped). A POST without a key is retried only when the vendor
certainly did not act on it (connection refused, 429); a lost response then raises
`OutcomeUnknown` so that the caller reconciles instead of doing the work twice.

Refusals come out as `VendorError` (a `UserError`: shown as it is, with the vendor's own error
code and message); outages as `VendorUnavailable` (try again later, `retry_after` seconds if the
vendor said so). Response bodies are parsed with `Decimal` for numbers, never float.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from core.errors import Unavailable, UserError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class VendorError(UserError):
    """The vendor refused a request, or answered with something we cannot use."""

    def __init__(self, vendor: str, message: str, *, status: int | None = None,
                 code: str | None = None, correlation_id: str | None = None,
                 field: str | None = None, hint: str | None = None, details: Any = None):
        self.vendor, self.status, self.code = vendor, status, code
        self.correlation_id, self.details = correlation_id, details
        super().__init__(message, field=field, hint=hint)

    def __str__(self) -> str:
        tags = [t for t in (self.code and f"code {self.code}", self.status and f"HTTP {self.status}",
                            self.correlation_id and f"ref {self.correlation_id}") if t]
        text = f"{self.vendor}: " + (f"{self.field}: " if self.field else "") + self.message
        if tags:
            text += " [" + ", ".join(tags) + "]"
        if self.hint:
            text += f" ({self.hint})"
        return text


class VendorAuthError(VendorError):
    """401/403: wrong or expired credentials, or the account lacks the licence/right."""


class VendorNotFound(VendorError):
    """404: the order, payment, shipment… does not exist at the vendor."""


class VendorPayloadError(VendorError):
    """The vendor's answer is malformed: not JSON, missing fields, wrong types, absurd sizes."""


class VendorUnavailable(Unavailable):
    """The vendor did not answer usefully (down, 5xx, 429) even after retries: try again later."""

    def __init__(self, vendor: str, message: str, *, status: int | None = None,
                 code: str | None = None, retry_after: float | None = None):
        self.vendor, self.status, self.code, self.retry_after = vendor, status, code, retry_after
        self.message = message
        tags = ", ".join(t for t in (code and f"code {code}", status and f"HTTP {status}") if t)
        super().__init__(f"{vendor}: {message}" + (f" [{tags}]" if tags else ""))


class OutcomeUnknown(VendorUnavailable):
    """A request that is not safe to repeat was sent but its answer was lost: reconcile before retrying."""


@dataclass(frozen=True)
class ErrorInfo:
    """The parts of a vendor's error body we show: its code, message, field, correlation id."""

    message: str
    code: str | None = None
    field: str | None = None
    correlation_id: str | None = None
    details: Any = None


class _Retry(Retry):
    """urllib3 Retry that also retries 429 for unsafe methods, caps Retry-After and ignores a garbled one."""

    max_retry_after = 60.0

    def new(self, **kw):
        fresh = super().new(**kw)
        fresh.max_retry_after = self.max_retry_after
        return fresh

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 429 and not self._is_method_retryable(method):
            return bool(self.total)  # 429 means the request was not acted on
        return super().is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except (InvalidHeader, ValueError, OverflowError):
            return None
        return None if seconds is None else min(seconds, self.max_retry_after)


def _retry(retries: int, backoff: float, backoff_max: float, max_retry_after: float,
           safe: bool) -> Retry:
    policy = _Retry(total=retries, connect=retries, read=retries if safe else 0, status=retries,
                    other=0, redirect=0, backoff_factor=backoff, backoff_max=backoff_max,
                    status_forcelist=RETRY_STATUSES,
                    # None = every method; an empty set would also mean "every", hence the sentinel
                    allowed_methods=None if safe else frozenset({"-none-"}),
                    respect_retry_after_header=True, raise_on_status=False,
                    raise_on_redirect=False)
    policy.max_retry_after = max_retry_after
    return policy


def parse_json(raw: bytes) -> Any:
    """JSON with numbers as Decimal (never float); raises ValueError on garbage."""
    return json.loads(raw, parse_float=Decimal)


def dumps(body: Any) -> bytes:
    """JSON-encode `body`; a Decimal is written as its exact digits (15.20 stays 15.20, no float)."""
    tag = uuid.uuid4().hex

    def default(value):
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"cannot send {value} as a JSON number")
            return f"{tag}:{value}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(body, default=default, ensure_ascii=False)
    text = re.sub(rf'"{tag}:([-+0-9.Ee]+)"', r"\1", text)
    return text.encode("utf-8")


def idempotency_key(*parts: object) -> str:
    """A deterministic key (UUIDv5) from our own ids, so a retry after a crash reuses the same key."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "butik:" + ":".join(str(p) for p in parts)))


class VendorHttp:
    """One vendor's base URL, auth, timeouts and retry policy over two `requests.Session`s."""

    def __init__(self, vendor: str, base_url: str, *, parse_error: Callable[[Any], ErrorInfo | None],
                 auth: Any = None, headers: dict | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 4,
                 backoff: float = 0.5, backoff_max: float = 30.0, max_retry_after: float = 60.0,
                 max_response_bytes: int = MAX_RESPONSE_BYTES):
        if not re.match(r"^https?://", base_url or ""):
            raise UserError("must start with http:// or https://", field="base_url",
                            hint=f"check the {vendor} connection settings")
        self.vendor, self.base_url = vendor, base_url.rstrip("/")
        self.timeout, self.max_response_bytes = timeout, max_response_bytes
        self._parse_error = parse_error
        self._sessions = {}
        for safe in (True, False):
            session = requests.Session()
            session.auth = auth
            session.headers.update({"Accept": "application/json", "User-Agent": "butik-sync"})
            session.headers.update(headers or {})
            adapter = HTTPAdapter(max_retries=_retry(retries, backoff, backoff_max,
                                                     max_retry_after, safe))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._sessions[safe] = session

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    # -- requests -----------------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: dict | None = None, json_body: Any = None,
                form: dict | None = None, headers: dict | None = None, safe: bool | None = None,
                expect: tuple[int, ...] = (200,)) -> requests.Response:
        """Send one request (retried per policy); return the response or raise a vendor error."""
        method = method.upper()
        safe = (method in IDEMPOTENT_METHODS) if safe is None else safe
        headers = dict(headers or {})
        data = None
        if json_body is not None:
            data = dumps(json_body)
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = form
        url = self.base_url + path
        try:
            resp = self._sessions[safe].request(method, url, params=params, data=data,
                                                headers=headers, timeout=self.timeout, stream=True)
            body = self._read_capped(resp)
        except requests.exceptions.RequestException as exc:
            raise self._transport_error(exc, method, path, safe) from exc
        resp._content = body  # the body we read, so .content/.text work as usual
        if resp.status_code in expect:
            return resp
        raise self._status_error(resp, method, path)

    def get_json(self, path: str, **kw) -> Any:
        return self.json("GET", path, **kw)

    def json(self, method: str, path: str, **kw) -> Any:
        """Send a request and parse the JSON answer (Decimal numbers); malformed → VendorPayloadError."""
        resp = self.request(method, path, **kw)
        return self.decode(resp, f"{method} {path}")

    def decode(self, resp: requests.Response, what: str) -> Any:
        try:
            return parse_json(resp.content)
        except (ValueError, RecursionError) as exc:
            raise VendorPayloadError(self.vendor, f"answered {what} with something that is not JSON",
                                     status=resp.status_code,
                                     hint="the vendor may be having problems; try again later") from exc

    # -- internals ----------------------------------------------------------------------------
    def _read_capped(self, resp: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_response_bytes:
                resp.close()
                raise VendorPayloadError(
                    self.vendor, f"answer larger than {self.max_response_bytes // (1024 * 1024)} MB",
                    status=resp.status_code, hint="ask for smaller pages")
            chunks.append(chunk)
        return b"".join(chunks)

    def _transport_error(self, exc: Exception, method: str, path: str, safe: bool) -> Exception:
        text = str(exc)
        not_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or any(
            marker in text for marker in ("NewConnectionError", "Connection refused",
                                          "Failed to resolve", "Name or service not known"))
        if not safe and not not_sent:
            log.warning("%s: answer to %s %s lost: %s", self.vendor, method, path, exc)
            return OutcomeUnknown(self.vendor, f"the answer to {method} {path} was lost; it may "
                                  "have been carried out — check before trying again")
        log.warning("%s: %s %s failed: %s", self.vendor, method, path, exc)
        kind = "timed out" if isinstance(exc, requests.exceptions.Timeout) else "could not be reached"
        return VendorUnavailable(self.vendor, f"{self.base_url} {kind} ({type(exc).__name__})")

    def _status_error(self, resp: requests.Response, method: str, path: str) -> Exception:
        status = resp.status_code
        info = None
        if resp.content:
            try:
                info = self._parse_error(parse_json(resp.content))
            except (ValueError, RecursionError, TypeError, AttributeError, KeyError):
                info = None
        if info is None:
            snippet = resp.text[:200].strip() if resp.content else ""
            info = ErrorInfo(message=snippet or resp.reason or f"HTTP {status}")
        log.warning("%s: %s %s → %s %s %s", self.vendor, method, path, status, info.code, info.message)
        if status == 429 or status >= 500:
            retry_after = retry_after_of(resp)
            return VendorUnavailable(self.vendor, info.message, status=status, code=info.code,
                                     retry_after=retry_after)
        cls = (VendorAuthError if status in (401, 403) and not _is_business_403(info)
               else VendorNotFound if status == 404 else VendorError)
        return cls(self.vendor, info.message, status=status, code=info.code, field=info.field,
                   correlation_id=info.correlation_id, details=info.details)


def retry_after_of(resp: requests.Response) -> float | None:
    """Seconds the vendor asked us to wait (Retry-After, seconds or HTTP date), None if absent/garbled."""
    probe = _Retry(0)
    probe.max_retry_after = float("inf")
    return probe.get_retry_after(resp)


def _is_business_403(info: ErrorInfo) -> bool:
    """Klarna answers 403 for business rules (CAPTURE_NOT_ALLOWED…); those are not auth problems."""
    return bool(info.code and info.code.endswith("NOT_ALLOWED"))


def text_of(value: Any, limit: int = 300) -> str:
    """A vendor-supplied string, cut to a sane length for display."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text[:limit]
