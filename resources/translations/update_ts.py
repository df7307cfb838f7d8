"""Refresh the till's Qt Linguist files from the source and compile them.

Collects every `tr("…")` literal under pos_app/, keeps the translations already in
pos_<lang>.ts, adds new strings as unfinished, drops vanished ones, writes the .ts and runs
`pyside6-lrelease` to make the .qm the till loads. Run: `python resources/translations/update_ts.py`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1] / "pos_app"
LANGUAGES = ("sv", "en")
CONTEXT = "pos"
#: strings passed to tr() indirectly: table column titles and the receipt's payment method names
EXTRA = ["Item", "Qty", "Price", "Discount", "Amount", "Article no.", "Method", "Reference", "Parked",
         "Note", "Cashier", "Lines", "Total", "Name", "Customer no.", "Bought", "Returnable", "Paid",
         "Kontant", "Kort", "Swish", "Presentkort", "Tillgodokvitto"]


def source_strings() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found[node.args[0].value] = None
    for s in EXTRA:
        found[s] = None
    return list(found)


def read_ts(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for msg in ET.parse(path).getroot().iter("message"):
        t = msg.find("translation")
        if t is not None and t.text and t.get("type") not in ("unfinished", "obsolete"):
            out[msg.findtext("source")] = t.text
    return out


def write_ts(path: Path, language: str, strings: list[str], known: dict[str, str]) -> int:
    root = ET.Element("TS", version="2.1", language=language)
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    missing = 0
    for s in strings:
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = s
        t = ET.SubElement(msg, "translation")
        if s in known:
            t.text = known[s]
        elif language == "en":
            t.text = s
        else:
            t.set("type", "unfinished")
            missing += 1
    ET.indent(root)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return missing


def main() -> int:
    strings = source_strings()
    for lang in LANGUAGES:
        ts = HERE / f"pos_{lang}.ts"
        missing = write_ts(ts, lang, strings, read_ts(ts))
        subprocess.run(["pyside6-lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)
        print(f"{ts.name}: {len(strings)} strings, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
