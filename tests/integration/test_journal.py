"""The journal's hash chain catches an edited, deleted or inserted entry; XML export; `butik journal`."""

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import text

from core.cli.main import main
from core.sales import journal
from core.sales.payments import Payment
from core.sales.till import Till
from tests.sales_support import NOW, control_unit, setup_shop


@pytest.fixture
def sold(store):
    reg = setup_shop(store)
    till = Till(store, reg, control_unit(), cashier="Anna", clock=lambda: NOW)
    for _ in range(3):
        till.scan("MILK")
        till.complete([Payment("cash", 1800)])
    till.price_enquiry("BOOK")
    with store.read() as s:
        assert journal.verify(s, reg.id) is None
    return reg


def tamper(store, sql, **params):
    with store.write() as s:
        s.execute(text(sql), params)
        s.commit()


def verify(store, reg):
    with store.read() as s:
        return journal.verify(s, reg.id)


def test_an_edited_entry_is_found(store, sold):
    tamper(store, "UPDATE journal_entry SET payload = json_set(payload, '$.total', 1) WHERE seq = 4")
    assert verify(store, sold) == (4, "entry was changed after it was written")


def test_a_deleted_entry_is_found(store, sold):
    tamper(store, "DELETE FROM journal_entry WHERE seq = 3")
    seq, reason = verify(store, sold)
    assert seq == 3 and "missing" in reason


def test_a_deleted_last_entry_is_found(store, sold):
    tamper(store, "DELETE FROM journal_entry WHERE seq = (SELECT max(seq) FROM journal_entry)")
    seq, reason = verify(store, sold)
    assert seq == 7 and "missing at the end" in reason


def test_an_inserted_entry_is_found(store, sold):
    # make room at seq 3 and insert a forged entry there, re-hashing it but not its successors
    tamper(store, "UPDATE journal_entry SET seq = seq + 1000 WHERE seq >= 3")
    tamper(store, "UPDATE journal_entry SET seq = seq - 999 WHERE seq >= 1003")
    with store.read() as s:
        prev = s.execute(text("SELECT hash FROM journal_entry WHERE seq = 2")).scalar()
    at = NOW
    digest = journal.entry_hash(prev, sold.id, 3, at, "price_enquiry", {"sku": "X"})
    tamper(store, "INSERT INTO journal_entry (register_id, seq, at, event_type, payload, prev_hash, hash) "
                  "VALUES (:r, 3, :at, 'price_enquiry', '{\"sku\":\"X\"}', :p, :h)",
           r=sold.id, at=at, p=prev, h=digest)
    seq, reason = verify(store, sold)
    assert seq == 4 and "previous-hash" in reason


def test_export_xml_has_one_element_per_event_named_by_chapter(store, sold, tmp_path):
    with store.read() as s:
        n = journal.export_xml(s, sold.id, tmp_path / "j.xml", {"company": "Butiken AB"})
    root = ET.parse(tmp_path / "j.xml").getroot()
    events = list(root.find("Events"))
    assert n == len(events) == 7
    assert [e.tag for e in events[:2]] == ["RegisterArticle", "Receipt"]
    assert events[-1].tag == "PriceEnquiry" and events[-1].get("chapter") == "Prisförfrågan"
    assert root.find("Header/Company").text == "Butiken AB"
    assert events[1].find("Data/ControlCode").text
    assert events[1].find("PreviousHash").text == events[0].find("Hash").text


def test_cli_verify_and_export(store, sold, tmp_path, capsys):
    db = store.url.removeprefix("sqlite:///")
    assert main(["journal", "verify", "--db", db]) == 0
    assert "KASSA1: journal OK" in capsys.readouterr().out
    assert main(["journal", "export", "--db", db, "--xml", str(tmp_path / "out.xml")]) == 0
    assert (tmp_path / "out.xml").read_text().startswith("<?xml")
    tamper(store, "UPDATE journal_entry SET event_type = 'copy' WHERE seq = 2")
    assert main(["journal", "verify", "--db", db]) == 1
    assert "BROKEN at entry 2" in capsys.readouterr().err


def test_cli_report_x_and_z(store, sold, tmp_path, capsys):
    db = store.url.removeprefix("sqlite:///")
    assert main(["report", "x", "--register", "KASSA1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "X-dagrapport" in out and "Antal kvitton" in out
    assert main(["report", "z", "--register", "KASSA1", "--db", db, "--pdf", str(tmp_path / "z.pdf")]) == 0
    assert "Z-nummer 1" in capsys.readouterr().out
    from pypdf import PdfReader
    assert "Z-dagrapport" in PdfReader(tmp_path / "z.pdf").pages[0].extract_text()
    assert main(["report", "z", "--register", "NOPE", "--db", db]) == 1
