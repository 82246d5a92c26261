"""Smoke tests for bench/: every benchmark runs at a tiny size and writes well-formed results.

No timing assertions: speed is what the benchmarks measure, not what tests
check. Each benchmark runs as `bench/run.py NAME --smoke --out TMP`, exactly
as `make bench` runs it, so the tests cover the real entry point, the real
CLI, the loopback sites and the results files. The pure helpers (bounds,
statistics, rendering, site pages) get direct tests.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import results  # noqa: E402
from bench.la_scan import lower_bounds  # noqa: E402
from bench.sites import NOTICE_PATHS, Sites, build_notices, site_format, site_host, site_latency  # noqa: E402
from bench.stats import summary  # noqa: E402

pytestmark = pytest.mark.slow

TITLES = {
    "throughput": "Checker throughput (one core)",
    "coldstart": "CLI cold start",
    "la_scan": "LA scan at scale (loopback)",
    "ci_gate": "CI gate (200 notices, one command)",
    "hostile": "Hostile inputs: worst case beside typical",
    "web_load": "Self-check page under load (loopback)",


    "reports": "Writing a run's reports (trusts, drift, xlsx)",
    "national": "National rehearsal (24,000 loopback schools)",
}


def run_smoke(name: str, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "bench/run.py", name, "--smoke", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((out / "results.json").read_text())
    assert list(data["benchmarks"]) == [name]
    result = data["benchmarks"][name]
    results.validate(result)
    assert result["size"] == "smoke"
    assert result["command"] == f".venv/bin/python bench/run.py {name} --smoke"
    assert result["machine"]["nproc"] >= 1 and result["machine"]["python"]
    assert result["git"]["commit"]
    for figure in result["figures"]:
        assert isinstance(figure["value"], (int, float)) and math.isfinite(figure["value"]) and figure["value"] > 0
    md = (out / "RESULTS.md").read_text()
    assert f"## {TITLES[name]}" in md
    assert f"Reproduce: `{result['command']}`" in md
    assert "| Benchmark | Figure | Value | Goal | Met |" in md
    return result


def figure(result: dict, prefix: str) -> dict:
    return next(f for f in result["figures"] if f["name"].startswith(prefix))


def test_throughput_smoke(tmp_path):
    result = run_smoke("throughput", tmp_path)
    rows = result["tables"][0]["rows"]
    groups = [row[0] for row in rows]
    assert groups[0] == "all notices"
    assert {".txt", ".md", ".html", ".pdf", ".docx", ".odt"} <= set(groups)  # one notice of each format
    assert figure(result, "typical")["goal"] == ">= 100"


def test_coldstart_smoke(tmp_path):
    result = run_smoke("coldstart", tmp_path)
    names = [f["name"] for f in result["figures"]]
    assert names == [
        "typical .txt: CPU time / python -c pass",
        "pupils .txt: CPU time / python -c pass",
        "workforce .txt: CPU time / python -c pass",
        "typical .txt --format json: CPU time / python -c pass",
        "typical .txt, no rule cache: CPU time / python -c pass",
    ]
    assert figure(result, "typical .txt:")["goal"] == "<= 12"
    assert figure(result, "pupils .txt:")["goal"] == "<= 12"


def test_la_scan_smoke(tmp_path):
    result = run_smoke("la_scan", tmp_path)
    scans = result["tables"][0]
    statuses = [row[scans["columns"].index("statuses")] for row in scans["rows"]]
    assert statuses == ["4 checked", "8 checked"]  # every loopback school was found and checked
    requests = [row[scans["columns"].index("requests")] for row in scans["rows"]]
    assert requests == [20, 40]  # robots, home, sitemap, policies, notice per school
    assert not [n for n in result["notes"] if "overlap" in n]  # no site was ever asked twice at once
    assert figure(result, "peak RSS at 8 / at 4")["goal"].startswith("<= 1.25")
    # the realistic LA: shared hosting, 2-4 notices, large pages and documents, over HTTPS
    floor = next(t for t in result["tables"] if t["title"] == "Realistic LA against the politeness floor")
    row = dict(zip(floor["columns"], floor["rows"][0]))
    assert (row["transport"], row["statuses"], row["requests"]) == ("HTTPS", "6 checked", 42)
    assert row["overlaps"] == 0
    assert figure(result, "realistic LA, 6 schools")["goal"] == "<= 1.25"


def test_ci_gate_smoke(tmp_path):
    result = run_smoke("ci_gate", tmp_path)
    assert result["figures"][0]["name"].startswith("4 notices, one `noticecheck check DIR --format ")
    assert any("report was parsed" in note for note in result["notes"])


def test_hostile_smoke(tmp_path):
    result = run_smoke("hostile", tmp_path)
    rows = {row[0]: row for row in result["tables"][0]["rows"]}
    assert set(rows) == {"a FIFO among the inputs (check)", "80 KB of 'a.' before a retired URL (check)", "10 MB on one line (check)"}
    assert all(row[-1] for row in rows.values())  # each hostile child said how it ended
    assert rows["10 MB on one line (check)"][-1] == "too-long"


def test_web_load_smoke(tmp_path):
    result = run_smoke("web_load", tmp_path)
    assert figure(result, "requests answered 200")["value"] == 100.0
    assert figure(result, "POST /api/check, 4 clients: requests/s")["value"] > 0
    assert result["tables"][0]["rows"]


def test_reports_smoke(tmp_path):
    result = run_smoke("reports", tmp_path)
    assert [f["name"] for f in result["figures"]] == [
        "streamed: peak RSS at 60 schools / at 20", "streamed: peak RSS at 60 schools",
        "20 schools: peak RSS loaded / streamed", "60 schools: peak RSS loaded / streamed",
        "streamed: wall per school at 60 / at 20", "peak RSS after importing noticecheck's store and openpyxl"]
    values = {f["name"]: f["value"] for f in result["figures"]}
    assert values["streamed: peak RSS at 60 schools"] > values["peak RSS after importing noticecheck's store and openpyxl"]


def test_national_smoke(tmp_path):
    result = run_smoke("national", tmp_path)
    run = result["tables"][0]
    row = dict(zip(run["columns"], run["rows"][0]))
    assert row["statuses"] == "24 checked" and row["gaps < interval"] == 0
    assert row["on shared IPs"] == 6 and row["notices stored"] >= 2 * 24  # 2-4 notices per school
    assert row["requests"] == row["notices stored"] + 4 * 24  # robots, home, sitemap, policies, notices
    assert [f["unit"] for f in result["figures"]] == ["x", "x", "s", "schools/h", "MB", "%"]
    assert result["tables"][2]["rows"]  # the progress curve came from the sites' request log
    assert any(n.startswith("Outgrowing one machine") for n in result["notes"])


def test_tree_sampler_counts_a_forked_worker():
    from bench.procs import run_measured

    # The parent forks a child that allocates and spins, then waits for it: the sampled tree
    # must see the child's memory while it lives and keep its CPU once it has been reaped.
    code = ("import os, time\npid = os.fork()\nif pid == 0:\n    x = b'x' * 40_000_000\n"
            "    while time.process_time() < 0.4: pass\n    os._exit(0)\nos.waitpid(pid, 0)\ntime.sleep(0.3)\n")  # fmt: skip
    m = run_measured([sys.executable, "-c", code], sample_tree=0.05)
    assert m.returncode == 0 and m.tree
    assert max(s[2] - s[1] for s in m.tree) > 30  # the child's 40 MB counted in the tree, not in the parent
    assert m.tree[-1][3] >= 0.35  # CPU of the reaped child (0.4 s) still counted
    assert all(b[3] <= a[3] and b[4] <= a[4] for b, a in zip(m.tree, m.tree[1:]))  # cumulative counters


# -- pure helpers -------------------------------------------------------------------


def test_lower_bound_formula():
    # Two sites, 3 and 2 requests, interval 1 s (longer than either latency), 1 worker:
    # T_0 = 2*1 + L_0, T_1 = 1*1 + L_1 (start to start); one worker does both in series.
    lat = (0.1, 0.3)
    l0, l1 = site_latency(0, *lat), site_latency(1, *lat)
    log = [[0, "/", 0.0, 0.1, 200], [0, "/a", 1.0, 1.1, 200], [0, "/b", 2.0, 2.1, 200],
           [1, "/", 3.0, 3.3, 200], [1, "/a", 4.0, 4.3, 200]]  # fmt: skip
    one = lower_bounds(log, 2, lat, 1.0, concurrency=1)
    t0, t1 = 2.0 + l0, 1.0 + l1
    assert one["per_host"] == pytest.approx(max(t0, t1))
    assert one["bound"] == pytest.approx(t0 + t1)
    assert one["binds"].startswith("concurrency")
    assert one["requests"] == 5 and one["violations"] == 0
    many = lower_bounds(log, 2, lat, 1.0, concurrency=8)
    assert many["bound"] == pytest.approx(max(t0, t1)) and many["binds"].startswith("per-host")
    rushed = lower_bounds(log[:2] + [[0, "/b", 1.5, 1.6, 200]], 1, lat, 1.0, concurrency=1)
    assert rushed["violations"] == 1  # 0.5 s after the previous request started is not polite


def test_chain_and_spacing_follow_the_start_to_start_rule():
    from bench.la_scan import chain_seconds, spacing

    assert chain_seconds([0.2, 0.2, 0.2], 1.0) == pytest.approx(2.2)  # two intervals, then the last answer
    assert chain_seconds([1.5, 1.5], 1.0) == pytest.approx(3.0)  # slow answers: each waited for, no interval added
    assert chain_seconds([], 1.0) == 0.0
    polite = [[0, "/", 0.0, 0.2, 200], [0, "/a", 1.0, 1.2, 200], [0, "/b", 2.0, 3.5, 200], [0, "/c", 3.6, 3.7, 200]]
    assert spacing(polite, 1.0) == (pytest.approx(1.0), 0, 0)
    overlapping = polite[:3] + [[0, "/c", 3.1, 3.7, 200]]  # 1.1 s after /b started, but before /b was answered
    assert spacing(overlapping, 1.0)[1:] == (0, 1)
    rushed = polite[:2] + [[0, "/b", 1.9, 2.0, 200]]  # 0.9 s after /a started
    assert spacing(rushed, 1.0)[1:] == (1, 0)


def test_site_pages_link_home_to_policies_to_notice():
    sites = Sites(build_notices())  # the corpus's text notices as HTML, PDF and Word
    assert len({site_host(i) for i in range(600)}) == 600
    assert all(site_host(i).startswith("127.1.") for i in (0, 249, 250, 4999))
    assert [site_format(i) for i in range(10)].count("html") == 8
    for index in (0, 3, 7):
        fmt = site_format(index)
        assert b'href="/policies/"' in sites.answer(index, "/")[2]
        policies = sites.answer(index, "/policies/")[2].decode()
        assert f'href="{NOTICE_PATHS[fmt]}"' in policies
        status, ctype, body = sites.answer(index, NOTICE_PATHS[fmt])
        assert status == 200 and ctype.startswith({"html": "text/html", "pdf": "application/pdf", "docx": "application/vnd"}[fmt])
        assert body.startswith({"html": b"<!doctype html>", "pdf": b"%PDF", "docx": b"PK"}[fmt])
        assert sites.answer(index, "/sitemap.xml")[0] == 404
        assert sites.answer(index, "/robots.txt")[2].startswith(b"User-agent: *")
    assert 0.1 <= site_latency(5, 0.1, 0.3) <= 0.3


def test_summary_and_render():
    s = summary([3.0, 1.0, 2.0, 4.0])
    assert (s["median"], s["min"], s["max"], s["n"]) == (2.5, 1.0, 4.0, 4)
    assert s["spread"] == pytest.approx((3.25 - 1.75) / 2.5)
    good = {
        "name": "x", "title": "X", "size": "smoke", "started": "now", "seconds": 1.0, "command": "c",
        "git": {"commit": "abc", "dirty_src": []}, "machine": {"nproc": 2, "cpu_model": "cpu", "python": "3.11"},
        "baseline": "b", "figures": [{"name": "f", "value": 1.5, "unit": "x", "goal": "<= 2", "met": True}],
        "tables": [{"title": "t", "columns": ["a", "b"], "rows": [[1, 2]]}],
    }  # fmt: skip
    md = results.render({"benchmarks": {"x": good}})
    assert "| X | f | 1.5 x | <= 2 | yes |" in md
    with pytest.raises(ValueError, match="lacks"):
        results.validate({k: v for k, v in good.items() if k != "baseline"})
    with pytest.raises(ValueError, match="wrong width"):
        results.validate({**good, "tables": [{"title": "t", "columns": ["a"], "rows": [[1, 2]]}]})


def test_politeness_floor_counts_shared_ips_and_flags_rushed_requests():
    from bench.la_scan import politeness_floor
    from bench.sites import shared_group, site_address, site_documents

    groups = 5
    # one school in four on one of five shared addresses, each on a port of its own there
    assert [shared_group(i, groups) for i in range(10)] == [None, 0, None, None, None, 1, None, None, None, 2]
    assert site_address(0, 8000, groups) == (site_host(0), 8000)
    assert site_address(1, 8000, groups) == ("127.3.0.1", 8001) and site_address(21, 8000, groups) == ("127.3.0.1", 8002)
    assert {len(site_documents(i)) for i in range(6)} == {2, 3, 4}
    lat = (0.1, 0.3)
    # sites 1 and 21 share 127.3.0.1: four requests on that IP, two on each host
    log = [[1, "/", 0.0, 0.2, 200], [21, "/", 1.0, 1.2, 200], [1, "/a", 2.0, 2.2, 200], [21, "/a", 3.0, 3.2, 200],
           [0, "/", 0.0, 0.1, 200]]  # fmt: skip
    floor = politeness_floor(log, lat, 1.0, concurrency=8, groups=groups)
    assert (floor["host_max"], floor["ip_max"], floor["requests"]) == (2, 4, 5)
    assert floor["floor"] == pytest.approx(4.0) and floor["binds"] == "per-IP"
    # three 1 s intervals on the shared IP (each latency is shorter), then the last answer (site 21's)
    assert floor["chain_floor"] == pytest.approx(3.0 + site_latency(21, *lat))
    assert floor["violations"] == 0
    one_worker = politeness_floor(log, lat, 0.01, concurrency=1, groups=groups)
    assert one_worker["binds"] == "concurrency" and one_worker["floor"] == pytest.approx(one_worker["work"])
    rushed = politeness_floor(log + [[21, "/b", 3.5, 3.6, 200]], lat, 1.0, concurrency=8, groups=groups)
    assert rushed["violations"] == 2  # 0.5 s after the previous request started, on its host and on its IP


def test_a_site_with_several_notices_links_and_serves_each():
    from bench.sites import site_documents

    sites = Sites(build_notices(), "many")
    for index in (0, 1, 2):
        policies = sites.answer(index, "/policies/")[2].decode()
        for path, fmt, _notice in site_documents(index):
            assert f'href="{path}"' in policies
            status, ctype, body = sites.answer(index, path)
            assert status == 200 and body.startswith({"html": b"<!doctype html>", "pdf": b"%PDF", "docx": b"PK"}[fmt])
        assert sites.answer(index, NOTICE_PATHS["pdf"])[0] == 404


def test_long_tail_hosting_is_a_sample_of_one_national_picture():
    from collections import Counter

    from bench.sites import shared_group, shared_ports, site_address

    groups, n = 400, 24000
    placed = {i: shared_group(i, groups, "long-tail") for i in range(n)}
    assert all((g is not None) == (i % 4 == 1) for i, g in placed.items())  # still one school in four
    sizes = sorted(Counter(g for g in placed.values() if g is not None).values(), reverse=True)
    assert sum(sizes) == n // 4 and 300 <= len(sizes) <= groups
    assert sizes[0] >= 10 * statistics.median(sizes)  # a few big providers ...
    assert sum(s <= 5 for s in sizes) >= len(sizes) // 4  # ... and many small ones
    assert sizes[0] <= 0.05 * sum(sizes)  # but no one server holds a large share of the country
    addresses = {site_address(i, 9000, groups, "long-tail") for i in range(n)}
    assert len(addresses) == n  # every school its own (address, port): per-host politeness stays per school
    assert all(a.startswith("127.3.") for a, p in addresses if p != 9000)
    assert shared_ports(n, groups, "long-tail") == sizes[0]  # a port per school on the busiest address
    # a smaller run is a sample of the same picture: the same schools on the same addresses
    assert all(shared_group(i, groups, "long-tail") == placed[i] for i in range(2400))
    assert [shared_group(i, 5) for i in range(10)] == [None, 0, None, None, None, 1, None, None, None, 2]  # unchanged



def test_big_runs_split_the_sites_over_processes_that_each_serve_their_own_range(tmp_path, monkeypatch):
    import resource
    import urllib.request

    from bench import national
    from bench.la_scan import SiteProcess

    monkeypatch.setattr(resource, "getrlimit", lambda _what: (1024, 4096))
    parts = national._site_processes(24000)
    assert len(parts) == 12 and {n for _first, n in parts} == {2000}  # at most 4096 - 2048 sockets each, evenly
    assert [first for first, _n in parts] == list(range(0, 24000, 2000))
    monkeypatch.undo()
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, whatever the environment says
    with SiteProcess(2, (0.0, 0.0), tmp_path / "requests.json", ("--first", "5")) as sites:
        for index in (5, 6):
            with direct.open(f"http://{site_host(index)}:{sites.port}/robots.txt", timeout=10) as answer:
                assert answer.status == 200
        with pytest.raises(OSError):  # site 4 is not this process's to serve
            direct.open(f"http://{site_host(4)}:{sites.port}/robots.txt", timeout=10)
    assert sorted(entry[0] for entry in sites.requests()) == [5, 6]  # the log names sites by their global index


def test_realistic_pages_are_large_and_add_no_links_discovery_would_follow():
    from bench.sites import NAV_ITEMS, OTHER_POLICIES, PAGE_SIZE, site_documents
    from noticecheck.fetch.discover import _hub_tier, notice_confidence

    # the menu and the other policies must not change which pages a school costs
    assert all(_hub_tier(item, f"/{item}/") is None for item in NAV_ITEMS)
    assert all(notice_confidence(name, f"/documents/{name}.pdf") == 0 for name in OTHER_POLICIES)
    sites = Sites(build_notices(), "many", "realistic")
    for index in range(6):
        for path in ["/", "/policies/"] + [p for p, fmt, _ in site_documents(index) if fmt == "html"]:
            status, _ctype, body = sites.answer(index, path)
            assert status == 200 and PAGE_SIZE[0] <= len(body) <= PAGE_SIZE[1] + 2000
            assert body.count(b"<a href=") >= 100
    policies = sites.answer(0, "/policies/")[2].decode()
    assert all(f'href="{path}"' in policies for path, _fmt, _n in site_documents(0))


def test_real_size_documents_keep_their_text():
    import io

    import pypdfium2
    from docx import Document as WordDocument

    from bench.sites import DOCX_SIZE, PDF_SIZE, real_size

    small = build_notices()[:3]
    for before, after in zip(small, real_size(small)):
        assert PDF_SIZE[0] * 0.9 <= len(after.pdf) <= PDF_SIZE[1] * 1.1
        assert DOCX_SIZE[0] * 0.9 <= len(after.docx) <= DOCX_SIZE[1] * 1.1

        def pdf_text(data: bytes) -> list[str]:
            pdf = pypdfium2.PdfDocument(data)
            return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]

        assert pdf_text(after.pdf) == pdf_text(before.pdf)
        words = [[p.text for p in WordDocument(io.BytesIO(d)).paragraphs] for d in (before.docx, after.docx)]
        assert words[0] == words[1] and words[0]
