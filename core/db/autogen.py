"""Developer tool: regenerate the initial migration (0001) from the models.

Only until the first release ships a database: after that, every schema change is a new migration.
Run: python -m core.db.autogen
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from pathlib import Path

from alembic import command

from core.db.autogen_split import split
from core.db.engine import make_engine, sqlite_url
from core.db.migrate import MIGRATIONS, alembic_config

INITIAL = "0001"


def main() -> None:
    lock = open(MIGRATIONS / ".autogen.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # helpers may regenerate at once
    versions = MIGRATIONS / "versions"
    with tempfile.TemporaryDirectory() as tmp:
        # the old 0001 is kept aside and put back if generation fails
        backup = Path(tmp) / "backup"
        backup.mkdir()
        for old in versions.glob(f"{INITIAL}_*.py"):
            shutil.move(str(old), backup / old.name)
        # later hand-written migrations (0002…) point at 0001: park them while 0001 is rewritten
        parked = Path(tmp) / "parked"
        parked.mkdir()
        later = [p for p in versions.glob("*.py")]
        for p in later:
            shutil.move(str(p), parked / p.name)
        try:
            engine = make_engine(sqlite_url(Path(tmp) / "empty.sqlite"))
            cfg = alembic_config(engine)
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id=INITIAL)
        except BaseException:
            for p in versions.glob(f"{INITIAL}_*.py"):
                p.unlink()
            for p in backup.iterdir():
                shutil.move(str(p), versions / p.name)
            raise
        finally:
            for p in parked.iterdir():
                shutil.move(str(p), versions / p.name)
    initial = next(versions.glob(f"{INITIAL}_*.py"))
    parts = split(initial)
    print("wrote", initial, "and", len(parts), "parts in", parts[0].parent)


if __name__ == "__main__":
    main()
