"""State flows down: the change feed and keyset-paged snapshots of the synced tables (objects, or compact rows)."""

from __future__ import annotations

import gzip
import json
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from core.auth.service import Principal
from core.db import Store
from core.db.schema import load_all
from core.errors import NotFound, ValidationError
from core.sync import tables as synced
from core.sync.changelog import current_seq, scoped_changes
from server.auth import get_store, principal
from server.db import read
from server.rows import ROWS_PAGE, ROWS_PAGE_MAX, page, parse_after, rows_page

router = APIRouter(prefix="/api/v1", tags=["sync"], dependencies=[Depends(principal)])


def _json(payload: dict) -> Response:
    # rows are already JSON-ready: skip FastAPI's slow generic encoder on big pages
    return Response(json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
                    media_type="application/json")


def _scope(who: Principal) -> str:
    return synced.scope_of(who.kind, who.device_kind, who.has_role("manager"))


@router.get("/changes")
def changes(after: int = Query(0, ge=0, le=2 ** 63 - 1), limit: int = Query(1000, ge=1, le=5000),
            store: Store = Depends(get_store), who: Principal = Depends(principal)):
    tables = synced.SCOPES[_scope(who)]
    rows, cursor, more = read(store, lambda s: scoped_changes(s, after, limit, tables))
    return _json({"changes": rows, "last_seq": cursor, "more": more})


@router.get("/snapshot/tables")
def snapshot_tables(store: Store = Depends(get_store), who: Principal = Depends(principal)):
    seq = read(store, current_seq)
    return {"tables": synced.present(load_all().metadata, _scope(who)), "seq": seq, "scope": _scope(who)}


#: compress a compact page only when it is at least this big, and only this hard (fast level)
GZIP_MIN, GZIP_LEVEL = 8 * 1024, 1


@router.get("/snapshot/{table}")
def snapshot(request: Request, table: str, after: str | None = Query(None, max_length=1000),
             limit: int | None = Query(None, ge=1, le=ROWS_PAGE_MAX),
             format: Literal["objects", "rows"] = Query("objects"),
             store: Store = Depends(get_store), who: Principal = Depends(principal)):
    metadata = load_all().metadata
    if table not in synced.SCOPES[_scope(who)] or table not in metadata.tables:
        raise NotFound(f"{table!r} is not a synced table", field="table",
                       hint="GET /api/v1/snapshot/tables lists them")
    tbl = metadata.tables[table]
    cursor = parse_after(tbl, after)
    if format == "rows":
        private = synced.PRIVATE_COLUMNS.get(table, frozenset())
        names, body, nxt = read(store, lambda s: rows_page(s, tbl, cursor, limit or ROWS_PAGE, private))
        return _compact(request, names, body, nxt)
    if limit is not None and limit > 5000:
        raise ValidationError("limit may be at most 5000 for format=objects", field="limit",
                              hint="use format=rows for bigger pages")
    rows, nxt = read(store, lambda s: page(s, tbl, cursor, limit or 1000))
    return _json({"rows": [synced.public_row(table, r) for r in rows], "next": nxt})


def _compact(request: Request, names: list[str], rows_json: str, nxt) -> Response:
    """`{"columns":[…],"next":…,"rows":[[…],…]}` — rows last, gzip when the client accepts it."""
    head = json.dumps({"columns": names, "next": nxt}, separators=(",", ":"), ensure_ascii=False)
    data = (head[:-1] + ',"rows":' + rows_json + "}").encode()
    headers = {}
    if len(data) >= GZIP_MIN and "gzip" in request.headers.get("accept-encoding", "").lower():
        data = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(data, media_type="application/json", headers={**headers, "Vary": "Accept-Encoding"})
