"""A polite, safe HTTP client for fetching school web pages and notices.

`PoliteSession.get(url)` never raises for network trouble: it returns a
`FetchResult` whose `outcome` says what happened, so a scan of 600 schools
records every failure as data. On the way it

* refuses non-http(s) schemes ("bad-scheme") and hosts resolving to private,
  loopback, link-local, multicast, reserved or unspecified addresses
  ("refused-private"), connecting only to the addresses it checked (safety.py);
* obeys robots.txt, fetched once per origin (robots.py: 4xx = allow all,
  5xx = disallow all, per RFC 9309) and its Crawl-delay;
* spaces requests per host and per resolved IP (politeness.py): each starts at
  least an interval after the previous one to that host or IP started, and
  never while one is still in flight there; it holds no global lock while it
  waits, so a thread pool can scan many hosts at once;
  `max_in_flight` bounds the requests sent at once, and a thread waiting for
  its host's turn does not count against it;
* follows redirects itself, re-checking scheme, address and robots at every
  hop ("redirect-loop" on a loop or more than max_redirects hops);
* retries 429/500/502/503/504 and dropped connections with exponential backoff,
  honouring Retry-After up to a cap; a read timeout is not retried (a slow
  server is usually still slow a second later, and the budget is spent).
  urllib3's `Retry` parses Retry-After; it does not drive the retries,
  because a retry inside the adapter would bypass the per-host and per-IP
  slots (politeness.py): each try, and the wait before it, must hold the
  host's slot so other threads back off too, and the address guard and
  robots.txt are checked per hop here, not in urllib3
  (`test_a_retry_waits_its_backoff_while_holding_the_host` pins this);
* caps the body while streaming ("too-large"), checks its type against
  `accept` ("wrong-type"), bounds the whole response by `timeout` ("timeout");
* optionally caches in SQLite with requests-cache, revalidating with
  ETag/Last-Modified (a 304 comes back as the cached body with from_cache=True).

Proxies from the environment are ignored on purpose (`trust_env = False`): a
proxy would resolve names itself and undo the address checks.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from noticecheck import __version__
from noticecheck.fetch import robots as robots_mod
from noticecheck.fetch.politeness import Scheduler
from noticecheck.fetch.safety import AddressGuard, AddressRefused, HostUnresolvable, Resolver, parse_networks
from noticecheck.fetch.transport import BodyTimeout, Budget, GuardedAdapter, TooLarge, WrongType, attachment_name, type_accepted
from noticecheck.fetch.urls import dedupe_key
from noticecheck.media import HTML, SERVED_AS, served_as

HTML_TYPES = served_as(HTML)  # what a page to crawl may be served as
NOTICE_TYPES = SERVED_AS  # what a privacy notice may be served as (noticecheck/media.py)

OUTCOMES = (
    "ok",
    "http-error",
    "timeout",
    "unreachable",
    "refused-private",
    "blocked-by-robots",
    "too-large",
    "wrong-type",
    "redirect-loop",
    "bad-scheme",
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_RETRY = Retry(status_forcelist=RETRY_STATUSES)  # only its Retry-After parsing is used; see the module docstring
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least the first 500 KiB
_DEFAULT_PORTS = {"http": 80, "https": 443}


def user_agent_for(contact: str | None = None) -> str:
    """The User-Agent header, optionally naming who runs the scan (an email or URL)."""
    extra = f"; contact {contact}" if contact else ""
    return f"noticecheck/{__version__} (+https://github.com/noticecheck; privacy notice checker{extra})"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how safely to fetch. Defaults suit a real LA scan."""

    user_agent: str = field(default_factory=user_agent_for)
    per_host_interval: float = 1.0  # seconds between requests to one host
    per_ip_interval: float = 1.0  # ... and to one resolved IP (many schools share a platform)
    timeout: float = 15.0  # connect + read budget for one request, body included
    max_bytes: int = 20 * 1024 * 1024  # per response
    retries: int = 3  # extra attempts on 429/5xx/dropped connections
    max_redirects: int = 5
    allow_private: bool = False  # True: contact any address (local demos only)
    allowed_networks: tuple[str, ...] = ()  # CIDRs allowed even when allow_private is False
    respect_robots: bool = True
    cache_path: str | None = None  # requests-cache SQLite file; None = no cache
    backoff: float = 1.0  # first retry waits this long, then doubles
    max_retry_wait: float = 60.0  # longest Retry-After/backoff we wait; a longer Retry-After gives up
    max_crawl_delay: float = 60.0  # a robots Crawl-delay above this blocks the site for the run
    ca_bundle: str | None = None  # a CA file to verify TLS with instead of certifi's (tests, inspecting networks)
    max_in_flight: int | None = None  # requests sent at once over all hosts (a scan's concurrency); None = no bound

    def __post_init__(self) -> None:
        for name in ("per_host_interval", "per_ip_interval", "backoff", "max_retry_wait", "max_crawl_delay"):
            if getattr(self, name) < 0:
                raise ValueError(f"FetchPolicy.{name} must be >= 0, not {getattr(self, name)}")
        if self.timeout <= 0:
            raise ValueError(f"FetchPolicy.timeout must be > 0, not {self.timeout}")
        if self.max_bytes <= 0:
            raise ValueError(f"FetchPolicy.max_bytes must be > 0, not {self.max_bytes}")
        if self.max_in_flight is not None and self.max_in_flight < 1:
            raise ValueError(f"FetchPolicy.max_in_flight must be at least 1, not {self.max_in_flight}")
        if self.retries < 0 or self.max_redirects < 0:
            raise ValueError("FetchPolicy.retries and max_redirects must be >= 0")
        if isinstance(self.allowed_networks, str):
            raise ValueError("FetchPolicy.allowed_networks must be a tuple of CIDR strings, not one string")
        parse_networks(self.allowed_networks)  # fail early on a typo


