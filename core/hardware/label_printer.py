"""Shipping-label printer port: print a label PDF through CUPS (`lp`) or save it to a folder.

Two kinds, chosen by `LabelPrinterSettings.kind`:
- ``cups``: the PDF is piped to ``lp -d <printer>`` (CUPS converts it for the label printer; media
  and scaling go in `options`, e.g. ``media=Custom.107x251mm``, ``fit-to-page``);
- ``folder``: the PDF is written (atomically) into a folder that a print server, a hot folder of a
  label printer's driver or a person picks up — and what the tests use.
Every failure (no `lp`, CUPS refusing the job, a folder that cannot be written) becomes
`Unavailable` with what to fix. Printing may block for `timeout` seconds: never on the GUI thread.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core.errors import Unavailable, ValidationError

KINDS = ("cups", "folder")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class LabelPrinterSettings:
    """Where labels go (stored as a dict, e.g. in the carrier connection's settings `label_printer`)."""

    kind: str = "folder"
    #: cups: the destination (`lp -d`); empty = the CUPS default printer
    printer: str = ""
    #: folder: where the PDFs are written
    folder: str = ""
    #: cups: `-o` options, e.g. ("media=Custom.107x251mm", "fit-to-page")
    options: tuple[str, ...] = field(default_factory=tuple)
    copies: int = 1
    timeout: float = 30.0
    lp_command: str = "lp"

    @classmethod
    def from_dict(cls, data: dict | None) -> LabelPrinterSettings:
        data = dict(data or {})
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise ValidationError(f"unknown label printer setting(s): {', '.join(sorted(unknown))}",
                                  field="label_printer")
        if "options" in data:
            data["options"] = tuple(str(o) for o in data["options"] or ())
        settings = cls(**data)
        settings.check()
        return settings

    def check(self) -> None:
        if self.kind not in KINDS:
            raise ValidationError(f"unknown label printer kind {self.kind!r}",
                                  field="label_printer.kind", hint="one of " + ", ".join(KINDS))
        if self.kind == "folder" and not self.folder:
            raise ValidationError("a folder printer needs a folder", field="label_printer.folder")
        if isinstance(self.copies, bool) or not isinstance(self.copies, int) or not 1 <= self.copies <= 99:
            raise ValidationError("1–99 copies", field="label_printer.copies")
        for option in self.options:
            if not re.fullmatch(r"[A-Za-z0-9_.-]+(=[^\s]+)?", option):
                raise ValidationError(f"not a CUPS option: {option!r}",
                                      field="label_printer.options", hint="name=value, no spaces")


class LabelPrinter(Protocol):
    def print_pdf(self, pdf: bytes, name: str) -> str:
        """Print (or save) one label; returns the job id or the file written."""


def _down(message: str, hint: str | None = None) -> Unavailable:
    return Unavailable(f"{message} ({hint})" if hint else message)


def _check_pdf(pdf: bytes) -> None:
    if not pdf or not pdf.startswith(b"%PDF-"):
        raise ValidationError("the label is not a PDF", field="pdf")


def safe_name(name: str) -> str:
    return _SAFE.sub("_", name).strip("._")[:80] or "label"


class FolderLabelPrinter:
    """Writes each label as `<name>.pdf` (copies as `<name>-2.pdf`…); a file is never half-written."""

    def __init__(self, settings: LabelPrinterSettings):
        self.settings = settings
        self.folder = Path(settings.folder)

    def print_pdf(self, pdf: bytes, name: str) -> str:
        _check_pdf(pdf)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            written = []
            for copy in range(1, self.settings.copies + 1):
                target = self.folder / f"{safe_name(name)}{'' if copy == 1 else f'-{copy}'}.pdf"
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".label-", suffix=".part")
                try:
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(pdf)
                        fh.flush()
                        os.fsync(fh.fileno())
                    os.replace(tmp, target)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                written.append(str(target))
        except OSError as exc:
            raise _down(f"the label could not be saved in {self.folder}: {exc.strerror or exc}",
                        "check that the folder exists and may be written") from None
        return written[0]


class CupsLabelPrinter:
    """Pipes the PDF to `lp` (CUPS); returns the job id CUPS gives ("request id is X-12")."""

    def __init__(self, settings: LabelPrinterSettings):
        self.settings = settings

    def command(self, name: str) -> list[str]:
        s = self.settings
        cmd = [s.lp_command]
        if s.printer:
            cmd += ["-d", s.printer]
        cmd += ["-n", str(s.copies), "-t", safe_name(name)]
        for option in s.options:
            cmd += ["-o", option]
        return cmd + ["--"]  # no file operands: lp reads the PDF from stdin

    def print_pdf(self, pdf: bytes, name: str) -> str:
        _check_pdf(pdf)
        cmd = self.command(name)
        if shutil.which(cmd[0]) is None:
            raise _down(f"the print command {cmd[0]!r} was not found",
                        "install CUPS (cups-client) or use a folder printer")
        try:
            done = subprocess.run(cmd, input=pdf, capture_output=True,
                                  timeout=self.settings.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise _down(f"the printer did not take the label within {self.settings.timeout:g} s",
                        "check the printer and CUPS") from None
        except OSError as exc:
            raise _down(f"lp could not be started: {exc}") from None
        out = done.stdout.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip() or out or f"exit {done.returncode}"
            raise _down(f"CUPS refused the label: {why[:300]}",
                        "check the printer name (lpstat -p) and that it is enabled")
        found = re.search(r"request id is (\S+)", out)
        return found.group(1) if found else out


def open_label_printer(settings: LabelPrinterSettings | dict | None) -> LabelPrinter:
    """The label printer for these settings (a dict is read with `LabelPrinterSettings.from_dict`)."""
    if not isinstance(settings, LabelPrinterSettings):
        settings = LabelPrinterSettings.from_dict(settings)
    settings.check()
    return CupsLabelPrinter(settings) if settings.kind == "cups" else FolderLabelPrinter(settings)
