"""Printing a saved receipt: the real `Network` driver into a fake port-9100 server on 127.0.0.1;
original once, one KOPIA, never a second; a missing printer loses nothing; drawer only for cash."""

import socket
import threading

import pytest

from core.errors import Conflict, Unavailable
from core.hardware.printer import CP858, ReceiptPrinter
from core.sales.models import SalesReceipt
from core.sales.payments import Payment
from core.sales.printing import print_receipt, receipt_document, unprinted
from core.sales.till import Till
from tests.sales_support import NOW, control_unit, setup_shop

KICK = b"\x1bp\x00\x32\x32"


class FakePrinter:
    """A TCP server that takes one job per connection, like a receipt printer on port 9100."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            data = b""
            with conn:
                while chunk := conn.recv(65536):
                    data += chunk
            self.jobs.append(data)

    def wait(self, n, timeout=5.0):
        import time
        end = time.monotonic() + timeout
        while len(self.jobs) < n and time.monotonic() < end:
            time.sleep(0.01)
        return self.jobs

    def close(self):
        self.sock.close()


@pytest.fixture
def fake():
    f = FakePrinter()
    yield f
    f.close()


@pytest.fixture
def till(store):
    return Till(store, setup_shop(store), control_unit(), cashier="Anna", clock=lambda: NOW)


def net(fake):
    return ReceiptPrinter({"kind": "network", "host": "127.0.0.1", "port": fake.port, "timeout": 2})


def test_network_printer_gets_cp858_receipt_then_one_copy_marked_kopia(store, till, fake):
    till.scan("BOOK")
    done = till.complete([Payment("cash", 25000)])
    printer = net(fake)
    assert print_receipt(store, printer, done.receipt_id) == "original"
    assert print_receipt(store, printer, done.receipt_id) == "copy"
    with pytest.raises(Conflict, match="only one copy"):
        print_receipt(store, printer, done.receipt_id)
    original, copy = fake.wait(2)
    assert original.startswith(b"\x1b@" + CP858)
    assert "Bok om öl".encode("cp858") in original and b"KOPIA" not in original
    assert original.endswith(KICK)  # cash: the drawer opens after the cut
    assert b"KOPIA" in copy and KICK not in copy  # a copy never opens the drawer
    with store.read() as s:
        r = s.get(SalesReceipt, done.receipt_id)
        assert (r.printed_count, r.copy_printed) == (2, True)
    x = till.x_report()
    assert x["copies"] == {"count": 1, "amount": 24900}


def test_card_sale_does_not_kick_but_a_refund_and_no_sale_do(store, till, fake):
    till.scan("MILK")
    card = till.complete([Payment("card", 1790)])
    till.add_return(number=card.number)
    refund = till.complete([Payment("card", -1790)])
    printer = net(fake)
    print_receipt(store, printer, card.receipt_id)
    print_receipt(store, printer, refund.receipt_id)
    till.no_sale("Maria")
    printer.kick_drawer()
    card_job, refund_job, kick_job = fake.wait(3)
    assert KICK not in card_job
    assert refund_job.endswith(KICK)
    assert kick_job == KICK


def test_a_missing_printer_never_loses_the_sale(store, till):
    till.scan("MILK")
    done = till.complete([Payment("card", 1790)])
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = ReceiptPrinter({"kind": "network", "host": "127.0.0.1", "port": port, "timeout": 1})
    with pytest.raises(Unavailable, match="did not answer"):
        print_receipt(store, gone, done.receipt_id)
    assert unprinted(store, till.register.id) == [(done.receipt_id, 1)]
    back = ReceiptPrinter({"kind": "dummy"})
    assert print_receipt(store, back, done.receipt_id) == "original"  # later, as the original
    assert b"KOPIA" not in back.last_output
    assert unprinted(store, till.register.id) == []


def test_e_receipt_as_text_and_pdf(store, till, tmp_path):
    till.scan("TSHIRT-RED")
    done = till.complete([Payment("swish", 19900)])
    text = receipt_document(store, done.receipt_id)
    assert "Elektroniskt kassakvitto" in text and "T-shirt röd" in text and "Swish" in text
    receipt_document(store, done.receipt_id, "pdf", tmp_path / "r.pdf")
    from pypdf import PdfReader
    extracted = PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    for item in ("Butiken AB", "559000-0005", "T-shirt röd", "199,00", "Kontrollkod", "KASSA1"):
        assert item in extracted, item
