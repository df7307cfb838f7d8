"""`butik vat import FILE.csv` and `butik vat list`: VAT rates in the local store."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from core.cli.main import add_data_dir
from core.errors import ValidationError
from core.money import format_rate
from core.paths import server_db_path
from core.vat.models import VatRate


def register(sub) -> None:
    p = sub.add_parser("vat", help="VAT rates: import from CSV, list",
                       description="VAT classes and rates per country with validity dates.")
    cmds = p.add_subparsers(dest="vat_command", metavar="ACTION", required=True)

    imp = cmds.add_parser("import", help="add rates from a CSV file",
                          description="Add VAT rates from a CSV with the header "
                                      "country,vat_class,rate,valid_from,valid_to (rate like 25 or "
                                      "25,5; dates YYYY-MM-DD; valid_to empty = until further notice). "
                                      "Nothing is added if any row is bad; re-importing changes nothing.")
    imp.add_argument("file", metavar="FILE.csv")
    add_data_dir(imp)
    imp.set_defaults(func=_import)

    ls = cmds.add_parser("list", help="list rates", description="List the stored VAT rates.")
    ls.add_argument("--country", metavar="CC", help="only this country (e.g. SE)")
    ls.add_argument("--on", metavar="YYYY-MM-DD", help="only rates valid on this date")
    add_data_dir(ls)
    ls.set_defaults(func=_list)


def _open(args):
    # Imported here so `butik --help` does not pay for opening a database.
    from core.db import open_store
    from core.vat.seed import seed_vat

    store = open_store(server_db_path(getattr(args, "data_dir", None)))
    with store.write() as session:  # a fresh store gets the shipped classes and rates first
        if any(seed_vat(session)):
            session.commit()
    return store


def _import(args) -> int:
    from core.vat.importer import import_rates_csv

    store = _open(args)
    try:
        with store.write() as session:
            added = import_rates_csv(session, args.file)
            session.commit()
    finally:
        store.dispose()
    print(f"{added} VAT rate(s) added")
    return 0


def _list(args) -> int:
    from core.vat.rates import check_country

    query = select(VatRate.country, VatRate.vat_class, VatRate.rate_bp, VatRate.valid_from,
                   VatRate.valid_to).order_by(VatRate.country, VatRate.vat_class, VatRate.valid_from)
    if args.country:
        query = query.where(VatRate.country == check_country(args.country))
    if args.on:
        try:
            on = dt.date.fromisoformat(args.on)
        except ValueError:
            raise ValidationError(f"{args.on!r} is not a date", field="--on", hint="write YYYY-MM-DD") from None
        query = query.where(VatRate.valid_from <= on, or_(VatRate.valid_to.is_(None), VatRate.valid_to >= on))
    store = _open(args)
    try:
        with store.read() as session:
            rows = session.execute(query).all()  # plain rows: they outlive the session
    finally:
        store.dispose()
    print(f"{'country':8}{'class':22}{'rate %':>8}  {'valid from':12}valid to")
    for r in rows:
        until = r.valid_to.isoformat() if r.valid_to else "-"
        print(f"{r.country:8}{r.vat_class:22}{format_rate(r.rate_bp):>8}  {r.valid_from.isoformat():12}{until}")
    return 0
