"""Logins, enrolment codes, device enrolment, device list and revocation, and `me`."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from core.auth import service
from core.auth.service import Principal
from core.db import Store
from server.auth import get_store, principal, require_role
from server.db import read, transact
from server.schemas import EnrolIn, EnrolmentCodeIn, LoginIn, PinIn, TokenOut

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/login", response_model=TokenOut)
def login(data: LoginIn, store: Store = Depends(get_store)):
    return transact(store, lambda s: service.login(s, data.username, data.password))


@router.post("/auth/pin", response_model=TokenOut)
def login_pin(data: PinIn, store: Store = Depends(get_store)):
    return transact(store, lambda s: service.login_pin(s, data.username, data.pin))


@router.post("/enrolment-codes")
def create_enrolment_code(data: EnrolmentCodeIn, store: Store = Depends(get_store),
                          who: Principal = Depends(require_role("manager"))):
    return transact(store, lambda s: service.create_enrolment_code(
        s, data.device_name, data.kind, data.register_code, created_by=int(who.id)))


@router.post("/enrol")
def enrol(data: EnrolIn, store: Store = Depends(get_store)):
    return transact(store, lambda s: service.enrol(s, data.code, data.device_name))


@router.get("/devices")
def list_devices(store: Store = Depends(get_store), _who=Depends(require_role("manager"))):
    return {"devices": read(store, service.list_devices)}


@router.post("/devices/{device_id}/revoke")
def revoke_device(device_id: str, store: Store = Depends(get_store),
                  _who=Depends(require_role("manager"))):
    return transact(store, lambda s: service.revoke_device(s, device_id))


@router.get("/me")
def me(who: Principal = Depends(principal)):
    return {"kind": who.kind, "id": who.id, "name": who.name, "role": who.role,
            "device_kind": who.device_kind, "register_code": who.register_code}
