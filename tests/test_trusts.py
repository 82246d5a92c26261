"""Trusts end to end: a GIAS export with three trusts served from loopback sites, scanned with the real commands.

Orchard Vale Learning Trust has a template (demo/trust.py) and five schools
that copied it with changes (one dropped the retention part, one added a
sentence, one kept a DPA 1998 paragraph, one rewrote the DPO part, one
kept it as it is); two more trusts have one school each, and two schools
are in no trust. A second LA in the same export gives `report --since` two
runs over different school lists. The export is written the way GIAS
writes it: its real 135-column header (read from ../shared/gias), Windows-1252,
CRLF, upper-case trust names, a curly apostrophe in a school name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from noticecheck.cli import main
from noticecheck.demo import trust as orchard
from noticecheck.demo.notices import DemoNotice, built_in, parse_markup
from noticecheck.demo.runner import DemoSites
from noticecheck.demo.sites import PublishedNotice, SchoolPlan
from noticecheck.scan.store import Store

AS_OF = "2026-11-24"
GIAS_HEADER = Path(__file__).resolve().parents[2] / "shared" / "gias" / "header.csv"
ORCHARD = orchard.TRUST_NAME
HILLTOP = "HILLTOP ACADEMY TRUST"
RIVERSIDE = "RIVERSIDE EDUCATION TRUST"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GIAS_HEADER.exists(), reason="needs ../shared/gias/header.csv beside the checkout"),
]


def _notice(key: str) -> DemoNotice:
    text = orchard.for_school(orchard.COPIES[key], orchard.SCHOOL_NAMES[key])
    return DemoNotice(name=f"orchard-{key}", audience="pupils", blocks=tuple(parse_markup(text)))


def _plan(index: int, name: str, notice: DemoNotice, trust: str = "", la: str = "Demoshire", fmt: str = "html"):
    type_name = "Academy converter" if trust else "Community school"
    plan = SchoolPlan(index=index, urn=str(810001 + index), name=name, type_name=type_name, phase="Primary",
                      age_low=4, age_high=11, trust=trust, kind="normal",
                      published=(PublishedNotice(notice, fmt, "policies"),))
    return plan, la


def _plans():
    rows = [_plan(i, orchard.SCHOOL_NAMES[key], _notice(key), ORCHARD, fmt=("html", "pdf")[i % 2])
            for i, key in enumerate(orchard.COPIES)]
    rows += [
        _plan(5, "Hilltop View Academy", built_in("current-pupils"), HILLTOP),
        _plan(6, "St Bride’s Academy", built_in("gdpr2018-pupils"), RIVERSIDE),  # a cp1252 apostrophe
        _plan(7, "Moorside Primary School", built_in("outdated-pupils")),
        _plan(8, "Netherby Community Primary", built_in("current-pupils")),
        _plan(9, "Otterford Primary School", built_in("current-pupils"), la="Otherborough"),
    ]
    return rows


def write_real_gias(rows, path: Path) -> Path:
    """The school list as GIAS publishes it: real header, cp1252, CRLF, every text field quoted."""
    header = next(csv.reader(io.StringIO(GIAS_HEADER.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(header)
    for plan, la in rows:
        values = {
            "URN": int(plan.urn), "LA (code)": "999" if la == "Demoshire" else "998", "LA (name)": la,
            "EstablishmentName": plan.name, "TypeOfEstablishment (name)": plan.type_name,
            "EstablishmentStatus (name)": "Open", "PhaseOfEducation (name)": plan.phase,
            "StatutoryLowAge": plan.age_low, "StatutoryHighAge": plan.age_high,
            "Trusts (name)": plan.trust, "SchoolWebsite": plan.website,
        }
        writer.writerow([values.get(column, "") for column in header])
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def _invoke(*args: str, expect: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == expect, result.output + result.stderr
    return result


def _scan(school_list: Path, db: Path, out: Path, *extra: str):
    return _invoke("scan", str(school_list), "--db", str(db), "--out", str(out), "--allow-network", "127.0.0.0/8",
                   "--per-host-interval", "0", "--concurrency", "4", "--retries", "0", "--as-of", AS_OF, "--quiet",
                   *extra)


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trusts")
    db, out = tmp / "history.sqlite", tmp / "reports"
    template = tmp / "orchard-template.md"
    template.write_text(orchard.for_school(orchard.TEMPLATE, "Orchard Vale"), encoding="utf-8")
    rows = _plans()
    plans = [plan for plan, _ in rows]
    with DemoSites(plans, first_host=400) as sites:
        placed = sites.show(plans)
        school_list = write_real_gias([(p, la) for p, (_, la) in zip(placed, rows)], tmp / "edubasealldata.csv")
        # run 1: Demoshire, with the trust's template given (in another case than GIAS writes it)
        _scan(school_list, db, out, "--la", "Demoshire", "--template", f"Orchard Vale Learning Trust={template}")
        # run 2: only the trust, no template: it must be found from the notices
        trust_only = _scan(school_list, db, out, "--trust", "orchard vale learning trust")
        # run 3: another LA in the same database
        _scan(school_list, db, out, "--la", "Otherborough")
        # run 4: the whole file (both LAs)
        _scan(school_list, db, out)
    return SimpleNamespace(db=db, out=out, template=template, trust_only=trust_only, tmp=tmp)


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_trusts_csv_has_a_row_per_trust(scans):
    rows = {r["trust"]: r for r in _csv(scans.out / "run-1" / "trusts.csv")}
    assert set(rows) == {ORCHARD, HILLTOP, RIVERSIDE}
    o = rows[ORCHARD]
    assert (o["schools"], o["checked"], o["schools_with_errors"]) == ("5", "5", "5")
    # four copies lack the ICO complaint the template lacks; elm added it but lost the DPO
    assert int(o["errors"]) == 4 + 1 + 1 + 1 and o["dpo_passing"] == "0.8" and o["ico_complaint_passing"] == "0.2"
    assert o["retention_passing"] == "0.8" and o["current_law_passing"] == "0.8"
    assert o["template"].endswith("orchard-template.md")
    assert (o["template_gaps"], o["schools_with_template_gaps"], o["schools_with_own_gaps"]) == ("5", "5", "3")
    assert rows[HILLTOP]["schools"] == "1" and rows[HILLTOP]["template"] == ""


def test_trust_column_in_schools_csv_and_results_jsonl(scans):
    rows = _csv(scans.out / "run-1" / "schools.csv")
    by_name = {r["name"]: r["trust"] for r in rows}
    assert by_name["Birchfield Primary Academy"] == ORCHARD and by_name["St Bride’s Academy"] == RIVERSIDE
    assert by_name["Moorside Primary School"] == ""
    lines = [json.loads(x) for x in (scans.out / "run-1" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {x["name"]: x["trust"] for x in lines}["Hilltop View Academy"] == HILLTOP


def test_trust_page_leads_with_inherited_and_own_gaps(scans):
    from noticecheck.scan.dashboard import trust_page_name

    page = (scans.out / "run-1" / "trusts" / trust_page_name(ORCHARD)).read_text(encoding="utf-8")
    headline = page[page.index('id="trust-headline"'):]
    assert headline.split("</p>")[0].endswith(
        "5 gaps come from the template and affect 5 schools; 3 schools have gaps of their own.")
    fix_once = page[page.index('id="template-gap-list"'):page.index("</ol>", page.index('id="template-gap-list"'))]
    # the error comes first, with the number of schools still carrying it
    assert fix_once.index("ico-complaint-missing") < fix_once.index("complaints-route-missing")
    assert "ico-complaint-missing</code> – 4 schools" in fix_once
    # the others: a pupils' notice must say where data comes from and whether giving it is required (warnings), and the NPD page is dated
    assert "source-missing" in fix_once and "outdated-url" in fix_once and "statutory-requirement-missing" in fix_once
    own = page[page.index('id="own-gap-list"'):page.index("</ul>", page.index('id="own-gap-list"'))]
    assert "retention-missing" in own and "outdated-dpa-1998" in own and "dpo-missing" in own
    assert "Alder Brook" not in own and "Cedar Rise" not in own


def _drift(db: Path, run: int, templates: bool = True):
    from noticecheck.scan.trusts import trust_summaries

    with Store(db) as store:
        data = store.load_run(run)
        trusts = trust_summaries(data, templates=store.templates(run) if templates else {},
                                 outlines=lambda ids: dict(store.outlines(ids)))
    return {t.name: t for t in trusts}


def test_drift_per_school_from_the_given_template(scans):
    d = _drift(scans.db, 1)[ORCHARD].drift
    assert not d.found
    by_name = {s.name: s for s in d.schools}

    def states(name):
        return {(p.state, p.heading) for p in by_name[name].drift.parts if p.state != "match"}

    assert by_name["Alder Brook Academy"].drift.identical
    assert states("Birchfield Primary Academy") == {("dropped", "How long we keep information")}
    cedar = [p for p in by_name["Cedar Rise Academy"].drift.parts if p.state == "changed"]
    assert [p.heading for p in cedar] == ["Who we share information with"]
    assert cedar[0].removed == () and cedar[0].added[0].startswith("We also share the names and dietary needs")
    damson = [p for p in by_name["Damson Lane Primary Academy"].drift.parts if p.state == "changed"]
    assert [p.heading for p in damson] == ["Our lawful basis"] and "Data Protection Act 1998" in damson[0].added[0]
    assert states("Elmcroft Academy") == {("dropped", "Our data protection officer"), ("added", "Contact us")}
    # the split: inherited from the template vs the school's own
    assert {f.rule for f in by_name["Birchfield Primary Academy"].gaps("own")} == {"retention-missing"}
    assert {f.rule for f in by_name["Damson Lane Primary Academy"].gaps("own")} == {"outdated-dpa-1998"}
    elm = by_name["Elmcroft Academy"]
    assert {f.rule for f in elm.gaps("own")} == {"dpo-missing"}
    assert "ico-complaint-missing" in {f.rule for f in elm.drift.fixed}
    assert "ico-complaint-missing" in {f.rule for f in by_name["Alder Brook Academy"].gaps("inherited")}


def test_scan_trust_scans_only_that_trust_and_finds_the_template(scans):
    with Store(scans.db) as store:
        data = store.load_run(2)
    assert sorted(s.name for s in data.schools) == sorted(orchard.SCHOOL_NAMES.values())
    d = _drift(scans.db, 2)[ORCHARD].drift
    assert d.found and d.template == "Alder Brook Academy"
    assert {s.name for s in d.schools_with_own} == {
        "Birchfield Primary Academy", "Damson Lane Primary Academy", "Elmcroft Academy"}
    # a trust-only run is not compared with the LA-wide run as if it were the same list
    assert "Since scan" not in scans.trust_only.output


def test_single_school_trusts_have_no_template(scans):
    trusts = _drift(scans.db, 1)
    assert trusts[HILLTOP].drift is None and trusts[RIVERSIDE].drift is None


def test_xlsx_has_schools_trusts_and_findings_sheets(scans):
    from openpyxl import load_workbook

    from noticecheck.scan.exports import SEVERITY_FILLS

    book = load_workbook(scans.out / "run-1" / "schools.xlsx")
    assert book.sheetnames == ["Schools", "Trusts", "Findings"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
    schools = list(book["Schools"].iter_rows(values_only=True))
    header = schools[0]
    assert len(schools) == 1 + 9
    row = dict(zip(header, next(r for r in schools if r[1] == "Damson Lane Primary Academy")))
    assert row["trust"] == ORCHARD and row["current_law"] == "no" and row["errors"] == 2
    trusts = list(book["Trusts"].iter_rows(values_only=True))
    assert {r[0] for r in trusts[1:]} == {ORCHARD, HILLTOP, RIVERSIDE}
    ws = book["Findings"]
    header = [c.value for c in ws[1]]
    severity, origin, rule = header.index("severity"), header.index("origin"), header.index("rule")
    seen = {}
    for cells in ws.iter_rows(min_row=2):
        values = [c.value for c in cells]
        assert cells[severity].fill.fgColor.rgb[-6:] == SEVERITY_FILLS[values[severity]]
        seen[(values[1], values[rule])] = values[origin]
    assert seen[("Birchfield Primary Academy", "retention-missing")] == "school"
    assert seen[("Birchfield Primary Academy", "ico-complaint-missing")] == "template"
    assert seen[("Moorside Primary School", "outdated-dpa-1998")] is None  # in no trust: an empty cell


def test_printable_school_page_stands_alone(scans):
    from noticecheck.scan.dashboard import school_page_name

    page = (scans.out / "run-1" / "print" / school_page_name("810002")).read_text(encoding="utf-8")
    assert "Birchfield Primary Academy" in page and "<style>" in page
    assert "stylesheet" not in page and "<script" not in page  # one file, nothing to fetch
    trust_part = page[page.index("For the trust to fix"):page.index("For the school to fix")]
    assert "ico-complaint-missing" in trust_part and "retention-missing" not in trust_part
    assert "retention-missing" in page[page.index("For the school to fix"):]
    assert "How to fix:" in page


def test_report_since_refuses_runs_with_no_school_in_common(scans):
    result = _invoke("report", "--db", str(scans.db), "--out", str(scans.out), "--run", "3", "--since", "1", expect=2)
    assert "no school in common" in result.stderr and "LA Otherborough" in result.stderr


def test_report_since_compares_only_shared_schools_and_says_so(scans):
    result = _invoke("report", "--db", str(scans.db), "--out", str(scans.out), "--run", "4", "--since", "1",
                     "--format", "json")
    changes = json.loads(result.stdout)["changes"]
    assert changes["shared_only"] is True and changes["left_out"] == 1
    assert "only the 9 schools in both are compared" in result.stderr
    same = _invoke("report", "--db", str(scans.db), "--out", str(scans.out), "--run", "1", "--since", "1", expect=2)
    assert "different run" in same.stderr


def test_drift_command_text_and_json(scans):
    tmp = scans.tmp
    paths = []
    for key in ("birch", "damson"):
        path = tmp / f"{key}.md"
        path.write_text(orchard.for_school(orchard.COPIES[key], orchard.SCHOOL_NAMES[key]), encoding="utf-8")
        paths.append(str(path))
    text = _invoke("drift", str(scans.template), *paths, "--as-of", AS_OF).stdout
    assert "dropped  How long we keep information" in text
    assert "+ We hold all information in line with the Data Protection Act 1998" in text
    data = json.loads(_invoke("drift", str(scans.template), *paths, "--as-of", AS_OF, "--format", "json").stdout)
    birch, damson = data["notices"]
    assert birch["parts"]["dropped"] == 1 and [f["rule"] for f in birch["own"]] == ["retention-missing"]
    assert "ico-complaint-missing" in [f["rule"] for f in damson["inherited"]]
    assert [f["rule"] for f in damson["own"]] == ["outdated-dpa-1998"]


def test_unknown_trust_or_template_trust_is_refused_with_a_suggestion(scans):
    school_list = scans.tmp / "edubasealldata.csv"
    common = ("--db", str(scans.tmp / "other.sqlite"), "--out", str(scans.tmp / "other"), "--quiet")
    result = _invoke("scan", str(school_list), "--trust", "Orchard Vale Trust", *common, expect=2)
    assert "no open school in trust 'Orchard Vale Trust'" in result.stderr and ORCHARD in result.stderr
    result = _invoke("scan", str(school_list), "--template", f"Orchard Valley Learning Trust={scans.template}",
                     *common, expect=2)
    assert "no school in the list is in that trust" in result.stderr and ORCHARD in result.stderr
    result = _invoke("scan", str(school_list), "--template", str(scans.template), *common, expect=2)
    assert 'give it as "TRUST NAME=PATH"' in result.stderr
    assert not (scans.tmp / "other.sqlite").exists() or _runs(scans.tmp / "other.sqlite") == 0


def _runs(db: Path) -> int:
    with Store(db) as store:
        return len(store.runs())


def test_drift_command_finds_the_template_among_the_notices(scans):
    paths = []
    for key in ("birch", "alder", "cedar", "elm"):
        path = scans.tmp / f"found-{key}.md"
        path.write_text(orchard.for_school(orchard.COPIES[key], orchard.SCHOOL_NAMES[key]), encoding="utf-8")
        paths.append(str(path))
    other = scans.tmp / "found-other.md"
    other.write_text("# Privacy\n\nWe are a small school with a notice of our own that shares nothing.\n", encoding="utf-8")
    data = json.loads(_invoke("drift", *paths, str(other), "--find-template", "--format", "json",
                              "--as-of", AS_OF).stdout)
    assert data["found"] is True and data["template"].endswith("found-alder.md")
    assert data["others"] == [str(other)] and len(data["copies"]) == 3
    text = _invoke("drift", *paths, "--find-template", "--as-of", AS_OF).stdout
    assert text.startswith(f"Template found: {paths[1]} (copied by 3 of the 3 others)")
    refused = _invoke("drift", paths[0], str(other), "--find-template", expect=2)
    assert "no template to find" in refused.stderr


def test_school_pages_say_which_gaps_are_the_trusts(scans):
    from noticecheck.scan.dashboard import school_page_name

    def page(run: int, urn: str) -> str:
        return (scans.out / f"run-{run}" / "schools" / school_page_name(urn)).read_text(encoding="utf-8")

    damson = page(1, "810004")
    assert "copy of the trust's template, changed in 1 place" in damson
    trust_part = damson[damson.index("For the trust to fix"):damson.index("For the school to fix")]
    assert "ico-complaint-missing" in trust_part and "outdated-dpa-1998" in damson[damson.index("For the school to fix"):]
    # run 2 found the template itself: Alder's page says its gaps are the template's
    alder = page(2, "810001")
    assert "taken as the trust's template" in alder and "For the trust to fix" in alder
    assert "For the school to fix" not in alder
    assert "What the trust fixes" not in page(1, "810008")  # in no trust
