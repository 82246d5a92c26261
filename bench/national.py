"""Benchmark: a national rehearsal - one `noticecheck scan` of England's schools, simulated on loopback.

England has about 24,000 state-funded schools. `full` serves 24,000 pretend
school sites from bench/sites.py (each on its own 127.1.x.y address, or on a
shared hosting address 127.3.x.y with a port of its own), each publishing
2-4 notices (web page, PDF, Word in turn; about 3 per school), and runs the
real CLI over a school list of all of them to the end: fetching, checking in
the forked worker processes (--jobs, default the machine's cores), saving,
and writing the dashboard and exports. `quick` is a 2,400-school sample of
the same picture, `smoke` 24 schools with a short interval (plumbing only).

The hosting model (bench/sites.py --hosting long-tail). A quarter of schools
sit on a provider's shared server rather than a host of their own: many
schools buy their website from a handful of specialist companies, and a
provider's server (one IP) carries many schools' sites under different
names. The other three quarters have an address to themselves (a school's
own hosting, or a provider large enough to give each site its own address,
which per-IP politeness then treats as unshared). The shared quarter is
spread over 400 addresses with a long-tailed (Zipf-Mandelbrot) law: the
biggest server carries about 160-190 schools, a few dozen carry 50 or more,
most carry fewer than ten. Every school's address is drawn from that law by
a hash of its index, so the 2,400-school sample is a random tenth of the same
country. The law is not concentrated without limit on purpose: the biggest
server's 190 schools x ~7 requests at one per second (~22 minutes) is about
half of what the whole run needs for its CPU, so it shapes the run without
hiding everything else. A content delivery network that put thousands of
schools behind one address would make that address the whole floor (see
the README's arithmetic); that is a different question from how fast one
machine can go, so it is left out here.

What is measured (one run per size, on a shared machine: the load is in
RESULTS.md):
  - wall time, spawn to exit, against the politeness floor =
      max(most requests on one host or one IP x interval, request-seconds / C)
    (bench.la_scan.politeness_floor, from the requests the sites answered)
    and against the CPU floor = the scan's CPU seconds / usable cores;
  - CPU per school: the scan process and its reaped workers (wait4's rusage),
    and the sites server's separately;
  - peak RSS: ru_maxrss (the largest single process of the scan and its
    workers), and RSS sampled every few seconds: the scan process, and the
    sum over it and its workers;
  - schools per hour;
  - the share of wall time that was CPU-bound: sample intervals in which the
    machine's CPUs were at least 90% busy (whoever used them: the scan, its
    workers, the sites server, or other sessions).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import resource
import sqlite3
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.la_scan import AS_OF, NETWORK, RATIO_GOAL, RSS_GOAL_MB, SiteProcess, _run_facts, politeness_floor, write_school_list
from bench.machine import noticecheck_exe
from bench.procs import check_exit, run_measured
from bench.sites import SHARED_NETWORK, shared_group, site_address

HOSTING = "long-tail"
SHARED_IPS = 400
BUSY = 0.9  # a sample interval is CPU-bound when the machine's CPUs were at least this busy
NIGHT_HOURS = 10  # a night's window for the outgrowing arithmetic (e.g. 20:00-06:00)
SIZES = {
    "full": {"schools": 24000, "latency": (0.1, 0.3), "concurrency": 64, "interval": None, "sample": 5.0, "timeout": 4 * 3600},
    "quick": {"schools": 2400, "latency": (0.1, 0.3), "concurrency": 64, "interval": None, "sample": 2.0, "timeout": 3600},
    "smoke": {"schools": 24, "latency": (0.005, 0.01), "concurrency": 8, "interval": 0.05, "sample": 0.2, "timeout": 300},
}


def _site_processes(count: int) -> list[tuple[int, int]]:
    """(first site, how many) for each sites server: one process may not open more sockets than the
    hard file limit (a listening socket per site, plus connections), so a big run is split evenly."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    most = count if hard == resource.RLIM_INFINITY else max(256, hard - 2048)
    processes = -(-count // most)
    size = -(-count // processes)
    return [(first, min(size, count - first)) for first in range(0, count, size)]


def _hosting(count: int) -> dict:
    """How the simulated schools spread over the shared addresses."""
    sizes = sorted(Counter(g for i in range(count) if (g := shared_group(i, SHARED_IPS, HOSTING)) is not None).values(),
                   reverse=True)  # fmt: skip
    return {
        "shared": sum(sizes), "addresses": len(sizes), "biggest": sizes[:5],
        "median": statistics.median(sizes) if sizes else 0,
        "fifty_plus": sum(s >= 50 for s in sizes), "five_or_fewer": sum(s <= 5 for s in sizes),
    }  # fmt: skip


def _cpu_bound(tree: list[tuple[float, ...]], cpus: int) -> dict:
    """From TreeSampler samples: the share of intervals with the machine >= BUSY busy, and the scan tree's cores in use."""
    busy_time = total_time = 0.0
    scan_cores = []
    for before, after in zip(tree, tree[1:]):
        span = after[0] - before[0]
        machine = after[5] - before[5]
        if span <= 0 or machine <= 0:
            continue
        total_time += span
        if (after[4] - before[4]) / machine >= BUSY:
            busy_time += span
        scan_cores.append((after[3] - before[3]) / span)
    return {
        "share": busy_time / total_time if total_time else 0.0,
        "scan_cores_median": statistics.median(scan_cores) if scan_cores else 0.0,
        "cpus": cpus,
    }


def _progress(log: list[list], started: float, count: int) -> list[float]:
    """Seconds from the scan's start until 25, 50, 75 and 100% of schools had their last request answered."""
    last: dict[int, float] = defaultdict(float)
    for entry in log:
        last[entry[0]] = max(last[entry[0]], entry[3])
    done = sorted(last.values())
    return [done[min(len(done) - 1, max(0, round(f * count) - 1))] - started for f in (0.25, 0.5, 0.75, 1.0)] if done else []


def _busiest_ip(log: list[list], started: float) -> dict:
    """The address with the most requests: how many, and from when to when it was asked (seconds from spawn)."""
    by_ip: dict[str, list[list]] = defaultdict(list)
    for entry in log:
        by_ip[site_address(entry[0], 0, SHARED_IPS, HOSTING)[0]].append(entry)
    address, entries = max(by_ip.items(), key=lambda kv: len(kv[1]))
    first, last = min(e[2] for e in entries), max(e[3] for e in entries)
    return {"address": address, "requests": len(entries), "first": first - started, "last": last - started}


def _at(samples: list[tuple[float, ...]], fraction: float, column: int) -> float | None:
    if not samples:
        return None
    end = samples[-1][0]
    return next((s[column] for s in samples if s[0] >= fraction * end), samples[-1][column])


def rehearse(settings: dict, tmp: Path, exe: list[str] | None = None) -> dict:
    """Serve the sites, scan them all with the CLI, and gather what the report needs."""
    count, latency, concurrency = settings["schools"], settings["latency"], settings["concurrency"]
    cpus = len(os.sched_getaffinity(0))
    extra = ("--shared-groups", str(SHARED_IPS), "--hosting", HOSTING, "--documents", "many")
    parts = _site_processes(count)
    print(f"   national rehearsal: {count} schools ({len(parts)} sites processes) in {tmp}", flush=True)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(SiteProcess(n, latency, tmp / f"requests-{first}.json", (*extra, "--first", str(first))))
                   for first, n in parts]  # fmt: skip
        starts = [first for first, _n in parts]
        schools = write_school_list(tmp / "schools.csv", count, lambda i: servers[bisect.bisect_right(starts, i) - 1].port,
                                    SHARED_IPS, HOSTING)  # fmt: skip
        argv = [*(exe or noticecheck_exe()), "scan", str(schools), "--db", str(tmp / "scan.sqlite"),
                "--out", str(tmp / "reports"), "--concurrency", str(concurrency), "--allow-network", NETWORK,
                "--allow-network", SHARED_NETWORK, "--as-of", AS_OF, "--quiet"]  # fmt: skip
        if settings["interval"] is not None:
            argv += ["--per-host-interval", str(settings["interval"])]
        with open(tmp / "scan-stdout.txt", "w") as out:
            measured = check_exit(run_measured(argv, cwd=str(tmp), sample_tree=settings["sample"],
                                               timeout=settings["timeout"], stdout=out))  # fmt: skip
    statuses, options = _run_facts(tmp / "scan.sqlite")
    with sqlite3.connect(tmp / "scan.sqlite") as conn:
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    log = [entry for sites in servers for entry in sites.requests()]
    interval = float(options["per_host_interval"])
    floor = politeness_floor(log, latency, interval, concurrency, SHARED_IPS, HOSTING)
    first, last = min(e[2] for e in log), max(e[3] for e in log)
    tree = measured.tree
    return {
        "schools": count, "latency": latency, "interval": interval, "concurrency": concurrency, "cpus": cpus,
        "wall": measured.wall, "cpu": measured.cpu, "sites_cpu": sum(sites.cpu for sites in servers), "peak_rss": measured.max_rss_mb,
        "tree": tree, "startup": first - measured.started, "scan_phase": last - first, "tail": measured.ended - last,
        "statuses": statuses, "documents": documents, "hosting": _hosting(count), **floor,
        "progress": _progress(log, measured.started, count), "cpu_bound": _cpu_bound(tree, cpus),
        "busiest_ip": _busiest_ip(log, measured.started), "db_mb": (tmp / "scan.sqlite").stat().st_size / 2**20,
        "summary_line": ((tmp / "scan-stdout.txt").read_text().splitlines() or [""])[0],
    }  # fmt: skip


RAW_ENV = "NOTICECHECK_BENCH_NATIONAL_RAW"  # if set: also write the rehearsal's raw measurements there (JSON)


def run(size: str = "full") -> dict:
    settings = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="nc-bench-national-") as tmp:
        r = rehearse(settings, Path(tmp))
    if os.environ.get(RAW_ENV):
        Path(os.environ[RAW_ENV]).write_text(json.dumps(r), encoding="utf-8")
    return report(r, size)


