"""ledger: the immutability triggers stand aside on an enrolled replica (SQLite only)

Revision ID: 0004
Revises: 0003

A back-office workstation's replica mirrors the server's ledger (core/sync/tables.py). Applying
the change feed is an idempotent `INSERT … ON CONFLICT DO UPDATE`, and a re-sent voucher row
conflicts with itself, which fires the UPDATE trigger of 0003; a unique clash during a replay may
also remove a stale row. So on SQLite the four triggers are recreated with a condition: they
refuse as before everywhere except in a database enrolled with a server (a `sync_state` row with
key 'server_url', core/sync/state.py SERVER_URL), which only mirrors what the server posted.
The ORM still refuses any change to a voucher everywhere (core/ledger/models.py).

PostgreSQL is never a replica: its trigger from 0003 stays untouched.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("voucher", "voucher_row")
ACTIONS = ("UPDATE", "DELETE")
MESSAGE = "a posted voucher cannot be changed or deleted; post a reversing voucher"
#: the key enrolment writes (core.sync.state.SERVER_URL); literal here, as migrations are frozen
NOT_A_REPLICA = "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'server_url')"


def _recreate(condition: str) -> None:
    for table in TABLES:
        for action in ACTIONS:
            name = f"{table}_no_{action.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} BEFORE {action} ON {table} {condition}"
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(f"FOR EACH ROW WHEN {NOT_A_REPLICA} ")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate("")
