"""The label printer port: folder printer (atomic files, copies) and the CUPS `lp` adapter (a fake lp)."""

from __future__ import annotations

import os
import stat

import pytest

from core.errors import Unavailable, ValidationError
from core.hardware.label_printer import LabelPrinterSettings, open_label_printer

PDF = b"%PDF-1.4\n% label\n"


def test_folder_printer_writes_each_copy_whole(tmp_path):
    printer = open_label_printer({"kind": "folder", "folder": str(tmp_path / "out"), "copies": 2})
    first = printer.print_pdf(PDF, "label 1001/1 ÅÄ")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["label_1001_1-2.pdf", "label_1001_1.pdf"]
    assert all((tmp_path / "out" / f).read_bytes() == PDF for f in files)
    assert first.endswith(".pdf") and not any(f.endswith(".part") for f in files)


def test_settings_are_checked():
    for bad in ({"kind": "laser"}, {"kind": "folder"}, {"kind": "cups", "copies": 0},
                {"kind": "cups", "options": ["media=A6; rm -rf"]}, {"kind": "cups", "colour": 1}):
        with pytest.raises(ValidationError):
            LabelPrinterSettings.from_dict(bad)
    with pytest.raises(ValidationError):
        open_label_printer({"kind": "folder", "folder": "/tmp"}).print_pdf(b"not a pdf", "x")


def _fake_lp(tmp_path, body: str) -> str:
    script = tmp_path / "lp"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_cups_printer_pipes_the_pdf_to_lp(tmp_path):
    got = tmp_path / "got.pdf"
    args = tmp_path / "args"
    lp = _fake_lp(tmp_path, f'echo "$@" > {args}\ncat > {got}\necho "request id is Zebra-42 (1 file(s))"\n')
    printer = open_label_printer({"kind": "cups", "printer": "Zebra", "lp_command": lp,
                                  "options": ["media=Custom.107x251mm", "fit-to-page"]})
    assert printer.print_pdf(PDF, "label-1001-1") == "Zebra-42"
    assert got.read_bytes() == PDF
    assert args.read_text().split() == ["-d", "Zebra", "-n", "1", "-t", "label-1001-1", "-o",
                                        "media=Custom.107x251mm", "-o", "fit-to-page", "--"]


def test_cups_refusal_and_missing_lp_are_unavailable(tmp_path):
    lp = _fake_lp(tmp_path, 'cat > /dev/null\necho "lp: The printer or class does not exist." >&2\nexit 1\n')
    with pytest.raises(Unavailable, match="does not exist"):
        open_label_printer({"kind": "cups", "printer": "Nope", "lp_command": lp}).print_pdf(PDF, "x")
    with pytest.raises(Unavailable, match="not found"):
        open_label_printer({"kind": "cups", "lp_command": os.fspath(tmp_path / "no-lp")}
                           ).print_pdf(PDF, "x")
