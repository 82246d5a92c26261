"""The notices the demo schools publish: the project corpus when present, else short built-in ones.

`corpus/notices/` (in a source checkout) holds notices written for the
project with labels saying who each is for. An installed noticecheck has no
corpus, so a few notices are built in here, written for the demo: one
current and complete, and several with the faults an LA finds in practice
(a 1998-era notice, a 2018 "GDPR" notice, an unfinished template).

Built-in texts use a tiny markup: "# " heading, "## " subheading, "- " list
item, anything else a paragraph; "{school}" is replaced by the school name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from noticecheck.demo.documents import Block


@dataclass(frozen=True)
class DemoNotice:
    """A notice the demo can publish: either blocks to render, or a ready-made file."""

    name: str
    audience: str  # pupils | parents | workforce | governors
    blocks: tuple[Block, ...] = ()
    raw: bytes | None = None  # a corpus HTML/PDF/DOCX/ODT file served as it is
    raw_ext: str | None = None
    age_range: tuple[int, int] | None = None  # the setting the notice was written for, if known
    school_type: str | None = None

    def for_school(self, school: str) -> list[Block]:
        return [Block(b.kind, b.text.replace("{school}", school)) for b in self.blocks]


def parse_markup(text: str, plain: bool = False) -> list[Block]:
    """Blocks from the built-in markup or simple Markdown (headings, bullets, paragraphs).

    With `plain`, a short one-line paragraph without closing punctuation is
    taken as a heading, which is how headings look in a .txt notice.
    """
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = " ".join(paragraph)
            looks_like_heading = len(paragraph) == 1 and len(text) < 90 and not text.endswith((".", ":", ";", ","))
            blocks.append(Block("h2" if plain and looks_like_heading else "p", text))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        bullet = re.match(r"^(?:[-*•]|\d+[.)])\s+(.*)$", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            blocks.append(Block("h1" if len(heading.group(1)) == 1 else "h2", heading.group(2).strip()))
        elif bullet:
            flush()
            blocks.append(Block("li", bullet.group(1).strip()))
        else:
            paragraph.append(stripped)
    flush()
    return blocks


_RAW_EXTS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html"}
_AUDIENCE_HINTS = (("workforce", "workforce"), ("staff", "workforce"), ("governor", "governors"),
                   ("parent", "parents"), ("pupil", "pupils"), ("student", "pupils"), ("child", "pupils"))


def _guess_audience(name: str) -> str:
    lowered = name.lower()
    return next((aud for hint, aud in _AUDIENCE_HINTS if hint in lowered), "pupils")


def find_corpus() -> Path | None:
    """`corpus/notices` of a source checkout holding this package, if there is one."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "corpus" / "notices"
        if candidate.is_dir():
            return candidate
    return None


def load_corpus(directory: Path) -> list[DemoNotice]:
    """Every usable notice in a corpus directory, with its audience from labels.jsonl when known."""
    labels: dict[str, dict] = {}
    for labels_file in sorted(directory.parent.glob("labels*.jsonl")):
        for line in labels_file.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                labels[Path(record["file"]).name] = record
            except (ValueError, KeyError, TypeError):
                continue  # a bad label line is the corpus tests' business, not the demo's
    notices = []
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        label = labels.get(path.name, {})
        context = label.get("context") or {}
        if context.get("jurisdiction", "england") != "england":
            continue  # the demo is an English LA
        common = {
            "name": path.stem,
            "audience": label.get("audience") or _guess_audience(path.name),
            "age_range": _age_range(context.get("age_range")),
            "school_type": context.get("school_type"),
        }
        suffix = path.suffix.lower()
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if suffix in _RAW_EXTS:
            notices.append(DemoNotice(**common, raw=data, raw_ext=_RAW_EXTS[suffix]))
        elif suffix in (".md", ".txt", ".markdown"):
            blocks = parse_markup(data.decode("utf-8", errors="replace"), plain=suffix == ".txt")
            if len(blocks) >= 3:
                notices.append(DemoNotice(**common, blocks=tuple(blocks)))
    return notices


