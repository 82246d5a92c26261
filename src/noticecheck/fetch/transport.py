"""The requests adapter under PoliteSession: pinned connections and a guarded body read.

`GuardedAdapter` does two things plain requests cannot:

* its connection pools come from `AddressGuard.pool_classes()`, so sockets go
  only to addresses that were checked (see safety.py);
* it reads the body itself, in chunks, before anything else sees the response,
  stopping past a byte cap (counting decoded bytes, so a gzip bomb is caught
  too) and before the first byte when the Content-Type is not one the caller
  accepts;
* arms a total deadline for the whole exchange (connect, headers, body; see
  deadline.py), so a server dripping one byte a second, which never trips a
  per-read timeout, is cut off when the time is up;
* says when the request leaves and when its answer is in (`Budget.on_send`,
  `on_answer`), so the politeness slot covers the exchange with the server and
  not what happens to the answer afterwards (requests-cache storing it).

It reads the body here, not in PoliteSession, because requests-cache reads
`response.content` to store it: by the time the cache sees the response the
body must already be capped. The per-call limits travel in a thread-local
`Budget` because requests gives an adapter no way to receive extra arguments.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

from noticecheck.fetch.deadline import Deadline
from noticecheck.fetch.safety import AddressGuard
from noticecheck.media import BY_SUFFIX, canonical

POOLS = 256  # hosts whose idle connections are kept (see GuardedAdapter)
CHUNK = 16 * 1024  # small chunks bound how far a compressed body can expand before we check

# Generic "just bytes" types that servers send for downloads; accepted when the
# URL's extension names a type the caller wants.
GENERIC_TYPES = frozenset(
    {"application/octet-stream", "binary/octet-stream", "application/download", "application/x-download", "application/force-download", "application/unknown"}
)
EXTENSION_TYPES = BY_SUFFIX  # ".pdf" -> "application/pdf" (noticecheck/media.py)


class TooLarge(Exception):
    """The body is larger than the cap."""


class WrongType(Exception):
    """The response's Content-Type is not one the caller accepts."""

    def __init__(self, status: int, content_type: str | None):
        super().__init__(f"content type {content_type or '(none)'} is not one of the accepted types")
        self.status = status
        self.content_type = content_type


class BodyTimeout(Exception):
    """The whole response took longer than the time budget."""


@dataclass(frozen=True)
class Budget:
    """Limits for the request the current thread is sending."""

    deadline: float  # time.monotonic() value
    max_bytes: int
    truncate: bool = False  # keep the first max_bytes instead of failing (robots.txt)
    accept: tuple[str, ...] | None = None
    on_send: Callable[[], None] | None = None  # called when the request is about to be written (after connecting)
    on_answer: Callable[[int], None] | None = None  # called with the status once the answer (and body) is read


