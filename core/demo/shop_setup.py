"""Setting up the demo webshops in the demo database: which channel and price list per shop, order ids, secrets."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from core.db import Store
from core.errors import UserError
from core.integrations.connections import SECRETS_FILE_ENV
from core.integrations.models import IntegrationConnection, WebshopOrder

SECRETS_FILE_NAME = "demo-integration-secrets.json"
#: (our channel code, price list code, buffer per item in thousandths) of shop 1, 2; more: RETAIL
SHOP_PLAN = [("WEB", "RETAIL", 0), ("WEB-EU", "EUR", 1000)]
LOCATION = "LAGER"


@dataclass(frozen=True)
class Planned:
    channel_id: int
    channel_code: str
    channel_name: str
    price_list_id: int
    price_list_code: str
    currency: str
    buffer: int


def shop_plan(store: Store, count: int) -> list[Planned]:
    """Our channel and price list per shop, from the demo data (shops 3+ get a new channel)."""
    from core.company.models import Channel
    from core.company.setup import add_channel
    from core.inventory.models import Location
    from core.pricing.lists import assign_channel
    from core.pricing.models import PriceList

    missing = UserError("the demo webshops need the demo shop's channels WEB and WEB-EU, price "
                        "lists RETAIL and EUR and the warehouse LAGER", field="shops",
                        hint="rebuild the demo (butik demo --rebuild) or use --shops 0")
    with store.write() as s:
        loc = s.scalar(select(Location.id).where(Location.code == LOCATION))
        lists = {pl.code: pl for pl in s.scalars(select(PriceList))}
        if loc is None or "RETAIL" not in lists:
            raise missing
        plan = []
        for i in range(count):
            code, pl_code, buffer = SHOP_PLAN[i] if i < len(SHOP_PLAN) else (f"WEB{i + 1}",
                                                                              "RETAIL", 0)
            ch = s.scalar(select(Channel).where(Channel.code == code))
            if ch is None and i < len(SHOP_PLAN):
                raise missing
            if ch is None:
                ch = add_channel(s, code=code, name=f"Webbshop {i + 1} (demo)", kind="webshop",
                                 location_id=loc)
                assign_channel(s, lists["RETAIL"].id, ch.id)
            pl = lists.get(pl_code)
            if pl is None:
                raise missing
            plan.append(Planned(ch.id, code, ch.name, pl.id, pl.code, pl.currency, buffer))
        s.commit()
    return plan


def next_order_ids(store: Store, codes: list[str]) -> dict[str, int]:
    """Above every shop order id imported before: a restarted simulator must not reuse them."""
    with store.read() as s:
        rows = s.execute(select(IntegrationConnection.code, WebshopOrder.shop_order_id)
                         .join(WebshopOrder, WebshopOrder.connection_id == IntegrationConnection.id)
                         .where(IntegrationConnection.code.in_(codes))).all()
    top: dict[str, int] = {}
    for code, shop_id in rows:
        if shop_id.isdigit():
            top[code] = max(top.get(code, 0), int(shop_id))
    return {code: top.get(code, 1000) + 1 for code in codes}


def secrets_env(store: Store, secrets_file: Path | None) -> Callable[[], None]:
    """Point the secrets-file fallback at the demo's file (unless already set); returns the undo."""
    before = os.environ.get(SECRETS_FILE_ENV)
    if secrets_file is None:
        if (before or "").strip():
            return lambda: None
        db = store.engine.url.database
        if not store.is_sqlite or not db or db == ":memory:":
            raise UserError("the demo webshops keep their secrets beside a SQLite database file",
                            field="secrets_file", hint=f"set {SECRETS_FILE_ENV}")
        secrets_file = Path(db).resolve().parent / SECRETS_FILE_NAME
    os.environ[SECRETS_FILE_ENV] = str(secrets_file)

    def restore() -> None:
        if before is None:
            os.environ.pop(SECRETS_FILE_ENV, None)
        else:
            os.environ[SECRETS_FILE_ENV] = before
    return restore
