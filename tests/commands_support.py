"""The command tests' check that a refusal names its field and leaves the data untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.errors import UserError, ValidationError


def snapshot(store, *, tables) -> dict:
    """Every row of `tables`, in primary-key order."""
    with store.read() as s:
        return {t: s.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in tables}


def refused(store, gw, name, args, field, kind=ValidationError, *, tables) -> UserError:
    """`name(args)` is refused with `kind` naming `field`, and `tables` are exactly as before."""
    before = snapshot(store, tables=tables)
    with pytest.raises(kind) as caught:
        gw.call(name, args)
    assert caught.value.field == field, (name, str(caught.value))
    assert snapshot(store, tables=tables) == before
    return caught.value
