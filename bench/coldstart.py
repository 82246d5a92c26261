"""Benchmark 2: CLI cold start, as a ratio to `python -c "import spacy"` measured in the same run.

Each round starts every command once as a fresh process (rotating which one
goes first), so the baseline and the commands see the same machine load;
the first round only warms the page cache and is not counted. Reported per
command: the ratio of its median wall time to the baseline's median, the
median and spread of the per-round ratios (command / baseline in the same
round, which cancels slow drifts in load), the CPU-time ratio (user + system
from rusage; less sensitive to other processes) and peak memory.

Commands (the notices are chosen from the corpus by rule, see corpus.py):
  typical .txt  the longest parents .txt notice
  pupils .txt   the longest pupils .txt notice (the reading-age rule may load spaCy)
  workforce     the longest workforce .txt notice
  --format json the typical .txt again, as JSON
"""

from __future__ import annotations

from bench.corpus import corpus_notices, longest
from bench.machine import REPO, noticecheck_exe, python_exe
from bench.procs import check_exit, run_measured
from bench.stats import describe, summary

GOAL = 1.3
SIZES = {"full": {"rounds": 12}, "quick": {"rounds": 5}, "smoke": {"rounds": 1}}
WARMUP_ROUNDS = 1


def commands() -> dict[str, tuple[list[str], str]]:
    """name -> (argv, description). The first entry is the baseline."""
    notices = corpus_notices()
    parents = longest(notices, fmt="txt", audience="parents")
    pupils = longest(notices, fmt="txt", audience="pupils")
    workforce = longest(notices, fmt="txt", audience="workforce")
    nc = noticecheck_exe()

    def check(notice, *extra):
        rel = str(notice.path.relative_to(REPO))
        return [*nc, "check", rel, *extra], f"`noticecheck check {rel}{' ' + ' '.join(extra) if extra else ''}` ({notice.words} words)"

    return {
        "baseline": ([python_exe(), "-c", "import spacy"], '`python -c "import spacy"`'),
        "typical .txt": check(parents),
        "pupils .txt": check(pupils),
        "workforce .txt": check(workforce),
        "typical .txt --format json": check(parents, "--format", "json"),
    }


def run(size: str = "full") -> dict:
    rounds = SIZES[size]["rounds"]
    cmds = commands()
    names = list(cmds)
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    rss: dict[str, list[float]] = {n: [] for n in names}
    warmup = WARMUP_ROUNDS if size != "smoke" else 0
    for r in range(rounds + warmup):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            # exit 1 = findings at or above --fail-on, which these notices have
            m = check_exit(run_measured(cmds[name][0], cwd=str(REPO), timeout=120), allowed=(0, 1))
            if r >= warmup:
                walls[name].append(m.wall)
                cpus[name].append(m.cpu)
                rss[name].append(m.max_rss_mb)

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
        figures.append({
            "name": f"{name}: wall time / import spacy", "value": round(ratio, 3), "unit": "x",
            "goal": f"<= {GOAL}" if name == "typical .txt" else "", "met": ratio <= GOAL if name == "typical .txt" else None,
            "detail": f"{describe(wall, 's')}; per-round ratio {describe(per_round)}; CPU ratio {cpu_ratio:.2f}",
        })  # fmt: skip
    return {
        "baseline": f"`python -c \"import spacy\"` started the same number of times, interleaved with the commands: "
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
        ],
    }
