"""`check --jobs`: the same output for any number of jobs, and the work really shared out over processes."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from noticecheck.workers import Workers

ROOT = Path(__file__).resolve().parents[1]


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "noticecheck.cli", "check", *args, "--as-of", "2026-11-24", "--fail-on", "none", "--isolated"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "GITHUB_ACTIONS": ""},
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_one_job_and_two_jobs_print_the_same(fmt):
    one = _check("corpus/notices", "-j1", "--format", fmt)
    two = _check("corpus/notices", "-j2", "--format", fmt)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout.count("corpus/notices/") >= 40
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr


def test_unreadable_inputs_are_reported_in_input_order_with_jobs(tmp_path):
    for name in ("a.txt", "c.txt"):
        (tmp_path / name).write_text("Privacy notice. We are the data controller.\n")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\n broken")
    (tmp_path / "d.docx").write_bytes(b"PK\x03\x04 broken")
    out = _check(str(tmp_path), "-j2", "--format", "json")
    assert out.returncode == 2
    lines = [line.split(":")[0] for line in out.stderr.splitlines() if "unreadable" in line]
    assert lines == [str(tmp_path / "b.pdf"), str(tmp_path / "d.docx")]


def _meet(barrier) -> int:
    # each task waits for another to arrive: only two processes running at once get past
    barrier.wait(timeout=60)
    return os.getpid()


def test_two_jobs_run_in_two_other_processes_in_input_order():
    barrier = multiprocessing.get_context("fork").Barrier(2)
    with Workers(lambda i: (i, _meet(barrier)), 2) as workers:
        assert workers.parallel
        results = list(workers.map(range(6)))
    assert [i for i, _ in results] == list(range(6))
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_one_job_runs_here():
    with Workers(lambda i: (i, os.getpid()), 1) as workers:
        assert not workers.parallel
        assert list(workers.map(range(3))) == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]
        assert workers.call(7) == (7, os.getpid())


def test_a_scan_stores_the_same_with_one_job_and_two(tmp_path):
    """The same loopback schools scanned with -j1 and -j2 give the same stored notices and findings."""
    from dataclasses import replace

    from click.testing import CliRunner

    from noticecheck.cli import main
    from noticecheck.demo.notices import built_in
    from noticecheck.demo.runner import DemoSites
    from noticecheck.demo.sites import PublishedNotice, SchoolPlan, write_gias_csv
    from noticecheck.scan.store import Store

    notices = ["gdpr2018-pupils", "current-pupils", "workforce", "template-pupils"]
    plans = [
        SchoolPlan(index=i, urn=str(710001 + i), name=f"School {i}", type_name="Community school", phase="Primary",
                   age_low=4, age_high=11, trust="", kind="normal",
                   published=(PublishedNotice(built_in(notices[i % 4]), "pdf" if i % 2 else "html", "policies"),))
        for i in range(6)
    ]  # fmt: skip

    def stored(jobs: int, db: Path):
        result = CliRunner().invoke(main, [
            "scan", str(school_list), "--la", "Demoshire", "--db", str(db), "--out", str(tmp_path / f"out{jobs}"),
            "--allow-network", "127.0.0.0/8", "--per-host-interval", "0", "--concurrency", "4", "--retries", "0",
            "--as-of", "2026-11-24", "--quiet", "--no-cache", "-j", str(jobs)])  # fmt: skip
        assert result.exit_code == 0, result.output
        with Store(db) as store:
            schools = store.load_run(1).schools
        return sorted(
            (s.name, s.status, tuple(replace(n, fetched_at=None, id=None) for n in s.notices)) for s in schools
        )

    with DemoSites(plans, first_host=320) as sites:
        school_list = write_gias_csv(sites.show(plans), tmp_path / "gias.csv")
        one, two = stored(1, tmp_path / "one.sqlite"), stored(2, tmp_path / "two.sqlite")
    assert len(one) == 6 and all(status == "checked" for _, status, _ in one)
    assert sum(len(n.findings) for _, _, notices in one for n in notices) > 0
    assert one == two
