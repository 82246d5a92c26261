"""Benchmark 1: notices checked per second on ONE core, in-process, via `noticecheck.api.check_document`.

The parent process picks the notices and starts a worker (`python -m
bench.throughput worker SPEC OUT`) pinned to one CPU with
os.sched_setaffinity. The worker reads every file into memory (file I/O is
not timed), loads the rulebook once, checks every notice once to warm up
(first use of lazily imported code), then checks the whole corpus `reps`
times, timing each notice by wall clock and by the thread's CPU clock.

Every timed check is of bytes the process has not seen: before each pass
(untimed) every notice is made into a unique copy (corpus.unique_copy: a
line of its own in text formats, a comment in the styles part of Word and
OpenDocument files, a trailing comment in PDFs), so a loader's cache keyed
by content never hits, as it would not for a new school's notice.

Noise control: on a shared machine another process can run on the pinned
core; that inflates wall time but not our CPU time, so the goal is judged on
CPU-time throughput and the wall/CPU ratio is reported as the contention
measure. A fixed calibration workload (regex and string work like the
checker's) runs on the same core before every repetition; throughput is
also given as calibration-units per notice, a machine-independent figure.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import MAX_BYTES, TYPICAL_WORDS, corpus_notices
from bench.machine import REPO, python_exe
from bench.stats import describe, summary

GOAL = 100.0  # typical notices per second on one core
SIZES = {"full": {"reps": 7}, "quick": {"reps": 3}, "smoke": {"reps": 1, "per_format": 1}}


# -- worker (runs pinned, in its own process) ---------------------------------------


def calibrate() -> tuple[float, float]:
    """A fixed CPU workload (regex search and string splitting); returns (wall, cpu) seconds."""
    text = "The school collects and holds personal information about pupils, parents and carers. " * 300
    pattern = re.compile(r"\b(?:personal|pupils?|parents?|carers?)\b[^.]{0,40}\binformation\b", re.IGNORECASE)
    w0, c0 = time.perf_counter(), time.thread_time()
    total = 0
    for _ in range(150):
        total += len(pattern.findall(text))
        total += sum(len(word) for word in text.split())
    assert total > 0
    return time.perf_counter() - w0, time.thread_time() - c0


def worker(spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    os.sched_setaffinity(0, {spec["cpu"]})
    from dataclasses import replace
    from datetime import date

    from bench.corpus import unique_copy
    from noticecheck.api import CheckOptions, check_document
    from noticecheck.rulebook import default_rulebook
    from noticecheck.sources import read_document

    OPTIONS, TODAY = CheckOptions(), date.today()  # as `noticecheck check` runs without --as-of

    t0 = time.perf_counter()
    rulebook = default_rulebook()
    rulebook_seconds = time.perf_counter() - t0
    docs = [read_document(path, max_bytes=MAX_BYTES) for path in spec["paths"]]
    warm = []
    # Warm up on every notice, or only on the distinct originals the spec names (the CI gate's copies).
    warm_docs = [read_document(path, max_bytes=MAX_BYTES) for path in spec["warmup"]] if "warmup" in spec else docs
    for doc in warm_docs:
        w0 = time.perf_counter()
        result = check_document(doc, rulebook, OPTIONS, today=TODAY)
        warm.append(time.perf_counter() - w0)
        if result.status != "checked":
            raise SystemExit(f"{doc.source}: {result.status} {result.error}")
    rng = random.Random(spec["seed"])
    reps = []
    for _ in range(spec["reps"]):
        cal = calibrate()
        order = list(range(len(docs)))
        rng.shuffle(order)  # a different order each time, so no notice always follows the same one
        wall = [0.0] * len(docs)
        cpu = [0.0] * len(docs)
        unseen = [replace(doc, data=unique_copy(doc.data, Path(path).suffix.lower().lstrip("."), f"NC-UNSEEN-{len(reps)}-{i}"))
                  for i, (doc, path) in enumerate(zip(docs, spec["paths"]))]  # fmt: skip
        for i in order:
            w0, c0 = time.perf_counter(), time.thread_time()
            check_document(unseen[i], rulebook, OPTIONS, today=TODAY)
            cpu[i] = time.thread_time() - c0
            wall[i] = time.perf_counter() - w0
        reps.append({"calibration": cal, "wall": wall, "cpu": cpu})
    Path(out_path).write_text(
        json.dumps({"rulebook_seconds": rulebook_seconds, "warmup": warm, "reps": reps, "cpu": spec["cpu"]})
    )


# -- parent ---------------------------------------------------------------------------


def _rates(rep: dict, index: list[int]) -> tuple[float, float]:
    """(notices/s by CPU time, notices/s by wall time) over the notices at `index`."""
    cpu = sum(rep["cpu"][i] for i in index)
    wall = sum(rep["wall"][i] for i in index)
    return len(index) / cpu, len(index) / wall


def _work(spec: Path, out: Path, env: dict | None = None) -> dict:
    proc = subprocess.run([python_exe(), "-m", "bench.throughput", "worker", str(spec), str(out)], cwd=REPO,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"throughput worker failed:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


def run(size: str = "full", workdir: Path | None = None) -> dict:
    settings = SIZES[size]
    notices = corpus_notices()
    if settings.get("per_format"):
        seen: set[str] = set()
        notices = [n for n in notices if not (n.fmt in seen or seen.add(n.fmt))]
    cpu = max(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        spec, out = Path(tmp, "spec.json"), Path(tmp, "out.json")
        spec.write_text(json.dumps({"paths": [str(n.path) for n in notices], "reps": settings["reps"], "cpu": cpu, "seed": 1}))
        data = _work(spec, out)
        # the same notices again without the Hyperscan prefilter (src/noticecheck/prefilter.py), as a
        # machine without it runs: what the prefilter is worth, measured in this run
        plain = _work(spec, out, {"NOTICECHECK_PREFILTER": "off"}) if size != "smoke" else None

    reps = data["reps"]
    everything = list(range(len(notices)))
    typical = [i for i, n in enumerate(notices) if n.typical]
    groups = [("all notices", everything)]
    if typical:
        groups.append((f"typical ({TYPICAL_WORDS[0]}-{TYPICAL_WORDS[1]} words)", typical))
    for fmt in sorted({n.fmt for n in notices}):
        groups.append((f".{fmt}", [i for i, n in enumerate(notices) if n.fmt == fmt]))

    rows, by_group = [], {}
    for label, index in groups:
        cpu_rates = summary([_rates(rep, index)[0] for rep in reps])
        wall_rates = summary([_rates(rep, index)[1] for rep in reps])
        words = sorted(notices[i].words for i in index)
        ms = summary([sum(rep["cpu"][i] for i in index) / len(index) * 1000 for rep in reps])
        by_group[label] = (cpu_rates, wall_rates)
        rows.append([label, len(index), f"{words[0]}-{words[-1]}", round(cpu_rates["median"], 1),
                     round(wall_rates["median"], 1), round(ms["median"], 1), f"{cpu_rates['spread'] * 100:.0f}%"])  # fmt: skip

    cal_cpu = summary([rep["calibration"][1] for rep in reps])
    cal_contention = summary([rep["calibration"][0] / rep["calibration"][1] for rep in reps])
    check_contention = summary([sum(rep["wall"]) / sum(rep["cpu"]) for rep in reps])
    key = next((g for g in by_group if g.startswith("typical")), "all notices")
    cpu_rate, wall_rate = by_group[key]
    per_notice_units = 1 / cpu_rate["median"] / cal_cpu["median"]
    slowest = sorted(everything, key=lambda i: -summary([rep["cpu"][i] for rep in reps])["median"])[:5]

    figures = [
        {"name": f"{key} notices/s, one core (CPU time)", "value": round(cpu_rate["median"], 1), "unit": "notices/s",
         "goal": f">= {GOAL:.0f}", "met": cpu_rate["median"] >= GOAL, "detail": describe(cpu_rate, "notices/s")},
        {"name": f"{key} notices/s, one core (wall time)", "value": round(wall_rate["median"], 1), "unit": "notices/s",
         "goal": "", "met": None, "detail": describe(wall_rate, "notices/s")},
        {"name": "all notices/s, one core (CPU time)", "value": round(by_group["all notices"][0]["median"], 1),
         "unit": "notices/s", "goal": "", "met": None, "detail": describe(by_group["all notices"][0], "notices/s")},
        {"name": f"{key} cost per notice in calibration units", "value": round(per_notice_units, 3), "unit": "x",
         "goal": "", "met": None, "detail": f"calibration workload {describe(cal_cpu, 's CPU')}"},
        {"name": "core contention while checking (wall / CPU)", "value": round(check_contention["median"], 3),
         "unit": "x", "goal": "", "met": None, "detail": describe(check_contention)},
    ]  # fmt: skip
    if plain is not None:
        index = next((i for label, i in groups if label == key))
        plain_rate = summary([_rates(rep, index)[0] for rep in plain["reps"]])
        figures.append({"name": f"{key} notices/s without the Hyperscan prefilter (CPU time)",
                        "value": round(plain_rate["median"], 1), "unit": "notices/s", "goal": "", "met": None,
                        "detail": f"{describe(plain_rate, 'notices/s')}; with / without: "
                                  f"{cpu_rate['median'] / plain_rate['median']:.2f} x"})  # fmt: skip
    notes = [
        f"{len(notices)} corpus notices ({len(typical)} typical), {len(reps)} timed passes after one warm-up pass; "
        f"worker pinned to CPU {data['cpu']}; rulebook built once in {data['rulebook_seconds']:.2f} s.",
        "Every timed check is of a unique copy made for that pass (no content cache can hit); "
        f"warm-up pass (first check of each original notice, first use of lazily imported code): "
        f"{sum(data['warmup']):.2f} s in all, slowest {max(data['warmup']):.2f} s.",
        "Slowest notices (median CPU ms): " + ", ".join(
            f"{notices[i].path.name} ({notices[i].words} words, "
            f"{summary([rep['cpu'][i] for rep in reps])['median'] * 1000:.0f} ms)" for i in slowest),
        f"Calibration wall/CPU on the pinned core: {describe(cal_contention)} (1.0 = the core was ours alone).",
    ]  # fmt: skip
    return {
        "baseline": "CPU time of the worker's own thread on one pinned core (immune to other processes on that core); "
        "a fixed regex/string calibration workload run on the same core before every pass gives the "
        "machine-independent cost per notice and the contention ratio.",
        "figures": figures,
        "tables": [{"title": "Throughput by group (medians over passes)",
                    "columns": ["group", "notices", "words", "notices/s (CPU)", "notices/s (wall)", "ms/notice (CPU)", "spread"],
                    "rows": rows}],  # fmt: skip
        "notes": notes,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("usage: python -m bench.throughput worker SPEC.json OUT.json (started by bench/run.py)")
