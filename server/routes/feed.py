"""State flows down: the change feed and keyset-paged snapshots of the synced tables."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from core.db import Store
from core.db.schema import load_all
from core.errors import NotFound
from core.sync import tables as synced
from core.sync.changelog import changes_after, current_seq
from server.auth import get_store, principal
from server.db import read
from server.rows import page, parse_after

router = APIRouter(prefix="/api/v1", tags=["sync"], dependencies=[Depends(principal)])


def _json(payload: dict) -> Response:
    # rows are already JSON-ready: skip FastAPI's slow generic encoder on big pages
    return Response(json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
                    media_type="application/json")


@router.get("/changes")
def changes(after: int = Query(0, ge=0, le=2 ** 63 - 1), limit: int = Query(1000, ge=1, le=5000),
            store: Store = Depends(get_store)):
    rows, more = read(store, lambda s: changes_after(s, after, limit))
    return _json({"changes": rows, "last_seq": rows[-1]["seq"] if rows else after, "more": more})


@router.get("/snapshot/tables")
def snapshot_tables(store: Store = Depends(get_store)):
    seq = read(store, current_seq)
    return {"tables": synced.present(load_all().metadata), "seq": seq}


@router.get("/snapshot/{table}")
def snapshot(table: str, after: str | None = Query(None, max_length=1000),
             limit: int = Query(1000, ge=1, le=5000), store: Store = Depends(get_store)):
    metadata = load_all().metadata
    if table not in synced.SYNCED or table not in metadata.tables:
        raise NotFound(f"{table!r} is not a synced table", field="table",
                       hint="GET /api/v1/snapshot/tables lists them")
    tbl = metadata.tables[table]
    cursor = parse_after(tbl, after)
    rows, nxt = read(store, lambda s: page(s, tbl, cursor, limit))
    return _json({"rows": [synced.public_row(table, r) for r in rows], "next": nxt})
