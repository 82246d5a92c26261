"""Benchmark 3: a real `noticecheck scan` of hundreds or thousands of school websites on loopback.

bench/sites.py serves every site from one asyncio process, each on its own
127.1.x.y address (so politeness per host and per IP both apply per site),
with a fixed 100-300 ms latency per site. The scan runs as the real CLI with
the default politeness (1 request per second per host), --concurrency 64
(the most the CLI allows) and --allow-network 127.1.0.0/16, on a generated
minimal `name,website,urn` CSV. Wall time is spawn to exit of the scan
process (start-up, scanning, and writing the dashboard and exports); peak
RSS is the kernel's ru_maxrss for that process.

The lower bound. The scanner sends one site's requests one after another,
each starting at least `interval` after the previous one started and never
before the previous answer is in. With site h answering n_h requests
(counted by the server) with latency L_h:

    T_h  = (n_h - 1) * max(interval, L_h) + L_h    the least time site h can take
    wall >= max_h T_h                           (per-host politeness bound)
    wall >= sum_h T_h / C                       (C workers, each busy T_h per school)
    LB   = max(max_h T_h, sum_h T_h / C)

With hundreds of similar sites and C = 64 the second term binds. For
comparison the table also gives the bound a design that did not hold a
worker during politeness waits could reach, max(max_h T_h, sum n_h*L_h / C).
The goal is wall / LB <= 1.25 at 600 schools.

The 5,000-school run (for memory) uses 10-30 ms latency so that it takes
about 6 minutes; politeness stays at the default.

The realistic LA (issue 11's goal 1, `floor_scan`): 600 schools, one in four
on one of five shared hosting IPs, 2-4 notices each, 30-150 KB pages,
real-size PDF and Word notices, 100-300 ms latency, HTTPS with a certificate
made at run time and trusted through `scan --ca-bundle` (bench/sites.py has
the details). Its figure is wall / the politeness floor, the least any
scanner keeping 1 request/s per host and per IP and C requests in flight
could take: max(most requests on one host or IP x interval, request-seconds
/ C). With NOTICECHECK_BENCH_BASELINE set, that executable scans the same
sites in the same run (over plain HTTP if it has no --ca-bundle, beside this
checkout's own plain-HTTP run).

Politeness is checked from the sites' own log: per host and per IP, a request
arriving less than the interval after the previous one arrived (beyond a
10 ms stamping tolerance), or before the previous answer was sent (overlap).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.machine import REPO, noticecheck_exe, python_exe
from bench.procs import check_exit, run_measured
from bench.sites import SHARED_NETWORK, make_certificate, shared_group, site_address, site_host, site_latency
from bench.stats import describe, summary

RATIO_GOAL = 1.25
RSS_GOAL_MB = 300.0
FLAT_GOAL = 1.25  # peak RSS at the large size / at the small size
CONCURRENCY = 64
GAP_TOLERANCE = 0.01  # seconds: the sites' clock stamps are a little late when their event loop is busy
AS_OF = "2026-11-24"
NETWORK = "127.1.0.0/16"
SIZES = {
    # scales: (schools, latency range, repeats)
    "full": {"scales": [(600, (0.1, 0.3), 3), (5000, (0.01, 0.03), 1)], "concurrency": CONCURRENCY, "interval": None},
    "quick": {"scales": [(192, (0.1, 0.3), 1), (768, (0.01, 0.03), 1)], "concurrency": CONCURRENCY, "interval": None},
    "smoke": {"scales": [(4, (0.01, 0.02), 1), (8, (0.005, 0.01), 1)], "concurrency": 4, "interval": 0.05},
}


def write_school_list(path: Path, count: int, port: int | Callable[[int], int], groups: int = 0,
                      hosting: str = "every-fourth", scheme: str = "http") -> Path:
    """A name,website,urn CSV of sites 0..count-1; `port` is the sites' base port, or a function giving site i's."""
    base = port if callable(port) else (lambda _i: port)
    lines = ["name,website,urn"]
    lines += [f"Bench School {i + 1:04d},{scheme}://{':'.join(map(str, site_address(i, base(i), groups, hosting)))}/,{900001 + i}"
              for i in range(count)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((site_host(0), 0))
        return s.getsockname()[1]


class SiteProcess:
    """bench/sites.py in a child process: started on a free port, stopped with its request log and CPU use."""

    def __init__(self, count: int, latency: tuple[float, float], log: Path, extra: tuple[str, ...] = ()):
        self.count, self.latency, self.log, self.extra = count, latency, log, extra
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.cpu = 0.0
        self.errors = open(log.with_suffix(".stderr"), "w")  # noqa: SIM115 (closed in __exit__)

    def __enter__(self) -> SiteProcess:
        for _attempt in range(5):
            self.port = _free_port()
            self.proc = subprocess.Popen(
                [python_exe(), "-m", "bench.sites", "--count", str(self.count), "--port", str(self.port),
                 "--latency", str(self.latency[0]), str(self.latency[1]), "--log", str(self.log), *self.extra],
                cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True,
            )  # fmt: skip
            line = self.proc.stdout.readline().strip()
            if line.startswith("ready"):
                return self
            self.proc.wait()
            if not line.startswith("error"):
                raise RuntimeError(f"the loopback sites did not start (said {line!r}): {self.stderr()}")
        raise RuntimeError("could not find a free port for the loopback sites")

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.write("stop\n")
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            _pid, _status, usage = os.wait4(self.proc.pid, 0)
            self.proc.returncode = os.waitstatus_to_exitcode(_status)
            self.cpu = usage.ru_utime + usage.ru_stime
        except ChildProcessError:
            pass
        self.errors.close()

    def stderr(self) -> str:
        self.errors.flush()
        return self.log.with_suffix(".stderr").read_text()[-3000:]

    def requests(self) -> list[list]:
        return json.loads(self.log.read_text())

    def loop_stalls(self) -> dict:
        """How late the sites' event loop ran ({"stalls_over_5ms": n, "worst_stall": seconds})."""
        path = self.log.with_suffix(".loop.json")
        return json.loads(path.read_text()) if path.exists() else {"stalls_over_5ms": 0, "worst_stall": 0.0}


