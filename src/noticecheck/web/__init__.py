"""The self-check web page: a school checks its notice in a browser (`noticecheck serve`).

`app.create_app` builds the Flask app; `service` turns what a form or the
API sent into a checked notice on the same engine path as `noticecheck check`;
`annotate` shapes the result for the page; `wordfile` writes the Word copy
with comments; `guard` holds the security plumbing (CSRF, rate limit,
headers, in-memory uploads). Nothing here writes a notice to disk or a log.
"""

from noticecheck.web.app import create_app

__all__ = ["create_app"]
