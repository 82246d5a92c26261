"""robots.txt: what the result of fetching it means, following RFC 9309.

PoliteSession fetches `/robots.txt` once per origin (scheme, host, port) for the
session, through the same politeness and address checks as any other request,
and turns the result into `RobotsRules` here:

* 2xx: parse with protego (the stdlib parser gets wildcards and longest-match
  precedence wrong). Rules for our product token win over `*`.
* 4xx (including 404 and 410, but not 429): robots.txt is "unavailable", so
  everything is allowed (RFC 9309 section 2.3.1.3).
* 5xx and 429: robots.txt is "unreachable", so the whole site is treated as
  disallowed for this run (section 2.3.1.4); the page comes back
  "blocked-by-robots" with the status in the error.
* the server could not be reached at all (DNS, refused connection, timeout):
  also disallow-all, but the page is reported "unreachable"/"timeout" rather
  than "blocked-by-robots", because that is the truth an LA needs to see.
* too many redirects, or a redirect to a refused address or a non-http scheme:
  treated as unavailable (allow all), as the RFC says for redirect chains that
  never reach a file.

`Crawl-delay` (or `Request-rate`) only ever slows us down: the session uses
max(per_host_interval, delay) for that host. A delay above the policy's
`max_crawl_delay` means we cannot crawl the site in reasonable time, so the site
is treated as blocked, with the reason in the error, instead of ignoring the
site's wish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from protego import Protego

ALLOW_ALL = "allow-all"
DISALLOW_ALL = "disallow-all"
PARSED = "parsed"
UNREACHABLE = "unreachable"


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: "noticecheck" from "noticecheck/0.1 (...)"."""
    head = user_agent.strip().split()[0] if user_agent.strip() else "noticecheck"
    return head.split("/", 1)[0].lower() or "noticecheck"


@dataclass(frozen=True)
class RobotsRules:
    """The rules for one origin. `verdict` is one of parsed/allow-all/disallow-all/unreachable."""

    verdict: str
    note: str = ""
    outcome: str | None = None  # for UNREACHABLE: the fetch outcome ("unreachable", "timeout")
    parser: Protego | None = field(default=None, compare=False, repr=False)

    def allows(self, url: str, token: str) -> bool:
        if self.verdict == PARSED and self.parser is not None:
            return self.parser.can_fetch(url, token)
        return self.verdict == ALLOW_ALL

    def delay(self, token: str) -> float | None:
        """Seconds to leave between requests, from Crawl-delay or Request-rate; None if unset."""
        if self.parser is None:
            return None
        delays = []
        crawl_delay = self.parser.crawl_delay(token)
        if crawl_delay is not None and crawl_delay > 0:
            delays.append(float(crawl_delay))
        rate = self.parser.request_rate(token)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None

    def sitemaps(self) -> tuple[str, ...]:
        if self.parser is None:
            return ()
        return tuple(dict.fromkeys(self.parser.sitemaps))


def rules_from_fetch(outcome: str, status: int | None, data: bytes, error: str | None) -> RobotsRules:
    """Turn the result of fetching robots.txt into rules (see the module docstring)."""
    if outcome == "ok":
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            parser = Protego.parse(text)
        except Exception as exc:  # protego is tolerant; this guards against the unforeseen
            return RobotsRules(ALLOW_ALL, note=f"robots.txt could not be parsed ({exc}); treated as absent")
        return RobotsRules(PARSED, note="robots.txt parsed", parser=parser)
    if outcome == "http-error" and status is not None:
        if status == 429 or status >= 500:
            return RobotsRules(DISALLOW_ALL, note=f"robots.txt answered HTTP {status}; RFC 9309 says treat the site as disallowed")
        return RobotsRules(ALLOW_ALL, note=f"robots.txt answered HTTP {status}; treated as absent")
    if outcome in ("unreachable", "timeout"):
        return RobotsRules(UNREACHABLE, note=f"robots.txt could not be fetched: {error}", outcome=outcome)
    return RobotsRules(ALLOW_ALL, note=f"robots.txt not usable ({outcome}: {error}); treated as absent")


__all__ = ["RobotsRules", "product_token", "rules_from_fetch"]
