"""Declarative base shared by every area's tables, with stable constraint names for Alembic."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    """Timestamps are stored as naive UTC (portable across SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class UuidPk:
    """Primary key as a UUID string: for things that can be born on any device (customers, receipts)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
