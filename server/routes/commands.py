"""Back-office commands: `POST /commands/{name}` runs one (core/commands) exactly once per id."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import commands
from core.auth.service import Forbidden, Principal
from core.db import Store
from core.errors import Conflict, ValidationError
from core.sync.changelog import current_seq
from core.sync.received import AppliedEvent
from server.auth import get_store, principal
from server.db import read, transact
from server.schemas import CommandIn

router = APIRouter(prefix="/api/v1", tags=["commands"])


def _user(who: Principal, cmd: commands.Command) -> Principal:
    if who.kind != "user":
        raise Forbidden("commands are run by a logged-in user, not a device token",
                        hint="log in with POST /api/v1/auth/login and send the user's token")
    if not who.has_role(cmd.role):
        raise Forbidden(f"{cmd.name} needs a {cmd.role} (or higher) user", hint="log in as a manager")
    return who


def _hash(name: str, args: dict) -> str:
    body = json.dumps({"name": name, "args": args}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def run_once(session: Session, command_id: str, cmd: commands.Command, who: Principal, args: dict):
    """Apply the command unless this id was applied before (then its stored result, or 409)."""
    digest = _hash(cmd.name, args)
    seen = session.get(AppliedEvent, command_id)
    if seen is not None:
        if seen.body_hash != digest or seen.type != f"cmd:{cmd.name}"[:40]:
            raise Conflict(f"command id {command_id} was already used for another command",
                           field="id", hint="send a new id for a new command")
        return (seen.result or {}).get("result"), True
    result = commands.run(session, cmd.name, who.name, args)
    session.add(AppliedEvent(id=command_id, device_id=f"user:{who.id}"[:36],
                             type=f"cmd:{cmd.name}"[:40], body_hash=digest,
                             result={"result": result}))
    return result, False


@router.get("/commands")
def list_commands(who: Principal = Depends(principal)):
    return {"commands": [{"name": c.name, "role": c.role, "writes": c.writes, "args": list(c.params),
                          "required": sorted(c.required)}
                         for c in sorted(commands.load_all().values(), key=lambda c: c.name)]}


@router.post("/commands/{name}")
def run_command(name: str, data: CommandIn, store: Store = Depends(get_store),
                who: Principal = Depends(principal)):
    cmd = commands.get(name)
    _user(who, cmd)
    if not cmd.writes:
        return {"result": read(store, lambda s: commands.run(s, name, who.name, data.args)),
                "seq": None, "replayed": False}
    if not data.id:
        raise ValidationError("a command that changes data needs an id", field="id",
                              hint="send a new UUID; send the same one again to retry")
    try:
        result, replayed = transact(store, lambda s: run_once(s, data.id, cmd, who, data.args))
    except IntegrityError:
        # the same id raced in from a retry on another connection: that one won, answer as a replay
        result, replayed = transact(store, lambda s: run_once(s, data.id, cmd, who, data.args))
    return {"result": result, "seq": read(store, current_seq), "replayed": replayed}
