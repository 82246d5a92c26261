"""bench/results.json (the latest result of each benchmark) and bench/RESULTS.md rendered from it.

Running one benchmark replaces only its own entry, so RESULTS.md always
shows every benchmark, each with the date, commit and machine it ran on.

A benchmark result is a dict:

    name, title, size ("full" | "quick" | "smoke"), started, seconds, command,
    git {commit, subject, dirty_src}, machine {nproc, cpu_model, python, ...},
    load_before / load_after (1-minute load average),
    baseline   what the figures are ratios to, or how noise was controlled
    figures    [{name, value, unit, goal, met, detail}]   met: true/false/null
    tables     [{title, columns, rows}]
    notes      [str]
"""

from __future__ import annotations

import json
from pathlib import Path

ORDER = ("throughput", "coldstart", "la_scan", "ci_gate", "hostile", "web_load", "reports", "national")
REQUIRED = ("name", "title", "size", "started", "seconds", "command", "git", "machine", "baseline", "figures")


def validate(result: dict) -> None:
    """Raise ValueError if a result lacks what RESULTS.md needs."""
    missing = [key for key in REQUIRED if key not in result]
    if missing:
        raise ValueError(f"benchmark result {result.get('name')!r} lacks {', '.join(missing)}")
    for figure in result["figures"]:
        for key in ("name", "value", "unit", "goal", "met"):
            if key not in figure:
                raise ValueError(f"figure {figure.get('name')!r} of {result['name']} lacks {key!r}")
        if figure["met"] not in (True, False, None):
            raise ValueError(f"figure {figure['name']!r}: met must be true, false or null")
    for table in result.get("tables", ()):
        width = len(table["columns"])
        if any(len(row) != width for row in table["rows"]):
            raise ValueError(f"table {table['title']!r} of {result['name']} has rows of the wrong width")


def load(path: Path) -> dict:
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("benchmarks"), dict):
            return data
    return {"benchmarks": {}}


def store(path: Path, result: dict) -> dict:
    """Put one benchmark's result into results.json (replacing its previous one); returns all results."""
    validate(result)
    data = load(path)
    data["benchmarks"][result["name"]] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def _fmt(value) -> str:
    if isinstance(value, float):
        if value == 0 or 0.01 <= abs(value) < 100000:
            return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
        return f"{value:.3g}"
    return str(value)


def _met(met) -> str:
    return {True: "yes", False: "**NO**", None: "n/a"}[met]


def _cell(value) -> str:
    return _fmt(value).replace("|", "\\|").replace("\n", " ")


def render(data: dict) -> str:
    """RESULTS.md from everything in results.json."""
    results = [data["benchmarks"][n] for n in ORDER if n in data["benchmarks"]]
    results += [r for n, r in sorted(data["benchmarks"].items()) if n not in ORDER]
    out = ["# Benchmark results", ""]
    out.append("Written by `bench/run.py` from `bench/results.json`; do not edit by hand.")
    out.append("Every figure is a median of repeated runs; spread = interquartile range / median.")
    out.append("")
    if not results:
        return "\n".join(out + ["No benchmark has been run yet: `make bench`."]) + "\n"
    out += ["## Summary", "", "| Benchmark | Figure | Value | Goal | Met |", "|---|---|---|---|---|"]
    for r in results:
        for f in r["figures"]:
            if f.get("goal"):
                out.append(f"| {r['title']} | {_cell(f['name'])} | {_cell(f['value'])} {f['unit']} | {_cell(f['goal'])} | {_met(f['met'])} |")
    out.append("")
    for r in results:
        m, g = r["machine"], r["git"]
        out += [f"## {r['title']}", ""]
        dirty = f" plus uncommitted changes in {len(g['dirty_src'])} src/ file(s)" if g.get("dirty_src") else ""
        out.append(f"- Run: {r['started']}, {r['seconds']:.0f} s, size `{r['size']}`, commit `{g['commit']}` ({g.get('subject', '')}){dirty}")
        load_note = ""
        if r.get("load_before") is not None:
            load_note = f"; 1-min load average {r['load_before']:.2f} before, {r.get('load_after', 0):.2f} after"
        out.append(
            f"- Machine: {m['nproc']} CPUs ({m.get('usable_cpus', m['nproc'])} usable), {m['cpu_model']}, "
            f"Python {m['python']}{load_note}"
        )
        out.append(f"- Reproduce: `{r['command']}`")
        out.append(f"- Baseline: {r['baseline']}")
        out += ["", "| Figure | Value | Goal | Met | Detail |", "|---|---|---|---|---|"]
        for f in r["figures"]:
            out.append(
                f"| {_cell(f['name'])} | {_cell(f['value'])} {f['unit']} | {_cell(f.get('goal') or '')} | "
                f"{_met(f['met']) if f.get('goal') else ''} | {_cell(f.get('detail', ''))} |"
            )
        for table in r.get("tables", ()):
            out += ["", f"**{table['title']}**", ""]
            out.append("| " + " | ".join(table["columns"]) + " |")
            out.append("|" + "---|" * len(table["columns"]))
            for row in table["rows"]:
                out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        if r.get("notes"):
            out += [""] + [f"- {note}" for note in r["notes"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(json_path: Path, md_path: Path, result: dict) -> None:
    data = store(json_path, result)
    md_path.write_text(render(data), encoding="utf-8")
