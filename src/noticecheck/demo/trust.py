"""A multi-academy trust for the demo and the tests: the trust's notice template and five schools' copies of it.

Written for this project (not taken from any real notice). The template has
gaps a trust DPO would fix once for every school: it never tells people
they can complain to the Information Commissioner, nor how to complain to
the school, nor where pupils' information comes from, nor whether giving it
is required, and it links to a retired DfE page. Each copy drifts the way copies do:

    alder     the template as it is (only the school's name filled in)
    birch     dropped the part on how long information is kept
    cedar     added a sentence about the school's catering supplier
    damson    kept a paragraph from its old notice citing the Data Protection Act 1998
    elm       rewrote the data protection officer part without naming one, and added the ICO

Markup as in notices.py: "# " heading, "## " subheading, "- " list item.
"""

from __future__ import annotations

TRUST_NAME = "ORCHARD VALE LEARNING TRUST"  # GIAS writes trust names in upper case

TEMPLATE = """
# How Orchard Vale Learning Trust schools use pupil information
Our school is part of Orchard Vale Learning Trust. The trust is the data controller for the personal information the school holds about pupils and their families. This notice explains what we collect, why we collect it, who we share it with and what your rights are under the UK GDPR and the Data Protection Act 2018.
## What information we collect
We collect and use personal information such as names, unique pupil numbers, contact details and addresses, dates of birth, attendance records, assessment results, behaviour and exclusion records, and special educational needs information.
We also collect special category information such as medical conditions, ethnicity and first language where this is needed to look after pupils.
## Why we use this information
We use pupil information to support learning, to monitor and report on progress, to provide pastoral care, to keep children safe, to assess the quality of our services and to meet the statutory duties placed on us by the Department for Education.
## Our lawful basis
We process this information because we must comply with a legal obligation (Article 6(1)(c) of the UK GDPR) and because it is necessary for a task carried out in the public interest (Article 6(1)(e)).
Where we process special category data we rely on Article 9(2)(g), substantial public interest, and the conditions in Schedule 1 of the Data Protection Act 2018.
Where we ask for your consent, for example to use photographs, you may withdraw it at any time by contacting the school office.
## How long we keep information
We keep pupil records for the periods set out in the trust's records retention schedule, which follows the Information and Records Management Society toolkit for schools. Most pupil files are kept until the pupil's 25th birthday and are then securely destroyed.
## Who we share information with
We routinely share pupil information with the schools pupils move on to, our local authority, the Department for Education, the NHS school nursing team and the trust's central team.
We share information with the Department for Education on a statutory basis through the school census. Some of this information is stored in the National Pupil Database, which the Department uses to research and improve education. You can read how the Department shares this data at https://www.gov.uk/government/publications/national-pupil-database-requests-received.
Once pupils reach the age of 13 we pass their name, address and date of birth to the local authority's youth support services, who provide careers advice and support for young people. A parent, or the pupil once aged 16, can ask us to pass on only the name, address and date of birth.
## Your rights
You have the right to ask for a copy of the information we hold about you, to have inaccurate information corrected, to ask for information to be erased or its use restricted in some cases, to object to its use, and to data portability.
To make a request, contact the school office in writing.
## Our data protection officer
The trust's data protection officer is Ruth Pembury. You can contact her at dpo@orchardvale.example or by writing to the trust office at 4 Orchard Lane, Vale Town.
"""


def _copy(*, drop: str | None = None, after: tuple[str, str] | None = None, replace: tuple[str, str] | None = None) -> str:
    """The template with one part dropped, a line added after another, or one part replaced."""
    text = TEMPLATE
    if drop is not None:
        start = text.index(drop)
        end = text.index("\n## ", start + 1)
        text = text[:start] + text[end + 1 :]
    if after is not None:
        anchor, line = after
        position = text.index("\n", text.index(anchor)) + 1
        text = text[:position] + line + "\n" + text[position:]
    if replace is not None:
        old, new = replace
        start = text.index(old)
        end = text.find("\n## ", start + 1)
        text = text[:start] + new + (text[end:] if end != -1 else "\n")
    return text


COPIES: dict[str, str] = {
    "alder": TEMPLATE,
    "birch": _copy(drop="## How long we keep information"),
    "cedar": _copy(after=(
        "We routinely share pupil information",
        "We also share the names and dietary needs of pupils with Greenplate Catering, who run the school kitchen for us.",
    )),
    "damson": _copy(after=(
        "Where we ask for your consent",
        "We hold all information in line with the Data Protection Act 1998 and will only use it for the purposes we registered with the Information Commissioner.",
    )),
    "elm": _copy(replace=(
        "## Our data protection officer",
        "## Contact us\nIf you have a question about this notice, please speak to the school office.\n"
        "If you are unhappy with how we have used your information you can complain to the Information Commissioner's Office at https://ico.org.uk/make-a-complaint/ or on 0303 123 1113.",
    )),
}

SCHOOL_NAMES = {
    "alder": "Alder Brook Academy",
    "birch": "Birchfield Primary Academy",
    "cedar": "Cedar Rise Academy",
    "damson": "Damson Lane Primary Academy",
    "elm": "Elmcroft Academy",
}


def for_school(markup: str, school: str) -> str:
    return markup.replace("{school}", school)


def trust_plans(first_index: int, first_urn: int):
    """The trust's five schools as demo site plans (each publishes its copy as a web page or a PDF)."""
    from noticecheck.demo.notices import DemoNotice, parse_markup
    from noticecheck.demo.sites import PublishedNotice, SchoolPlan

    plans = []
    for offset, (key, markup) in enumerate(COPIES.items()):
        name = SCHOOL_NAMES[key]
        notice = DemoNotice(name=f"trust-{key}", audience="pupils", blocks=tuple(parse_markup(for_school(markup, name))))
        plans.append(
            SchoolPlan(
                index=first_index + offset, urn=str(first_urn + offset), name=name, type_name="Academy converter",
                phase="Primary", age_low=4, age_high=11, trust=TRUST_NAME, kind="normal",
                published=(PublishedNotice(notice, ("html", "pdf")[offset % 2], ("policies", "gdpr")[offset % 2]),),
            )
        )
    return plans
