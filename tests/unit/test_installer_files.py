"""The installer files hold up: .desktop files validate, the udev rule parses, the spec bundles every command.

Also: every `butik …` command shown in the docs and installer/README.md is one the parser accepts,
so the documentation cannot drift from the program. (The bundle itself is built and started by
the CI step `bash installer/build_linux.sh`, not here: it takes minutes.)
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from core.cli.main import COMMAND_MODULES, build_parser

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
DESKTOP_FILES = sorted(INSTALLER.glob("*.desktop"))
DOCS = sorted((ROOT / "docs").glob("*.md")) + [INSTALLER / "README.md"]


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


# --- .desktop files -------------------------------------------------------------------------

def test_there_is_a_desktop_file_for_the_pos_and_the_back_office():
    assert {p.name for p in DESKTOP_FILES} >= {"butik-pos.desktop", "butik-backoffice.desktop"}


@pytest.mark.parametrize("path", DESKTOP_FILES, ids=lambda p: p.name)
def test_desktop_file_passes_desktop_file_validate(path):
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.fail("desktop-file-validate is not installed: apt-get install desktop-file-utils "
                    "(.ci/run installs it)")
    done = subprocess.run([tool, str(path)], check=False, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.parametrize("path", DESKTOP_FILES, ids=lambda p: p.name)
def test_desktop_file_starts_a_real_subcommand(path):
    entry = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    program, command, *_ = shlex.split(entry["Exec"])
    assert program == "butik"
    assert command in subcommands()
    assert entry["Icon"] == "butik" and (INSTALLER / "butik.svg").exists()


# --- udev rule ------------------------------------------------------------------------------

UDEV = INSTALLER / "60-butik-printers.rules"
#: KEY, KEY{attr}; operator; "value" — the shape of every key/value pair in a udev rule
PAIR = re.compile(r'^(?P<key>[A-Z_]+)(\{(?P<attr>[A-Za-z_]+)\})?(?P<op>==|!=|\+=|-=|:=|=)"(?P<value>[^"]*)"$')
MATCH_KEYS = {"ACTION", "SUBSYSTEM", "KERNEL", "ATTR", "ATTRS", "ENV", "DRIVER", "DRIVERS"}
ASSIGN_KEYS = {"MODE", "GROUP", "OWNER", "TAG", "GOTO", "LABEL", "ENV", "SYMLINK"}


def udev_rules() -> list[list[dict]]:
    rules = []
    for number, line in enumerate(UDEV.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pairs = []
        for token in (t.strip() for t in line.split(",")):
            m = PAIR.match(token)
            assert m, f"line {number}: {token!r} is not KEY==\"value\" / KEY=\"value\""
            key, op = m["key"], m["op"]
            if op in ("==", "!="):
                assert key in MATCH_KEYS, f"line {number}: {key} cannot be matched"
            else:
                assert key in ASSIGN_KEYS, f"line {number}: {key} cannot be assigned"
            pairs.append(m.groupdict())
        rules.append(pairs)
    return rules


def test_udev_rule_parses_and_its_goto_has_a_label():
    rules = udev_rules()
    gotos = {p["value"] for r in rules for p in r if p["key"] == "GOTO"}
    labels = {p["value"] for r in rules for p in r if p["key"] == "LABEL"}
    assert gotos <= labels


@pytest.mark.parametrize("vendor", ["04b8", "0519", "1504", "1d90"])  # Epson Star Bixolon Citizen
def test_udev_rule_gives_each_printer_vendor_to_group_lp(vendor):
    matching = [r for r in udev_rules()
                if any(p["attr"] == "idVendor" and p["value"] == vendor for p in r)]
    assert len(matching) == 1
    assigned = {p["key"]: p["value"] for p in matching[0] if p["op"] == "="}
    assert assigned == {"MODE": "0660", "GROUP": "lp"}


def test_udev_rule_covers_the_printer_class_and_usblp():
    text = " ".join(" ".join(p["value"] for p in r) for r in udev_rules())
    assert ":0701??:" in text  # any USB interface of class 07 (printer), subclass 01
    assert "usbmisc" in text   # /dev/usb/lpN from the usblp driver
    assert "to add a printer" in UDEV.read_text().lower()  # the comment on adding a vendor id


# --- PyInstaller spec -----------------------------------------------------------------------

SPEC = INSTALLER / "butik.spec"


def test_spec_bundles_every_command_module():
    """The spec takes COMMAND_MODULES from core/cli/main.py and hands them to hiddenimports."""
    tree = ast.parse(SPEC.read_text())
    imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                for a in n.names}
    assert ("core.cli.main", "COMMAND_MODULES") in imported
    analysis = next(n for n in ast.walk(tree) if isinstance(n, ast.Call)
                    and getattr(n.func, "id", None) == "Analysis")
    hidden = next(k.value for k in analysis.keywords if k.arg == "hiddenimports")
    names = {n.id for n in ast.walk(hidden) if isinstance(n, ast.Name)}
    assert {"COMMAND_MODULES", "LAZY", "UVICORN", "DATABASE", "OURS"} <= names
    for module in COMMAND_MODULES:  # a name PyInstaller could not find would only warn
        assert importlib.util.find_spec(module) is not None, f"{module} does not exist"


def test_spec_ships_migrations_resources_and_escpos_data():
    text = SPEC.read_text()
    assert '"core", "db", "migrations"' in text
    assert '"resources"' in text
    assert 'collect_data_files("escpos")' in text
    for module in ("pos_app.launch", "backoffice.app", "server.app", "uvicorn.loops.auto",
                   "uvicorn.protocols.http.auto", "alembic.context"):
        assert f'"{module}"' in text
        assert importlib.util.find_spec(module) is not None


def test_build_script_is_valid_bash_and_runs_both_smoke_commands():
    script = INSTALLER / "build_linux.sh"
    done = subprocess.run(["bash", "-n", str(script)], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = script.read_text()
    assert '"$BUTIK" --version' in text
    assert '"$BUTIK" demo --no-gui --products 200' in text


# --- Windows installer ----------------------------------------------------------------------

def test_inno_setup_shortcuts_start_real_subcommands():
    text = (INSTALLER / "butik.iss").read_text()
    params = re.findall(r'Filename: "\{app\}\\butikw?\.exe"; Parameters: "([^"]+)"', text)
    assert {p.split()[0] for p in params} >= {"pos", "backoffice", "sync"}
    for p in params:
        build_parser().parse_args(shlex.split(p))  # exits (SystemExit) on an unknown option
    assert "{uninstallexe}" in text and "syncautostart" in text


# --- documentation --------------------------------------------------------------------------

def command_words(line: str) -> list[str] | None:
    """The arguments after `butik` in a shell line, or None when the line does not run butik.

    Leading `sudo -u USER` and VAR=value assignments are skipped; shell plumbing after the command
    (pipes, redirections, &&, comments) is cut off.
    """
    try:
        words = shlex.split(line.strip().removeprefix("$ "), comments=True)
    except ValueError:
        return None
    if words[:2] == ["sudo", "-u"]:
        words = words[3:]
    while words and re.match(r"^[A-Z_]+=", words[0]):
        words = words[1:]
    if not words or not (words[0] == "butik" or words[0].endswith("/butik")):
        return None
    words = words[1:]
    for i, word in enumerate(words):
        if word in ("|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1") or word.startswith((">", "2>")):
            return words[:i]
    return words


def documented_commands() -> list[tuple[str, str]]:
    """(file, line) for each line in a fenced code block of the docs that runs `butik …`."""
    found = []
    for path in DOCS:
        fenced = False
        for line in path.read_text().splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            elif fenced and command_words(line) is not None:
                found.append((path.name, line.strip()))
    return found


def test_the_docs_show_commands():
    files = {f for f, _ in documented_commands()}
    assert {"deployment.md", "user-guide.md", "README.md"} <= files


@pytest.mark.parametrize("where,line", documented_commands(), ids=lambda v: str(v)[:70])
def test_every_documented_command_parses(where, line):
    words = command_words(line)
    try:
        build_parser().parse_args(words)
    except SystemExit as exc:
        if exc.code != 0:  # --help and --version exit 0
            pytest.fail(f"{where}: `{line}` is not a valid butik command")