def report(r: dict, size: str) -> dict:
    """The result dict for RESULTS.md from one rehearsal."""
    n, wall = r["schools"], r["wall"]
    cpu_floor = r["cpu"] / r["cpus"]
    floor = r["floor"]
    per_school = r["cpu"] / n
    tree_peak = max((s[2] for s in r["tree"]), default=0.0)
    own_peak = max((s[1] for s in r["tree"]), default=0.0)
    bound = r["cpu_bound"]
    statuses = ", ".join(f"{k} {s}" for s, k in sorted(r["statuses"].items(), key=lambda kv: -kv[1]))
    h = r["hosting"]
    figures = [
        {"name": f"{n} schools: wall / politeness floor", "value": round(wall / floor, 3), "unit": "x",
         "goal": f"<= {RATIO_GOAL}", "met": wall / floor <= RATIO_GOAL,
         "detail": f"wall {wall:.1f} s; floor {floor:.1f} s ({r['binds']} binds: most on one IP {r['ip_max']} requests, "
                   f"request-s / C {r['work']:.1f} s); scan phase / floor {r['scan_phase'] / floor:.2f}; "
                   f"wall / max(politeness floor, CPU floor) {wall / max(floor, cpu_floor):.2f}"},
        {"name": f"{n} schools: wall / CPU floor (scan CPU / usable cores)", "value": round(wall / cpu_floor, 3), "unit": "x",
         "goal": "", "met": None,
         "detail": f"scan + workers {r['cpu']:.1f} CPU s over {r['cpus']} cores = {cpu_floor:.1f} s"},
        {"name": f"{n} schools: CPU per school (scan process + workers)", "value": round(per_school, 3), "unit": "s",
         "goal": "", "met": None,
         "detail": f"{r['cpu']:.0f} CPU s / {n} schools; the sites server used another {r['sites_cpu'] / n:.3f} s per school"},
        {"name": f"{n} schools: schools per hour", "value": round(n / wall * 3600), "unit": "schools/h", "goal": "", "met": None,
         "detail": f"{n} schools in {wall / 60:.1f} min, spawn to exit"},
        {"name": f"{n} schools: peak RSS (ru_maxrss, largest of scan and workers)", "value": round(r["peak_rss"], 1),
         "unit": "MB", "goal": f"<= {RSS_GOAL_MB:.0f}", "met": r["peak_rss"] <= RSS_GOAL_MB,
         "detail": f"sampled every {SIZES[size]['sample']:g} s: scan process {own_peak:.0f} MB, scan + workers summed {tree_peak:.0f} MB"},
        {"name": f"{n} schools: share of wall time CPU-bound", "value": round(100 * bound["share"], 1), "unit": "%",
         "goal": "", "met": None,
         "detail": f"sample intervals with the machine's CPUs >= {BUSY:.0%} busy (by anyone); the scan and its workers "
                   f"used a median {bound['scan_cores_median']:.2f} of {r['cpus']} cores, {r['cpu'] / (wall * r['cpus']):.0%} "
                   "of the machine over the wall time"},
    ]  # fmt: skip
    run_row = [n, h["shared"], h["addresses"], r["requests"], r["documents"], r["host_max"], r["ip_max"],
               round(r["work"]), round(floor), r["binds"], round(cpu_floor), round(wall), round(r["startup"], 1),
               round(r["scan_phase"]), round(r["tail"], 1), round(r["cpu"]), round(r["sites_cpu"]),
               round(r["min_gap"], 3), r["violations"], round(r.get("db_mb", 0)), statuses]  # fmt: skip
    rss_row = [n] + [round(v, 1) if (v := _at(r["tree"], f, 1)) is not None else "" for f in (0.1, 0.25, 0.5, 0.75, 1.0)]
    rss_row += [round(own_peak, 1), round(tree_peak, 1), round(r["peak_rss"], 1)]
    progress_row = [n] + [round(t) for t in r["progress"]]
    notes = [
        f"Hosting: {h['shared']} of {n} schools on {h['addresses']} shared addresses (127.3.x.y, a port per school); "
        f"biggest {', '.join(map(str, h['biggest']))} schools; median {h['median']:g}; {h['fifty_plus']} with 50 or more, "
        f"{h['five_or_fewer']} with 5 or fewer. The rest have an address each (127.1.x.y). Why this shape: the module "
        "docstring of bench/national.py.",
        f"Each school: robots.txt, home page, /sitemap.xml (404), policies page, and 2-4 notices (web page, PDF, Word in "
        f"turn); pages are the small ones of bench/sites.py; {r['latency'][0] * 1000:.0f}-{r['latency'][1] * 1000:.0f} ms "
        f"latency per site; no TLS. Interval {r['interval']:g} s per host and per IP"
        f"{' (the default)' if r['interval'] == 1 else ''}, --concurrency "
        f"{r['concurrency']}, --jobs default ({r['cpus']}); HTTP cache on (the default).",
        "Politeness floor = max(most requests on one host or one IP x interval, request-seconds / C), from the requests "
        "the sites answered (bench.la_scan.politeness_floor). CPU floor = CPU seconds of the scan and its workers / usable "
        "cores: the least wall time if they had the machine to themselves. The machine is shared with other sessions; "
        "the sites server runs on the same cores.",
        "Wall = spawn to exit of `noticecheck scan`: start-up (until the first request), the scan phase (first request "
        "to last answer), and the tail (saving the run, writing the dashboard and exports).",
    ]  # fmt: skip
    if busiest := r.get("busiest_ip"):
        span = busiest["last"] - busiest["first"]
        notes.append(
            f"The busiest address ({busiest['address']}, {busiest['requests']} requests, floor "
            f"{busiest['requests'] * r['interval']:.1f} s) was asked from {busiest['first']:.1f} s to {busiest['last']:.1f} s "
            f"after spawn: {span:.1f} s, {span / max(busiest['requests'] * r['interval'], 1e-9):.2f} x its own floor."
        )
    if r["violations"]:
        notes.append(
            f"{r['violations']} requests on one host or IP arrived less than the interval (by more than 10 ms) after "
            f"the previous one arrived, or before its answer was sent ({r.get('overlaps', 0)} overlaps; shortest gap "
            f"{r['min_gap']:.3f} s; politeness broken?). Gaps are measured start to start from the sites' own arrival "
            "stamps (bench.la_scan.spacing); on a machine this loaded the server's event loop can stamp an arrival late."
        )
    if r["statuses"].get("checked", 0) != n:
        notes.append(f"Not every school was checked: {statuses}")
    # The outgrowing arithmetic, from this run's measured figures.
    night = NIGHT_HOURS * 3600
    by_cpu = night * r["cpus"] / r["cpu"] * n
    per_school_requests = r["requests"] / n
    notes.append(
        f"Outgrowing one machine: at {per_school:.2f} CPU s per school, a {NIGHT_HOURS}-hour night on {r['cpus']} free "
        f"cores checks about {by_cpu:,.0f} schools if CPU is all that binds; at {per_school_requests:.1f} requests per "
        f"school and {r['interval']:g} s per request per IP, one shared server fits "
        f"{night / (per_school_requests * r['interval']):,.0f} of its schools "
        f"in that night, and {r['concurrency']} requests in flight at {statistics.mean(r['latency']) * 1000:.0f} ms "
        f"fit about {night * r['concurrency'] / (per_school_requests * statistics.mean(r['latency'])):,.0f} schools."
    )
    return {
        "baseline": "the politeness floor and the CPU floor of the same run (formulas below and in bench/national.py)",
        "figures": figures,
        "tables": [
            {"title": "The rehearsal", "columns": [
                "schools", "on shared IPs", "shared IPs", "requests", "notices stored", "most on one host",
                "most on one IP", "request-s / C", "politeness floor s", "binds", "CPU floor s", "wall s", "startup s",
                "scan phase s", "tail s", "scan + workers CPU s", "sites CPU s", "min gap s", "gaps < interval",
                "database MB", "statuses"], "rows": [run_row]},
            {"title": "RSS over time (MB; scan process at each share of wall time, and peaks)", "columns": [
                "schools", "at 10%", "at 25%", "at 50%", "at 75%", "at end", "scan process peak (sampled)",
                "scan + workers summed peak (sampled)", "peak (ru_maxrss)"], "rows": [rss_row]},
            {"title": "Progress (seconds from spawn until this share of schools had its last request answered)",
             "columns": ["schools", "25%", "50%", "75%", "100%"], "rows": [progress_row] if r["progress"] else []},
        ],  # fmt: skip
        "notes": notes,
    }