def media_type(content_type: str | None) -> str | None:
    """"text/HTML; charset=x" -> "text/html"; None for a missing or empty header."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return canonical(value) or None


def type_accepted(content_type: str | None, urls: tuple[str, ...], accept: tuple[str, ...] | None) -> bool:
    """Does a response with `content_type`, fetched via `urls`, match `accept`?

    Entries may be exact ("text/html") or wildcards ("text/*", "*/*"). A missing
    or generic download type (application/octet-stream ...) is accepted when one
    of the URLs ends in an extension whose type is accepted (".pdf" for
    application/pdf), because many school CMSs serve documents that way.
    """
    if accept is None:
        return True
    wanted = {canonical(a.lower()) for a in accept}
    actual = media_type(content_type)
    if actual is not None and actual not in GENERIC_TYPES:
        major = actual.split("/", 1)[0]
        return actual in wanted or f"{major}/*" in wanted or "*/*" in wanted
    for url in urls:
        path = urlsplit(url).path.lower()
        for extension, implied in EXTENSION_TYPES.items():
            if path.endswith(extension) and (implied in wanted or "*/*" in wanted):
                return True
    return actual is not None and actual in wanted


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter with pinned, checked connections and a capped, timed body read."""

    def __init__(self, guard: AddressGuard, *, pool_maxsize: int = 10):
        self._guard = guard
        self._local = threading.local()
        # Connection pools kept, one per host: a scan has hundreds of schools in progress, each asking its
        # host again a second or more later; with too few pools every request would pay a new TCP and
        # TLS handshake (both ends' CPU) because the host's pool was dropped in between.
        super().__init__(pool_connections=POOLS, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[override]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._guard.pool_classes()

    def set_budget(self, budget: Budget | None) -> None:
        """Set the limits for this thread's next request (None = no cap, no type check)."""
        self._local.budget = budget

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # type: ignore[override]
        budget: Budget | None = getattr(self._local, "budget", None)
        if budget is None:
            return self._send_and_read(request, None, timeout, verify, cert, proxies)
        # The socket is shut down at the deadline, whatever read it is blocked in;
        # the error that causes is reported as the timeout it is.
        with Deadline(budget.deadline, budget.on_send) as deadline:
            try:
                response = self._send_and_read(request, budget, timeout, verify, cert, proxies, deadline)
            except (BodyTimeout, TooLarge, WrongType):
                raise
            except Exception as exc:
                if deadline.expired:
                    raise BodyTimeout("the response took longer than the time budget") from exc
                raise
        if budget.on_answer is not None:
            budget.on_answer(response.status_code)
        return response

    def _send_and_read(self, request, budget, timeout, verify, cert, proxies, deadline: Deadline | None = None):
        response = super().send(request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        try:
            self._read_body(response, budget, deadline)
        except BaseException:
            response.close()
            raise
        return response

    def _read_body(self, response: requests.Response, budget: Budget | None, deadline: Deadline | None = None) -> None:
        if not 200 <= response.status_code < 300:
            # Redirects and errors: nobody needs their bodies, so do not download them.
            response.close()
            response._content = b""
            response._content_consumed = True
            return
        if budget is None:
            _ = response.content
            return
        content_type = response.headers.get("Content-Type")
        urls = (response.url or "", request_url(response), attachment_name(response.headers))
        if not type_accepted(content_type, urls, budget.accept):
            raise WrongType(response.status_code, content_type)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > budget.max_bytes and not budget.truncate:
            raise TooLarge(f"Content-Length {declared} exceeds the {budget.max_bytes}-byte cap")
        chunks: list[bytes] = []
        size = 0
        truncated = False
        try:
            for chunk in response.raw.stream(CHUNK, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size > budget.max_bytes:
                    if budget.truncate:
                        truncated = True
                        break
                    raise TooLarge(f"body exceeds the {budget.max_bytes}-byte cap")
                if time.monotonic() > budget.deadline:
                    raise BodyTimeout("the response took longer than the time budget")
        except ReadTimeoutError as exc:
            raise BodyTimeout(f"read timed out: {exc}") from exc
        except (ProtocolError, DecodeError) as exc:
            raise requests.ConnectionError(f"connection broke while reading the body: {exc}") from exc
        data = b"".join(chunks)
        response._content = data[: budget.max_bytes] if budget.truncate else data
        response._content_consumed = True
        if deadline is not None:
            deadline.disarm()  # the connection may go back to the pool: it must not be shut later
            if deadline.expired:
                raise BodyTimeout("the response took longer than the time budget")
        if truncated:
            response.close()  # unread bytes remain: the connection cannot be reused
        else:
            response.raw.release_conn()


def request_url(response: requests.Response) -> str:
    return getattr(response.request, "url", "") or ""


def attachment_name(headers) -> str:
    """The filename in Content-Disposition as a path ("/notice.docx"), or "".

    CMS download links (/download?id=7) often say what the file is only here.
    """
    disposition = headers.get("Content-Disposition") or ""
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.IGNORECASE)
    return "/" + match.group(1).strip() if match else ""


__all__ = ["Budget", "BodyTimeout", "attachment_name", "GuardedAdapter", "TooLarge", "WrongType", "media_type", "type_accepted"]
