"""`butik bench NAME`: run a benchmark from bench/ and print its figures (JSON with --json)."""

from __future__ import annotations

import importlib
import json
import sys

from core.cli.main import add_data_dir

#: benchmark name → module under bench/ with add_arguments(parser) and run(args) -> dict
BENCHES = ["catalog", "sync", "pos", "backoffice", "stock", "ledger", "integrations"]


def register(sub) -> None:
    p = sub.add_parser("bench", help="run a benchmark and print its figures",
                       description="Run a benchmark with generated data; figures go to stdout.")
    benches = p.add_subparsers(dest="bench", metavar="NAME", required=True)
    for name in BENCHES:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if not f"bench.{name}".startswith(exc.name or "\0"):
                raise
            continue
        bp = benches.add_parser(name, help=(module.__doc__ or "").strip().splitlines()[0],
                                description=module.__doc__)
        bp.add_argument("--json", action="store_true", help="print one JSON object")
        add_data_dir(bp)
        module.add_arguments(bp)
        bp.set_defaults(func=_runner(module))


def _runner(module):
    def run(args) -> int:
        figures = module.run(args)
        if args.json:
            print(json.dumps(figures, sort_keys=True))
        else:
            for key, value in figures.items():
                print(f"{key:32} {value}")
        sys.stdout.flush()
        return 0
    return run
