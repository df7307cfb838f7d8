"""The central server's FastAPI application: `create_app(store)` wires routes, auth and error handling."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from core import __version__
from core.db import Store
from core.sync.changelog import enable_capture
from server import errors
from server.ledger_job import start_job
from server.routes import auth, commands, events, feed, giftcards, numbers, stock
from server.schemas import MAX_EVENTS_BYTES

log = logging.getLogger("server")


def prepare_database(store: Store) -> None:
    """Server start-up on a migrated database: change capture on, VAT tables seeded when empty."""
    with store.write() as session:
        enable_capture(session)
        session.commit()
    try:
        from core.vat.models import VatClass
        from core.vat.seed import seed_vat
    except ModuleNotFoundError:  # the VAT area is not installed
        return
    with store.write() as session:
        if not session.scalar(select(func.count()).select_from(VatClass)):
            seed_vat(session)
            session.commit()
            log.info("seeded the VAT classes and rates")


def create_app(store: Store, *, prepare: bool = True, ledger_job: bool = True) -> FastAPI:
    if prepare:
        prepare_database(store)
    app = FastAPI(title="Butik server", version=__version__,
                  description="Central authority for stock, numbers and documents. "
                              "Contract: server/API.md.")
    app.state.store = store
    errors.install(app)

    @app.middleware("http")
    async def _limit_event_batches(request: Request, call_next):
        if request.url.path == "/api/v1/events":
            size = request.headers.get("content-length")
            if size and size.isdigit() and int(size) > MAX_EVENTS_BYTES:
                return JSONResponse(errors.body("validation_error",
                                                f"a batch may be at most {MAX_EVENTS_BYTES} bytes",
                                                "events"), status_code=422)
        return await call_next(request)

    @app.get("/health", tags=["health"])
    def health():
        return {"status": "ok", "version": __version__, "db": store.engine.dialect.name}

    for module in (auth, feed, events, stock, numbers, giftcards, commands):
        app.include_router(module.router)
    # bookkeeping that writes itself: posts Z-reports, invoices… a few seconds after they arrive
    app.state.ledger_job = start_job(store, owner=app) if ledger_job else None
    return app