def _age_range(text: str | None) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


# -- built-in notices (written for the demo) ---------------------------------

_CURRENT_PUPILS = """
# Privacy notice for pupils and their families
{school} collects and uses information about pupils and their parents and carers. This notice explains what we hold, why, who we share it with and what your rights are. It was last reviewed in September 2025.
## Who is responsible for your information
{school} is the data controller for the information in this notice. Our data protection officer (DPO) is Sam Patel, who can be reached at dpo@example-school.org.uk or on 01632 960 123.
## The information we hold
- personal details such as name, date of birth, address and unique pupil number
- attendance, behaviour and exclusion records
- assessment and exam results
- medical conditions, allergies and special educational needs
- characteristics such as ethnicity and first language
## Why we use it
We use pupil information to support learning, to monitor and report on progress, to look after pupils' wellbeing and safety, to assess the quality of our services and to meet the legal duties placed on us by the Department for Education.
## Our lawful basis
We process this information because it is necessary to carry out our public task (UK GDPR Article 6(1)(e)) and to comply with our legal obligations (Article 6(1)(c)). Where we ask for your consent, for example to use photographs, you can withdraw that consent at any time. Health, ethnicity and other special category information is processed under Article 9(2)(g) substantial public interest, with the conditions in Schedule 1 of the Data Protection Act 2018.
## Where the information comes from
Most information comes from you. Some comes from your previous school, the local authority and the Department for Education.
## How long we keep it
We keep pupil records in line with our records retention schedule, which follows the IRMS toolkit for schools: the main pupil file is kept until the pupil reaches 25.
## Who we share it with
We share information with the local authority, the Department for Education, the school nursing service, exam boards and the suppliers who run our systems under contract. Our suppliers store data in the UK; we do not transfer personal data outside the UK. We do not make decisions about you by automated means.
## The Department for Education and the National Pupil Database
We send information to the Department for Education through the school census, as required by section 537A of the Education Act 1996. The Department stores it in the National Pupil Database (NPD) and may share extracts with approved researchers and organisations. You can find out what the Department holds about you by making a request to the Department, as explained at https://www.gov.uk/government/publications/requesting-your-personal-information.
## Youth support services
Once a pupil reaches 13 we pass their name, address and date of birth, and those of their parents, to the local authority's youth support services, as section 507B of the Education Act 1996 requires. A parent, or the pupil once 16, can ask us to pass only the name, address and date of birth. We also register pupils aged 14 and over with the Learning Records Service, which gives them a unique learner number.
## Your rights
You have the right to ask for a copy of your information, to have it corrected, to have it erased, to restrict how we use it, to object to how we use it and, in some cases, to data portability.
## Complaints
If you are unhappy with how we have used your information, please tell us first: email dpo@example-school.org.uk or write to the school office, and we will acknowledge your complaint within 30 days. You can also complain to the Information Commissioner's Office at https://ico.org.uk/make-a-complaint/ or on 0303 123 1113.
"""

_OUTDATED_PUPILS = """
# Fair processing notice
{school} is a data controller for the purposes of the Data Protection Act 1998. We collect information about pupils and may receive information from their previous school.
## What we hold
We hold names, addresses, attendance and assessment records, and sensitive personal data such as ethnic origin and medical information, which we process under the conditions in Schedule 3.
## Who we share it with
We pass information to the local authority, the Department for Education and, for pupils aged 13 and over, to Connexions.
## Your rights
You may request the information we hold about you. A fee of £10 applies and we will reply within 40 days. Contact the school office.
"""

