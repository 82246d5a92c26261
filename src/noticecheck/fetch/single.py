"""Fetch one notice by URL for `noticecheck check https://…`, the same polite, safe way a scan does.

The I/O edge for a single URL: robots.txt, the private-address guard, size
caps and content-type checks all come from `PoliteSession`; a failure becomes
`UnreadableInput` with a one-line reason, like an unreadable file.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from noticecheck.media import SERVED_AS
from noticecheck.model import Document, UnreadableInput
from noticecheck.precompiled import regex

URL_RE = regex(r"^https?://", re.I)

# What a privacy notice can be served as, plus any download: one URL the user chose
# is sniffed by its content, whatever the server calls it.
ACCEPT = (*SERVED_AS, "application/octet-stream")

_OUTCOME_CODES = {
    "too-large": "too-large",
    "wrong-type": "unknown-type",
}


def is_url(source: str) -> bool:
    return bool(URL_RE.match(source))


def fetch_document(url: str, *, policy=None) -> Document:
    """Fetch `url` into a Document, or raise UnreadableInput saying why not."""
    from noticecheck.fetch.http import FetchPolicy, PoliteSession

    policy = policy or FetchPolicy()
    with PoliteSession(policy) as session:
        result = session.get(url, accept=ACCEPT)
    if not result.ok:
        reason = result.error or result.outcome
        status = f" (HTTP {result.status})" if result.status else ""
        if result.outcome == "refused-private":
            reason += " (--allow-private lets `check` fetch from this machine or a private network)"
        raise UnreadableInput(_OUTCOME_CODES.get(result.outcome, "not-found"), f"could not fetch{status}: {reason}")
    path = unquote(urlsplit(result.final_url).path)
    filename = posixpath.basename(path) or "index.html"
    return Document(source=url, data=result.data, filename=filename, media_type=result.content_type)
