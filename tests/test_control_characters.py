"""Control characters in file names, school names and documents never reach a terminal, a CSV or XML raw.

A file named `x<ESC>[2J<ESC>]0;pwned<BEL>.txt` (made for real on disk) would
clear the screen and set the terminal title when its name is printed; school
names with escapes did the same in `report --since` and reached schools.csv.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from noticecheck.cli import main
from helpers import school_record
from noticecheck.scan.store import SchoolRecord, Store

HOSTILE = "x\x1b[2J\x1b]0;pwned\x07"
RAW = ("\x1b", "\x07")
NOTICE = "Privacy notice\n\nWe are the data controller for the information we hold about pupils.\n"


@pytest.fixture
def hostile_files(tmp_path):
    readable = tmp_path / f"{HOSTILE}.txt"
    readable.write_text(NOTICE, encoding="utf-8")
    broken = tmp_path / f"{HOSTILE}.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    return readable, broken


def _run(*args: str):
    return CliRunner().invoke(main, ["check", "--isolated", "--no-color", "--fail-on", "none", *args])


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "markdown"])
def test_terminal_formats_show_control_characters_escaped(hostile_files, fmt):
    readable, broken = hostile_files
    result = _run("--format", fmt, str(readable), str(broken))
    for stream in (result.stdout, result.stderr):
        assert not any(c in stream for c in RAW), repr(stream[:300])
    assert "\\x1b[2J" in result.stdout + result.stderr
    assert "unreadable" in result.stderr  # the status line names the broken file, escaped


def test_junit_is_well_formed_whatever_the_file_name(hostile_files, tmp_path):
    readable, broken = hostile_files
    bell = tmp_path / "bell\x07\x01name.txt"
    bell.write_text(NOTICE, encoding="utf-8")
    result = _run("--format", "junit", str(readable), str(broken), str(bell))
    root = ET.fromstring(result.stdout.encode("utf-8"))  # raises on invalid XML
    assert root.tag == "testsuites" and len(root) == 3
    assert any("pwned" in suite.get("name", "") for suite in root)


def test_csv_format_drops_control_characters(hostile_files):
    readable, _ = hostile_files
    result = _run("--format", "csv", str(readable))
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows and all(not any(c in value for c in RAW) for row in rows for value in row.values())


def _school(name: str, status: str) -> SchoolRecord:
    return school_record("100001", status, urn="100001", name=name, website="https://school.example/")


def test_school_names_with_escapes_are_safe_in_report_since_and_schools_csv(tmp_path):
    db = tmp_path / "history.sqlite"
    name = f"Oak {HOSTILE} Primary"
    with Store(db) as store:
        for status in ("unreachable", "no-notice-found"):
            run = store.start_run("list.csv", None, {})
            store.save_school(run, _school(name, status))
            store.finish_run(run)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--since", "previous", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Oak x\\x1b[2J" in result.stdout and not any(c in result.stdout for c in RAW)
    text = (out / f"run-{run}" / "schools.csv").read_text(encoding="utf-8-sig")
    assert "Oak x[2J]0;pwned Primary" in text and not any(c in text for c in RAW)


def test_skipped_files_are_named_escaped(tmp_path):
    """A directory walk names each file it passed over, and a run that checked nothing says where it looked."""
    folder = tmp_path / f"notices{HOSTILE}"
    folder.mkdir()
    (folder / f"{HOSTILE}.doc").write_bytes(b"\xd0\xcf\x11\xe0 a legacy Word file")
    (folder / f"old.\x1b[2J").write_text(NOTICE, encoding="utf-8")  # the escape is in the extension itself
    result = _run(str(folder))
    assert result.exit_code == 2, result.output
    assert not any(c in result.stderr for c in RAW), repr(result.stderr)
    assert result.stderr.count("noticecheck: skipped ") == 2
    assert "no notices found in" in result.stderr and "\\x1b[2J" in result.stderr



def test_the_verbose_log_shows_control_characters_escaped():
    """--verbose logs exceptions whose text a server or a file chose: escaped like every other line."""
    import logging

    import click

    from noticecheck.cli.options import log_to_stderr

    @click.command()
    def noisy():
        log_to_stderr()
        logging.getLogger("noticecheck.fetch").warning("checking %s failed: %s", "http://127.0.0.1/", OSError(HOSTILE))

    result = CliRunner().invoke(noisy, [])
    assert result.exit_code == 0, result.output
    assert "pwned" in result.stderr and not any(c in result.stderr for c in RAW), repr(result.stderr)


def test_trust_names_and_school_names_are_safe_in_trusts_csv_and_schools_xlsx(tmp_path):
    from openpyxl import load_workbook

    from noticecheck.scan.store import FindingRecord, NoticeRecord

    db = tmp_path / "history.sqlite"
    trust = '=HYPERLINK("http://127.0.0.1/x","open")'
    finding = FindingRecord(rule="dpo-missing", severity="error", message=f"no DPO in {HOSTILE}", quote=f"-{HOSTILE}")
    notice = NoticeRecord(url=f"http://127.0.0.1/{HOSTILE}", status="checked", findings=(finding,))
    with Store(db) as store:
        run = store.start_run("list.csv", None, {})
        store.save_school(run, school_record("100001", "checked", urn="100001", name=f"@{HOSTILE}", trust=trust,
                                             website="https://school.example/", notices=(notice,)))
        store.finish_run(run)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / f"run-{run}" / "trusts.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["trust"] for r in rows] == ["'" + trust]
    book = load_workbook(out / f"run-{run}" / "schools.xlsx")
    values = []
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)  # no formula anywhere
                values.append(cell.value)
    texts = [v for v in values if isinstance(v, str)]
    assert not any(c in v for v in texts for c in RAW)
    assert "'" + trust in texts and "'@x[2J]0;pwned" in texts


def test_drift_shows_control_characters_in_file_names_escaped(tmp_path):
    parts = {
        heading: " ".join(f"We {verb} the {thing} of pupils for reason number {n}." for n in range(1, 4))
        for heading, verb, thing in (("Who we are", "record", "names"), ("What we collect", "collect", "addresses"),
                                     ("Keeping data", "keep", "records"), ("Your rights", "correct", "details"))
    }
    template = tmp_path / f"{HOSTILE}-template.md"
    template.write_text("".join(f"# {h}\n{b}\n" for h, b in parts.items()), encoding="utf-8")
    copies = []
    for n in range(3):  # the first drops a part, the others keep everything
        copies.append(tmp_path / f"{HOSTILE}-copy{n}.md")
        copies[-1].write_text("".join(f"# {h}\n{b}\n" for h, b in parts.items() if n or h != "Keeping data"),
                              encoding="utf-8")
    for extra in ((), ("--find-template",)):  # each copy's name heads its drift; found, the template is named
        result = CliRunner().invoke(main, ["drift", "--isolated", *extra, str(template), *map(str, copies)])
        assert result.exit_code == 0, result.output + result.stderr
        assert "x\\x1b[2J" in result.stdout and "dropped" in result.stdout
        assert not any(c in result.stdout + result.stderr for c in RAW), repr(result.stdout[:300])
    assert "Template found: " in result.stdout