_GDPR2018_PUPILS = """
# Privacy notice (how we use pupil information)
Under the General Data Protection Regulation (GDPR), {school} is the data controller for pupil information. Data Protection Officer: (if applicable) contact the school office.
## The categories of pupil information we hold
- name, unique pupil number and address
- attendance and assessment information
- medical and special educational needs information
## Why we collect and use it
We use this information to support pupil learning, to monitor progress, to provide pastoral care and to comply with the law on data sharing.
## The lawful basis
We rely on Article 6(1)(c) legal obligation and Article 6(1)(e) public task.
## Storing pupil data
We hold pupil data for as long as necessary.
## Who we share pupil information with
Pupil records regularly go to the local authority, the Department for Education and the next school a pupil moves to.
## Requesting access to your personal data
Parents and pupils may ask for a copy of the information the school keeps about them (their right of access). You also have the right to have inaccurate data corrected and to object to processing. If you have a concern, you can raise it with the Information Commissioner's Office at https://ico.org.uk/concerns/.
"""

_WORKFORCE = """
# Privacy notice for the school workforce
This notice explains how {school} uses information about the people we employ or who otherwise work with us. It was reviewed in March 2025.
## Who is responsible
{school} is the data controller. Our data protection officer is Alex Morgan (dpo@example-school.org.uk).
## What we hold
- contact details, contract information and pay
- work absence, qualifications and performance information
- health information and, for safeguarding, the outcome of criminal record checks
## Why and on what basis
We use workforce information to run the school, pay staff and keep pupils safe. The lawful bases are the employment contract (Article 6(1)(b)), legal obligation (Article 6(1)(c)) and public task (Article 6(1)(e)) under the UK GDPR. Health data is processed under Article 9(2)(b) employment law, and criminal records data under Schedule 1 of the Data Protection Act 2018.
## Sharing
Most of this information comes from you; some comes from previous employers (references), the Disclosure and Barring Service and occupational health. We share information with the local authority, the Department for Education (school workforce census), HMRC, our payroll provider and pension schemes. We do not transfer data outside the UK and make no automated decisions.
## How long we keep it
Personnel files are kept for six years after employment ends, following our retention schedule.
## Your rights and complaints
You can ask to see your information and ask for it to be corrected, erased or restricted, or object to its use or ask for portability. If you are unhappy with how we handle your information, please raise your concern with us first by emailing our DPO, and we will reply within one month. You can also complain to the ICO at https://ico.org.uk/make-a-complaint/.
"""

_TEMPLATE_PUPILS = """
# Privacy notice for pupils
[School name] is the data controller for the information we hold about you. Our data protection officer is [insert DPO name here].
## What we hold and why
We hold your name, contact details, attendance and results so that we can teach you and keep you safe. We use this under the UK GDPR public task basis.
## Who we share with
We share information with the local authority and the Department for Education, which puts it in the National Pupil Database.
## How long we keep it
We keep your records for XXXX years.
## Your rights
You can ask for a copy of your information. You can complain to the Information Commissioner's Office.
"""

BUILT_IN = (
    DemoNotice("current-pupils", "pupils", tuple(parse_markup(_CURRENT_PUPILS)), age_range=(11, 16)),
    DemoNotice("outdated-pupils", "pupils", tuple(parse_markup(_OUTDATED_PUPILS)), age_range=(11, 16)),
    DemoNotice("gdpr2018-pupils", "pupils", tuple(parse_markup(_GDPR2018_PUPILS)), age_range=(4, 11)),
    DemoNotice("workforce", "workforce", tuple(parse_markup(_WORKFORCE))),
    DemoNotice("template-pupils", "pupils", tuple(parse_markup(_TEMPLATE_PUPILS)), age_range=(4, 11)),
)


def built_in(name: str) -> DemoNotice:
    return next(n for n in BUILT_IN if n.name == name)


def demo_notices(corpus: Path | None = None) -> list[DemoNotice]:
    """Notices to publish: the corpus's if it has any, else the built-in ones."""
    directory = corpus or find_corpus()
    found = load_corpus(directory) if directory and directory.is_dir() else []
    return found or list(BUILT_IN)