def chain_seconds(latencies: list[float], interval: float) -> float:
    """The least time one host or IP needs for requests with these latencies, in this order: each
    starts `interval` after the previous one started, and not before the previous answer is in."""
    if not latencies:
        return 0.0
    return sum(max(interval, lat) for lat in latencies[:-1]) + latencies[-1]


def spacing(entries: list[list], interval: float) -> tuple[float, int, int]:
    """(shortest start-to-start gap, requests too soon, overlapping requests) in one host's or IP's
    log entries [site, path, arrived, finished, status], sorted by arrival. Too soon: it arrived
    less than the interval after the previous one arrived, beyond GAP_TOLERANCE (the sites stamp a
    request when their event loop gets to it, a little late when it is busy). Overlapping: it
    arrived before the previous answer was handed to the socket, which no tolerance excuses."""
    shortest, soon, overlaps = float("inf"), 0, 0
    for before, after in zip(entries, entries[1:]):
        gap = after[2] - before[2]
        shortest = min(shortest, gap)
        soon += gap < interval - GAP_TOLERANCE
        overlaps += after[2] < before[3]
    return shortest, soon, overlaps


def lower_bounds(log: list[list], count: int, latency: tuple[float, float], interval: float, concurrency: int) -> dict:
    """The bounds of the module docstring, from the requests each site actually answered."""
    per_site: dict[int, list[list]] = defaultdict(list)
    for entry in log:
        per_site[entry[0]].append(entry)
    chains, latencies, counts = [], [], []
    min_gap = float("inf")
    too_soon = overlapping = 0
    for site in range(count):
        entries = sorted(per_site.get(site, ()), key=lambda e: e[2])
        n = len(entries)
        lat = site_latency(site, *latency)
        counts.append(n)
        latencies.append(n * lat)
        chains.append(chain_seconds([lat] * n, interval))
        gap, soon, overlaps = spacing(entries, interval)
        min_gap = min(min_gap, gap)
        too_soon += soon
        overlapping += overlaps
    per_host = max(chains)
    workers = sum(chains) / concurrency
    free_waits = max(per_host, sum(latencies) / concurrency)
    return {
        "per_host": per_host,
        "concurrency": workers,
        "bound": max(per_host, workers),
        "binds": "concurrency (sum T_h / C)" if workers >= per_host else "per-host (max T_h)",
        "free_waits": free_waits,
        "requests": sum(counts),
        "per_school": summary(counts),
        "min_gap": min_gap,
        "violations": too_soon + overlapping,
        "too_soon": too_soon,
        "overlaps": overlapping,
    }


