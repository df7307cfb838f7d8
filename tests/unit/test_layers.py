"""core/ and server/ never import Qt: the library must run in the server and the sync node."""

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> list[str]:
    names = [package]
    for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
        if ".migrations." in info.name or info.name.endswith("autogen"):
            continue
        names.append(info.name)
    return names


def test_core_and_server_do_not_import_pyside6():
    modules = _modules("core") + _modules("server")
    code = ("import sys, importlib\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_source_line_in_core_or_server_imports_pyside6():
    offenders = [str(p) for d in ("core", "server") for p in (ROOT / d).rglob("*.py")
                 if any(line.strip().startswith(("import PySide6", "from PySide6"))
                        for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []
