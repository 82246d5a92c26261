"""Benchmark 5: writing a run's reports, with and without the trust roll-up, drift, trend and workbook.

A stored run of N schools is made once (real SQLite, written through
`Store.save_school`): every school has a pupil notice with findings and an
outline, and schools come in trusts of five whose notices copy one
template with a change each, so drift is computed for every trust. The
reports are then written in fresh processes, two ways, interleaved:

    before  load_run + dashboard + schools.csv + results.jsonl (what a run wrote before trusts)
    now     write_run_reports(..., store=store): the same plus trusts.csv, trust pages with drift,
            printable school pages, schools.xlsx and the key-check trend over the stored runs

The figures are the ratios now / before of peak RSS and of wall time, so
the cost of the additions is measured against the same machine in the same
run. Both children import openpyxl first: its import (which pulls in numpy,
about 30 MB, already loaded in a scan by spaCy) is a fixed cost, given as its own
figure, and the ratio is about what grows with the run. Drift reads notice outlines from SQLite one trust at a time and the
workbook is written in openpyxl's write-only mode, so the peak RSS ratio
should stay close to 1.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.machine import REPO, python_exe
from bench.procs import check_exit, run_measured
from bench.stats import describe, summary

RSS_RATIO_GOAL = 1.25
SIZES = {"full": (3000, 3), "quick": (1000, 2), "smoke": (20, 1)}  # schools, rounds

_CHILD = r"""
import sys
from pathlib import Path
from noticecheck.scan.store import Store
mode, db, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
import resource
import openpyxl  # imported by both, so the ratio measures the writing, not the import (openpyxl pulls in numpy)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)
with Store(db) as store:
    run = store.latest_run()
    data = store.load_run(run.id)
    if mode == "before":
        from noticecheck.scan.dashboard import render_dashboard
        from noticecheck.scan.exports import write_results_jsonl, write_schools_csv
        render_dashboard(data, out)
        write_schools_csv(data, out / "schools.csv")
        write_results_jsonl(data, out / "results.jsonl")
    else:
        from noticecheck.scan.scheduler import write_run_reports
        write_run_reports(data, out, store=store)
"""


def make_run(db: Path, schools: int, runs: int = 2) -> None:
    """`runs` stored runs of `schools` schools (the trend reads every run)."""
    sys.path.insert(0, str(REPO / "src"))
    from noticecheck.fetch.registry import School
    from noticecheck.model import OutlinePart
    from noticecheck.scan.store import FindingRecord, NoticeRecord, SchoolRecord, Store

    template = tuple(
        OutlinePart(f"Part {p}", tuple(f"Sentence {s} of part {p} says something about pupil data." for s in range(8)))
        for p in range(10)
    )
    rules = [("ico-complaint-missing", "error"), ("npd-missing", "warning"), ("lrs-missing", "info"),
             ("retention-missing", "error"), ("outdated-dpa-1998", "error")]
    with Store(db) as store:
        for _ in range(runs):
            run = store.start_run("bench.csv", "Benchshire", {}, schools)
            for i in range(schools):
                trust = f"TRUST {i // 5}" if i % 7 else None  # most schools in trusts of five, some on their own
                outline = list(template)
                outline[i % 10] = OutlinePart(f"Part {i % 10}", template[i % 10].sentences[1:] + (f"A line of school {i}.",))
                findings = tuple(FindingRecord(rule=r, severity=s, message=f"{r} message", fix="Add a sentence.",
                                               title=r) for r, s in rules[: 2 + i % 4])
                notice = NoticeRecord(url=f"http://127.0.0.1/{i}/privacy.html", status="checked", audience="pupils",
                                      word_count=900, findings=findings, outline=tuple(outline))
                school = School(urn=str(100000 + i), name=f"School {i}", website=f"http://127.0.0.1/{i}/",
                                la_name="Benchshire", trust=trust)
                store.save_school(run, SchoolRecord(key=str(100000 + i), status="checked", school=school,
                                                    notices=(notice,)))
            store.finish_run(run)


def run(size: str = "full") -> dict:
    schools, rounds = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="nc-bench-reports-") as tmp:
        tmp = Path(tmp)
        db = tmp / "runs.sqlite"
        make_run(db, schools)
        child = tmp / "child.py"
        child.write_text(_CHILD, encoding="utf-8")
        walls: dict[str, list[float]] = {"before": [], "now": []}
        rss: dict[str, list[float]] = {"before": [], "now": []}
        imported: list[float] = []
        for r in range(rounds):
            for mode in (("before", "now") if r % 2 == 0 else ("now", "before")):
                out = tmp / f"out-{mode}-{r}"
                m = check_exit(run_measured([python_exe(), str(child), mode, str(db), str(out)], cwd=str(REPO),
                                            timeout=900))
                walls[mode].append(m.wall)
                rss[mode].append(m.max_rss_mb)
                imported.append(float(m.stderr.strip().splitlines()[0]))
    wall_b, wall_n = summary(walls["before"]), summary(walls["now"])
    rss_b, rss_n = summary(rss["before"]), summary(rss["now"])
    rss_ratio = rss_n["median"] / rss_b["median"]
    wall_ratio = wall_n["median"] / wall_b["median"]
    return {
        "baseline": f"the reports a run wrote before trusts (dashboard, schools.csv, results.jsonl) from the same "
                    f"database, in a fresh process, interleaved: {describe(wall_b, 's')} wall, "
                    f"{describe(rss_b, 'MB')} peak RSS.",
        "figures": [
            {"name": f"{schools} schools: peak RSS with trusts, drift, trend and xlsx / without", "value": round(rss_ratio, 3),
             "unit": "x", "goal": f"<= {RSS_RATIO_GOAL}", "met": rss_ratio <= RSS_RATIO_GOAL,
             "detail": f"now {describe(rss_n, 'MB')}; before {describe(rss_b, 'MB')}"},
            {"name": "peak RSS after importing noticecheck's store and openpyxl", "value": round(summary(imported)["median"], 1),
             "unit": "MB", "goal": "", "met": None, "detail": describe(summary(imported), "MB")},
            {"name": f"{schools} schools: wall time with / without", "value": round(wall_ratio, 3), "unit": "x",
             "goal": "", "met": None, "detail": f"now {describe(wall_n, 's')}; before {describe(wall_b, 's')}"},
        ],
        "tables": [],
        "notes": [
            f"{schools} schools in each of 2 stored runs; 6 in 7 schools in trusts of five, each notice an outline of "
            "10 parts of 8 sentences with one part changed; 2-5 findings per notice.",
            "Peak RSS is the kernel's ru_maxrss of the child process; both children load the run with load_run first.",
        ],
    }
