"""Benchmark 5: the self-check page under load: 20 clients posting a typical notice for 30 s on loopback.

Starts `noticecheck serve` as its own process (waitress, 4 threads, rate
limit off, built-in rules) on 127.0.0.1 and posts a typical corpus notice
(1500-3000 words, a Word file) to POST /api/check from 20 client threads
that each send their next request as soon as the last one is answered.
Every response must be 200 with one checked document (the page: with its result).

Baseline, measured in the same run against the same server: one client
alone for a few seconds. Figures: requests/s with 20 clients, p50/p95
latency, p95 over the lone client's median (how much waiting the load
adds), failed requests, and the server's RSS, sampled every 0.5 s: its
median in the last fifth of the load over its median in the second fifth
(after warm-up), so "memory stays flat" is a ratio near 1. A shorter phase
posting the page form (POST /check, the annotated page with its Word,
report and JSON downloads embedded) is reported alongside.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time

from bench.corpus import corpus_notices, typical
from bench.machine import REPO, noticecheck_exe
from bench.procs import RssSampler
from bench.stats import describe, quantile, summary

SIZES = {
    "full": {"clients": 20, "seconds": 30.0, "alone": 5.0, "page_seconds": 10.0},
    "quick": {"clients": 20, "seconds": 10.0, "alone": 3.0, "page_seconds": 4.0},
    "smoke": {"clients": 4, "seconds": 1.5, "alone": 0.5, "page_seconds": 0.5},
}
FLAT_GOAL = 1.10  # late RSS / early RSS


def _start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [*noticecheck_exe(), "serve", "--port", "0", "--isolated", "--rate-limit", "0", "--threads", "4"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"noticecheck serve did not start: {line!r}")
    return process, match.group(0)


def _load(url: str, fields: dict, files: dict, clients: int, seconds: float, check, cookies: dict | None = None) -> dict:
    """`clients` threads posting back to back for `seconds`; latencies of the answers and failures."""
    import requests

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        with requests.Session() as http:
            http.cookies.update(cookies or {})
            start.wait()
            while time.monotonic() < deadline[0]:
                t0 = time.perf_counter()
                try:
                    response = http.post(url, data=fields, files=files, timeout=60)
                    ok = check(response)
                except requests.RequestException as exc:
                    ok = f"{type(exc).__name__}"
                elapsed = time.perf_counter() - t0
                with lock:
                    if ok is True:
                        latencies.append(elapsed)
                    else:
                        failures.append(str(ok))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    t0 = time.monotonic()
    deadline[0] = t0 + seconds
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - t0
    return {"latencies": latencies, "failures": failures, "wall": wall, "rps": len(latencies) / wall}


def _api_ok(response) -> bool | str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return True if response.json()["summary"]["checked"] == 1 else "not checked"


def _page_ok(response) -> bool | str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return True if 'class="verdict"' in response.text else "no result on the page"


def _rss_ratio(samples: list[tuple[float, float]], start: float, end: float) -> tuple[float, float, float]:
    """(early median, late median, late/early) RSS over the load window [start, end] (sampler seconds)."""
    span = end - start
    early = [mb for t, mb in samples if start + 0.2 * span <= t < start + 0.4 * span]
    late = [mb for t, mb in samples if start + 0.8 * span <= t <= end]
    if not early or not late:  # a smoke run is too short for fifths: first and last sample
        early, late = [samples[0][1]], [samples[-1][1]]
    e, l_ = quantile(early, 0.5), quantile(late, 0.5)
    return e, l_, l_ / e


def run(size: str) -> dict:
    import requests

    params = SIZES[size]
    notices = [n for n in typical(corpus_notices()) if n.fmt == "docx"] or typical(corpus_notices())
    notice = sorted(notices, key=lambda n: n.words)[len(notices) // 2]
    data = notice.path.read_bytes()
    files = {"file": (notice.path.name, data)}
    process, base = _start_server()
    sampler = RssSampler(process.pid, interval=0.5)
    sampler.start()
    try:
        requests.post(base + "api/check", files=files, timeout=60).raise_for_status()  # warm-up (rules, spaCy)
        alone = _load(base + "api/check", {}, files, 1, params["alone"], _api_ok)
        load_start = time.monotonic() - sampler._t0
        loaded = _load(base + "api/check", {}, files, params["clients"], params["seconds"], _api_ok)
        load_end = time.monotonic() - sampler._t0
        with requests.Session() as http:
            token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(base, timeout=30).text).group(1)
            cookie = http.cookies.get("noticecheck_form")
        # The form's CSRF token is tied to its cookie: every client posts with both.
        page = _load(base + "check", {"csrf_token": token}, files, params["clients"], params["page_seconds"], _page_ok,
                     {"noticecheck_form": cookie})  # fmt: skip
    finally:
        sampler.stop()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    lat = summary(loaded["latencies"]) if loaded["latencies"] else None
    single = summary(alone["latencies"])
    p95 = quantile(loaded["latencies"], 0.95) if loaded["latencies"] else float("nan")
    page_p95 = quantile(page["latencies"], 0.95) if page["latencies"] else float("nan")
    early, late, ratio = _rss_ratio(sampler.samples, load_start, load_end)
    peak = max((mb for _, mb in sampler.samples), default=0.0)
    failures = len(loaded["failures"]) + len(page["failures"])
    answered = len(loaded["latencies"]) + len(page["latencies"])
    ok_share = 100.0 * answered / max(answered + failures, 1)
    clients = params["clients"]
    figures = [
        {"name": f"POST /api/check, {clients} clients: requests/s", "value": round(loaded["rps"], 1), "unit": "req/s", "goal": None, "met": None,
         "detail": f"{len(loaded['latencies'])} answers in {loaded['wall']:.1f} s"},
        {"name": f"POST /api/check, {clients} clients: p95 latency", "value": round(p95 * 1000), "unit": "ms", "goal": None, "met": None,
         "detail": describe(lat, "s") if lat else ""},
        {"name": "p95 under load / one client's median latency", "value": round(p95 / single["median"], 1), "unit": "x", "goal": None, "met": None,
         "detail": f"one client alone: {alone['rps']:.1f} req/s, median {single['median'] * 1000:.0f} ms"},
        {"name": "requests answered 200 with a checked notice (API and page)", "value": round(ok_share, 2), "unit": "%", "goal": "100",
         "met": failures == 0, "detail": f"{failures} failed of {answered + failures}" + (": " + ", ".join(sorted(set(loaded["failures"] + page["failures"])))[:200] if failures else "")},
        {"name": "server RSS late / early in the load (flat)", "value": round(ratio, 3), "unit": "x", "goal": f"<= {FLAT_GOAL}", "met": 0 < ratio <= FLAT_GOAL,
         "detail": f"median {early:.0f} MB at 20-40% of the load, {late:.0f} MB at 80-100%; peak {peak:.0f} MB"},
        {"name": f"POST /check (the page), {clients} clients: requests/s", "value": round(page["rps"], 1), "unit": "req/s", "goal": None, "met": None,
         "detail": f"p95 {page_p95 * 1000:.0f} ms over {len(page['latencies'])} answers"},
    ]  # fmt: skip
    return {
        "baseline": f"one client alone against the same server in the same run ({params['alone']:g} s); the notice is {notice.path.name} ({notice.words} words, {len(data) // 1024} KB)",
        "figures": figures,
        "tables": [{
            "title": "Server RSS over the run (MB, every 0.5 s; every 4th sample)",
            "columns": ["seconds", "RSS MB"],
            "rows": [[round(t, 1), round(mb)] for t, mb in sampler.samples[::4]],
        }],  # fmt: skip
        "notes": [
            "Clients and server share the machine's 2 cores; the clients' own CPU use (Python threads, multipart encoding) is part of the load.",
            "Waitress with 4 threads: the GIL lets one check run at a time, so requests/s is bounded by one core's checking rate.",
        ],
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else "smoke"), indent=1, default=str)[:3000])
