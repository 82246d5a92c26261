#!/usr/bin/env python3
"""Run noticecheck's benchmarks and write bench/RESULTS.md (and bench/results.json).

    .venv/bin/python bench/run.py                 # all five, full size (about 13-16 minutes)
    .venv/bin/python bench/run.py --quick         # all five, small sizes (about 4 minutes)
    .venv/bin/python bench/run.py la_scan ci_gate # only these
    .venv/bin/python bench/run.py --smoke --out /tmp/b   # tiny sizes, for the smoke test
    .venv/bin/python bench/run.py national        # the national rehearsal (not in 'all': 30-60 minutes)

Benchmarks: throughput, coldstart, la_scan, ci_gate, hostile, web_load, reports, national (see
each module's docstring). All network traffic stays on loopback. Each figure is a median
over repeated runs, and where a goal is a ratio its baseline is measured in
the same run, interleaved where that matters, because the machines are
shared and noisy.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # import `bench` as a package

from bench import results  # noqa: E402
from bench.machine import REPO, git_state, load_average, machine_info, now  # noqa: E402

BENCHMARKS = {
    "throughput": ("Checker throughput (one core)", "bench.throughput"),
    "coldstart": ("CLI cold start", "bench.coldstart"),
    "la_scan": ("LA scan at scale (loopback)", "bench.la_scan"),
    "ci_gate": ("CI gate (200 notices, one command)", "bench.ci_gate"),
    "hostile": ("Hostile inputs: worst case beside typical", "bench.hostile"),
    "web_load": ("Self-check page under load (loopback)", "bench.web_load"),
    "reports": ("Writing a run's reports (trusts, drift, xlsx)", "bench.reports"),
    "national": ("National rehearsal (24,000 loopback schools)", "bench.national"),
}
ON_REQUEST = {"national"}  # long (the full size scans 24,000 sites): run only when named
DEFAULT_OUT = REPO / "bench"


def run_one(name: str, size: str, out: Path) -> dict:
    title, module_name = BENCHMARKS[name]
    module = importlib.import_module(module_name)
    print(f"== {title} ({size}) ...", flush=True)
    load_before = load_average()
    started, t0 = now(), time.monotonic()
    result = module.run(size)
    flag = {"full": "", "quick": " --quick", "smoke": " --smoke"}[size]
    result.update(
        name=name,
        title=title,
        size=size,
        started=started,
        seconds=time.monotonic() - t0,
        command=f".venv/bin/python bench/run.py {name}{flag}",
        git=git_state(),
        machine=machine_info(),
        load_before=load_before[0] if load_before else None,
        load_after=(load_average() or (None,))[0],
    )
    results.write(out / "results.json", out / "RESULTS.md", result)
    for figure in result["figures"]:
        met = {True: "met", False: "NOT MET", None: ""}[figure["met"]]
        goal = f"  (goal {figure['goal']}: {met})" if figure["goal"] else ""
        print(f"   {figure['name']}: {figure['value']} {figure['unit']}{goal}", flush=True)
    print(f"   ({result['seconds']:.0f} s)", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], metavar="NAME",
                        help=f"benchmarks to run (default: all but {', '.join(sorted(ON_REQUEST))}): "
                             f"{', '.join(BENCHMARKS)}")  # fmt: skip
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a few minutes)")
    sizes.add_argument("--smoke", action="store_true", help="tiny sizes: checks the benchmarks run, not speed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results.json and RESULTS.md go (default: bench/)")
    args = parser.parse_args(argv)
    size = "smoke" if args.smoke else "quick" if args.quick else "full"
    names = list(dict.fromkeys(args.names)) or [n for n in BENCHMARKS if n not in ON_REQUEST]
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in names:
        try:
            run_one(name, size, args.out)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except Exception:  # one broken benchmark should not lose the others' results
            traceback.print_exc()
            failed.append(name)
    print(f"wrote {args.out / 'RESULTS.md'}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
