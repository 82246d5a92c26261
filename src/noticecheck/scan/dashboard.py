"""The HTML dashboard of a scan: `index.html`, one page per school, and a "changes since" page.

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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from noticecheck.media import LABELS as MEDIA_LABELS
from noticecheck.scan.status import STATUS_HELP, STATUS_LABELS
from noticecheck.scan.summary import (
    KEY_CHECKS,
    RunComparison,
    audiences,
    key_check_passes,
    run_totals,
)
from noticecheck.scan.store import FindingRecord, RunData, RunInfo, SchoolRecord

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
    )
    return env


@dataclass(frozen=True)
class _Row:
    school: SchoolRecord
    page: str
    audiences: list[str]
    checks: list[bool | None]


def area_name(run: RunInfo) -> str:
    return run.la or f"schools in {Path(run.source).name}"


def render_dashboard(
    data: RunData,
    out_dir: Path,
    comparison: RunComparison | None = None,
    old_run: RunInfo | None = None,
) -> Path:
    """Write the dashboard for one run into `out_dir`; returns the path of index.html.

    With `comparison`, also writes `changes.html` and a "since" box on each
    school page.
    """
    out_dir = Path(out_dir)
    (out_dir / "schools").mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES / "assets", out_dir / "assets", dirs_exist_ok=True)
    env = _environment()
    common = {
        "run": data.run,
        "area": area_name(data.run),
        "status_labels": STATUS_LABELS,
        "status_help": STATUS_HELP,
    }
    pages = {s.key: f"schools/{school_page_name(s.key)}" for s in data.schools}
    changes = {c.key: c for c in comparison.schools} if comparison else {}

    totals = run_totals(data)
    rows = [
        _Row(
            school=s,
            page=pages[s.key],
            audiences=audiences(s),
            checks=[key_check_passes(c, s.notices) for c in KEY_CHECKS],
        )
        for s in data.schools
    ]
    index = out_dir / "index.html"
    index.write_text(
        env.get_template("index.html").render(
            **common,
            root="",
            totals=totals,
            rows=rows,
            key_checks=KEY_CHECKS,
            top_gaps=TOP_GAPS,
            max_gap=max((c for _, _, c in totals.by_rule), default=1),
            changes_page=comparison,
        ),
        encoding="utf-8",
    )
    school_template = env.get_template("school.html")
    for school in data.schools:
        (out_dir / pages[school.key]).write_text(
            school_template.render(
                **common,
                root="../",
                school=school,
                change=changes.get(school.key),
                change_run=comparison.old_run if comparison else None,
            ),
            encoding="utf-8",
        )
    if comparison is not None:
        (out_dir / "changes.html").write_text(
            env.get_template("changes.html").render(
                **common, root="", comparison=comparison, old_run=old_run, pages=pages
            ),
            encoding="utf-8",
        )
    return index
