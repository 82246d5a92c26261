"""The dashboard, exports and run comparison, from records built by hand (no network, no engine)."""

from __future__ import annotations

import csv
import json

import pytest

from helpers import school_record
from noticecheck.scan.dashboard import render_dashboard, safe_url, school_page_name
from noticecheck.scan.exports import write_results_jsonl, write_schools_csv
from noticecheck.scan.summary import KEY_CHECKS, compare_runs, key_check_passes, run_totals
from noticecheck.scan.store import FindingRecord, NoticeRecord, Store

EVIL = "<script>alert('x')</script>"


def _finding(rule: str, severity: str = "error", quote: str = "We follow the Data Protection Act 1998.") -> FindingRecord:
    return FindingRecord(rule=rule, severity=severity, message=f"Message for {rule}", line=7, quote=quote,
                         fix=f"Fix for {rule}", title=f"Title of {rule}", source_link="https://ico.org.uk/guide")


def _notice(*findings: FindingRecord, audience: str = "pupils", url: str = "https://a.example/notice.pdf",
            status: str = "checked") -> NoticeRecord:
    return NoticeRecord(url=url, status=status, audience=audience, link_text="Privacy notice", findings=findings,
                        media_type="application/pdf", error=None if status == "checked" else "no text layer")


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "h.sqlite") as s:
        yield s


def _run(store: Store, schools: list, la: str = "Kent") -> int:
    run = store.start_run("/data/edubasealldata.csv", la, {})
    for school in schools:
        store.save_school(run, school)
    store.finish_run(run)
    return run


def test_scraped_text_is_escaped_everywhere(store, tmp_path):
    evil_quote = f"Contact {EVIL} about the Data Protection Act 1998"
    school = school_record(
        key="100", urn="100", name=f"St Mary's {EVIL} School", status="checked",
        notices=(NoticeRecord(url="javascript:alert(1)", status="checked", audience="pupils",
                              link_text=f"Notice {EVIL}", findings=(_finding("outdated-dpa-1998", quote=evil_quote),)),),
    )
    run = _run(store, [school])
    index = render_dashboard(store.load_run(run), tmp_path / "out")
    pages = [index.read_text(encoding="utf-8")]
    pages += [p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "schools").glob("*.html")]
    assert len(pages) == 2
    for page in pages:
        assert EVIL not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert 'href="javascript:' not in page
    school_page = pages[1]
    assert "Contact &lt;script&gt;" in school_page  # the quote is shown, escaped
    # the only <script> tags are the dashboard's own (on the index page)
    assert pages[0].count("<script") == 1 and 'src="assets/dashboard.js"' in pages[0]


def test_safe_url_keeps_only_web_addresses():
    assert safe_url("https://school.example/privacy.pdf") == "https://school.example/privacy.pdf"
    assert safe_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x", "", None):
        assert safe_url(bad) == "#"


def test_school_page_names_are_safe_and_distinct():
    assert school_page_name("100234") == "100234.html"
    a, b = school_page_name("name:st mary's"), school_page_name("name:st marys")
    assert a != b and a.endswith(".html") and "/" not in a and "'" not in a
    assert school_page_name("name:../../etc/passwd").startswith("name-etc-passwd")


def test_index_shows_counts_chart_and_key_check_columns(store, tmp_path):
    schools = [
        school_record(key="1", urn="1", name="Alpha Primary", status="checked",
                     notices=(_notice(_finding("outdated-dpa-1998"), _finding("npd-missing", "warning")),)),
        school_record(key="2", urn="2", name="Beta High", status="checked",
                     notices=(_notice(_finding("npd-missing", "warning")), _notice(audience="workforce"))),
        school_record(key="3", urn="3", name="Gamma Infants", status="unreachable", error="timed out"),
    ]
    run = _run(store, schools)
    index = render_dashboard(store.load_run(run), tmp_path / "out").read_text(encoding="utf-8")
    assert "School privacy notices: Kent" in index
    assert "Website could not be reached" in index and "Notice checked" in index
    assert 'class="bar severity-' in index and "2 schools" in index  # npd-missing affects two schools
    for check in KEY_CHECKS:
        assert check.label in index
    assert 'id="filter-text"' in index and 'id="filter-status"' in index and 'data-status="unreachable"' in index
    assert "cdn" not in index.lower() and "https://" not in index  # no remote assets


def test_school_page_lists_findings_with_fix_and_source(store, tmp_path):
    school = school_record(
        key="1", urn="1", name="Alpha Primary", status="checked", age_low=4, age_high=11, type_name="Community school",
        notices=(_notice(_finding("npd-missing", "warning"), _finding("outdated-dpa-1998")),
                 _notice(url="https://a.example/scan.pdf", status="unreadable")),
    )
    run = _run(store, [school])
    render_dashboard(store.load_run(run), tmp_path / "out")
    page = (tmp_path / "out" / "schools" / "1.html").read_text(encoding="utf-8")
    assert page.index("Title of outdated-dpa-1998") < page.index("Title of npd-missing")  # errors first
    assert "Fix for npd-missing" in page and "line 7" in page and 'href="https://ico.org.uk/guide"' in page
    assert 'href="https://a.example/notice.pdf"' in page
    assert "could not be checked: no text layer" in page
    assert "4 to 11" in page


