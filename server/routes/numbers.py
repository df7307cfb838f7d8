"""Gap-free document numbers, issued by the server per series."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from core.db import Store
from core.numbering import next_number
from server.auth import get_store, require_role_or_device
from server.db import transact

router = APIRouter(prefix="/api/v1", tags=["numbers"])


@router.post("/numbers/{series}")
def issue_number(series: str = Path(..., pattern=r"^[a-z0-9_]{1,40}$"),
                 store: Store = Depends(get_store), _who=Depends(require_role_or_device("manager"))):
    return {"series": series, "number": transact(store, lambda s: next_number(s, series))}
