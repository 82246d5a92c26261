"""The LA scan end to end: real loopback websites, the real `noticecheck scan` and `report` commands.

One small pretend LA is served once for the module: a school per status
(checked with an HTML notice, checked with a PDF and a workforce page,
unreachable, server error, robots.txt disallow, no notice, a scanned PDF,
no website) plus a malformed row in the school list. It is scanned once,
then one school's notice is changed and it is scanned again, so the tests
can read statuses, stored notices and findings, the exports and the
changes between the two scans.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from noticecheck.cli import main
from noticecheck.demo.notices import built_in
from noticecheck.demo.runner import DemoSites
from noticecheck.demo.sites import PublishedNotice, SchoolPlan, write_gias_csv
from noticecheck.scan.exports import CSV_COLUMNS
from noticecheck.scan.summary import KEY_CHECKS
from noticecheck.scan.store import Store

AS_OF = "2026-11-24"


def _plan(index: int, name: str, kind: str, published=(), ages=(4, 11), type_name="Community school", trust=""):
    return SchoolPlan(
        index=index, urn=str(700001 + index), name=name, type_name=type_name,
        phase="Primary" if ages[1] <= 11 else "Secondary", age_low=ages[0], age_high=ages[1], trust=trust,
        kind=kind, published=tuple(published),
    )


def _plans(first_notice: str) -> list[SchoolPlan]:
    return [
        _plan(0, "Oak <script>alert(1)</script> Primary", "normal",
              [PublishedNotice(built_in(first_notice), "html", "policies")]),
        _plan(1, "Ash High School", "normal",
              [PublishedNotice(built_in("current-pupils"), "pdf", "gdpr"),
               PublishedNotice(built_in("workforce"), "html", "footer")],
              ages=(11, 16), type_name="Academy converter", trust="Demo Valley Learning Trust"),
        _plan(2, "Birch Infant School", "unreachable", [PublishedNotice(built_in("current-pupils"), "html", "gdpr")]),
        _plan(3, "Cedar Junior School", "server-error"),
        _plan(4, "Elm Academy", "robots-disallowed", [PublishedNotice(built_in("current-pupils"), "html", "gdpr")],
              type_name="Academy sponsor led"),
        _plan(5, "Fir Tree Primary", "no-notice"),
        _plan(6, "Hazel Primary", "scanned-pdf", [PublishedNotice(built_in("current-pupils"), "scanned-pdf", "policies")]),
        _plan(7, "Holly Primary", "no-website"),
    ]


def _scan(csv_path: Path, db: Path, out: Path):
    result = CliRunner().invoke(
        main,
        ["scan", str(csv_path), "--la", "Demoshire", "--db", str(db), "--out", str(out),
         "--allow-network", "127.0.0.0/8", "--per-host-interval", "0", "--concurrency", "4", "--retries", "0",
         "--as-of", AS_OF, "--quiet"],
    )
    assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("la")
    db, out = tmp / "history.sqlite", tmp / "reports"
    first, second = _plans("gdpr2018-pupils"), _plans("template-pupils")
    with DemoSites(first, first_host=300) as sites:
        placed = sites.show(first)
        school_list = write_gias_csv(placed, tmp / "gias.csv")
        with school_list.open("a", encoding="utf-8") as fh:
            fh.write("123456,999,Demoshire,too few fields\n")  # a malformed row, reported and skipped
        run1 = _scan(school_list, db, out)
        requests_first = {p.name: [r.path for r in sites.server(p).requests] for p in placed if sites.server(p)}
        sites.show(second)  # next term: Oak swaps its notice for an unfinished template
        run2 = _scan(school_list, db, out)
    with Store(db) as store:
        data1, data2 = store.load_run(1), store.load_run(2)
    yield SimpleNamespace(db=db, out=out, run1=run1, run2=run2, data1=data1, data2=data2, plans=placed,
                          requests_first=requests_first)


def _by_name(data) -> dict:
    return {s.name: s for s in data.schools}


def test_every_school_ends_in_exactly_one_expected_status(scans):
    statuses = {s.name: s.status for s in scans.data1.schools}
    assert statuses == {
        "Oak <script>alert(1)</script> Primary": "checked",
        "Ash High School": "checked",
        "Birch Infant School": "unreachable",
        "Cedar Junior School": "unreachable",
        "Elm Academy": "blocked-by-robots",
        "Fir Tree Primary": "no-notice-found",
        "Hazel Primary": "notice-unreadable",
        "Holly Primary": "no-website",
    }
    assert scans.data1.run.is_finished and scans.data1.run.school_total == 8
    schools = _by_name(scans.data1)
    assert "500" in schools["Cedar Junior School"].error
    assert "no text layer" in schools["Hazel Primary"].notices[0].error
    assert schools["Hazel Primary"].notices[0].status == "unreadable"


def test_bad_rows_are_reported_and_the_closed_school_is_skipped(scans):
    assert "line 11" in scans.run1.stderr and "skipped" in scans.run1.stderr
    assert all("closed" not in s.name for s in scans.data1.schools)


def test_notices_and_findings_are_stored_with_school_context(scans):
    schools = _by_name(scans.data1)
    ash = schools["Ash High School"]
    assert ash.school_type == "academy" and (ash.age_low, ash.age_high) == (11, 16)
    assert sorted(n.audience for n in ash.notices) == ["pupils", "workforce"]
    pdf = next(n for n in ash.notices if n.audience == "pupils")
    assert pdf.media_type == "application/pdf" and pdf.status == "checked" and len(pdf.sha256) == 64
    assert pdf.context["age_range"][0] == 11 and pdf.context["school_type"] == "academy" and pdf.context["as_of"] == AS_OF
    assert pdf.sections["retention"] is True

    oak = schools["Oak <script>alert(1)</script> Primary"]
    (notice,) = oak.notices
    rules = {f.rule for f in notice.findings}
    assert {"outdated-eu-gdpr", "dpo-if-applicable"} <= rules
    # a primary school is never asked about youth support services (13+)
    assert "youth-support-missing" not in rules
    finding = next(f for f in notice.findings if f.rule == "outdated-eu-gdpr")
    assert finding.severity in ("error", "warning") and finding.fix and finding.source_link.startswith("https://")
    assert notice.link_text.startswith("Privacy notice") and notice.found_on


def test_fetches_are_recorded_and_no_notice_is_requested_twice(scans):
    with Store(scans.db) as store:
        fetches = store.fetches_for(1, scans.plans[1].urn)
    assert len(fetches) == 2 and all(f.outcome == "ok" and f.status == 200 for f in fetches)
    # the web-page notice was read during discovery and reused, the PDF fetched once
    assert sorted(f.from_cache for f in fetches) == [False, True]
    ash = scans.requests_first["Ash High School"]
    notice_paths = [p for p in ash if "rivacy-notice" in p.lower()]
    assert sorted(notice_paths) == sorted(set(notice_paths)) and len(notice_paths) == 2
    assert ash.count("/robots.txt") == 1


def test_schools_csv_has_a_row_per_school_and_notice(scans):
    path = scans.out / "run-1" / "schools.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {c.id for c in KEY_CHECKS} <= set(rows[0])
    assert len(rows) == 9  # eight schools, Ash with two notices
    oak = next(r for r in rows if r["name"].startswith("Oak"))
    assert oak["uk_gdpr"] == "no" and oak["dpo"] == "no" and oak["youth_support"] == "yes"
    assert oak["status"] == "checked" and oak["la"] == "Demoshire" and int(oak["errors"]) >= 1
    holly = next(r for r in rows if r["name"] == "Holly Primary")
    assert holly["status"] == "no-website" and holly["notice_url"] == "" and holly["dpo"] == ""


def test_results_jsonl_has_one_school_per_line(scans):
    lines = (scans.out / "run-1" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 8 and {r["run"] for r in records} == {1}
    ash = next(r for r in records if r["name"] == "Ash High School")
    assert ash["school_type"] == "academy" and len(ash["notices"]) == 2
    oak = next(r for r in records if r["name"].startswith("Oak"))
    assert oak["key_checks"]["uk_gdpr"] is False
    assert any(f["rule"] == "outdated-eu-gdpr" and f["quote"] for f in oak["notices"][0]["findings"])


def test_dashboard_is_written_for_each_run(scans):
    index = scans.out / "run-1" / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "Oak &lt;script&gt;alert(1)&lt;/script&gt; Primary" in page and "<script>alert(1)" not in page
    assert (scans.out / "run-1" / "assets" / "dashboard.js").is_file()
    assert len(list((scans.out / "run-1" / "schools").glob("*.html"))) == 8
    assert "Dashboard:" in scans.run1.output and str(index) in scans.run1.output
    # the second scan's dashboard compares itself with the first automatically
    assert (scans.out / "run-2" / "changes.html").is_file()


def test_report_since_lists_fixed_new_and_stayed(scans):
    result = CliRunner().invoke(
        main, ["report", "--db", str(scans.db), "--run", "latest", "--since", "previous", "--format", "json",
               "--out", str(scans.out)],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["run"]["id"] == 2 and payload["changes"]["old_run"] == 1
    (oak,) = [s for s in payload["changes"]["schools"] if s["name"].startswith("Oak")]
    fixed, new, stayed = ({i["rule"] for i in oak[k]} for k in ("fixed", "new", "stayed"))
    before = {f.rule for f in _by_name(scans.data1)[oak["name"]].notices[0].findings}
    after = {f.rule for f in _by_name(scans.data2)[oak["name"]].notices[0].findings}
    assert fixed == before - after and new == after - before and stayed == before & after
    assert {"outdated-eu-gdpr", "dpo-if-applicable"} <= fixed and "placeholder-text" in new and stayed
    # schools whose notices did not change are not listed as changed
    assert [s["name"] for s in payload["changes"]["schools"]] == [oak["name"]]

    changes_page = (scans.out / "run-2" / "changes.html").read_text(encoding="utf-8")
    assert "placeholder-text" in changes_page and "outdated-eu-gdpr" in changes_page


def test_report_text_shows_status_changes(scans, tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(scans.db), "--run", "2", "--since", "1",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Since scan 1:" in result.output and "fixed  outdated-eu-gdpr" in result.output
    assert "Notice checked" in result.output and (tmp_path / "run-2" / "index.html").is_file()


def test_report_usage_errors(scans, tmp_path):
    missing = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    same = CliRunner().invoke(main, ["report", "--db", str(scans.db), "--run", "1", "--since", "1",
                                     "--out", str(tmp_path)])
    assert same.exit_code == 2 and "different run" in same.stderr
    earliest = CliRunner().invoke(main, ["report", "--db", str(scans.db), "--run", "1", "--since", "previous",
                                         "--out", str(tmp_path)])
    assert earliest.exit_code == 2 and "no finished scan before run 1" in earliest.stderr


def test_scan_usage_errors(tmp_path):
    runner = CliRunner()
    no_list = runner.invoke(main, ["scan", "--db", str(tmp_path / "h.sqlite")])
    assert no_list.exit_code == 2 and "give the school list" in no_list.stderr
    missing = runner.invoke(main, ["scan", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "h.sqlite")])
    assert missing.exit_code == 2 and "nope.csv" in missing.stderr
    nothing = runner.invoke(main, ["scan", "--resume", "--db", str(tmp_path / "h.sqlite")])
    assert nothing.exit_code == 2 and "no unfinished scan" in nothing.stderr
