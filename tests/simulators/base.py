"""A real HTTP server on 127.0.0.1 (free port, own thread) that vendor simulators build on, with fault knobs.

A simulator subclass lists `routes` as (method, path regex, handler name); a handler gets a
`Request` and returns a `Reply`. Each vendor supplies `error(status, code, message)` in its own
error shape and `authorize(request)` (None = allowed, else the refusal `Reply`).

Fault knobs, each used `times` times and optionally limited to a method/path regex:
- `fail(status, retry_after=)` — answer with the vendor's error, do nothing;
- `drop(after=True)` — carry the request out, then close the connection without an answer
  (`after=False`: close before doing anything);
- `reply(body, status=)` — answer with this body instead (malformed/hostile payloads);
  `body` may be bytes (sent raw) or any JSON value.
Every request is logged in `calls` (method, path, query, headers, body).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 2 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route regex

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The parsed JSON body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: Any = None          # JSON value, or bytes sent raw
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Fault:
    kind: str                 # 'fail' | 'drop_before' | 'drop_after' | 'reply'
    times: int
    method: str | None
    path: str | None
    status: int = 500
    retry_after: str | None = None
    body: Any = None

    def matches(self, method: str, path: str) -> bool:
        return ((self.method is None or self.method == method)
                and (self.path is None or re.search(self.path, path) is not None))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    # answers go out in two writes (head, body): without this each waits ~40 ms for a delayed ACK
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, fmt, *args):  # quiet
        pass

    def _serve(self):
        sim = self.server.sim
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(sim.error(413, "REQUEST_TOO_LARGE", "request body too large"))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        req = Request(self.command, parts.path, query,
                      {k.lower(): v for k, v in self.headers.items()}, body)
        fault = sim.take_fault(req.method, req.path)
        sim.calls.append(req)
        if fault and fault.kind == "drop_before":
            self.close_connection = True
            return
        if fault and fault.kind == "fail":
            reply = sim.error(fault.status, sim.fault_code(fault.status), "injected failure")
            if fault.retry_after is not None:
                reply.headers["Retry-After"] = fault.retry_after
        elif fault and fault.kind == "reply":
            reply = Reply(fault.status, fault.body)
        else:
            reply = sim.dispatch(req)
        if fault and fault.kind == "drop_after":
            self.close_connection = True
            return
        self._send(reply)

    def _send(self, reply: Reply):
        data = reply.encode()
        self.send_response(reply.status)
        if data or reply.status not in (204, 304):
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sim: Simulator


class Simulator:
    """Base of every vendor simulator: start/stop, routing, auth hook, fault knobs, call log."""

    vendor = "vendor"
    routes: list[tuple[str, str, str]] = []

    def __init__(self):
        self.lock = threading.RLock()
        self.calls: list[Request] = []
        self._faults: list[Fault] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._compiled = [(m, re.compile(f"^{p}$"), h) for m, p, h in self.routes]

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self, port: int = 0) -> Simulator:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sim = self
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.vendor,
                                        daemon=True, kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down, close its port and wait for the serving thread to end."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(10)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self):
        return self.start() if self._server is None else self

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- fault knobs --------------------------------------------------------------------------
    def fail(self, status: int = 500, *, times: int = 1, retry_after: str | int | None = None,
             method: str | None = None, path: str | None = None) -> None:
        ra = None if retry_after is None else str(retry_after)
        self._add(Fault("fail", times, method, path, status=status, retry_after=ra))

    def drop(self, *, after: bool = True, times: int = 1, method: str | None = None,
             path: str | None = None) -> None:
        self._add(Fault("drop_after" if after else "drop_before", times, method, path))

    def reply(self, body: Any, *, status: int = 200, times: int = 1, method: str | None = None,
              path: str | None = None) -> None:
        self._add(Fault("reply", times, method, path, status=status, body=body))

    def _add(self, fault: Fault) -> None:
        with self.lock:
            self._faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def calls_to(self, method: str, path_regex: str) -> list[Request]:
        return [c for c in list(self.calls)
                if c.method == method and re.search(path_regex, c.path)]

    # -- routing ------------------------------------------------------------------------------
    def dispatch(self, req: Request) -> Reply:
        allowed = []
        for method, pattern, handler in self._compiled:
            match = pattern.match(req.path)
            if not match:
                continue
            if method != req.method:
                allowed.append(method)
                continue
            refusal = self.authorize(req)
            if refusal is not None:
                return refusal
            req.params = match.groupdict()
            with self.lock:
                try:
                    return getattr(self, handler)(req)
                except Refuse as exc:
                    return exc.reply
        if allowed:
            return self.error(405, "method_not_allowed", f"{req.method} not allowed here")
        return self.error(404, "not_found", f"no such resource {req.path}")

    # -- vendor hooks -------------------------------------------------------------------------
    def authorize(self, req: Request) -> Reply | None:
        return None

    def error(self, status: int, code: str, message: str) -> Reply:
        return Reply(status, {"code": code, "message": message})

    def fault_code(self, status: int) -> str:
        return "TOO_MANY_REQUESTS" if status == 429 else "INTERNAL"


class Refuse(Exception):
    """Raised inside a handler to answer with an error reply at once."""

    def __init__(self, reply: Reply):
        super().__init__(reply.status)
        self.reply = reply


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def validate(value: Any, schema: dict, where: str = "body") -> list[tuple[str, str]]:
    """Check `value` against a JSON-Schema subset; returns [(path, problem)], empty when valid.

    Supports type (object/array/string/integer/number/boolean, a list of types, "null"),
    required, properties, additionalProperties: False, items, min/maxItems, min/maxLength,
    minimum/maximum, enum, pattern. A bool is never accepted as a number.
    """
    problems: list[tuple[str, str]] = []
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    if value is None:
        if types and "null" not in types and not schema.get("nullable"):
            problems.append((where, "must not be null"))
        return problems
    if types and not any(_is_type(value, t) for t in types):
        return [(where, f"must be of type {'/'.join(types)}")]
    if "enum" in schema and value not in schema["enum"]:
        problems.append((where, f"must be one of {', '.join(map(str, schema['enum']))}"))
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", 10**9):
            problems.append((where, f"longer than {schema['maxLength']} characters"))
        if len(value) < schema.get("minLength", 0):
            problems.append((where, f"shorter than {schema['minLength']} characters"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append((where, "has an invalid format"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append((where, f"below the minimum {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append((where, f"above the maximum {schema['maximum']}"))
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if value.get(name) is None:
                problems.append((f"{where}.{name}", "is required"))
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                problems += validate(item, props[name], f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append((f"{where}.{name}", "is not a known field"))
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 10**9):
            problems.append((where, f"more than {schema['maxItems']} items"))
        if len(value) < schema.get("minItems", 0):
            problems.append((where, f"fewer than {schema['minItems']} items"))
        if "items" in schema:
            for i, item in enumerate(value):
                problems += validate(item, schema["items"], f"{where}[{i}]")
    return problems


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES.get(name, object))
