"""The page's security plumbing: CSRF tokens, a per-client rate limit, response headers, in-memory uploads.

- CSRF: a random token in Flask's signed session cookie (the only cookie
  the page sets) must come back in the form's `csrf_token` field.
- Rate limit: a sliding window of check requests per client address, in
  memory. Behind a reverse proxy the client address comes from
  X-Forwarded-For only when the operator says how many proxies to trust.
- Headers: a Content-Security-Policy with no inline script or style,
  nosniff, no framing, no referrer, no caching of results.
- Uploads: werkzeug spools uploads above 500 KB to a temporary file; this
  request class keeps every part in memory, so a notice never reaches disk.
"""

from __future__ import annotations

import hmac
import io
import secrets
import threading
import time
from collections import deque

from flask import Request, session

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class InMemoryRequest(Request):
    """A Flask request whose uploaded files are held in memory, never in a temporary file."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def csrf_token() -> str:
    """This browser's token (made on first use and kept in the session cookie)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(sent: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and sent) and hmac.compare_digest(str(token), str(sent))


class RateLimiter:
    """At most `limit` events per client in any `window` seconds; thread-safe, in memory."""

    def __init__(self, limit: int, window: float = 60.0, *, clock=time.monotonic, max_clients: int = 10_000):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> tuple[bool, int]:
        """(allowed?, seconds until the next one would be allowed)."""
        if self.limit <= 0:
            return True, 0
        now = self.clock()
        with self._lock:
            events = self._events.get(client)
            if events is None:
                if len(self._events) >= self.max_clients:
                    self._forget_idle(now)
                events = self._events[client] = deque()
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False, max(1, int(events[0] + self.window - now + 0.999))
            events.append(now)
            return True, 0

    def _forget_idle(self, now: float) -> None:
        for client in [c for c, ev in self._events.items() if not ev or ev[-1] <= now - self.window]:
            del self._events[client]
        if len(self._events) >= self.max_clients:  # all busy: start afresh rather than grow without bound
            self._events.clear()
