"""The HTML dashboard of a scan: `index.html`, one page per school and per trust, and a "changes since" page.

Errors come first everywhere: gaps are ranked by severity, then by schools
affected (summary.rank_gaps), bars and pills are coloured by severity, and
the LA's share of schools passing each key check is drawn against earlier
runs as a small inline SVG (no scripts from elsewhere). Each school also
gets a standalone printable page (`print/`, styles inlined) an LA can
attach to an email to that school.

Every page embeds text taken from school websites (names, link texts,
quotes), so the jinja2 environment autoescapes everything and links are
passed through `safe_url`, which keeps only http(s) addresses (escaping does
not stop a `javascript:` URL in an href). The pages need no server and no
internet: styles and the sort/filter script are local files in `assets/`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from noticecheck.drift import word_diff
from noticecheck.media import LABELS as MEDIA_LABELS
from noticecheck.scan.status import STATUS_HELP, STATUS_LABELS
from noticecheck.scan.summary import (
    KEY_CHECKS,
    RunComparison,
    audiences,
    key_check_passes,
    run_totals,
)
from noticecheck.scan.store import FindingRecord, RunData, RunInfo, SchoolRecord, StoredSchools
from noticecheck.scan.scratch import Pages, Rows, Scratch
from noticecheck.scan.trusts import SchoolDrift, TrustSummary, tally, trust_origins

TEMPLATES = Path(__file__).parent / "templates"
TOP_GAPS = 12  # bars in the "most common gaps" chart; the rest are behind a <details>

_SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
_SEVERITY_LABEL = {"error": "Problem", "warning": "Warning", "info": "Suggestion"}


def safe_url(url: str | None) -> str:
    """The URL if it is http(s), else "#": scraped links must not become script."""
    if not url:
        return "#"
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return "#"
    return url.strip() if scheme in ("http", "https") else "#"


def school_page_name(key: str) -> str:
    """A file name for a school's page: readable, safe on any file system, unique per key."""
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60] or "school"
    if slug == key:
        return f"{slug}.html"
    # Keys that needed cleaning could collide after it; a short hash keeps them apart.
    return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}.html"


def school_page(key: str) -> str:
    """A school's page, relative to the dashboard's folder."""
    return f"schools/{school_page_name(key)}"


def trend_svg(points, width: int = 120, height: int = 28) -> Markup:
    """A small line of shares (0 to 1) across runs, oldest first, as inline SVG; runs with nothing checked are skipped.

    Only numbers go into the markup, so it is safe to mark as such.
    """
    values = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if not values:
        return Markup("")
    span = max(len(points) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + (width - 4) * i / span:.1f},{height - 2 - (height - 4) * v:.1f}"

    line = " ".join(xy(i, v) for i, v in values)
    last_i, last_v = values[-1]
    label = ", ".join(f"{round(100 * v)}%" for _, v in values)
    return Markup(
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="share passing, oldest scan first: {label}">'
        f'<line x1="2" y1="{height - 2}" x2="{width - 2}" y2="{height - 2}" class="trend-axis"/>'
        f'<polyline points="{line}" fill="none" class="trend-line"/>'
        f'<circle cx="{xy(last_i, last_v).split(",")[0]}" cy="{xy(last_i, last_v).split(",")[1]}" r="2.5" class="trend-dot"/>'
        "</svg>"
    )


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def trust_page_name(name: str) -> str:
    return school_page_name("trust:" + " ".join(name.split()).casefold())


def _nice_date(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.strftime("%-d %B %Y, %H:%M") + (" UTC" if when.utcoffset() is not None else "")


def _by_severity(findings: tuple[FindingRecord, ...]) -> list[FindingRecord]:
    return sorted(findings, key=lambda f: (-_SEVERITY_RANK.get(f.severity, 0), f.line or 0, f.rule))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its extension: the pages carry scraped text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        safe_url=safe_url,
        nice_date=_nice_date,
        basename=lambda p: Path(p).name if p else "",
        by_severity=_by_severity,
        severity_label=lambda s: _SEVERITY_LABEL.get(s, s),
        doc_kind=lambda mt: MEDIA_LABELS.get((mt or "").split(";")[0].strip().lower(), mt or ""),
        check_mark=lambda v: {True: "✓", False: "✗", None: "–"}[v],
        check_class=lambda v: {True: "pass", False: "fail", None: "none"}[v],
        check_sort=lambda v: {True: 1, False: 0, None: -1}[v],
        counted=lambda n, word: f"{n} {word}" + ("" if n == 1 else "s"),
        trend_svg=trend_svg,
        word_diff=word_diff,
        passes=lambda school, check: key_check_passes(check, school.notices),
        percent=_percent,
    )
    return env


@dataclass(frozen=True)
class _Row:
    school: SchoolRecord
    page: str
    audiences: list[str]
    checks: list[bool | None]


class _Rows:
    """The index table's rows, most errors first (ties in name order), made as the template walks them."""

    def __init__(self, schools):
        self._schools = schools

    def __len__(self) -> int:
        return len(self._schools)

    def __iter__(self):
        if isinstance(self._schools, StoredSchools):
            ordered = self._schools.errors_first()  # sorted by SQL, read a batch at a time
        else:
            ordered = sorted(self._schools, key=lambda s: -s.errors)  # stable: ties keep name order
        for s in ordered:
            yield _Row(
                school=s,
                page=school_page(s.key),
                audiences=audiences(s),
                checks=[key_check_passes(c, s.notices) for c in KEY_CHECKS],
            )


