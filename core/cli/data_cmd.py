"""`butik import products FILE.csv` and `butik export products|customers|stock FILE.csv`."""

from __future__ import annotations

from core.cli.main import add_data_dir
from core.paths import data_dir, server_db_path
from core.progress import cli_progress


def register(sub) -> None:
    imp = sub.add_parser("import", help="import products from CSV",
                         description="Import CSV into the shop's database. Bad rows are reported with "
                                     "line number, field and reason; by default nothing is imported when "
                                     "any row is bad. Re-importing the same file changes nothing.")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = imp_sub.add_parser("products", help="products with barcodes and prices",
                           description="Columns: sku,name_sv (required), name_en, description, unit, kind, "
                                       "stocked, vat_class, category, supplier, cost_price, weight_g, "
                                       "drop_ship, barcodes (space-separated), price, currency, price_list, "
                                       "product_type, parent_sku.")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows and report the bad ones")
    _common(p)
    p.set_defaults(func=run_import)

    exp = sub.add_parser("export", help="export products, customers or stock to CSV",
                         description="Write a CSV file (UTF-8).")
    exp.add_argument("what", choices=["products", "customers", "stock"])
    exp.add_argument("file", metavar="FILE.csv")
    exp.add_argument("--price-list", metavar="CODE", help="price list for the price column (products)")
    _common(exp)
    exp.set_defaults(func=run_export)


def _common(p) -> None:
    add_data_dir(p)
    p.add_argument("--db", metavar="URL", help="database URL (default: the server database in the data folder)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _store(args):
    from core.db import open_store

    return open_store(args.db or server_db_path(data_dir(getattr(args, "data_dir", None))))


def run_import(args) -> int:
    from core.dataio.products_import import import_products

    store = _store(args)
    try:
        with cli_progress("Importing products", enabled=not args.quiet) as progress:
            report = import_products(store, args.file, skip_bad=args.skip_bad, progress=progress)
    finally:
        store.dispose()
    print(report.summary())
    for line, field, reason in report.errors[:100]:
        print(f"  line {line}: {field}: {reason}")
    if len(report.errors) > 100:
        print(f"  … and {len(report.errors) - 100} more")
    return 1 if report.errors else 0


def run_export(args) -> int:
    from core.dataio.export import export_products, export_stock

    store = _store(args)
    try:
        with store.engine.connect() as conn, cli_progress(f"Exporting {args.what}", enabled=not args.quiet) as progress:
            if args.what == "products":
                count = export_products(conn, args.file, args.price_list, progress=progress)
            elif args.what == "stock":
                count = export_stock(conn, args.file, progress=progress)
            else:
                from core.customers.export import export_customers_csv
                count = export_customers_csv(conn, args.file, progress=progress)
    finally:
        store.dispose()
    print(f"Wrote {count:,} {args.what} rows to {args.file}")
    return 0
