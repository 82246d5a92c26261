"""A full disk or a damaged history database ends a command cleanly, never with a traceback.

Real files: the full disk is a scan process whose file-size limit (RLIMIT_FSIZE)
stops SQLite's writes part-way, as a full disk does; the damaged database is a
real history file with data pages overwritten.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer

import noticecheck
from noticecheck.cli import main
from helpers import school_record
from noticecheck.scan.store import Store


def _env() -> dict[str, str]:
    src = str(Path(noticecheck.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-size limits")
def test_a_full_disk_mid_scan_says_so_exits_2_and_keeps_what_was_saved(tmp_path):
    # 400 schools without a website: no network, one small write each.
    school_list = tmp_path / "schools.csv"
    school_list.write_text("name,website\n" + "".join(f"School number {i},\n" for i in range(400)), encoding="utf-8")
    db = tmp_path / "history.sqlite"
    limit = 160 * 1024  # bytes any one file may grow to: the WAL fills up after some dozens of schools
    script = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails, as on a full disk\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from noticecheck.cli import main\nmain()\n"
    )
    args = ["scan", str(school_list), "--db", str(db), "--out", str(tmp_path / "out"), "--no-cache", "--quiet"]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, env=_env())
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "could not write to" in done.stderr
    assert f"noticecheck scan --resume --db {db}" in done.stderr
    with Store(db) as store:
        store.check_integrity()  # what was saved is intact
        run = store.latest_run()
        saved = store.count_schools(run.id)
        assert 0 < saved < 400
        assert f"{saved} of 400 schools are saved" in done.stderr
        assert not run.is_finished


def _damaged_history(path: Path) -> None:
    with Store(path) as store:
        run = store.start_run("list.csv", None, {})
        for i in range(300):
            store.save_school(run, school_record(str(i), "no-website", name=f"School {i} " + "x" * 200))
        store.finish_run(run)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    page = 4096
    noise = random.Random(7)
    for offset in range(3 * page, len(data) - page, 4 * page):  # leave page 1 (the header) alone
        data[offset : offset + page] = bytes(noise.randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))


def test_report_refuses_a_damaged_database_clearly(tmp_path):
    db = tmp_path / "history.sqlite"
    _damaged_history(db)
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "is damaged" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_scan_refuses_a_damaged_database_before_contacting_any_site(tmp_path):
    db = tmp_path / "history.sqlite"
    _damaged_history(db)
    with LoopbackServer() as site:
        school_list = tmp_path / "schools.csv"
        school_list.write_text(f"name,website\nLoop Primary,{site.url('/')}\n", encoding="utf-8")
        result = CliRunner().invoke(
            main, ["scan", str(school_list), "--db", str(db), "--out", str(tmp_path / "out"), "--allow-network",
                   "127.0.0.1/32", "--no-cache", "--quiet"],
        )
        assert site.paths() == []
    assert result.exit_code == 2, result.output
    assert "is damaged" in result.stderr