@dataclass(frozen=True)
class FetchResult:
    """What one `get` produced. `data` is the body for outcome "ok", else b"".

    `final_url` is the last URL tried (after redirects, including a refused
    target); `attempts` counts tries of that last URL; `elapsed` is wall time
    for the whole call, politeness waits included.
    """

    url: str
    final_url: str
    outcome: str
    status: int | None = None
    content_type: str | None = None
    data: bytes = b""
    error: str | None = None
    from_cache: bool = False
    attempts: int = 1
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass(frozen=True)
class _Target:
    """A URL that passed the checks, with the scheduler keys it needs."""

    url: str
    intervals: dict[str, float]


class PoliteSession:
    """Thread-safe polite HTTP client; see the module docstring. Use as a context manager or call close()."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver | None = None,
    ):
        self.policy = policy or FetchPolicy()
        self._clock = clock
        self._sleep = sleep
        self._scheduler = Scheduler(clock=clock, sleep=sleep, max_in_flight=self.policy.max_in_flight)
        self._guard = AddressGuard(
            allow_private=self.policy.allow_private, allowed_networks=self.policy.allowed_networks, resolver=resolver
        )
        self._adapter = GuardedAdapter(self._guard, pool_maxsize=16)
        self._session = self._make_session()
        self._robots_token = robots_mod.product_token(self.policy.user_agent)
        self._robots_lock = threading.Lock()
        self._robots_origin_locks: dict[tuple[str, str, int], threading.Lock] = {}
        self._robots: dict[tuple[str, str, int], robots_mod.RobotsRules] = {}

    def _make_session(self) -> requests.Session:
        if self.policy.cache_path:
            import requests_cache

            session: requests.Session = requests_cache.CachedSession(
                cache_name=self.policy.cache_path,
                backend="sqlite",
                # Expire at once but keep responses that carry a validator, so
                # every later fetch is a conditional request (ETag/Last-Modified)
                # unless the server's own Cache-Control says the copy is fresh.
                expire_after=0,
                cache_control=True,
                allowable_codes=(200,),
                allowable_methods=("GET",),
            )
        else:
            session = requests.Session()
        session.trust_env = False
        if self.policy.ca_bundle:
            session.verify = self.policy.ca_bundle
        session.headers.update(
            {"User-Agent": self.policy.user_agent, "Accept-Language": "en-GB,en;q=0.8"}
        )
        session.mount("http://", self._adapter)
        session.mount("https://", self._adapter)
        return session

    # -- public API ---------------------------------------------------------

    def get(self, url: str, *, accept: tuple[str, ...] | None = None) -> FetchResult:
        """Fetch `url` (following redirects) and say what happened. Never raises for network trouble."""
        started = self._clock()
        try:
            result = self._fetch(url, accept=accept, check_robots=self.policy.respect_robots, max_bytes=self.policy.max_bytes)
        except ValueError as exc:  # a URL or Location that urllib cannot even split ("http://[x")
            result = FetchResult(url, url, "bad-scheme", error=f"not a usable URL: {exc}")
        return replace(result, elapsed=self._clock() - started)

    def robots_allows(self, url: str) -> bool:
        """Whether robots.txt lets us fetch `url` (fetching robots.txt on first use).

        False also when robots.txt could not be fetched or the host is refused.
        """
        if not self.policy.respect_robots:
            return True
        rules = self._rules_for_url(url)
        return rules is not None and self._robots_verdict(url, rules) is None

    def sitemaps_for(self, url: str) -> tuple[str, ...]:
        """Sitemap URLs named in the robots.txt of `url`'s origin (fetching it on first use)."""
        rules = self._rules_for_url(url)
        return rules.sitemaps() if rules is not None else ()

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the fetch loop -----------------------------------------------------

    def _fetch(self, url: str, *, accept: tuple[str, ...] | None, check_robots: bool, max_bytes: int, truncate: bool = False) -> FetchResult:
        current = url.strip()
        visited = {dedupe_key(current)}
        for _hop in range(self.policy.max_redirects + 1):
            target = self._check_target(url, current, check_robots)
            if isinstance(target, FetchResult):
                return target
            sent = self._send_with_retries(url, target, accept, max_bytes, truncate)
            if isinstance(sent, FetchResult):
                return sent
            response, attempts = sent
            location = response.headers.get("Location") if response.status_code in REDIRECT_STATUSES else None
            if not location:
                return self._final_result(url, current, response, attempts, accept, max_bytes, truncate)
            following = _without_fragment(urljoin(current, location.strip()))
            key = dedupe_key(following)
            if key in visited:
                return FetchResult(
                    url, following, "redirect-loop", status=response.status_code, attempts=attempts,
                    error=f"redirect loop: {current} redirects back to {following}",
                )
            visited.add(key)
            current = following
        return FetchResult(url, current, "redirect-loop", error=f"more than {self.policy.max_redirects} redirects")

    def _check_target(self, url: str, current: str, check_robots: bool) -> _Target | FetchResult:
        """Scheme, address and robots checks for one hop; a FetchResult when the hop must not be made."""
        try:
            parts = urlsplit(current)
            scheme = parts.scheme.lower()
            host = parts.hostname
            port = parts.port or _DEFAULT_PORTS.get(scheme)
        except ValueError as exc:
            return FetchResult(url, current, "bad-scheme", error=f"not a usable URL: {exc}")
        if scheme not in _DEFAULT_PORTS:
            shown = f"{scheme}:" if scheme else "a URL without a scheme"
            return FetchResult(url, current, "bad-scheme", error=f"refusing {shown} (only http and https are fetched)")
        if not host or port is None:
            return FetchResult(url, current, "bad-scheme", error="not a usable URL: no host")
        try:
            addresses = self._guard.addresses(host, port)
        except HostUnresolvable as exc:
            return FetchResult(url, current, "unreachable", error=str(exc))
        except AddressRefused as exc:
            return FetchResult(url, current, "refused-private", error=str(exc))
        host_interval = self.policy.per_host_interval
        if check_robots:
            rules = self._robots_rules(scheme, host, port)
            problem = self._robots_verdict(current, rules)
            if problem is not None:
                outcome, message = problem
                return FetchResult(url, current, outcome, error=message)
            host_interval = max(host_interval, rules.delay(self._robots_token) or 0.0)
        return _Target(
            current,
            {f"host:{host.lower()}:{port}": host_interval, f"ip:{addresses[0]}": self.policy.per_ip_interval},
        )

    def _send_with_retries(self, url: str, target: _Target, accept, max_bytes: int, truncate: bool):
        """Send one hop, retrying transient failures; (response, attempts) or a failed FetchResult."""
        attempts = 0
        while True:
            attempts += 1
            with self._scheduler.slot(target.intervals) as ticket:
                response, failure, retryable = self._send_once(url, target.url, accept, max_bytes, truncate, ticket)
                if response is not None and response.status_code in RETRY_STATUSES:
                    retryable = True
                wait, too_long = self._retry_wait(response, attempts)
                if retryable and attempts <= self.policy.retries and not too_long:
                    # Hold the host (and IP) for the wait, so other threads back off too.
                    ticket.hold(wait)
                    continue
            if failure is not None:
                return replace(failure, attempts=attempts)
            if too_long and retryable:
                return FetchResult(
                    url, target.url, "http-error", status=response.status_code, attempts=attempts,
                    content_type=response.headers.get("Content-Type"),
                    error=f"HTTP {response.status_code}: the server asked us to wait {wait:.0f} s, "
                    f"more than max_retry_wait ({self.policy.max_retry_wait:.0f} s)",
                )
            return response, attempts

    def _retry_wait(self, response: requests.Response | None, attempts: int) -> tuple[float, bool]:
        """How long to wait before the next try, and whether Retry-After asked for too long."""
        backoff = self.policy.backoff * (2 ** (attempts - 1))
        asked = _retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
        if asked is not None:
            return asked, asked > self.policy.max_retry_wait
        return min(backoff, self.policy.max_retry_wait), False

    def _send_once(self, url: str, current: str, accept, max_bytes: int, truncate: bool, ticket=None):
        """One request; (response, None, False) or (None, failure, retryable).

        `ticket` (the politeness slot's) is told when the request leaves, so
        the host's and IP's next request is spaced from then, and when its
        answer is in, so they are free while the answer is cached (politeness.py)."""
        headers = {"Accept": _accept_header(accept)}
        on_send = on_answer = None
        if ticket is not None:
            on_send = lambda: ticket.sent(self._clock())  # noqa: E731
            # Free the host and IP once the answer is read, before requests-cache stores it; not
            # for an answer we may retry, whose Retry-After or backoff must hold them (ticket.hold).
            on_answer = lambda status: None if status in RETRY_STATUSES else ticket.finish()  # noqa: E731
        budget = Budget(time.monotonic() + self.policy.timeout, max_bytes, truncate, accept, on_send, on_answer)
        self._adapter.set_budget(budget)
        timeout = (self.policy.timeout, self.policy.timeout)
        try:
            response = self._session.get(current, headers=headers, timeout=timeout, allow_redirects=False, stream=True)
        except Exception as exc:
            # the full detail for `--verbose`; the result keeps a plain-English reason
            log.debug("GET %s failed: %r", current, exc)
            failure = self._failure(url, current, exc)
            if failure is None:
                raise
            return (None, *failure)
        finally:
            self._adapter.set_budget(None)
        return response, None, False

    def _failure(self, url: str, current: str, exc: Exception) -> tuple[FetchResult, bool] | None:
        """(the failed result, retryable?) for an exception from one request; None if it is not a fetch failure."""
        where = _host_port(current)
        if isinstance(exc, AddressRefused):
            return FetchResult(url, current, "refused-private", error=str(exc)), False
        if isinstance(exc, TooLarge):
            return FetchResult(url, current, "too-large", error=str(exc)), False
        if isinstance(exc, WrongType):
            return FetchResult(url, current, "wrong-type", status=exc.status, content_type=exc.content_type, error=str(exc)), False
        if isinstance(exc, (BodyTimeout, requests.Timeout)):
            return FetchResult(url, current, "timeout", error=f"timed out: no answer from {where} within {self.policy.timeout:g} s"), False
        if isinstance(exc, requests.exceptions.SSLError):
            return FetchResult(url, current, "unreachable", error=f"the secure connection (TLS) to {where} failed"), False
        if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema)):
            return FetchResult(url, current, "bad-scheme", error=_short(exc)), False
        if isinstance(exc, requests.RequestException):
            retryable = isinstance(exc, requests.ConnectionError)  # a dropped connection may work next time
            return FetchResult(url, current, "unreachable", error=plain_reason(exc, current)), retryable
        return None

    def _final_result(self, url: str, current: str, response: requests.Response, attempts: int, accept, max_bytes: int, truncate: bool) -> FetchResult:
        status = response.status_code
        content_type = response.headers.get("Content-Type")
        common = dict(status=status, content_type=content_type, attempts=attempts, from_cache=bool(getattr(response, "from_cache", False)))
        if not 200 <= status < 300:
            reason = f" {response.reason}" if response.reason else ""
            return FetchResult(url, current, "http-error", error=f"HTTP {status}{reason}", **common)
        # A response served from the cache never passed through the adapter's checks.
        if not type_accepted(content_type, (current, url, attachment_name(response.headers)), accept):
            return FetchResult(url, current, "wrong-type", error=f"content type {content_type or '(none)'} is not accepted", **common)
        data = response.content or b""
        if len(data) > max_bytes:
            if not truncate:
                return FetchResult(url, current, "too-large", error=f"body exceeds the {max_bytes}-byte cap", **common)
            data = data[:max_bytes]
        return FetchResult(url, current, "ok", data=data, **common)

    # -- robots.txt ---------------------------------------------------------

    def _rules_for_url(self, url: str) -> robots_mod.RobotsRules | None:
        try:
            parts = urlsplit(url)
            scheme, host = parts.scheme.lower(), parts.hostname
            port = parts.port or _DEFAULT_PORTS.get(scheme)
        except ValueError:
            return None
        if scheme not in _DEFAULT_PORTS or not host or port is None:
            return None
        try:
            self._guard.addresses(host, port)
        except (HostUnresolvable, AddressRefused):
            return None
        return self._robots_rules(scheme, host, port)

    def _robots_rules(self, scheme: str, host: str, port: int) -> robots_mod.RobotsRules:
        """The rules for an origin, fetched once per session even with many threads asking."""
        origin = (scheme, host.lower(), port)
        with self._robots_lock:
            rules = self._robots.get(origin)
            origin_lock = self._robots_origin_locks.setdefault(origin, threading.Lock())
        if rules is not None:
            return rules
        with origin_lock:
            rules = self._robots.get(origin)
            if rules is None:
                netloc = origin[1] if port == _DEFAULT_PORTS[scheme] else f"{origin[1]}:{port}"
                if ":" in origin[1]:
                    netloc = f"[{origin[1]}]" if port == _DEFAULT_PORTS[scheme] else f"[{origin[1]}]:{port}"
                fetched = self._fetch(
                    urlunsplit((scheme, netloc, "/robots.txt", "", "")),
                    accept=None, check_robots=False, max_bytes=ROBOTS_MAX_BYTES, truncate=True,
                )
                rules = robots_mod.rules_from_fetch(fetched.outcome, fetched.status, fetched.data, fetched.error)
                with self._robots_lock:
                    self._robots[origin] = rules
        return rules

    def _robots_verdict(self, url: str, rules: robots_mod.RobotsRules) -> tuple[str, str] | None:
        """(outcome, message) when robots rules stop us fetching `url`; None when allowed."""
        if rules.verdict == robots_mod.UNREACHABLE:
            return rules.outcome or "unreachable", rules.note
        if not rules.allows(url, self._robots_token):
            return "blocked-by-robots", f"robots.txt disallows {url} ({rules.note})"
        delay = rules.delay(self._robots_token)
        if delay is not None and delay > self.policy.max_crawl_delay:
            return "blocked-by-robots", (
                f"robots.txt asks for {delay:g} s between requests, more than max_crawl_delay "
                f"({self.policy.max_crawl_delay:g} s); not crawling this site"
            )
        return None


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _accept_header(accept: tuple[str, ...] | None) -> str:
    if not accept:
        return "*/*"
    # A low-weight */* keeps servers that cannot match exactly from answering 406.
    return ", ".join(accept) + ", */*;q=0.1"


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now (delta-seconds or an HTTP date), parsed by urllib3's `Retry`; None if absent or bad."""
    if not value:
        return None
    try:
        return float(_RETRY.parse_retry_after(value.strip()))
    except InvalidHeader:
        return None


