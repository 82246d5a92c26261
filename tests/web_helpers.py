"""Shared pieces of the web page's tests: a small notice written here, an app on the built-in rules, form posting."""

from __future__ import annotations

import re

NOTICE = """Privacy notice for parents and carers

Who we are
Oakfield Primary School is the data controller for the information we hold about pupils.

Why we use pupil information
We use pupil data to support learning, to monitor progress and to keep children safe. We process this information under the Data Protection Act 1998.

How long we keep it
We keep pupil records until the pupil is 25 years old.

Your rights
You can ask for a copy of the information we hold about your child.
"""

# The same notice after two fixes: the Act brought up to date, and the ICO named.
EDITED = NOTICE.replace("Data Protection Act 1998", "Data Protection Act 2018") + (
    "\nComplaints\nIf you are unhappy with how we use your data, you can complain to the Information "
    "Commissioner's Office at https://ico.org.uk/make-a-complaint/.\n"
)

AS_OF = "2026-11-24"

# The Word notice the browser test uploads: (kind, text) as tests/fixtures_make.make_docx takes them.
DOCX_BLOCKS = [
    ("h1", "How we use pupil information"),
    ("p", "Elm Tree Academy is the data controller for the personal data we hold about pupils."),
    ("h2", "Why we collect and use it"),
    ("p", "We use pupil information to support teaching and to look after pupils' welfare, as the Data Protection Act 1998 allows."),
    ("h2", "Your rights"),
    ("p", "Parents can ask to see the records we keep."),
]


def make_app(**settings):
    from datetime import date

    from noticecheck.gate.run import build_gate
    from noticecheck.web.app import ServeSettings, create_app

    settings.setdefault("secret_key", b"test-secret")
    serve = ServeSettings(**settings)
    return create_app(serve, build_gate([], isolated=True, max_bytes=serve.max_upload, today=date.today()))


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def form_token(client) -> str:
    return csrf_of(client.get("/").get_data(as_text=True))
