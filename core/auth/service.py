"""Auth use cases: users and logins, enrolment codes, device enrolment and revocation, token checks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.auth.hashing import (
    hash_secret,
    new_code,
    new_token,
    normalise_code,
    token_hash,
    verify_secret,
)
from core.auth.models import DEVICE_KINDS, ROLES, Device, EnrolmentCode, UserAccount, UserSession
from core.db.base import utcnow
from core.errors import Conflict, NotFound, UserError, ValidationError

ROLE_RANK = {role: i for i, role in enumerate(ROLES, start=1)}
SESSION_TTL = dt.timedelta(hours=12)
CODE_TTL = dt.timedelta(hours=24)
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
_DUMMY_HASH = hash_secret("not a password")  # equal work whether or not the user exists


class Unauthorized(UserError):
    """No valid credential: missing/unknown/expired token, revoked device, wrong password (HTTP 401)."""


class Forbidden(UserError):
    """A valid credential without the right role or kind for this action (HTTP 403)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (with a role) or a device (with its kind)."""

    kind: str  # 'user' | 'device'
    id: str
    name: str
    role: str | None = None
    device_kind: str | None = None
    register_code: str | None = None

    def has_role(self, role: str) -> bool:
        return self.kind == "user" and ROLE_RANK.get(self.role or "", 0) >= ROLE_RANK[role]


# ---------------------------------------------------------------------------- users

def add_user(session: Session, username: str, role: str, password: str | None = None,
             pin: str | None = None) -> UserAccount:
    if not USERNAME.match(username or ""):
        raise ValidationError(f"user name {username!r} is not allowed", field="username",
                              hint="1–64 characters: letters, digits, . _ @ -")
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}", field="role", hint="cashier, manager or admin")
    if password is not None and len(password) < 8:
        raise ValidationError("the password is too short", field="password",
                              hint="use at least 8 characters")
    if pin is not None and not re.fullmatch(r"\d{4,8}", pin):
        raise ValidationError("a PIN is 4–8 digits", field="pin")
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)):
        raise Conflict(f"user {username!r} already exists", field="username")
    user = UserAccount(username=username, role=role,
                       password_hash=hash_secret(password) if password else None,
                       pin_hash=hash_secret(pin) if pin else None)
    session.add(user)
    session.flush()
    return user


def count_users(session: Session) -> int:
    return len(session.scalars(select(UserAccount.id).limit(1)).all())


def _start_session(session: Session, user: UserAccount) -> dict:
    token = new_token("usr")
    expires = utcnow() + SESSION_TTL
    session.add(UserSession(token_hash=token_hash(token), user_id=user.id, expires_at=expires))
    return {"token": token, "role": user.role, "expires_at": expires.isoformat()}


def login(session: Session, username: str, password: str) -> dict:
    """A session token for a correct user name and password; Unauthorized otherwise."""
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    ok = verify_secret(password, user.password_hash if user else _DUMMY_HASH)
    if not user or not user.active or not ok:
        raise Unauthorized("wrong user name or password")
    return _start_session(session, user)


def login_pin(session: Session, username: str, pin: str) -> dict:
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    ok = verify_secret(pin, user.pin_hash if user else _DUMMY_HASH)
    if not user or not user.active or not ok:
        raise Unauthorized("wrong user name or PIN")
    return _start_session(session, user)


# ---------------------------------------------------------------------------- devices

def create_enrolment_code(session: Session, device_name: str, kind: str,
                          register_code: str | None = None, created_by: int | None = None) -> dict:
    """A one-time code (valid 24 h) for enrolling one device; only its hash is stored."""
    if kind not in DEVICE_KINDS:
        raise ValidationError(f"unknown device kind {kind!r}", field="kind",
                              hint="pos, backoffice or sync_node")
    if not device_name or not device_name.strip():
        raise ValidationError("a device name is required", field="device_name")
    if register_code is not None and not (1 <= len(register_code) <= 16):
        raise ValidationError("a register code is 1–16 characters", field="register_code")
    code = new_code()
    expires = utcnow() + CODE_TTL
    session.add(EnrolmentCode(code_hash=token_hash(normalise_code(code)), device_name=device_name,
                              kind=kind, register_code=register_code, created_by=created_by,
                              expires_at=expires))
    return {"code": code, "expires_at": expires.isoformat()}


def enrol(session: Session, code: str, device_name: str | None = None) -> dict:
    """Trade a valid unused code for a device and its token (shown once, stored hashed)."""
    h = token_hash(normalise_code(code or ""))
    # claim the code with one conditional UPDATE so two devices can never use it both
    now = utcnow()
    claimed = session.execute(
        update(EnrolmentCode).where(EnrolmentCode.code_hash == h, EnrolmentCode.used_at.is_(None),
                                    EnrolmentCode.expires_at > now)
        .values(used_at=now).returning(EnrolmentCode.device_name, EnrolmentCode.kind,
                                       EnrolmentCode.register_code, EnrolmentCode.created_by)
    ).first()
    if claimed is None:
        raise Unauthorized("this enrolment code is unknown, already used or expired",
                           field="code", hint="ask a manager for a new code")
    token = new_token("dev")
    device = Device(name=(device_name or "").strip()[:100] or claimed.device_name,
                    kind=claimed.kind, register_code=claimed.register_code,
                    token_hash=token_hash(token), enrolled_by=claimed.created_by)
    session.add(device)
    session.flush()
    session.execute(update(EnrolmentCode).where(EnrolmentCode.code_hash == h)
                    .values(device_id=device.id))
    return {"device_id": device.id, "token": token, "kind": device.kind,
            "register_code": device.register_code}


def device_dict(d: Device) -> dict:
    return {"id": d.id, "name": d.name, "kind": d.kind, "register_code": d.register_code,
            "created_at": d.created_at.isoformat(),
            "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None}


def list_devices(session: Session) -> list[dict]:
    return [device_dict(d) for d in session.scalars(select(Device).order_by(Device.created_at))]


def revoke_device(session: Session, device_id: str) -> dict:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(f"no device {device_id!r}", field="id")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    session.flush()
    return device_dict(device)


# ---------------------------------------------------------------------------- tokens

def authenticate(session: Session, token: str | None) -> Principal:
    """The principal behind a bearer token; Unauthorized when missing, unknown, expired or revoked."""
    if not token:
        raise Unauthorized("a token is required", hint="send 'Authorization: Bearer <token>'")
    h = token_hash(token)
    if token.startswith("dev_"):
        d = session.execute(select(Device.id, Device.name, Device.kind, Device.register_code,
                                   Device.revoked_at).where(Device.token_hash == h)).first()
        if d is None or d.revoked_at is not None:
            raise Unauthorized("this device token is unknown or revoked",
                               hint="enrol the device again with a new code")
        return Principal("device", d.id, d.name, device_kind=d.kind, register_code=d.register_code)
    if token.startswith("usr_"):
        u = session.execute(
            select(UserAccount.id, UserAccount.username, UserAccount.role, UserAccount.active,
                   UserSession.expires_at)
            .join(UserSession, UserSession.user_id == UserAccount.id)
            .where(UserSession.token_hash == h)).first()
        if u is None or not u.active or u.expires_at <= utcnow():
            raise Unauthorized("this session is unknown or expired", hint="log in again")
        return Principal("user", str(u.id), u.username, role=u.role)
    raise Unauthorized("this token is not a Butik token")