def area_name(run: RunInfo) -> str:
    return run.la or f"schools in {Path(run.source).name}"


def render_dashboard(data: RunData, out_dir: Path, *args, **kwargs) -> Path:
    """Write the dashboard for one run into `out_dir`; returns the path of index.html (see `write_dashboard`)."""
    return write_dashboard(data, out_dir, *args, **kwargs)[0]


def write_dashboard(
    data: RunData,
    out_dir: Path,
    comparison: RunComparison | None = None,
    old_run: RunInfo | None = None,
    *,
    trusts: Iterable[TrustSummary] = (),
    trends: list = (),
    scratch: Scratch | None = None,
) -> tuple[Path, Rows]:
    """Write the dashboard for one run into `out_dir`; returns index.html and the trusts' tallies, largest first.

    With `comparison`, also writes `changes.html` and a "since" box on each
    school page; `trusts` (scan/trusts.py, a list or `iter_trusts`) get a page
    each, `trends` (summary.check_trends) the LA's key checks over time.
    The trusts' tallies (largest first, as returned) and where each trust
    school's findings came from (for the workbook) go into `scratch`
    (scan/scratch.py; a new one when not given), not memory.

    Pages are written one at a time: each trust's page and its schools' pages
    while the trust is in hand (only its tally is kept), then every other
    school's as the run is walked, then the index, streamed to its file.
    """
    out_dir = Path(out_dir)
    for folder in ("schools", "trusts", "print"):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", out_dir / "assets", dirs_exist_ok=True)
    env = _environment()
    common = {
        "run": data.run,
        "area": area_name(data.run),
        "status_labels": STATUS_LABELS,
        "status_help": STATUS_HELP,
    }
    school_template = env.get_template("school.html")
    print_template = env.get_template("print.html")

    def change_of(school: SchoolRecord):
        # worked out as each page is written (the comparison keeps only the changed schools)
        return comparison.change_for(school.key, school) if comparison else None

    def school_pages(school: SchoolRecord, trust_page: str | None, drift: SchoolDrift | None, change) -> None:
        extra = {"school": school, "drift": drift, "trust_page": trust_page}
        (out_dir / school_page(school.key)).write_text(
            school_template.render(
                **common,
                **extra,
                root="../",
                change=change,
                change_run=comparison.old_run if comparison else None,
                print_page=f"../print/{school_page_name(school.key)}",
            ),
            encoding="utf-8",
        )
        (out_dir / "print" / school_page_name(school.key)).write_text(
            print_template.render(**common, **extra, css=_print_css()), encoding="utf-8"
        )

    trust_template = env.get_template("trust.html")
    scratch = scratch if scratch is not None else Scratch()
    for trust in trusts:
        page = f"trusts/{trust_page_name(trust.name)}"
        changes = {s.key: change_of(s) for s in trust.schools}
        (out_dir / page).write_text(
            trust_template.render(
                **common,
                root="../",
                trust=trust,
                pages={s.key: "../" + school_page(s.key) for s in trust.schools},  # links only its own schools
                key_checks=KEY_CHECKS,
                max_gap=max((g.schools for g in trust.gaps), default=1),
                changes_page=comparison,
                changes=changes,
            ),
            encoding="utf-8",
        )
        # how each of its schools' notices drifted from the trust's template
        drift_of = {row.key: row for row in trust.drift.schools} if trust.drift else {}
        for school in trust.schools:
            school_pages(school, page, drift_of.get(school.key), changes[school.key])
        row = tally(trust)
        scratch.add_row(row.name, row.size, row.name.casefold(), row)  # listed as trusts.trust_order lists them
        scratch.update(trust_origins(trust))
    tallies = Rows(scratch)
    for school in data.schools:
        if not school.trust:  # a trust's schools had their pages with the trust's (trusts.trust_groups)
            school_pages(school, None, None, change_of(school))

    trust_pages = Pages(scratch, lambda name: f"trusts/{trust_page_name(name)}")
    totals = run_totals(data)
    index = out_dir / "index.html"
    # Streamed to the file as it renders: the table holds a row for every school.
    env.get_template("index.html").stream(
        **common,
        root="",
        totals=totals,
        rows=_Rows(data.schools),
        key_checks=KEY_CHECKS,
        top_gaps=TOP_GAPS,
        max_gap=max((g.schools for g in totals.by_rule), default=1),
        changes_page=comparison,
        trusts=tallies,
        trust_pages=trust_pages,
        trends=trends,
    ).dump(str(index), encoding="utf-8")
    if comparison is not None:
        (out_dir / "changes.html").write_text(
            env.get_template("changes.html").render(
                **common, root="", comparison=comparison, old_run=old_run,
                # a page for each changed school still in this run (not a map of the whole run)
                pages={c.key: school_page(c.key) for c in comparison.changed if c.new_status is not None},
            ),
            encoding="utf-8",
        )
    return index, tallies


def _print_css() -> Markup:
    # The printable page travels alone as an email attachment: its styles go inside it.
    return Markup((TEMPLATES / "assets" / "print.css").read_text(encoding="utf-8"))