def test_key_checks_pass_fail_or_unknown():
    dpo = next(c for c in KEY_CHECKS if c.id == "dpo")
    assert key_check_passes(dpo, [_notice(_finding("dpo-if-applicable"))]) is False
    assert key_check_passes(dpo, [_notice(_finding("npd-missing"))]) is True
    assert key_check_passes(dpo, [_notice(status="unreadable")]) is None
    assert key_check_passes(dpo, []) is None


def test_compare_runs_fixed_new_stayed_and_status_changes(store):
    old = _run(store, [
        school_record(key="1", urn="1", name="Alpha", status="checked",
                     notices=(_notice(_finding("outdated-dpa-1998"), _finding("npd-missing")),)),
        school_record(key="2", urn="2", name="Beta", status="unreachable"),
        school_record(key="3", urn="3", name="Gamma", status="checked", notices=(_notice(_finding("dpo-missing")),)),
        school_record(key="4", urn="4", name="Delta", status="checked", notices=(_notice(_finding("dpo-missing")),)),
    ])
    new = _run(store, [
        school_record(key="1", urn="1", name="Alpha", status="checked",
                     notices=(_notice(_finding("npd-missing"), _finding("placeholder-text"),
                                      url="https://a.example/new-name.pdf"),)),
        school_record(key="2", urn="2", name="Beta", status="checked", notices=(_notice(),)),
        school_record(key="3", urn="3", name="Gamma", status="unreachable"),
        school_record(key="4", urn="4", name="Delta", status="checked", notices=(_notice(_finding("dpo-missing")),)),
    ])
    comparison = compare_runs(store.load_run(old), store.load_run(new))
    by_key = {key: comparison.change_for(key) for key in "1234"}
    # the same changes when both runs are read from the database as they are walked
    streamed = compare_runs(store.stream_run(old), store.stream_run(new))
    assert {key: streamed.change_for(key) for key in "1234"} == by_key
    assert (streamed.changed, streamed.totals()) == (comparison.changed, comparison.totals())
    alpha = by_key["1"]
    assert [i.rule for i in alpha.fixed] == ["outdated-dpa-1998"]
    assert [i.rule for i in alpha.new] == ["placeholder-text"]
    assert [i.rule for i in alpha.stayed] == ["npd-missing"]  # same rule and audience, though the URL changed
    assert (by_key["2"].old_status, by_key["2"].new_status) == ("unreachable", "checked")
    # a site that went offline has not fixed its notice
    assert by_key["3"].fixed == () and by_key["3"].status_changed
    assert not by_key["4"].changed
    assert [c.key for c in comparison.changed] == ["1", "2", "3"]
    assert comparison.totals() == {"schools_changed": 3, "status_changes": 2, "fixed": 1, "new": 1, "stayed": 2}


