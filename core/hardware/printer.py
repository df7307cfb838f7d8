"""Receipt printer and cash drawer: our port over python-escpos (USB, serial, network 9100, file, Dummy).

A job opens a fresh connection, resets the printer, selects code page CP858 (`1b 74 13`, covers
å ä ö and €) before any text, writes the layout, an optional logo, a barcode or QR of the receipt
number, cuts, and (only when asked) kicks the drawer. Every driver error becomes `Unavailable`
with a clear message. Printing is synchronous and may block for the printer's timeout: never call
it on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from core.errors import Unavailable, ValidationError

KINDS = ("usb", "serial", "network", "file", "dummy")
CP858 = b"\x1b\x74\x13"


@dataclass(frozen=True)
class PrinterSettings:
    """The POS's printer and drawer settings (stored as a dict in the POS settings)."""

    kind: str = "dummy"
    host: str = ""
    port: int = 9100
    devfile: str = ""
    baudrate: int = 9600
    vendor_id: int = 0
    product_id: int = 0
    in_ep: int | None = None
    out_ep: int | None = None
    timeout: float = 5.0
    profile: str | None = None
    width: int = 42
    logo: str | None = None
    #: 'barcode', 'qr' or 'none': what encodes the receipt number at the bottom
    code: str = "barcode"
    cut: bool = True
    #: drawer: kick connector pin 2 or 5, pulse on/off time in milliseconds (2 ms units on the wire)
    drawer_pin: int = 2
    drawer_on_ms: int = 100
    drawer_off_ms: int = 100
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> PrinterSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("vendor_id", "product_id"):
            if isinstance(values.get(key), str):
                values[key] = int(values[key], 0)
        s = cls(**values)
        if s.kind not in KINDS:
            raise ValidationError(f"unknown printer kind {s.kind!r}", field="printer.kind",
                                  hint="use one of " + ", ".join(KINDS))
        if s.drawer_pin not in (2, 5):
            raise ValidationError("the drawer is on pin 2 or pin 5", field="printer.drawer_pin")
        if not (0 < s.drawer_on_ms <= 510 and 0 < s.drawer_off_ms <= 510):
            raise ValidationError("drawer pulse times are 2–510 ms", field="printer.drawer_on_ms")
        if s.kind == "usb" and s.timeout <= 0:  # libusb treats 0 as "wait forever"
            raise ValidationError("a USB printer needs a timeout above 0", field="printer.timeout")
        return s

    def describe(self) -> str:
        return {"network": f"network printer {self.host}:{self.port}",
                "usb": f"USB printer {self.vendor_id:04x}:{self.product_id:04x}",
                "serial": f"serial printer {self.devfile}", "file": f"printer device {self.devfile}",
                "dummy": "test printer"}[self.kind]


def drawer_pulse(pin: int, on_ms: int, off_ms: int) -> list[int]:
    """ESC p m t1 t2 — m 0 for pin 2, 1 for pin 5; times in units of 2 ms."""
    return [27, 112, 0 if pin == 2 else 1, max(1, min(255, on_ms // 2)), max(1, min(255, off_ms // 2))]


def open_driver(s: PrinterSettings):
    """A python-escpos printer object for the settings (not connected yet)."""
    from escpos import printer as drivers

    profile = {"profile": s.profile} if s.profile else {}
    if s.kind == "network":
        return drivers.Network(s.host, port=s.port, timeout=s.timeout, **profile)
    if s.kind == "usb":
        kw = {k: v for k, v in (("in_ep", s.in_ep), ("out_ep", s.out_ep)) if v is not None}
        return drivers.Usb(s.vendor_id, s.product_id, timeout=int(s.timeout * 1000), **kw, **profile)
    if s.kind == "serial":
        return drivers.Serial(s.devfile, baudrate=s.baudrate, timeout=s.timeout, **profile)
    if s.kind == "file":
        return drivers.File(s.devfile, **profile)
    return drivers.Dummy(**profile)


class ReceiptPrinter:
    """The port the till prints through. `last_output` keeps a Dummy job's bytes (tests, previews)."""

    def __init__(self, settings: PrinterSettings | dict):
        self.settings = settings if isinstance(settings, PrinterSettings) else PrinterSettings.from_dict(settings)
        self.last_output: bytes = b""

    def _run(self, job) -> bytes:
        s = self.settings
        try:
            p = open_driver(s)
            try:
                job(p)
                output = p.output if s.kind == "dummy" else b""
            finally:
                try:
                    p.close()
                except Exception:  # noqa: BLE001 — a close after a failure must not hide it
                    pass
        except Unavailable:
            raise
        except Exception as exc:
            raise Unavailable(f"{s.describe()} did not answer: {exc}. The sale is saved; "
                              "print the receipt again when the printer is back") from exc
        self.last_output = output
        return output

    def _start(self, p) -> None:
        p.hw("INIT")
        p.charcode("CP858")  # emitted at once: a fresh driver has no code page yet

    def print_layout(self, layout, *, kick: bool = False) -> bytes:
        """Print a receipt or report layout; kick the drawer afterwards only when `kick`."""
        s = self.settings

        def job(p):
            self._start(p)
            if s.logo and Path(s.logo).exists():
                p.image(s.logo, center=True)
            for line in layout:
                if line.kind == "rule":
                    p.set(align="left", bold=False, normal_textsize=True)
                    p.text("-" * s.width + "\n")
                elif line.kind in ("barcode", "qr"):
                    if s.code == "barcode":
                        p.barcode("{B" + line.text, "CODE128", function_type="B", pos="BELOW",
                                  align_ct=True)
                    elif s.code == "qr":
                        p.set(align="center")
                        p.qr(line.text, native=True, size=6)
                    p.set(align="left")
                else:
                    p.set(align=line.align, bold=line.bold, normal_textsize=not line.double,
                          double_height=line.double or None, double_width=line.double or None)
                    p.text(line.text + "\n")
            p.set(align="left", bold=False, normal_textsize=True)
            if s.cut:
                p.cut()
            if kick:
                p.cashdraw(drawer_pulse(s.drawer_pin, s.drawer_on_ms, s.drawer_off_ms))

        return self._run(job)

    def kick_drawer(self) -> bytes:
        s = self.settings
        return self._run(lambda p: p.cashdraw(drawer_pulse(s.drawer_pin, s.drawer_on_ms,
                                                           s.drawer_off_ms)))

    def test_print(self) -> bytes:
        """A short page to check the settings: the Swedish letters and € must print right."""
        from core.sales.receipt_layout import Line

        return self.print_layout([Line("Butik testutskrift", bold=True, double=True, align="center"),
                                  Line(self.settings.describe(), align="center"),
                                  Line("å ä ö Å Ä Ö € 123,45"), Line(kind="rule"),
                                  Line("TEST-1", kind="barcode")])
