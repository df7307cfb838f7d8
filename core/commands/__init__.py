"""Back-office commands: named use cases with JSON arguments, run where the authority is.

A command is a function `fn(session, who, **args) -> result` registered under a dotted name
(`orders.confirm`). The back office never calls use cases that write directly: it asks its
gateway (core/commands/gateway.py) to run a command, and the gateway runs it either on the
database the window opened (the server's own, in a one-PC shop) or on the central server over
HTTP (`POST /api/v1/commands/{name}`), after which the replica pulls the change feed. Both paths
run the very same function, so what is tested locally is what the server does.

Arguments and results are JSON: strings, numbers, booleans, lists and objects (money in öre,
quantities in thousandths, dates as ISO text). A command module converts them to the use case's
types and says which field was wrong when one does not fit. Queries that read data a replica
does not hold (stock movements…) are commands too, marked `writes=False`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationError

#: modules that register commands (imported by `load_all`)
COMMAND_MODULES: list[str] = [f"core.commands.{area}" for area in (
    "orders", "invoices", "mail", "customers", "settings", "catalog", "prices", "stock", "purchasing", "ledger")]

_REGISTRY: dict[str, Command] = {}


@dataclass(frozen=True)
class Command:
    name: str
    fn: Callable[..., Any]
    role: str           # the least role that may run it: cashier < manager < admin
    writes: bool        # False: a query (no commit, no exactly-once record)
    area: str | None    # the back-office area whose views reload after it ran
    params: tuple[str, ...]
    required: frozenset[str]


def command(name: str, *, role: str = "manager", writes: bool = True, area: str | None = None):
    """Register `fn(session, who, **args)` as the command `name`."""

    def register(fn):
        sig = inspect.signature(fn)
        names = list(sig.parameters)[2:]  # after (session, who)
        required = frozenset(n for n in names if sig.parameters[n].default is inspect.Parameter.empty)
        if name in _REGISTRY and _REGISTRY[name].fn is not fn:
            raise RuntimeError(f"command {name!r} registered twice")
        _REGISTRY[name] = Command(name, fn, role, writes, area or name.split(".")[0],
                                  tuple(names), required)
        return fn

    return register


def load_all() -> dict[str, Command]:
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    return _REGISTRY


def get(name: str) -> Command:
    registry = load_all()
    if name not in registry:
        raise NotFound(f"no command named {name!r}", field="name",
                       hint="GET /api/v1/commands lists them")
    return registry[name]


def check_args(cmd: Command, args: Any) -> dict:
    """The arguments as keyword arguments, or a ValidationError naming the field."""
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ValidationError("arguments must be a JSON object", field="args")
    unknown = sorted(set(args) - set(cmd.params))
    if unknown:
        raise ValidationError(f"{cmd.name} takes no argument {unknown[0]!r}", field=unknown[0],
                              hint="it takes: " + (", ".join(cmd.params) or "nothing"))
    missing = sorted(cmd.required - set(args))
    if missing:
        raise ValidationError(f"{cmd.name} needs {missing[0]!r}", field=missing[0])
    return args


def run(session: Session, name: str, who: str, args: Any = None) -> Any:
    """Run a command in the caller's unit of work (the caller commits); the result as JSON values."""
    cmd = get(name)
    kwargs = check_args(cmd, args)
    return as_json(cmd.fn(session, who, **kwargs))


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"a command result cannot hold {type(value).__name__}")


def as_json(value: Any) -> Any:
    """`value` made of JSON types only (dates as ISO text, dataclasses as objects)."""
    return json.loads(json.dumps(value, default=_plain))


# ------------------------------------------------------------------ helpers for command modules

def as_date(value: Any, field: str) -> dt.date | None:
    """An ISO date argument (or None)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{value!r} is not a date", field=field, hint="write YYYY-MM-DD") from None


def as_int(value: Any, field: str, *, optional: bool = False) -> int | None:
    """An integer argument (money in öre, quantities in thousandths, ids)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number, not {value!r}", field=field)
    return value