def test_changes_page_and_school_since_box(store, tmp_path):
    old = _run(store, [school_record(key="1", urn="1", name="Alpha", status="checked",
                                    notices=(_notice(_finding("outdated-dpa-1998")),))])
    new = _run(store, [school_record(key="1", urn="1", name="Alpha", status="checked", notices=(_notice(),))])
    old_data, new_data = store.load_run(old), store.load_run(new)
    render_dashboard(new_data, tmp_path / "out", compare_runs(old_data, new_data), old_data.run)
    changes = (tmp_path / "out" / "changes.html").read_text(encoding="utf-8")
    assert "What changed since scan 1" in changes and "Title of outdated-dpa-1998" in changes
    fixed = changes[changes.index('<ul class="fixed">'):]
    assert fixed.index('severity-error">Problem</span> Title of outdated-dpa-1998') < fixed.index("</ul>")
    assert 'href="schools/1.html"' in changes
    assert "Since scan 1" in (tmp_path / "out" / "schools" / "1.html").read_text(encoding="utf-8")
    assert 'href="changes.html"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_csv_rows_and_formula_neutralising(store, tmp_path):
    run = _run(store, [
        school_record(key="1", urn="1", name="=HYPERLINK(\"http://evil\")", status="checked", la_name="Kent",
                     notices=(_notice(_finding("dpo-missing")), _notice(audience="workforce"))),
        school_record(key="2", urn="2", name="Beta", status="no-website"),
    ])
    path = write_schools_csv(store.load_run(run), tmp_path / "schools.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    assert rows[0]["name"].startswith("'=") and rows[0]["dpo"] == "no" and rows[1]["dpo"] == "yes"
    assert rows[2]["status"] == "no-website" and rows[2]["status_label"] == "No website listed"


def test_jsonl_and_totals(store, tmp_path):
    run = _run(store, [
        school_record(key="1", urn="1", name="Alpha", status="checked", notices=(_notice(_finding("dpo-missing")),)),
        school_record(key="2", urn="2", name="Beta", status="checked", notices=(_notice(_finding("npd-missing", "warning")),)),
        school_record(key="3", urn="3", name="Gamma", status="no-notice-found"),
    ])
    data = store.load_run(run)
    lines = write_results_jsonl(data, tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["name"] for x in lines] == ["Alpha", "Beta", "Gamma"]
    totals = run_totals(data)
    assert totals.schools == 3 and totals.by_status["no-notice-found"] == 1 and totals.by_status["no-website"] == 0
    assert totals.compliant_schools == 1  # Beta has only a warning
    assert [g.rule for g in totals.by_rule] == ["dpo-missing", "npd-missing"]


def test_gaps_are_ranked_by_severity_then_schools_affected(store):
    run = _run(store, [
        school_record(key=str(i), urn=str(i), name=f"School {i}", status="checked",
                     notices=(_notice(*(_finding(r, sev) for r, sev in rules)),))
        for i, rules in enumerate([
            [("lrs-missing", "info"), ("review-date-stale", "warning")],
            [("lrs-missing", "info"), ("review-date-stale", "warning"), ("npd-missing", "warning")],
            [("lrs-missing", "info"), ("dpo-missing", "error")],
        ])
    ])
    gaps = run_totals(store.load_run(run)).by_rule
    assert [(g.rule, g.severity, g.schools) for g in gaps] == [
        ("dpo-missing", "error", 1), ("review-date-stale", "warning", 2), ("npd-missing", "warning", 1),
        ("lrs-missing", "info", 3)]


def test_trust_page_shows_what_changed_in_its_schools(store, tmp_path):
    from noticecheck.scan.dashboard import trust_page_name
    from noticecheck.scan.trusts import trust_summaries

    def schools(first_findings):
        return [
            school_record(key="1", urn="1", name="Alpha Academy", status="checked", trust="NORTH TRUST",
                          notices=(_notice(*first_findings),)),
            school_record(key="2", urn="2", name="Beta Academy", status="checked", trust="NORTH TRUST",
                          notices=(_notice(_finding("npd-missing", "warning")),)),
            school_record(key="3", urn="3", name="Gamma Primary", status="checked", notices=(_notice(),)),
        ]

    old_data = store.load_run(_run(store, schools([_finding("dpo-missing")])))
    new_data = store.load_run(_run(store, schools([])))
    comparison = compare_runs(old_data, new_data)
    trusts = trust_summaries(new_data, comparison=comparison)
    assert [(t.name, len(t.schools), t.fixed, t.new) for t in trusts] == [("NORTH TRUST", 2, 1, 0)]
    render_dashboard(new_data, tmp_path / "out", comparison, old_data.run, trusts=trusts)
    page = (tmp_path / "out" / "trusts" / trust_page_name("NORTH TRUST")).read_text(encoding="utf-8")
    since = page[page.index('id="trust-since"'):page.index('id="trust-gaps"')]
    assert "Alpha Academy" in since and "Title of dpo-missing" in since and "Beta Academy" not in since
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<option value="NORTH TRUST">' in index and 'data-trust="NORTH TRUST"' in index


def test_trust_page_marks_the_words_a_school_edited(store, tmp_path):
    from noticecheck.model import OutlinePart
    from noticecheck.scan.dashboard import trust_page_name
    from noticecheck.scan.scheduler import write_run_reports
    from noticecheck.scan.store import TemplateRecord

    template = (OutlinePart("Keeping data", ("We keep records for six years.", "Then we shred them.")),)
    edited = (OutlinePart("Keeping data", ("We keep records for ten years.", "Then we shred them.")),)
    run = store.start_run("/data/schools.csv", "Kent", {})
    store.save_template(run, TemplateRecord("EAST TRUST", "/data/east.docx", template, (_finding("dpo-missing"),)))
    for key, outline in (("1", template), ("2", edited)):
        notice = NoticeRecord(url=f"https://{key}.example/n.html", status="checked", audience="pupils",
                              findings=(_finding("dpo-missing"),), outline=outline)
        store.save_school(run, school_record(key=key, urn=key, name=f"School {key}", status="checked",
                                             trust="EAST TRUST", notices=(notice,)))
    store.finish_run(run)
    write_run_reports(store.load_run(run), tmp_path / "out", store=store)
    page = (tmp_path / "out" / "trusts" / trust_page_name("EAST TRUST")).read_text(encoding="utf-8")
    assert "1 gap comes from the template and affects 2 schools; 0 schools have gaps of their own." in page
    assert "We keep records for <del>six</del> <ins>ten</ins> years." in page
    rows = (tmp_path / "out" / "trusts.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("EAST TRUST,2,2,2,2,0,")
