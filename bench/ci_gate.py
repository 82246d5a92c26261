"""Benchmark 4: the CI gate, one `noticecheck check DIR --format sarif` over a repository of 200 notices.

The repository is built in a temporary directory from the corpus's typical
(1,500-3,000 word) notices, one folder per pretend school; text copies get a
line of their own so no two files are the same (corpus.make_repository).
The format is SARIF when this build of noticecheck offers it, else JSON.

Baseline, taken in the same run and interleaved with the CLI runs: the same
200 files checked in-process on one pinned core by the throughput worker
(rulebook loaded once and warmed up on the originals; file reading not
timed). The ratio CLI wall / in-process time is what one process costs over
the bare checker: start-up, reading files, suppression comments, rendering.
The goal (<= 10 s on 2 cores) is on the CLI's wall time, with the default
--jobs (every core); the same command with --jobs 1, in the same rounds,
gives the speed-up that the process pool brings.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench.corpus import corpus_notices, make_repository, typical
from bench.machine import REPO, noticecheck_exe, python_exe
from bench.procs import check_exit, run_measured
from bench.stats import describe, summary

GOAL_SECONDS = 10.0
SIZES = {"full": {"files": 200, "rounds": 3}, "quick": {"files": 200, "rounds": 1}, "smoke": {"files": 4, "rounds": 1}}


def report_format() -> str:
    from noticecheck.gate.report.formats import FORMAT_NAMES

    return "sarif" if "sarif" in FORMAT_NAMES else "json"


def in_process(paths: list[Path], warmup: list[Path], tmp: Path) -> dict:
    """One pinned pass of the throughput worker over `paths`: {"wall", "cpu"} seconds of checking."""
    spec, out = tmp / "spec.json", tmp / "out.json"
    spec.write_text(json.dumps({"paths": [str(p) for p in paths], "warmup": [str(p) for p in warmup], "reps": 1,
                                "cpu": max(os.sched_getaffinity(0)), "seed": 1}))  # fmt: skip
    proc = subprocess.run([python_exe(), "-m", "bench.throughput", "worker", str(spec), str(out)], cwd=REPO,
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"in-process baseline failed:\n{proc.stderr[-3000:]}")
    rep = json.loads(out.read_text())["reps"][0]
    return {"wall": sum(rep["wall"]), "cpu": sum(rep["cpu"])}


def _check_report(path: Path, fmt: str) -> int:
    """Parse the report; returns how many results (SARIF) or documents (JSON) it holds."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if fmt == "sarif":
        return sum(len(run.get("results", ())) for run in data["runs"])
    documents = data.get("documents") if isinstance(data, dict) else data
    return len(documents or ())


def run(size: str = "full") -> dict:
    settings = SIZES[size]
    originals = typical(corpus_notices())
    fmt = report_format()
    cli, serial, base = [], [], []
    with tempfile.TemporaryDirectory(prefix="nc-bench-ci-") as tmp_name:
        tmp = Path(tmp_name)
        files = make_repository(originals, settings["files"], tmp / "repo")
        argv = [*noticecheck_exe(), "check", "repo", "--format", fmt, "-o", str(tmp / f"report.{fmt}")]
        argv_serial = [*argv[:-1], str(tmp / f"report-j1.{fmt}"), "--jobs", "1"]
        for _ in range(settings["rounds"]):
            # exit 1: findings at or above --fail-on, as a real gate over these notices reports
            cli.append(check_exit(run_measured(argv, cwd=str(tmp), timeout=900), allowed=(0, 1)))
            serial.append(check_exit(run_measured(argv_serial, cwd=str(tmp), timeout=900), allowed=(0, 1)))
            base.append(in_process(files, [n.path for n in originals], tmp))
        results_count = _check_report(tmp / f"report.{fmt}", fmt)
        same_report = (tmp / f"report.{fmt}").read_bytes() == (tmp / f"report-j1.{fmt}").read_bytes()

    wall = summary([m.wall for m in cli])
    cpu = summary([m.cpu for m in cli])
    base_wall = summary([b["wall"] for b in base])
    base_cpu = summary([b["cpu"] for b in base])
    ratios = summary([m.wall / b["wall"] for m, b in zip(cli, base)])
    speedup = summary([s.wall / m.wall for m, s in zip(cli, serial)])
    serial_wall = summary([m.wall for m in serial])
    jobs = len(os.sched_getaffinity(0))
    count = settings["files"]
    rate = count / base_cpu["median"]
    formats = sorted({n.fmt for n in originals})
    return {
        "baseline": f"the same {count} files checked in-process on one pinned core (throughput worker), one pass per "
        f"round interleaved with the CLI runs: {describe(base_wall, 's')} wall, {describe(base_cpu, 's')} CPU "
        f"({rate:.1f} notices/s by CPU time).",
        "figures": [
            {"name": f"{count} notices, one `noticecheck check DIR --format {fmt}`", "value": round(wall["median"], 2),
             "unit": "s", "goal": f"<= {GOAL_SECONDS:.0f} s", "met": wall["median"] <= GOAL_SECONDS,
             "detail": f"{describe(wall, 's')}; CPU {describe(cpu, 's')}; peak RSS {max(m.max_rss_mb for m in cli):.0f} MB"},
            {"name": "CLI wall / in-process checking of the same files", "value": round(ratios["median"], 3), "unit": "x",
             "goal": "", "met": None, "detail": f"per-round ratio {describe(ratios)}"},
            {"name": "CLI CPU / CLI wall (cores used)", "value": round(cpu["median"] / wall["median"], 2), "unit": "x",
             "goal": "", "met": None, "detail": "1.0 = one core busy throughout"},
            {"name": f"--jobs 1 wall / default --jobs ({jobs}) wall (speed-up)", "value": round(speedup["median"], 2),
             "unit": "x", "goal": "", "met": None,
             "detail": f"--jobs 1: {describe(serial_wall, 's')}; per-round ratio {describe(speedup)}; "
                       f"reports byte-identical: {'yes' if same_report else 'NO'}"},
        ],  # fmt: skip
        "tables": [],
        "notes": [
            f"Repository: {count} files under one folder per school, copies of the {len(originals)} typical corpus notices "
            f"({', '.join(n.path.name for n in originals)}; formats {', '.join(formats)}).",
            f"The {fmt.upper()} report was parsed after the run: {results_count} "
            f"{'results' if fmt == 'sarif' else 'documents'}.",
            f"The default check runs {jobs} forked worker processes (one per usable core); --jobs 1 checks in one process. "
            "Other processes on a shared machine take cores too: the speed-up is what was left to us.",
        ],
    }
