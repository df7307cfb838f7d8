"""One place turns errors into JSON responses `{"error","message","field"}` with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.auth.service import Forbidden, Unauthorized
from core.errors import Conflict, NotFound, Unavailable, UserError, ValidationError
from server.db import retryable

log = logging.getLogger("server")

STATUS = [(Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
          (ValidationError, 422)]


def status_of(exc: UserError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 422


def body(error: str, message: str, field: str | None = None, **extra) -> dict:
    return {"error": error, "message": message, "field": field, **extra}


def user_error_body(exc: UserError) -> dict:
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return body(type(exc).__name__, message, exc.field)


def db_error_body(exc: DBAPIError) -> tuple[int, dict]:
    """A database refusal that input caused (constraint, bad value) → 409/422; clashes → 503."""
    detail = str(exc.orig).strip().splitlines()[0][:300] if exc.orig else type(exc).__name__
    if isinstance(exc, IntegrityError):
        return 409, body("Conflict", f"refused by the database: {detail}")
    if isinstance(exc, DataError):
        return 422, body("ValidationError", f"a value is out of range or malformed: {detail}")
    if retryable(exc):
        return 503, body("busy", "the database is busy; retry in a moment")
    raise exc


def install(app: FastAPI) -> None:
    @app.exception_handler(UserError)
    async def _user_error(_req: Request, exc: UserError):
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(user_error_body(exc), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in errors[:50]]
        return JSONResponse(body("validation_error", first.get("msg", "malformed request"),
                                 ".".join(loc) or None, detail=detail), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException):
        kind = {401: "unauthorized", 403: "forbidden", 404: "NotFound", 405: "method_not_allowed",
                413: "too_large"}.get(exc.status_code, "http_error")
        return JSONResponse(body(kind, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _db(_req: Request, exc: DBAPIError):
        try:
            status, payload = db_error_body(exc)
        except DBAPIError:
            log.exception("database error")
            return JSONResponse(body("internal", "internal server error"), status_code=500)
        return JSONResponse(payload, status_code=status)

    @app.exception_handler(Unavailable)
    async def _unavailable(_req: Request, exc: Unavailable):
        return JSONResponse(body("unavailable", str(exc)), status_code=503)