def _run_facts(db: Path) -> tuple[dict[str, int], dict]:
    """(schools per status, the run's stored settings) from the scan's own database."""
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("SELECT status, count(*) FROM schools GROUP BY status").fetchall())
        options = json.loads(conn.execute("SELECT options FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    return statuses, options


def _scan(count: int, latency: tuple[float, float], concurrency: int, interval: float | None, tmp: Path,
          exe: list[str], groups: int = 0, realistic: bool = False, tls: bool = False):
    """Serve `count` loopback school sites and scan them with `exe`: (measured process, the stopped
    sites, statuses, the run's options). `groups` > 0: that many shared hosting IPs, and 2-4 notices
    per school; `realistic`: 30-150 KB pages and real-size PDF/Word notices; `tls`: HTTPS with a
    certificate made now for the sites' addresses, trusted by the scan through --ca-bundle."""
    tmp.mkdir(parents=True, exist_ok=True)
    extra = ("--shared-groups", str(groups), "--documents", "many") if groups else ()
    if realistic:
        extra += ("--pages", "realistic", "--document-size", "real")
    trust: tuple[str, ...] = ()
    if tls:
        cert, key = make_certificate(tmp, count, groups)
        extra += ("--tls", cert, key)
        trust = ("--ca-bundle", cert)
    networks = ("--allow-network", NETWORK) + (("--allow-network", SHARED_NETWORK) if groups else ())
    with SiteProcess(count, latency, tmp / "requests.json", extra) as sites:
        schools = write_school_list(tmp / "schools.csv", count, sites.port, groups, scheme="https" if tls else "http")
        argv = [*exe, "scan", str(schools), "--db", str(tmp / "scan.sqlite"), "--out", str(tmp / "reports"),
                "--concurrency", str(concurrency), *networks, *trust, "--as-of", AS_OF, "--quiet"]  # fmt: skip
        if interval is not None:
            argv += ["--per-host-interval", str(interval)]
        with open(tmp / "scan-stdout.txt", "w") as out:
            measured = check_exit(run_measured(argv, cwd=str(tmp), sample_rss=1.0, timeout=3600, stdout=out))
    statuses, options = _run_facts(tmp / "scan.sqlite")
    return measured, sites, statuses, options


def supports_tls_option(exe: list[str]) -> bool:
    """Whether this noticecheck's scan has --ca-bundle (main before it cannot trust the sites' certificate)."""
    shown = subprocess.run([*exe, "scan", "--help"], capture_output=True, text=True, timeout=120)
    return "--ca-bundle" in shown.stdout


def scan_once(count: int, latency: tuple[float, float], concurrency: int, interval: float | None, tmp: Path,
              exe: list[str] | None = None) -> dict:
    measured, sites, statuses, options = _scan(count, latency, concurrency, interval, tmp, exe or noticecheck_exe())
    log = sites.requests()
    used_interval = float(options["per_host_interval"])
    bounds = lower_bounds(log, count, latency, used_interval, concurrency)
    floor = politeness_floor(log, latency, used_interval, concurrency, 0)["floor"]
    first = min(e[2] for e in log)
    last = max(e[3] for e in log)
    return {
        "schools": count,
        "latency": latency,
        "interval": used_interval,
        "http_cache": bool(options.get("cache_path")),
        "wall": measured.wall,
        "cpu": measured.cpu,
        "server_cpu": sites.cpu,
        "peak_rss": measured.max_rss_mb,
        "rss_samples": measured.samples,
        **sites.loop_stalls(),
        "startup": first - measured.started,
        "scan_phase": last - first,
        "tail": measured.ended - last,
        "statuses": statuses,
        "summary_line": (tmp / "scan-stdout.txt").read_text().splitlines()[0] if (tmp / "scan-stdout.txt").read_text() else "",
        **bounds,
        "ratio": measured.wall / bounds["bound"],
        "floor": floor,
        "floor_ratio": measured.wall / floor,
    }


def politeness_notes(label: str, r: dict) -> list[str]:
    """What a run's server-side log says against politeness, in words (nothing when it held)."""
    notes = []
    if r["overlaps"]:
        notes.append(f"{label}: {r['overlaps']} requests reached a host or IP before its previous answer was sent "
                     "(politeness broken: overlap)")  # fmt: skip
    if r["too_soon"]:
        notes.append(f"{label}: {r['too_soon']} requests were stamped more than {GAP_TOLERANCE * 1000:.0f} ms under the "
                     f"interval after the previous one to their host or IP started (shortest gap {r['min_gap']:.3f} s); "
                     f"the sites' event loop ran up to {r['worst_stall'] * 1000:.0f} ms late ({r['stalls_over_5ms']} times "
                     "over 5 ms), and a request arriving then is stamped that much late, the gap after it that much short")  # fmt: skip
    return notes


def _scanning_peak(run: dict) -> float | None:
    """Highest sampled RSS until the last request was answered (before saving the run's reports)."""
    until = run["startup"] + run["scan_phase"]
    during = [mb for t, mb in run["rss_samples"] if t <= until]
    return max(during) if during else None


def _rss_at(samples: list[tuple[float, float]], fraction: float) -> float | None:
    if not samples:
        return None
    end = samples[-1][0]
    return next((mb for t, mb in samples if t >= fraction * end), samples[-1][1])


# -- the politeness floor: a realistic LA with shared hosting ----------------------------

SHARED_GROUPS = 5  # one school in four sits on one of five shared hosting addresses
# The realistic LA (issue 11): shared hosting, 2-4 notices per school, 30-150 KB pages, real-size
# PDF and Word notices, HTTPS. (schools, latency, interval or None for the scan's default)
FLOOR_SCALES = {"full": (600, (0.1, 0.3), None), "quick": (600, (0.1, 0.3), None), "smoke": (6, (0.01, 0.02), 0.05)}
# Set to another noticecheck executable (e.g. main's .venv/bin/noticecheck) to scan the same
# simulated LA with it too, in the same benchmark run: the before/after ratio.
BASELINE_ENV = "NOTICECHECK_BENCH_BASELINE"


def politeness_floor(log: list[list], latency: tuple[float, float], interval: float, concurrency: int, groups: int,
                     hosting: str = "every-fourth") -> dict:
    """The politeness floor for the requests the sites answered, and whether politeness held.

    floor = max(largest request count on one host or one IP x interval,
                request-seconds (sum of every answered request's latency) / C)
    A key's next request also waits for its previous answer, so one key really
    needs max(interval, latency) per request but the last, plus the last one's
    latency: `chain_floor` uses that instead of n x interval.
    """
    by_host: dict[tuple[str, int], list[list]] = defaultdict(list)
    by_ip: dict[str, list[list]] = defaultdict(list)
    busy = 0.0
    for entry in log:
        address, port = site_address(entry[0], 0, groups, hosting)
        by_host[(address, port)].append(entry)
        by_ip[address].append(entry)
        busy += site_latency(entry[0], *latency)

    def chain(entries: list[list]) -> float:
        return chain_seconds([site_latency(e[0], *latency) for e in sorted(entries, key=lambda e: e[2])], interval)

    host_n = max(len(v) for v in by_host.values())
    ip_n = max(len(v) for v in by_ip.values())
    work = busy / concurrency
    floor = max(max(host_n, ip_n) * interval, work)
    chain_floor = max(max(map(chain, by_host.values())), max(map(chain, by_ip.values())), work)
    min_gap, soon, overlaps = float("inf"), 0, 0
    for group in (*by_host.values(), *by_ip.values()):
        gap, too_soon, overlapping = spacing(sorted(group, key=lambda e: e[2]), interval)
        min_gap = min(min_gap, gap)
        soon += too_soon
        overlaps += overlapping
    violations = soon + overlaps
    binds = "per-IP" if ip_n * interval >= max(host_n * interval, work) else (
        "per-host" if host_n * interval >= work else "concurrency")
    return {
        "floor": floor, "chain_floor": chain_floor, "binds": binds, "host_max": host_n, "ip_max": ip_n,
        "work": work, "requests": len(log), "min_gap": min_gap, "violations": violations, "too_soon": soon,
        "overlaps": overlaps,
    }  # fmt: skip


def floor_scan(count: int, latency: tuple[float, float], concurrency: int, interval: float | None, tmp: Path, exe: list[str],
               tls: bool = True) -> dict:
    """One scan of the realistic LA (shared hosting, 2-4 notices per school, large pages, real-size
    documents, HTTPS unless `tls` is False) with `exe`."""
    measured, sites, statuses, options = _scan(count, latency, concurrency, interval, tmp, exe, groups=SHARED_GROUPS,
                                               realistic=True, tls=tls)  # fmt: skip
    log = sites.requests()
    used = float(options["per_host_interval"])
    floor = politeness_floor(log, latency, used, concurrency, SHARED_GROUPS)
    first, last = min(e[2] for e in log), max(e[3] for e in log)
    return {
        "schools": count, "shared": sum(shared_group(i, SHARED_GROUPS) is not None for i in range(count)),
        "wall": measured.wall, "scan_phase": last - first, "cpu": measured.cpu, "peak_rss": measured.max_rss_mb,
        "statuses": statuses, "interval": used, "tls": tls, "server_cpu": sites.cpu, **floor, **sites.loop_stalls(),
        "ratio": measured.wall / floor["floor"], "scan_ratio": (last - first) / floor["floor"],
    }  # fmt: skip


def run_floor(size: str, concurrency: int, tmp: Path) -> tuple[list[dict], list[dict]]:
    """(runs with this checkout, runs with the baseline executable), back to back, baseline first.

    This checkout scans the realistic LA over HTTPS and, when a baseline is given, also over plain
    HTTP: a baseline without --ca-bundle cannot trust the sites' certificate, so it scans the same
    sites over plain HTTP, and this checkout's plain-HTTP run is the like-for-like comparison."""
    if size not in FLOOR_SCALES:
        return [], []
    count, latency, interval = FLOOR_SCALES[size]
    baseline = os.environ.get(BASELINE_ENV)
    ours, theirs = [], []
    if baseline:
        tls = supports_tls_option([baseline])
        theirs.append(floor_scan(count, latency, concurrency, interval, tmp / "floor-baseline", [baseline], tls=tls))
        if not tls:
            ours.append(floor_scan(count, latency, concurrency, interval, tmp / "floor-plain", noticecheck_exe(), tls=False))
    ours.insert(0, floor_scan(count, latency, concurrency, interval, tmp / "floor", noticecheck_exe()))
    return ours, theirs


def _floor_report(ours: list[dict], theirs: list[dict], figures: list, notes: list) -> dict | None:
    if not ours:
        return None
    rows = []
    for label, runs in (("this checkout", ours), (f"baseline ({os.environ.get(BASELINE_ENV)})", theirs)):
        for r in runs:
            statuses = ", ".join(f"{n} {s}" for s, n in sorted(r["statuses"].items(), key=lambda kv: -kv[1]))
            rows.append([label, "HTTPS" if r["tls"] else "HTTP", r["schools"], r["shared"], r["requests"], r["host_max"],
                         r["ip_max"], round(r["work"], 1), round(r["floor"], 1), r["binds"], round(r["chain_floor"], 1),
                         round(r["wall"], 1), round(r["scan_phase"], 1), round(r["ratio"], 3), round(r["scan_ratio"], 3),
                         round(r["wall"] / r["chain_floor"], 3), round(r["min_gap"], 3), r["too_soon"], r["overlaps"],
                         round(r["worst_stall"] * 1000), round(r["cpu"], 1), round(r["cpu"] / r["wall"], 2), round(r["server_cpu"], 1),
                         round(r["peak_rss"], 1), statuses])  # fmt: skip
            notes += politeness_notes(f"realistic LA ({label}, {'HTTPS' if r['tls'] else 'HTTP'})", r)
            if r["statuses"].get("checked", 0) != r["schools"]:
                notes.append(f"realistic LA ({label}): not every school was checked ({statuses})")
    r = ours[0]
    scenario = f"realistic LA, {r['schools']} schools ({r['shared']} on {SHARED_GROUPS} shared IPs, 2-4 notices, 30-150 KB pages"
    figures.append({
        "name": f"{scenario}, {'HTTPS' if r['tls'] else 'HTTP'}): wall / politeness floor", "value": round(r["ratio"], 3),
        "unit": "x", "goal": f"<= {RATIO_GOAL}", "met": r["ratio"] <= RATIO_GOAL,
        "detail": f"wall {r['wall']:.1f} s, floor {r['floor']:.1f} s ({r['binds']} binds); scan phase / floor "
                  f"{r['scan_ratio']:.3f}; wall / floor with latencies {r['wall'] / r['chain_floor']:.3f}; "
                  f"scan CPU {r['cpu']:.0f} s in {r['wall']:.0f} s wall",
    })  # fmt: skip
    plain = next((x for x in ours if not x["tls"]), None)
    if plain is not None and plain is not r:
        figures.append({
            "name": "realistic LA over plain HTTP: wall / politeness floor", "value": round(plain["ratio"], 3), "unit": "x",
            "goal": "", "met": None,
            "detail": f"wall {plain['wall']:.1f} s, floor {plain['floor']:.1f} s; HTTPS wall / HTTP wall "
                      f"{r['wall'] / plain['wall']:.3f}",
        })  # fmt: skip
    if theirs:
        t = theirs[0]
        same = next((x for x in ours if x["tls"] == t["tls"]), r)
        figures.append({
            "name": "realistic LA: baseline wall / this checkout's wall", "value": round(t["wall"] / same["wall"], 3),
            "unit": "x", "goal": "", "met": None,
            "detail": f"both over {'HTTPS' if t['tls'] else 'plain HTTP'}: baseline wall {t['wall']:.1f} s "
                      f"({t['ratio']:.3f} x its floor {t['floor']:.1f} s), this checkout {same['wall']:.1f} s",
        })  # fmt: skip
    notes.append(
        "Realistic LA: every fourth school is hosted on one of 5 shared loopback addresses (127.3.0.1-5, a port per "
        "school), so the per-IP limit binds; each policies page links 2-4 notices (web page, PDF, Word in turn) among "
        "20 other policies; every HTML page is 30-150 KB of school-CMS markup (inline CSS and scripts, a ~90-link menu, "
        "a footer of ~45 links, events, a news feed on the home page); PDF notices are 130-400 KB (a letterhead logo on "
        "each of their 1-5 pages), Word notices 50-200 KB (a logo in the header); 100-300 ms latency; HTTPS with a "
        "certificate made at run time for the sites' addresses, trusted through `scan --ca-bundle`. Politeness floor = "
        "max(largest per-host or per-IP request count x interval, request-seconds / C); 'floor with latencies' adds "
        "what a key's own answers cost: max(interval, latency) per request but the last, plus the last one's latency. "
        "Baseline and this checkout scan the same sites back to back in one benchmark run; a baseline without "
        "--ca-bundle scans them over plain HTTP, beside this checkout's own plain-HTTP run."
    )
    return {"title": "Realistic LA against the politeness floor", "columns": [
        "scanner", "transport", "schools", "on shared IPs", "requests", "most on one host", "most on one IP",
        "request-s / C", "floor s", "binds", "floor with latencies s", "wall s", "scan phase s", "wall / floor",
        "scan phase / floor", "wall / floor with latencies", "min start-to-start gap s", "gaps under interval",
        "overlaps", "sites' worst loop stall ms",
        "scan CPU s", "scan CPU / wall", "sites CPU s", "peak RSS MB", "statuses"],
        "rows": rows}  # fmt: skip


def run(size: str = "full") -> dict:
    settings = SIZES[size]
    concurrency = settings["concurrency"]
    scales = []
    with tempfile.TemporaryDirectory(prefix="nc-bench-scan-") as tmp:
        for count, latency, repeats in settings["scales"]:
            runs = [scan_once(count, latency, concurrency, settings["interval"], Path(tmp, f"{count}-{r}"))
                    for r in range(repeats)]  # fmt: skip
            scales.append(runs)
        floor_ours, floor_theirs = run_floor(size, concurrency, Path(tmp))
        baseline = os.environ.get(BASELINE_ENV)
        count, latency, _repeats = settings["scales"][0]
        before = (scan_once(count, latency, concurrency, settings["interval"], Path(tmp, "baseline"), [baseline])
                  if baseline and size != "smoke" else None)  # fmt: skip

    figures, rows, rss_rows, notes = [], [], [], []
    notes.append("The scan checks notices in forked worker processes (--jobs, default: the usable cores); peak RSS is "
                 "the kernel's ru_maxrss for the scan process and its reaped workers, i.e. the largest single process, "
                 "not their sum (the workers share the scan process's pages until they write to them).")
    peaks = []
    for index, runs in enumerate(scales):
        count = runs[0]["schools"]
        ratio = summary([r["ratio"] for r in runs])
        wall = summary([r["wall"] for r in runs])
        peak = max(r["peak_rss"] for r in runs)
        peaks.append(peak)
        lat = runs[0]["latency"]
        def ratio_figure(name: str, stat: dict, detail: str) -> dict:
            # the goal applies to the smallest scale only; the others are shown beside it
            return {"name": f"{count} schools: {name}", "value": round(stat["median"], 3), "unit": "x",
                    "goal": f"<= {RATIO_GOAL}" if index == 0 else "",
                    "met": stat["median"] <= RATIO_GOAL if index == 0 else None, "detail": detail}  # fmt: skip

        figures.append(ratio_figure(
            "wall / lower bound", ratio,
            f"wall {describe(wall, 's')}; bound {runs[0]['bound']:.1f} s ({runs[0]['binds']} binds); "
            f"latency {lat[0] * 1000:.0f}-{lat[1] * 1000:.0f} ms; ratio {describe(ratio)}",
        ))  # fmt: skip
        floor_ratio = summary([r["floor_ratio"] for r in runs])
        figures.append(ratio_figure(
            "wall / politeness floor", floor_ratio,
            f"floor {runs[0]['floor']:.1f} s = max(most requests on one host x interval, request-seconds / C); "
            f"ratio {describe(floor_ratio)}",
        ))  # fmt: skip
        if index == 0 and before is not None:
            figures.append({
                "name": f"{count} schools: baseline wall / this checkout's wall", "value": round(before["wall"] / wall["median"], 3),
                "unit": "x", "goal": "", "met": None,
                "detail": f"baseline {os.environ.get(BASELINE_ENV)}: wall {before['wall']:.1f} s, "
                          f"{before['floor_ratio']:.3f} x its politeness floor {before['floor']:.1f} s",
            })  # fmt: skip
        figures.append({
            "name": f"{count} schools: peak RSS of the scan process", "value": round(peak, 1), "unit": "MB",
            "goal": f"<= {RSS_GOAL_MB:.0f}", "met": peak <= RSS_GOAL_MB,
            "detail": f"max over {len(runs)} run(s) of ru_maxrss",
        })  # fmt: skip
        for i, r in enumerate(runs):
            statuses = ", ".join(f"{n} {s}" for s, n in sorted(r["statuses"].items(), key=lambda kv: -kv[1]))
            rows.append([
                f"{count}" + (f" #{i + 1}" if len(runs) > 1 else ""), f"{lat[0] * 1000:.0f}-{lat[1] * 1000:.0f} ms",
                f"{r['interval']:g} s", concurrency, r["requests"],
                f"{r['per_school']['min']:.0f}/{r['per_school']['median']:.0f}/{r['per_school']['max']:.0f}",
                round(r["wall"], 1), round(r["startup"], 1), round(r["scan_phase"], 1), round(r["tail"], 1),
                round(r["per_host"], 2), round(r["concurrency"], 1), round(r["free_waits"], 1), round(r["ratio"], 3),
                round(r["cpu"], 1), round(r["server_cpu"], 1), statuses,
            ])  # fmt: skip
            rss_rows.append([f"{count}" + (f" #{i + 1}" if len(runs) > 1 else "")]
                            + [round(v, 1) if (v := _rss_at(r["rss_samples"], f)) is not None else "" for f in (0.1, 0.25, 0.5, 0.75, 1.0)]
                            + [round(v, 1) if (v := _scanning_peak(r)) is not None else "", round(r["peak_rss"], 1)])  # fmt: skip
            notes += politeness_notes(f"{count} schools run {i + 1}", r)
            if r["statuses"].get("checked", 0) != count:
                notes.append(f"{count} schools run {i + 1}: not every school was checked ({statuses})")
    if len(peaks) >= 2:
        flat = peaks[-1] / peaks[0]
        figures.append({
            "name": f"peak RSS at {scales[-1][0]['schools']} / at {scales[0][0]['schools']} schools", "value": round(flat, 3),
            "unit": "x", "goal": f"<= {FLAT_GOAL} (flat)", "met": flat <= FLAT_GOAL, "detail": f"{peaks[-1]:.0f} MB / {peaks[0]:.0f} MB",
        })  # fmt: skip
    if len(peaks) >= 2:
        small, large = scales[0][0], scales[-1][0]
        notes.append(
            f"Where memory goes: while scanning, the sampled RSS peaked at {_scanning_peak(small) or 0:.0f} MB "
            f"({small['schools']} schools) and {_scanning_peak(large) or 0:.0f} MB ({large['schools']} schools); "
            "the rest of each process's peak comes after the last request, when the finished run is loaded "
            "whole for the dashboard and exports."
        )
    min_gap = min(r["min_gap"] for runs in scales for r in runs)
    count0 = scales[0][0]["schools"]
    rounds = -(-count0 // concurrency)
    if count0 > concurrency:
        notes.append(
            f"Even a perfect scheduler of {count0} near-equal schools on {concurrency} workers needs {rounds} rounds "
            f"where the bound counts {count0 / concurrency:.2f}, so about {rounds / (count0 / concurrency):.3f} x of the "
            "ratio is inherent."
        )
    notes += [
        "Bound: T_h = (n_h - 1) x max(interval, L_h) + L_h per site (n_h requests the site answered, L_h its "
        "latency; requests start an interval apart and never before the previous answer); LB = max(max_h T_h, "
        "sum_h T_h / C). 'free-waits bound' = max(max_h T_h, sum_h n_h x L_h / C), what a scanner that held no "
        "request place during politeness waits could reach.",
        "Wall = spawn to exit of `noticecheck scan` (start-up + scanning + writing the dashboard and exports); "
        "startup = until the first request reached a site, tail = after the last answer (saving and reports).",
        f"Politeness: the shortest gap between the starts of two requests to one site was {min_gap:.3f} s "
        "(requests start at least the interval apart, and never before the previous answer is in).",
        "Each site in the Scans table: robots.txt, home page, /sitemap.xml (404), policies page, privacy notice "
        "(HTML on 8 sites in 10, PDF on 1, Word on 1), small pages, plain HTTP. Sites are served by one asyncio "
        "process on the same 2 cores; its CPU time is in the table.",
    ]  # fmt: skip
    cached = {r["http_cache"] for runs in scales for r in runs}
    notes.append(
        "HTTP cache: " + ("on (the scan's default, a new empty cache beside each run's database)" if cached == {True}
                          else "off" if cached == {False} else "on in some runs only")
    )
    if size == "full":
        notes.append("The 5,000-school run uses 10-30 ms latency (instead of 100-300 ms) to keep it near 6 minutes; "
                     "the politeness interval is the default 1 s in both.")  # fmt: skip
    result = {
        "baseline": "the lower bound implied by politeness and concurrency for the requests the sites actually answered "
        "(formula below and in bench/la_scan.py)",
        "figures": figures,
        "tables": [
            {"title": "Scans", "columns": [
                "schools", "latency", "interval", "C", "requests", "per school min/med/max", "wall s", "startup s",
                "scan phase s", "tail s", "per-host bound s", "concurrency bound s", "free-waits bound s", "wall / LB",
                "scan CPU s", "sites CPU s", "statuses"], "rows": rows},
            {"title": "RSS of the scan process over time (MB, sampled every second)", "columns": [
                "schools", "at 10%", "at 25%", "at 50%", "at 75%", "at end", "peak while scanning (sampled)",
                "peak (ru_maxrss)"], "rows": rss_rows},
        ],  # fmt: skip
        "notes": notes,
    }
    table = _floor_report(floor_ours, floor_theirs, result["figures"], result["notes"])
    if table is not None:
        result["tables"].append(table)
    return result