# errno -> what happened, in words a school business manager can act on
_ERRNO_WORDS = {
    errno.ECONNREFUSED: "connection refused by {where}",
    errno.ECONNRESET: "connection reset by {where}",
    errno.EHOSTUNREACH: "no route to {where}",
    errno.ENETUNREACH: "the network to {where} is unreachable",
    errno.ETIMEDOUT: "no answer from {where}",
}


def _host_port(url: str) -> str:
    """"127.0.0.5:8089" for http://127.0.0.5:8089/x; "www.x.sch.uk:443" for https://www.x.sch.uk/."""
    parts = urlsplit(url)
    host = parts.hostname or url
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        port = None
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


def _causes(exc: BaseException):
    """`exc` and everything behind it: causes, contexts, urllib3's `reason`, exceptions held in args."""
    stack, seen = [exc], set()
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        reason = getattr(item, "reason", None)  # urllib3's MaxRetryError holds the real error here
        stack.extend(arg for arg in item.args if isinstance(arg, BaseException))
        stack.extend((item.__cause__, item.__context__, reason if isinstance(reason, BaseException) else None))


def plain_reason(exc: BaseException, url: str) -> str:
    """Why a request failed, in plain English ("connection refused by 127.0.0.5:8089"), not urllib3's repr chain.

    The full exception is logged at debug level (`noticecheck scan --verbose`).
    """
    where = _host_port(url)
    for cause in _causes(exc):
        if isinstance(cause, HostUnresolvable):
            return str(cause)
        if isinstance(cause, socket.gaierror):
            return f"no such host: {urlsplit(url).hostname}"
        if isinstance(cause, OSError) and cause.errno in _ERRNO_WORDS:
            return _ERRNO_WORDS[cause.errno].format(where=where)
    return f"could not connect to {where}: {_short(exc)}"


def _short(exc: BaseException) -> str:
    """A one-line reason, without urllib3's long repr chains."""
    text = re.sub(r"\w*HTTPS?ConnectionPool\(host='([^']*)', port=(\d+)\): ", r"\1:\2: ", str(exc))
    for marker in ("Caused by ", "Failed to establish a new connection: "):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.strip(" '\"")[:300] or type(exc).__name__


__all__ = [
    "FetchPolicy",
    "FetchResult",
    "HTML_TYPES",
    "plain_reason",
    "NOTICE_TYPES",
    "OUTCOMES",
    "PoliteSession",
    "user_agent_for",
]
