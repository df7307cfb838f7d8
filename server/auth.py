"""Request dependencies: who is calling (bearer token → Principal) and whether they may do this."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.auth.service import Forbidden, Principal, Unauthorized, authenticate
from core.db import Store

bearer = HTTPBearer(auto_error=False, description="a user session token (usr_…) or a device token (dev_…)")


def get_store(request: Request) -> Store:
    return request.app.state.store


def principal(request: Request,
              creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    """Any valid token (user or device); 401 otherwise."""
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthorized("a token is required", hint="send 'Authorization: Bearer <token>'")
    with get_store(request).read() as session:
        return authenticate(session, creds.credentials)


def require_device(who: Principal = Depends(principal)) -> Principal:
    if who.kind != "device":
        raise Forbidden("only an enrolled device may do this", hint="use the device's token")
    return who


def require_role(role: str) -> Callable[..., Principal]:
    """A user with at least `role` (cashier < manager < admin)."""

    def check(who: Principal = Depends(principal)) -> Principal:
        if not who.has_role(role):
            raise Forbidden(f"this needs a {role} (or higher) user", hint="log in as a manager")
        return who

    check.__name__ = f"require_{role}"
    return check


def require_role_or_device(role: str) -> Callable[..., Principal]:
    """A user with at least `role`, or any enrolled device."""

    def check(who: Principal = Depends(principal)) -> Principal:
        if who.kind != "device" and not who.has_role(role):
            raise Forbidden(f"this needs a device or a {role} (or higher) user")
        return who

    check.__name__ = f"require_{role}_or_device"
    return check
