"""Facts flow up: a batch of device events, each applied exactly once (see server.intake)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticError

from core.auth.service import Principal
from core.db import Store
from server.auth import get_store, require_device
from server.intake import apply_events
from server.schemas import BODY_MODELS, EventsIn

router = APIRouter(prefix="/api/v1", tags=["sync"])


@router.post("/events")
def push_events(data: EventsIn, store: Store = Depends(get_store),
                who: Principal = Depends(require_device)):
    # validate every body first: a malformed batch is refused whole, nothing applied
    errors, models = [], []
    for i, ev in enumerate(data.events):
        model = BODY_MODELS[ev.type]
        models.append(None)
        if model is not None:
            try:
                models[i] = model.model_validate(ev.body)
            except PydanticError as exc:
                errors += [{**e, "loc": ("body", "events", i, "body", *e["loc"])}
                           for e in exc.errors(include_url=False, include_context=False)]
    if errors:
        raise RequestValidationError(errors)
    results = apply_events(store, who, [(ev.id, ev.type, ev.body, ev.created_at) for ev in data.events],
                           models)
    conflicts = [r["id"] for r in results if r["status"] == "conflict"]
    rejected = [r["id"] for r in results if r["status"] == "rejected"]
    payload: dict = {"results": results}
    if conflicts:
        payload["conflicts"] = conflicts
    if rejected:
        payload["rejected"] = rejected
    status = 409 if conflicts else 422 if rejected else 200
    return JSONResponse(payload, status_code=status)
