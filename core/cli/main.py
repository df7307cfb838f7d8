"""`butik` entry point: builds the argument parser from each command module and maps errors to exit codes.

Exit codes: 0 ok, 1 failure (a clear message on stderr), 2 usage (argparse).
Commands that need Qt or the server import them lazily, so `core` itself never imports PySide6.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from sqlalchemy.exc import DBAPIError, OperationalError

from core import __version__
from core.errors import ButikError

#: Modules under core.cli that each define `register(subparsers)`.
COMMAND_MODULES = [
    "core.cli.demo_cmd",
    "core.cli.data_cmd",
    "core.cli.bench_cmd",
    "core.cli.server_cmd",
    "core.cli.report_cmd",
    "core.cli.journal_cmd",
    "core.cli.vat_cmd",
    "core.cli.sync_cmd",
    "core.cli.pos_cmd",
    "core.cli.backoffice_cmd",
    "core.cli.ledger_cmd",
    "core.cli.integrations_cmd",
]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="butik", description="Butik — omnichannel retail: POS, back office, server, sync node.")
    parser.add_argument("--version", action="version", version=f"butik {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="data folder (default: $BUTIK_DATA_DIR or the platform's data folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command whose area is not installed yet
            if not name.startswith(exc.name or "\0"):
                raise
            continue
        module.register(sub)
    return parser


def add_data_dir(p: argparse.ArgumentParser) -> None:
    """Let `--data-dir` also follow the subcommand (`butik demo --data-dir X`)."""
    p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                   help="data folder (default: $BUTIK_DATA_DIR or the platform's data folder)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not args.verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except ButikError as exc:
        print(f"butik: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except DBAPIError as exc:  # the database did not answer or refused us: say so, no traceback
        if not isinstance(exc, OperationalError):
            raise
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"butik: cannot use the database: {reason}", file=sys.stderr)
        return EXIT_FAILURE
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"butik: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("butik: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
