"""Benchmark 2: CLI cold start, as a ratio to `python -c pass` measured in the same run.

Each round starts every command once as a fresh process (rotating which one
goes first), so the baseline and the commands see the same machine load;
the first round only warms the page cache and is not counted. Reported per
command: the ratio of its median wall time to the baseline's median, the
median and spread of the per-round ratios (command / baseline in the same
round, which cancels slow drifts in load), the CPU-time ratio (user + system
from rusage; less sensitive to other processes) and peak memory.

Commands (the notices are chosen from the corpus by rule, see corpus.py):
  typical .txt  the longest parents .txt notice
  pupils .txt   the longest pupils .txt notice (the reading-age rule runs; it no longer imports spaCy)
  workforce     the longest workforce .txt notice
  --format json the typical .txt again, as JSON
  no rule cache the typical .txt with NOTICECHECK_CACHE_DIR=off: the rulebook validated and compiled again

Every process runs as an installed noticecheck would: with Python bytecode
written (PYTHONDONTWRITEBYTECODE unset; a pip install compiles it too) and
with the rulebook cache in a directory of this run, filled by the warm-up
round. The goal figure is the CPU-time ratio (user + system), which other
processes on a shared machine disturb far less than wall time.
"""

from __future__ import annotations

import os
import tempfile

from bench.corpus import corpus_notices, longest
from bench.machine import REPO, noticecheck_exe, python_exe
from bench.procs import check_exit, run_measured
from bench.stats import describe, summary

GOAL = 12.0
SIZES = {"full": {"rounds": 12}, "quick": {"rounds": 5}, "smoke": {"rounds": 1}}
WARMUP_ROUNDS = 1


def commands() -> dict[str, tuple[list[str], str, dict]]:
    """name -> (argv, description, extra environment). The first entry is the baseline."""
    notices = corpus_notices()
    parents = longest(notices, fmt="txt", audience="parents")
    pupils = longest(notices, fmt="txt", audience="pupils")
    workforce = longest(notices, fmt="txt", audience="workforce")
    nc = noticecheck_exe()

    def check(notice, *extra, env=None):
        rel = str(notice.path.relative_to(REPO))
        return ([*nc, "check", rel, *extra], f"`noticecheck check {rel}{' ' + ' '.join(extra) if extra else ''}` ({notice.words} words)",
                env or {})  # fmt: skip

    return {
        "baseline": ([python_exe(), "-c", "pass"], "`python -c pass`", {}),
        "typical .txt": check(parents),
        "pupils .txt": check(pupils),
        "workforce .txt": check(workforce),
        "typical .txt --format json": check(parents, "--format", "json"),
        "typical .txt, no rule cache": check(parents, env={"NOTICECHECK_CACHE_DIR": "off"}),
    }


def _environment(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NOTICECHECK_CACHE_DIR"] = cache
    return env


def run(size: str = "full") -> dict:
    rounds = SIZES[size]["rounds"]
    cmds = commands()
    names = list(cmds)
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    rss: dict[str, list[float]] = {n: [] for n in names}
    warmup = WARMUP_ROUNDS if size != "smoke" else 0
    cache = tempfile.TemporaryDirectory(prefix="noticecheck-bench-cache-")
    base_env = _environment(cache.name)
    for r in range(rounds + warmup):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            argv, _, extra_env = cmds[name]
            # exit 1 = findings at or above --fail-on, which these notices have
            m = check_exit(run_measured(argv, cwd=str(REPO), env={**base_env, **extra_env}, timeout=120), allowed=(0, 1))
            if r >= warmup:
                walls[name].append(m.wall)
                cpus[name].append(m.cpu)
                rss[name].append(m.max_rss_mb)

    cache.cleanup()
    base_wall = summary(walls["baseline"])
    base_cpu = summary(cpus["baseline"])
    figures, rows = [], []
    for name in names:
        wall = summary(walls[name])
        cpu = summary(cpus[name])
        per_round = summary([w / b for w, b in zip(walls[name], walls["baseline"])])
        ratio = wall["median"] / base_wall["median"]
        cpu_ratio = cpu["median"] / base_cpu["median"]
        rows.append([cmds[name][1], round(wall["median"], 3), f"{wall['spread'] * 100:.0f}%", round(ratio, 2),
                     round(per_round["median"], 2), round(cpu_ratio, 2), round(summary(rss[name])["median"])])  # fmt: skip
        if name == "baseline":
            continue
        goal = "no rule cache" not in name and "json" not in name  # a one-file check of any notice
        figures.append({
            "name": f"{name}: CPU time / python -c pass", "value": round(cpu_ratio, 2), "unit": "x",
            "goal": f"<= {GOAL:g}" if goal else "", "met": cpu_ratio <= GOAL if goal else None,
            "detail": f"{describe(cpu, 's')} CPU; wall ratio of medians {ratio:.1f} (per round {describe(per_round)})",
        })  # fmt: skip
    return {
        "baseline": "`python -c pass` started the same number of times, interleaved with the commands: "
        f"{describe(base_wall, 's')} wall, {describe(base_cpu, 's')} CPU.",
        "figures": figures,
        "tables": [{"title": f"Fresh processes, {rounds} counted rounds after {warmup} warm-up round(s)",
                    "columns": ["command", "median wall s", "spread", "ratio of medians", "median per-round ratio",
                                "CPU ratio", "peak RSS MB"],
                    "rows": rows}],  # fmt: skip
        "notes": [
            "Wall time is from spawning the process to its exit (os.wait4), output to /dev/null, run from the repository root.",
            "The ratio of medians is the goal figure; the per-round ratio is the same comparison made within each round.",
            "The notices are the longest .txt of each audience in the corpus (word counts in the table); the corpus "
            "has no parents .txt of 1,500+ words, and start-up, not checking, dominates these times.",
            "Bytecode written and the rulebook cache filled by the warm-up round, as on an installed copy after its first run.",
        ],
    }
