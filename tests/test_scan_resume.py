"""A scan killed with SIGKILL halfway resumes where it stopped, storing every school once; Ctrl-C leaves it resumable.

The scan runs as a real subprocess against slow loopback sites (each
request is delayed, so the scan takes a few seconds). Once some schools
are committed the process is killed with no chance to clean up; `scan
--resume` must then finish the run without fetching anything again from
the sites of schools already stored.
"""

from __future__ import annotations

import pytest

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import noticecheck
from noticecheck.demo.notices import built_in
from noticecheck.demo.runner import DemoSites
from noticecheck.demo.sites import PublishedNotice, SchoolPlan, write_gias_csv

pytestmark = pytest.mark.slow

SCHOOLS = 8


def _plans() -> list[SchoolPlan]:
    formats = ("html", "pdf")
    return [
        SchoolPlan(
            index=i, urn=str(800001 + i), name=f"Resume Test School {i}", type_name="Community school",
            phase="Primary", age_low=4, age_high=11, trust="", kind="normal",
            published=(PublishedNotice(built_in("current-pupils"), formats[i % 2], "policies"),),
        )
        for i in range(SCHOOLS)
    ]


def _command(csv_path: Path | None, db: Path, out: Path, *extra: str) -> list[str]:
    args = [sys.executable, "-c", "from noticecheck.cli import main; main()", "scan"]
    if csv_path:
        args.append(str(csv_path))
    return args + ["--db", str(db), "--out", str(out), "--allow-network", "127.0.0.0/8",
                   "--per-host-interval", "0", "--concurrency", "2", "--retries", "0", "--quiet", *extra]


def _env() -> dict[str, str]:
    # The child must import this same noticecheck, installed or not.
    src = str(Path(noticecheck.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


def _stored(db: Path) -> list[tuple[str, int]]:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT school_key, COUNT(*) FROM schools GROUP BY school_key").fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return []  # the scan has not created its tables yet


def test_killed_scan_resumes_without_refetching_finished_schools(tmp_path):
    db, out = tmp_path / "history.sqlite", tmp_path / "reports"
    plans = _plans()
    # 0.05 s per request, ~10 requests per school, 2 at a time: a few seconds in all.
    with DemoSites(plans, delay=0.05, first_host=600) as sites:
        placed = sites.show(plans)
        school_list = write_gias_csv(placed, tmp_path / "schools.csv", closed_extra=False)
        scan = subprocess.Popen(_command(school_list, db, out), env=_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while len(_stored(db)) < 3:
                assert scan.poll() is None, f"scan ended before it could be killed: {scan.communicate()}"
                assert time.monotonic() < deadline, "no schools were committed in 60 s"
                time.sleep(0.05)
        finally:
            scan.send_signal(signal.SIGKILL)
            scan.communicate()
        assert scan.returncode == -signal.SIGKILL

        done_before = {key for key, _ in _stored(db)}
        assert 3 <= len(done_before) < SCHOOLS, "the kill should land halfway through"
        run = sqlite3.connect(db).execute("SELECT id, finished FROM runs").fetchall()
        assert run == [(1, None)]
        for server in sites.servers.values():
            server.clear_requests()

        resumed = subprocess.run(_command(None, db, out, "--resume"), env=_env(), capture_output=True,
                                 text=True, timeout=120)
        assert resumed.returncode == 0, resumed.stderr
        assert "already done" in resumed.stdout

        stored = dict(_stored(db))
        assert set(stored) == {p.urn for p in placed} and set(stored.values()) == {1}
        for plan in placed:
            requests = sites.server(plan).requests
            if plan.urn in done_before:
                assert requests == [], f"{plan.name} was finished before the kill but fetched again"
            else:
                assert requests, f"{plan.name} was not scanned on resume"

    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0] == 1
    assert con.execute("SELECT COUNT(*) FROM schools WHERE status = 'checked'").fetchone()[0] == SCHOOLS
    assert (out / "run-1" / "index.html").is_file()


def _interrupt_after_first_school(school_list, db, out, cwd=None) -> tuple[int, str]:
    """Start a scan, press Ctrl-C once a school is committed; (exit code, stderr)."""
    scan = subprocess.Popen(_command(school_list, db, out), env=_env(), cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _stored(db):
            assert scan.poll() is None, f"scan ended before it could be interrupted: {scan.communicate()}"
            assert time.monotonic() < deadline, "no schools were committed in 60 s"
            time.sleep(0.05)
        scan.send_signal(signal.SIGINT)
        _, stderr = scan.communicate(timeout=30)
    finally:
        scan.kill()
    return scan.returncode, stderr


def test_ctrl_c_stops_promptly_and_says_how_to_resume(tmp_path):
    db, out = tmp_path / "history.sqlite", tmp_path / "reports"
    plans = _plans()[:4]
    with DemoSites(plans, delay=0.05, first_host=620) as sites:
        school_list = write_gias_csv(sites.show(plans), tmp_path / "schools.csv", closed_extra=False)
        returncode, stderr = _interrupt_after_first_school(school_list, db, out)
    assert returncode == 130
    assert "Interrupted:" in stderr and "noticecheck scan --resume --db" in stderr
    assert sqlite3.connect(db).execute("SELECT finished FROM runs").fetchall() == [(None,)]


def test_a_second_resume_of_a_run_in_progress_is_refused(tmp_path):
    from click.testing import CliRunner

    from noticecheck.cli import main
    from noticecheck.scan.store import Store

    school_list = tmp_path / "schools.csv"
    school_list.write_text("name,website\nNo Site Primary,\n", encoding="utf-8")
    db = tmp_path / "history.sqlite"
    with Store(db) as store:
        run = store.start_run(str(school_list), None, {"allow_private": False}, 1)
        with store.run_lock(run):  # a scan of this run is in progress
            result = CliRunner().invoke(main, ["scan", "--resume", "--db", str(db), "--out", str(tmp_path), "--quiet"])
            assert result.exit_code == 2, result.output
            assert f"run {run} is being scanned right now" in result.stderr
            assert store.count_schools(run) == 0  # nothing was scanned twice
    result = CliRunner().invoke(main, ["scan", "--resume", "--db", str(db), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output + result.stderr


def test_resume_writes_where_the_interrupted_scan_was_told_to(tmp_path):
    """`--out scanout/r3` is part of the run: the suggested resume command (no --out) writes there too."""
    db, out = tmp_path / "history.sqlite", tmp_path / "scanout" / "r3"
    plans = _plans()[:4]
    with DemoSites(plans, delay=0.05, first_host=640) as sites:
        school_list = write_gias_csv(sites.show(plans), tmp_path / "schools.csv", closed_extra=False)
        _, stderr = _interrupt_after_first_school(school_list, db, out, cwd=tmp_path)
        suggested = stderr.split("Carry on with: ", 1)[1].split()
        assert suggested[:3] == ["noticecheck", "scan", "--resume"] and "--out" not in suggested
        resumed = subprocess.run(
            [sys.executable, "-c", "from noticecheck.cli import main; main()", *suggested[1:], "--quiet"],
            env=_env(), cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
    assert resumed.returncode == 0, resumed.stderr
    assert (out / "run-1" / "index.html").is_file()
    assert not (tmp_path / "reports").exists()
