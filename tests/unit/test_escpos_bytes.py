"""ESC/POS bytes through python-escpos's Dummy: CP858 first, Swedish letters and €, KOPIA, drawer pulses."""

import pytest

from core.errors import Unavailable, ValidationError
from core.hardware.printer import CP858, PrinterSettings, ReceiptPrinter, drawer_pulse
from core.sales.receipt_layout import Line, receipt_layout
from tests.unit.test_receipt_layout import BODY, HEADER


def dummy(**kw):
    return ReceiptPrinter(dict(kind="dummy", **kw))


def test_every_job_starts_with_init_and_cp858_before_any_text():
    p = dummy()
    out = p.print_layout([Line("å ä ö €")])
    assert out.startswith(b"\x1b@" + CP858)
    assert "å ä ö €".encode("cp858") in out  # 86 20 84 20 94 20 d5
    assert b"\x86 \x84 \x94 \xd5" in out
    again = p.print_layout([Line("Å")])  # a second job selects the code page again
    assert again.startswith(b"\x1b@" + CP858)


def test_receipt_bytes_carry_the_content_and_a_cut():
    out = dummy().print_layout(receipt_layout(BODY, HEADER))
    for text in ("Butiken AB", "Kvitto nr", "KASSA1", "T-shirt röd", "526,10", "ABCD1234-EF"):
        assert text.encode("cp858") in out
    assert b"\x1dk" in out and b"{BKASSA1/42" in out  # CODE128 of the receipt number
    assert out.endswith(b"\x1dV\x00")  # cut, no drawer pulse
    assert b"\x1bp" not in out


def test_copy_is_marked_kopia_in_double_size():
    out = dummy().print_layout(receipt_layout(BODY, HEADER, copy=True))
    at = out.index(b"KOPIA")
    assert b"\x1b!\x30" in out[:at]  # double height + width selected before it


def test_drawer_kick_bytes_only_when_asked_with_pin_and_timing():
    assert b"\x1bp\x00\x32\x32" in dummy().print_layout([Line("x")], kick=True)
    assert dummy(drawer_pin=5, drawer_on_ms=50, drawer_off_ms=500).kick_drawer() == b"\x1bp\x01\x19\xfa"
    assert drawer_pulse(2, 100, 100) == [27, 112, 0, 50, 50]


def test_qr_code_when_chosen():
    out = dummy(code="qr").print_layout([Line("KASSA1/42", kind="qr")])
    assert b"\x1d(k" in out and b"KASSA1/42" in out


def test_bad_settings_are_refused_with_the_field():
    with pytest.raises(ValidationError) as e:
        PrinterSettings.from_dict({"kind": "laser"})
    assert e.value.field == "printer.kind"
    with pytest.raises(ValidationError):
        PrinterSettings.from_dict({"kind": "dummy", "drawer_pin": 3})
    with pytest.raises(ValidationError):
        PrinterSettings.from_dict({"kind": "usb", "timeout": 0})


def test_a_printer_that_is_not_there_raises_unavailable():
    p = ReceiptPrinter({"kind": "file", "devfile": "/nonexistent/dir/lp0"})
    with pytest.raises(Unavailable, match="sale is saved"):
        p.print_layout([Line("x")])
