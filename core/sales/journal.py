"""The journal (journalminne): an append-only, hash-chained log of every event at a register.

Each entry's hash is SHA-256 over the previous entry's hash followed by the canonical JSON of the
entry (register, seq, time, type, payload). The register's counters row keeps the head (last seq
and hash) in the same transaction, so `verify` detects an edited, deleted or inserted entry, and
also entries cut off the end. Event types follow the chapters of SKVFS 2021:16's journal export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.sales.models import JournalEntry, RegisterCounters
from core.sync.outbox import canonical_json

#: event type → (XML element, Swedish chapter name). The first group follows SKVFS 2021:16.
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "register_article": ("RegisterArticle", "Registrera artikel"),
    "change_registered_article": ("ChangeRegisteredArticle", "Ändra registrerad artikel"),
    "delete_registered_article": ("DeleteRegisteredArticle", "Radera registrerad artikel"),
    "park_sale": ("ParkArticle", "Parkera artikel"),
    "open_parking": ("OpenParking", "Öppna parkering"),
    "delete_parked_article": ("DeleteParkedArticle", "Radera parkerad artikel"),
    "close_parking": ("CloseParking", "Stäng parkering"),
    "drawer_opened_no_sale": ("DrawerOpenedNoSale", "Kassalåda öppnad utan försäljning"),
    "use_of_clear": ("UseOfClear", "Användning av rensa"),
    "price_enquiry": ("PriceEnquiry", "Prisförfrågan"),
    "discount": ("Discount", "Rabatt"),
    "price_override": ("PriceOverride", "Prisändring"),
    "customer": ("Customer", "Kund"),
    "receipt": ("Receipt", "Kvitto"),
    "return": ("Return", "Returkvitto"),
    "training": ("Training", "Övningskvitto"),
    "copy": ("Copy", "Kopia"),
    "print": ("Print", "Utskrift"),
    "x_report": ("XReport", "X-dagrapport"),
    "z_report": ("ZReport", "Z-dagrapport"),
    "shift_open": ("ShiftOpen", "Skift öppnat"),
    "shift_close": ("ShiftClose", "Skift stängt"),
    "float_change": ("FloatChange", "Växelkassa ändrad"),
    "settings_change": ("SettingsChange", "Ändrade inställningar"),
    "price_change": ("PriceChange", "Prisändring i register"),
    "login": ("Login", "Inloggning"),
}

GENESIS = "0" * 64


def entry_hash(prev_hash: str, register_id: int, seq: int, at: dt.datetime, event_type: str,
               payload: dict) -> str:
    body = canonical_json({"register_id": register_id, "seq": seq, "at": at.isoformat(),
                           "event_type": event_type, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def counters(session: Session, register_id: int) -> RegisterCounters:
    """The register's counters row, created on first use (inside the caller's write)."""
    row = session.get(RegisterCounters, register_id)
    if row is None:
        row = RegisterCounters(register_id=register_id, next_receipt_no=1, next_z_no=1, day={},
                               grand_sales=0, grand_returns=0, journal_seq=0, journal_head=GENESIS)
        session.add(row)
        session.flush()
    return row


def append(session: Session, register_id: int, event_type: str, payload: dict | None = None,
           at: dt.datetime | None = None) -> JournalEntry:
    """Append one entry inside the caller's unit of work (the caller commits)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown journal event type {event_type!r}")
    head = counters(session, register_id)
    payload = json.loads(canonical_json(payload or {}))
    at = at or utcnow()
    seq = head.journal_seq + 1
    prev = head.journal_head or GENESIS
    digest = entry_hash(prev, register_id, seq, at, event_type, payload)
    entry = JournalEntry(register_id=register_id, seq=seq, at=at, event_type=event_type,
                         payload=payload, prev_hash=prev, hash=digest)
    session.add(entry)
    head.journal_seq, head.journal_head = seq, digest
    return entry


def verify(conn: Connection | Session, register_id: int) -> tuple[int, str] | None:
    """None when the chain is whole, else (seq, reason) of the first broken entry."""
    t = JournalEntry.__table__
    rows = conn.execute(select(t.c.seq, t.c.at, t.c.event_type, t.c.payload, t.c.prev_hash, t.c.hash)
                        .where(t.c.register_id == register_id).order_by(t.c.seq))
    expected_seq, prev = 1, GENESIS
    for seq, at, event_type, payload, prev_hash, digest in rows:
        if seq > expected_seq:
            return expected_seq, f"entries {expected_seq}–{seq - 1} are missing (deleted)"
        if seq < expected_seq:
            return seq, "duplicate sequence number (inserted entry)"
        if prev_hash != prev:
            return seq, "previous-hash does not match the entry before (inserted or deleted entry)"
        if entry_hash(prev_hash, register_id, seq, at, event_type, payload) != digest:
            return seq, "entry was changed after it was written"
        expected_seq, prev = seq + 1, digest
    c = RegisterCounters.__table__
    head = conn.execute(select(c.c.journal_seq, c.c.journal_head)
                        .where(c.c.register_id == register_id)).first()
    last = expected_seq - 1
    if head is not None and (head.journal_seq != last or (last and head.journal_head != prev)):
        if head.journal_seq > last:
            return last + 1, f"entries {last + 1}–{head.journal_seq} are missing at the end"
        return last, "the journal does not end where the register's counters say (inserted entry)"
    return None


def export_xml(conn: Connection | Session, register_id: int, path: str | Path,
               header: dict | None = None) -> int:
    """Write the register's journal as XML, one element per event named after its chapter."""
    t = JournalEntry.__table__
    root = ET.Element("Journal", {"format": "SKVFS 2021:16", "registerId": str(register_id)})
    head = ET.SubElement(root, "Header")
    for key, value in (header or {}).items():
        ET.SubElement(head, _tag(key)).text = "" if value is None else str(value)
    ET.SubElement(head, "ExportedAt").text = utcnow().isoformat(timespec="seconds")
    events = ET.SubElement(root, "Events")
    count = 0
    for seq, at, event_type, payload, prev_hash, digest in conn.execute(
            select(t.c.seq, t.c.at, t.c.event_type, t.c.payload, t.c.prev_hash, t.c.hash)
            .where(t.c.register_id == register_id).order_by(t.c.seq)):
        element, chapter = EVENT_TYPES.get(event_type, (_tag(event_type), event_type))
        ev = ET.SubElement(events, element, {"seq": str(seq), "time": at.isoformat(),
                                             "chapter": chapter})
        _payload(ET.SubElement(ev, "Data"), payload)
        ET.SubElement(ev, "PreviousHash").text = prev_hash
        ET.SubElement(ev, "Hash").text = digest
        count += 1
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return count


def _tag(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in str(key).split("_")) or "Value"


def _payload(parent: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _payload(ET.SubElement(parent, _tag(key) if str(key)[:1].isalpha() else "Item",
                                   {} if str(key)[:1].isalpha() else {"key": str(key)}), item)
    elif isinstance(value, list):
        for item in value:
            _payload(ET.SubElement(parent, "Item"), item)
    elif value is not None:
        parent.text = str(value)
