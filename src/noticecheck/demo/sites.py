"""The demo's pretend local authority: schools, their websites' pages, and the GIAS-style school list.

Each school gets a small site with the clutter real school sites have (a
navigation menu, a cookie banner, a footer, news and contact pages), and its
privacy notices linked from a "Policies" page, a "GDPR" page or the footer,
published as web pages, PDFs or Word files. A few sites are broken in the
ways an LA scan meets: unreachable, a server error, robots.txt forbidding
crawlers, no notice at all, a scanned PDF with no text, and no website.

Everything is deterministic: the same count gives the same schools, pages
and bytes, so two demo scans differ only where the story says they should.
Two "terms" are modelled so the dashboard can show what changed since the
previous scan: between them one school fixes its notice, one site comes
back online and one school publishes a worse notice.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, replace
from pathlib import Path

from noticecheck.demo.documents import MEDIA_TYPES, Block, to_docx, to_html_fragment, to_pdf, to_scanned_pdf
from noticecheck.demo.notices import DemoNotice, built_in

DEMO_LA = "Demoshire"
DEMO_LA_CODE = "999"

BROKEN_KINDS = ("unreachable", "server-error", "robots-disallowed", "no-notice", "scanned-pdf", "no-website")

_PLACES = (
    "Ashcombe", "Brackley Vale", "Castlegate", "Dunmore", "Elmstead", "Fernhill", "Greystone", "Hartwell",
    "Ivydene", "Juniper Hill", "Kingsmead", "Larchwood", "Millbrook", "Northgate", "Oakhurst", "Pennington",
    "Quarry Bank", "Riverside", "St Aidan's", "Thornbury", "Upton Marsh", "Willowbank", "Yewdale", "Amberley",
    "Beechcroft", "Coldharbour", "Deepdale", "Eastfield", "Foxley", "Glenwood", "Holmwood", "Inglewood",
)
_FORMATS = ("html", "pdf", "docx")
_PLACEMENTS = ("policies", "gdpr", "footer")


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass(frozen=True)
class PublishedNotice:
    notice: DemoNotice
    fmt: str  # html | pdf | docx | odt
    placement: str  # policies | gdpr | footer


@dataclass(frozen=True)
class SchoolPlan:
    """One demo school: its GIAS facts and what its website looks like in one term."""

    index: int
    urn: str
    name: str
    type_name: str
    phase: str
    age_low: int
    age_high: int
    trust: str
    kind: str  # "normal" or one of BROKEN_KINDS
    published: tuple[PublishedNotice, ...] = ()
    host: str = ""  # 127.0.0.x
    port: int = 0

    @property
    def website(self) -> str:
        return "" if self.kind == "no-website" else f"http://{self.host}:{self.port}/"

    @property
    def serves(self) -> bool:
        """Whether a server should answer for this school (unreachable sites have none)."""
        return self.kind not in ("unreachable", "no-website")


def _phase_for(ages: tuple[int, int]) -> str:
    low, high = ages
    if high <= 5:
        return "Nursery"
    if high <= 11:
        return "Primary"
    if low >= 11:
        return "Secondary"
    return "All-through"


def _type_for(school_type: str | None, index: int) -> tuple[str, str]:
    """GIAS type name and trust for a school type (None: pick by rotation)."""
    if school_type is None:
        school_type = ("maintained", "academy", "maintained", "academy", "independent")[index % 5]
    if school_type == "academy":
        return ("Academy converter", "Demo Valley Learning Trust")
    if school_type == "independent":
        return ("Other independent school", "")
    return (("Community school", "Voluntary aided school", "Foundation school")[index % 3], "")


def _suffix(phase: str, type_name: str) -> str:
    if phase == "Nursery":
        return "Nursery School"
    if "Academy" in type_name:
        return "Academy" if phase != "Primary" else "Primary Academy"
    return {"Primary": "Primary School", "Secondary": "High School", "All-through": "School"}[phase]


def plan_schools(count: int, notices: list[DemoNotice]) -> list[SchoolPlan]:
    """The schools of the current term, deterministic for a given count and notice pool."""
    if count < 1:
        raise ValueError("the demo needs at least one school")
    pupil_notices = [n for n in notices if n.audience in ("pupils", "parents")] or [built_in("current-pupils")]
    staff_notices = [n for n in notices if n.audience in ("workforce", "governors")] or [built_in("workforce")]
    # Spread the broken sites through the list so even a small demo shows most of them.
    step = max(2, min(4, count // len(BROKEN_KINDS)))
    plans = []
    for i in range(count):
        slot, rest = divmod(i, step)
        kind = BROKEN_KINDS[slot] if rest == step - 1 and slot < len(BROKEN_KINDS) else "normal"
        main = pupil_notices[i % len(pupil_notices)]
        ages = main.age_range or ((4, 11), (11, 16), (11, 18), (3, 11))[i % 4]
        phase = _phase_for(ages)
        type_name, trust = _type_for(main.school_type, i)
        place = _PLACES[i % len(_PLACES)] + ("" if i < len(_PLACES) else f" {i // len(_PLACES) + 1}")
        published: list[PublishedNotice] = []
        if kind in ("normal", "unreachable", "server-error", "robots-disallowed"):
            published.append(PublishedNotice(main, main.raw_ext or _FORMATS[i % 3], _PLACEMENTS[i % 3]))
            if i % 3 == 1:  # every third school also publishes a staff notice
                staff = staff_notices[i % len(staff_notices)]
                published.append(PublishedNotice(staff, staff.raw_ext or _FORMATS[(i + 1) % 3], _PLACEMENTS[i % 3]))
        elif kind == "scanned-pdf":
            published.append(PublishedNotice(main, "scanned-pdf", "policies"))
        plans.append(
            SchoolPlan(
                index=i,
                urn=str(900001 + i),
                name=f"{place} {_suffix(phase, type_name)}",
                type_name=type_name,
                phase=phase,
                age_low=ages[0],
                age_high=ages[1],
                trust=trust,
                kind=kind,
                published=tuple(published),
            )
        )
    return plans


def two_terms(plans: list[SchoolPlan]) -> tuple[list[SchoolPlan], list[SchoolPlan]]:
    """(last term, this term) for the same schools.

    Between the terms one school replaces a 1998-era notice with a current
    one, one website comes back online, and one school swaps a good notice
    for an unfinished template. With fewer than three working sites the
    terms are the same.
    """
    last, this = list(plans), list(plans)
    normal = [p for p in plans if p.kind == "normal"]
    if len(normal) >= 3:
        fixed, revived, worse = normal[0], normal[1], normal[2]
        last[fixed.index] = replace(fixed, published=(PublishedNotice(built_in("outdated-pupils"), "html", "policies"),))
        this[fixed.index] = replace(fixed, published=(PublishedNotice(built_in("current-pupils"), "html", "policies"),))
        last[revived.index] = replace(revived, kind="unreachable")
        last[worse.index] = replace(worse, published=(PublishedNotice(built_in("current-pupils"), "pdf", "gdpr"),))
        this[worse.index] = replace(worse, published=(PublishedNotice(built_in("template-pupils"), "pdf", "gdpr"),))
    return last, this


# -- pages -----------------------------------------------------------------

_STYLE = """body{font-family:Georgia,serif;margin:0;color:#222}header{background:#0b3d2e;color:#fff;padding:1em}
header a{color:#fff}nav ul{list-style:none;margin:0;padding:0;display:flex;gap:1em}nav li ul{display:none}
nav li:hover ul{display:block;position:absolute;background:#0b3d2e;padding:.5em}main{max-width:60em;margin:auto;padding:1em}
#cookie-banner{background:#ffd;padding:.5em 1em;border-bottom:1px solid #cc9}footer{background:#eee;padding:1em;font-size:.9em}"""


def _chrome(plan: SchoolPlan, title: str, body: str, footer_privacy: str = "") -> bytes:
    name = html.escape(plan.name)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {name}</title><style>{_STYLE}</style></head>
<body>
<div id="cookie-banner" role="dialog" aria-label="Cookies"><p>This website uses cookies to remember your settings and to
count visits. <a href="/cookies/">Read our cookie policy</a>.</p><button type="button">Accept all cookies</button>
<button type="button">Reject optional cookies</button></div>
<header><a class="logo" href="/"><strong>{name}</strong></a><p>Learning together, growing together</p>
<nav aria-label="Main"><ul>
<li><a href="/">Home</a></li>
<li><a href="/about-us/">About us</a><ul><li><a href="/about-us/headteachers-welcome/">Headteacher's welcome</a></li>
<li><a href="/about-us/governors/">Governors</a></li></ul></li>
<li><a href="/key-information/">Key information</a><ul><li><a href="/key-information/policies/">Policies</a></li>
<li><a href="/key-information/gdpr/">GDPR</a></li><li><a href="/key-information/ofsted/">Ofsted and performance</a></li></ul></li>
<li><a href="/news/">News</a></li><li><a href="/contact/">Contact us</a></li>
</ul></nav></header>
<main>
{body}
</main>
<footer><p>{name}, School Lane, Demotown DM1 {plan.index % 9 + 1}AB. Telephone 01632 960{plan.index:03d}.
Headteacher: Mrs J Example.</p>
<p><a href="/cookies/">Cookies</a> · <a href="/accessibility/">Accessibility</a> · <a href="/sitemap/">Site map</a>{footer_privacy}</p>
<p>&copy; 2025 {name}. Website by Demo School Sites Ltd.</p></footer>
</body></html>
"""
    return page.encode("utf-8")


_AUDIENCE_LINK = {
    "pupils": "Privacy notice for pupils and parents",
    "parents": "Privacy notice for parents and carers",
    "workforce": "Privacy notice for the school workforce",
    "governors": "Privacy notice for governors and volunteers",
}


def _notice_path(pub: PublishedNotice, n: int) -> str:
    base = pub.notice.audience
    if pub.fmt == "html":
        return f"/key-information/gdpr/privacy-notice-{base}{'' if n == 1 else f'-{n}'}/"
    ext = "pdf" if pub.fmt == "scanned-pdf" else pub.fmt
    return f"/uploads/{n}/Privacy-Notice-{base.capitalize()}.{ext}"


def _notice_page(plan: SchoolPlan, pub: PublishedNotice) -> Page:
    notice = pub.notice
    if notice.raw is not None and pub.fmt == notice.raw_ext:
        return Page(notice.raw, MEDIA_TYPES.get(pub.fmt, "application/octet-stream"))
    blocks = notice.for_school(plan.name)
    if pub.fmt == "html":
        return Page(_chrome(plan, blocks[0].text if blocks else "Privacy notice", to_html_fragment(blocks)))
    if pub.fmt == "pdf":
        return Page(to_pdf(blocks, title=blocks[0].text if blocks else "Privacy notice"), MEDIA_TYPES["pdf"])
    if pub.fmt == "docx":
        return Page(to_docx(blocks), MEDIA_TYPES["docx"])
    if pub.fmt == "scanned-pdf":
        return Page(to_scanned_pdf(), MEDIA_TYPES["pdf"])
    raise ValueError(f"unknown notice format {pub.fmt!r}")


def _simple(plan: SchoolPlan, title: str, *paragraphs: str) -> Page:
    body = f"<h1>{html.escape(title)}</h1>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return Page(_chrome(plan, title, body))


def site_pages(plan: SchoolPlan) -> dict[str, Page]:
    """Every page of one school's website, by path ("/robots.txt" included)."""
    links = []  # (placement, href, text)
    pages: dict[str, Page] = {}
    for n, pub in enumerate(plan.published, start=1):
        path = _notice_path(pub, n)
        pages[path] = _notice_page(plan, pub)
        text = _AUDIENCE_LINK.get(pub.notice.audience, "Privacy notice")
        if pub.fmt in ("pdf", "scanned-pdf", "docx", "odt"):
            text += f" ({'PDF' if 'pdf' in pub.fmt else pub.fmt.upper()})"
        links.append((pub.placement, path, text))

    def link_list(placement: str) -> str:
        items = [f'<li><a href="{href}">{html.escape(text)}</a></li>' for where, href, text in links if where == placement]
        return "<ul>" + "".join(items) + "</ul>" if items else ""

    footer_links = "".join(f' · <a href="{href}">{html.escape(text)}</a>' for where, href, text in links if where == "footer")
    name = plan.name
    pages["/"] = Page(_chrome(plan, "Home", f"""<h1>Welcome to {html.escape(name)}</h1>
<p>We are a friendly {html.escape(plan.phase.lower())} school for children aged {plan.age_low} to {plan.age_high}.</p>
<h2>Latest news</h2><ul><li><a href="/news/">Harvest festival collection</a></li><li><a href="/news/">Year 6 residential trip</a></li></ul>
<p><a href="/contact/">Contact the school office</a></p>""", footer_links))
    policies = [
        ("Behaviour policy", "/uploads/policies/Behaviour-Policy.pdf"),
        ("Safeguarding and child protection policy", "/uploads/policies/Safeguarding-Policy.pdf"),
        ("Charging and remissions policy", "/uploads/policies/Charging-Policy.pdf"),
    ]
    for title, href in policies:
        pages[href] = Page(to_pdf([Block("h1", f"{name}: {title}"), Block("p", f"This is the {title.lower()}.")]),
                           MEDIA_TYPES["pdf"])
    policy_items = "".join(f'<li><a href="{href}">{html.escape(t)} (PDF)</a></li>' for t, href in policies)
    pages["/key-information/policies/"] = Page(_chrome(plan, "Policies", f"""<h1>Policies</h1>
<p>Our policies are reviewed by the governing body. Paper copies are available from the office.</p>
<ul>{policy_items}</ul>{link_list("policies")}""", footer_links))
    gdpr_intro = (
        "<p>Our privacy notices are available on paper from the school office.</p>"
        if plan.kind == "no-notice"
        else "<p>Read how we look after personal information.</p>"
    )
    pages["/key-information/gdpr/"] = Page(_chrome(plan, "GDPR", f"""<h1>GDPR and data protection</h1>
{gdpr_intro}{link_list("gdpr")}""", footer_links))
    for path, title, text in (
        ("/about-us/", "About us", "Our school serves the local community."),
        ("/about-us/headteachers-welcome/", "Headteacher's welcome", "Thank you for visiting our website."),
        ("/about-us/governors/", "Governors", "Our governors meet twice a term."),
        ("/key-information/", "Key information", "Policies, performance data and data protection."),
        ("/key-information/ofsted/", "Ofsted and performance", "Our latest inspection report is available online."),
        ("/news/", "News", "Harvest festival raised money for the food bank."),
        ("/contact/", "Contact us", "Telephone the school office between 8am and 4pm."),
        ("/cookies/", "Cookie policy", "We use essential cookies and, with your consent, analytics cookies."),
        ("/accessibility/", "Accessibility", "We aim to make this website usable by everyone."),
        ("/sitemap/", "Site map", "Every page on this website."),
    ):
        pages[path] = _simple(plan, title, text)
    if plan.kind == "server-error":
        broken = Page(b"<h1>500 Internal Server Error</h1>", status=500)
        pages = {path: broken for path in pages}
    robots = "User-agent: *\nDisallow: /\n" if plan.kind == "robots-disallowed" else "User-agent: *\nDisallow: /admin/\n"
    pages["/robots.txt"] = Page(robots.encode(), "text/plain; charset=utf-8")
    return pages


# -- the school list -------------------------------------------------------

GIAS_COLUMNS = (
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "PhaseOfEducation (name)", "StatutoryLowAge",
    "StatutoryHighAge", "Trusts (name)", "SchoolWebsite", "Town", "Postcode",
)


def _type_group(type_name: str) -> str:
    if "Academy" in type_name:
        return "Academies"
    if "independent" in type_name:
        return "Independent schools"
    return "Local authority maintained schools"


def write_gias_csv(plans: list[SchoolPlan], path: Path, closed_extra: bool = True) -> Path:
    """A school list in the column layout of a GIAS 'all establishment data' download.

    With `closed_extra`, one closed school is added, as in a real export,
    which a scan must skip.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(GIAS_COLUMNS)
        rows = [(p, "Open") for p in plans]
        if closed_extra and plans:
            rows.append((replace(plans[0], urn="899999", name="Old Mill Infant School (closed)"), "Closed"))
        for plan, status in rows:
            writer.writerow(
                (
                    plan.urn, DEMO_LA_CODE, DEMO_LA, str(2000 + plan.index), plan.name, plan.type_name,
                    _type_group(plan.type_name), status, plan.phase, plan.age_low, plan.age_high, plan.trust,
                    plan.website if status == "Open" else "", "Demotown", f"DM1 {plan.index % 9 + 1}AB",
                )
            )
    return path
