"""The LA scan: for every school in a list, find its privacy notices, fetch and check them, store the results.

    schools (registry rows)
      -> normalise website -> discover notices -> fetch each -> check each
      -> one SchoolRecord -> stored in one transaction as soon as it is done

Every school ends in exactly one status (status.SchoolStatus):

    checked            at least one notice was fetched and checked
    no-website         the school list gives no usable website
    unreachable        the site did not answer (or answered with errors)
    blocked-by-robots  robots.txt forbids us to read the site
    no-notice-found    the site was read but no notice was linked
    notice-unreadable  notices were found but none could be read (a scanned
                       PDF with no text layer, a broken link, a wrong type)

Schools are scanned in parallel by a thread pool; politeness (per host and
per IP spacing, robots.txt) lives inside `PoliteSession`. `concurrency` is the
number of requests in flight at once (the session's ready-queue hands these
places only to requests whose host and IP may be asked now, see
fetch/politeness.py); a school waiting for its host's next turn holds a thread
but no place, so up to `SCHOOLS_PER_PLACE` times as many schools are in progress
(`schools_in_progress`), and the places stay busy while each school waits its
one second between requests. Workers compute; only
the calling thread writes to the store, so writes never contend. Because
each school is committed when it finishes, a crashed or killed scan resumes
where it stopped (`resume_run`), and no school is stored twice.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

from noticecheck.media import SERVED_AS
from noticecheck.model import AUDIENCES, DocumentResult
from noticecheck.scan.store import FetchRecord, FindingRecord, NoticeRecord, SchoolRecord, Store, StoreError, utc_now

log = logging.getLogger(__name__)

_DISCOVERY_STATUSES = {"unreachable", "blocked-by-robots", "no-notice-found"}
# A school publishes a handful of notices (pupils, parents, workforce,
# governors, applicants, visitors...); a site linking hundreds of documents
# that look like notices is a trap or a mistake, and one request a second
# would spend hours on it.
DEFAULT_MAX_DOCUMENTS = 12
# Schools in progress per request place. A school spends most of its time
# waiting for its host's next turn (a 1 s interval against answers of about
# ANSWER_SECONDS), so each place needs 1 + interval / answer schools behind it
# to stay busy; more schools also let work on other hosts go on while schools
# that share a busy hosting IP wait. With no interval one school per place is enough.
SCHOOLS_PER_PLACE = 8  # the most per place
ANSWER_SECONDS = 0.15  # a typical school site's answer time, for the rule above
MAX_SCHOOLS_IN_PROGRESS = 512  # threads; each holds little until its notices arrive


def schools_in_progress(concurrency: int, interval: float) -> int:
    """How many schools a scan with `concurrency` places and a per-host `interval` works on at once."""
    per_place = min(SCHOOLS_PER_PLACE, 1 + math.ceil(interval / ANSWER_SECONDS))
    return min(concurrency * per_place, MAX_SCHOOLS_IN_PROGRESS)


@dataclass(frozen=True)
class ScanSettings:
    """How a scan fetches and judges. Stored with the run so `--resume` carries on the same way."""

    concurrency: int = 8  # requests in flight at once, over all hosts
    per_host_interval: float = 1.0
    user_agent: str | None = None
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    cache_path: str | None = None
    as_of: date | None = None
    timeout: float = 15.0
    retries: int = 3  # extra tries after a 5xx/429 or a dropped connection
    retry_backoff: float = 1.0  # seconds before the first retry, doubling after
    max_documents: int = DEFAULT_MAX_DOCUMENTS  # notices fetched per school, most likely first
    ca_bundle: str | None = None  # a CA file to verify TLS with instead of certifi's (a test network, an inspecting proxy)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.max_documents < 1:
            raise ValueError(f"max documents per school must be at least 1, not {self.max_documents}")
        if self.per_host_interval < 0:
            raise ValueError(f"per-host interval must be 0 or more seconds, not {self.per_host_interval}")

    def to_json(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "per_host_interval": self.per_host_interval,
            "user_agent": self.user_agent,
            "allow_private": self.allow_private,
            "allowed_networks": list(self.allowed_networks),
            "cache_path": self.cache_path,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "timeout": self.timeout,
            "retries": self.retries,
            "retry_backoff": self.retry_backoff,
            "max_documents": self.max_documents,
            "ca_bundle": self.ca_bundle,
        }

    def fetch_policy(self):
        from noticecheck.fetch.http import FetchPolicy

        extra = {"user_agent": self.user_agent} if self.user_agent else {}
        if self.ca_bundle:
            extra["ca_bundle"] = self.ca_bundle
        return FetchPolicy(
            per_host_interval=self.per_host_interval,
            # Several schools often share one hosting platform's IP; give it
            # the same spacing as one host so the platform sees one visitor.
            per_ip_interval=self.per_host_interval,
            max_in_flight=self.concurrency,
            allow_private=self.allow_private,
            allowed_networks=tuple(self.allowed_networks),
            cache_path=self.cache_path,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.retry_backoff,
            **extra,
        )


def school_key(school) -> str:
    """The identity of a school within a run and across runs: its URN, else its name."""
    if school.urn:
        return school.urn.strip()
    return "name:" + " ".join(school.name.lower().split())


def _text(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def _base_record(school, status: str, **extra) -> SchoolRecord:
    """A stored record for a `registry.School` with the given outcome."""
    return SchoolRecord(key=school_key(school), status=status, school=school, finished_at=utc_now(), **extra)


def _check_options(school, audience: str | None, as_of: date):
    """What the GIAS row tells the rules; the audience comes from the link that led to the notice."""
    from noticecheck.api import CheckOptions

    ages = (school.age_low, school.age_high)
    return CheckOptions(
        audience=audience,
        age_range=ages if None not in ages else None,
        phase=school.phase,
        school_type=school.school_type,
        jurisdiction="england",
        as_of=as_of,
        school_name=school.name or None,  # the register's name fills [school name] in fixes
        trust_name=school.trust or None,
    )


def _findings(result: DocumentResult) -> tuple[FindingRecord, ...]:
    kept = [f.name for f in fields(FindingRecord)]
    return tuple(FindingRecord(**{key: data[key] for key in kept}) for data in (f.to_dict() for f in result.findings))


def _fetch_record(fetched) -> FetchRecord:
    return FetchRecord(
        url=fetched.url, final_url=fetched.final_url, outcome=fetched.outcome, status=fetched.status,
        content_type=fetched.content_type, elapsed=round(fetched.elapsed, 3), from_cache=fetched.from_cache,
        attempts=fetched.attempts, error=fetched.error,
    )


def _filename(url: str) -> str | None:
    last = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return last if "." in last else None


class _SchoolSession:
    """The shared session as one school's work sees it: remembers what discovery fetched.

    Discovery already downloads a notice that is a web page (to confirm it
    and read its links); remembering those answers for the length of one
    school means the school's server is not asked for the same page twice.
    Everything else is passed through to the real session.
    """

    MAX_BYTES = 16 * 1024 * 1024  # per school; beyond this, fetch again rather than hold more

    def __init__(self, session):
        self._session = session
        self._pages: dict[str, object] = {}
        self._bytes = 0
        self.requests = 0  # every request made for this school (pages, sitemaps, documents)

    def get(self, url: str, *, accept: tuple[str, ...] | None = None):
        self.requests += 1
        result = self._session.get(url, accept=accept)
        if result.ok and self._bytes + len(result.data) <= self.MAX_BYTES:
            self._bytes += len(result.data)
            for key in (url, result.final_url):
                self._pages.setdefault(key, result)
        return result

    def keep_only(self, urls) -> None:
        """Forget the pages discovery read except those at `urls` (the notices to fetch): the rest are
        not needed again, and a school keeps its notices waiting for their turn long after discovery."""
        wanted = set(urls)
        kept = {key: page for key, page in self._pages.items() if key in wanted or page.final_url in wanted}
        self._pages = kept
        self._bytes = sum(len(page.data) for page in {id(p): p for p in kept.values()}.values())

    def fetch_notice(self, url: str):
        """The notice at `url`: the copy discovery fetched if it is one we accept, else a new request."""
        seen = self._pages.get(url)
        if seen is not None and (seen.content_type or "").split(";")[0].strip().lower() in SERVED_AS:
            # from_cache marks that no new request was made for it
            return replace(seen, from_cache=True, elapsed=0.0)
        self.requests += 1
        return self._session.get(url, accept=SERVED_AS)

    def __getattr__(self, name: str):
        return getattr(self._session, name)


def checker(rulebook) -> Callable[[tuple], DocumentResult]:
    """(document, options, as_of) -> result, with the run's rulebook; run here or in a forked worker."""

    def check(job: tuple) -> DocumentResult:
        from noticecheck.api import check_document

        document, options, as_of = job
        return check_document(document, rulebook, options, today=as_of)

    return check


def _check_notice(found, session: _SchoolSession, check: Callable, school, as_of: date) -> tuple[NoticeRecord, FetchRecord]:
    """Fetch one found notice and check it (`check`: see checker); never raises for a bad notice."""
    from noticecheck.model import Document

    link_audience = found.audience if found.audience in AUDIENCES else None
    common = {"url": found.url, "link_text": _text(found.link_text), "found_on": _text(found.found_on)}
    fetched = session.fetch_notice(found.url)
    if not fetched.ok:
        detail = fetched.error or (f"HTTP {fetched.status}" if fetched.status else fetched.outcome)
        notice = NoticeRecord(
            **common, status="fetch-failed", final_url=fetched.final_url, audience=link_audience,
            audience_source="link" if link_audience else None, error_code=fetched.outcome,
            error=f"could not fetch the notice ({fetched.outcome}): {detail}", fetched_at=utc_now(),
        )
        return notice, _fetch_record(fetched)
    document = Document(
        source=fetched.final_url or found.url,
        data=fetched.data,
        filename=_filename(fetched.final_url or found.url),
        media_type=fetched.content_type,
    )
    try:
        result = check((document, _check_options(school, link_audience, as_of), as_of))
    except Exception as exc:  # a bug in a loader or rule must cost one notice, not the scan
        log.warning("checking %s failed: %s: %s", found.url, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)
        result = DocumentResult(
            source=document.source, status="unreadable", error_code="internal-error",
            error=f"noticecheck failed on this notice ({type(exc).__name__}: {exc})",
        )
    detected = result.context.audience if result.context else None
    notice = NoticeRecord(
        **common,
        status="checked" if result.status == "checked" else "unreadable",
        final_url=fetched.final_url,
        sha256=hashlib.sha256(fetched.data).hexdigest(),
        audience=link_audience or detected,
        audience_source="link" if link_audience else ("detected" if detected else None),
        media_type=result.media_type or (fetched.content_type or "").split(";")[0].strip() or None,
        fetched_at=utc_now(),
        error_code=result.error_code,
        error=result.error,
        word_count=result.word_count,
        sections={name: section.present for name, section in sorted(result.sections.items())},
        context=result.context.to_dict() if result.context else {},
        findings=_findings(result),
        outline=result.outline,
    )
    return notice, _fetch_record(fetched)


def scan_school(
    school, session, check: Callable, as_of: date, discover: Callable | None = None, max_documents: int = DEFAULT_MAX_DOCUMENTS
) -> tuple[SchoolRecord, list[FetchRecord]]:
    """Everything for one school: its record (with notices) and the notice fetches made.

    `check` checks one fetched notice (see checker). At most `max_documents`
    notices are fetched, the most likely first; the record's `limits` says
    when that or a discovery cap cut the work short.
    """
    from noticecheck.fetch.urls import normalise_website

    website = normalise_website(school.website)
    if website is None:
        # The registry keeps an unusable website (e.g. "n/a") as None too.
        return _base_record(school, "no-website", error="no usable website address in the school list"), []
    if discover is None:
        from noticecheck.fetch.discover import discover_notices as discover
    session = _SchoolSession(session)
    try:
        discovery = discover(session, website)
    except Exception as exc:  # keep the one-status-per-school promise even if discovery has a bug
        log.warning("discovering notices on %s failed: %s: %s", website, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)
        return _base_record(school, "unreachable", error=f"noticecheck failed reading the site: {exc}"), []
    common = {
        "home_url": _text(discovery.home_url),
        "pages_visited": int(discovery.pages_visited or 0),
        "limits": tuple(getattr(discovery, "limits", ()) or ()),
    }
    if discovery.status != "ok" or not discovery.notices:
        if discovery.status in _DISCOVERY_STATUSES:
            status = discovery.status
        elif discovery.status == "ok":
            status = "no-notice-found"
        else:
            status = "unreachable"  # a status this version does not know: the site was not read properly
        return _base_record(school, status, error=_text(discovery.error), **common), []

    notices: list[NoticeRecord] = []
    fetches: list[FetchRecord] = []
    seen_bodies: set[str] = set()
    chosen = discovery.notices[:max_documents]  # discovery lists them most likely first
    session.keep_only(found.url for found in chosen)
    if len(discovery.notices) > max_documents:
        common["limits"] += (
            f"documents: {len(discovery.notices)} possible notices found, the {max_documents} most likely fetched",
        )
    requests_before = session.requests
    for found in chosen:
        notice, fetched = _check_notice(found, session, check, school, as_of)
        fetches.append(fetched)
        if notice.sha256 and notice.sha256 in seen_bodies:
            continue  # the same file linked twice (e.g. from the footer and the GDPR page)
        if notice.sha256:
            seen_bodies.add(notice.sha256)
        notices.append(notice)
    common["pages_visited"] += session.requests - requests_before
    if any(n.status == "checked" for n in notices):
        return _base_record(school, "checked", notices=tuple(notices), **common), fetches
    reasons = "; ".join(sorted({n.error or n.status for n in notices}))
    error = f"{len(notices)} notice(s) found but none could be read: {reasons}"
    return _base_record(school, "notice-unreadable", error=error, notices=tuple(notices), **common), fetches


@dataclass
class ScanSummary:
    run_id: int
    total: int  # schools in the run
    skipped: int = 0  # already stored when the scan (re)started
    by_status: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def done(self) -> int:
        return self.skipped + sum(self.by_status.values())

    def line(self) -> str:
        parts = ", ".join(f"{count} {status}" for status, count in sorted(self.by_status.items(), key=lambda kv: -kv[1]))
        resumed = f" ({self.skipped} already done)" if self.skipped else ""
        state = "interrupted" if self.interrupted else "finished"
        scanned = sum(self.by_status.values())
        return (
            f"Scan {self.run_id} {state}: {self.done}/{self.total} schools{resumed}; "
            f"this session {scanned} in {self.elapsed:.0f}s" + (f" ({parts})" if parts else "")
        )


def unique_schools(schools: Iterable) -> tuple[list, list[str]]:
    """Drop repeated schools (same key), keeping the first; returns (schools, warnings)."""
    seen: set[str] = set()
    kept, warnings = [], []
    for school in schools:
        key = school_key(school)
        if key in seen:
            warnings.append(f"school {school.name!r} ({key}) appears more than once; scanning it once")
            continue
        seen.add(key)
        kept.append(school)
    return kept, warnings


def run_scan(
    store: Store,
    run_id: int,
    schools: list,
    settings: ScanSettings,
    *,
    on_start: Callable[[int, int], None] | None = None,
    on_school: Callable[[SchoolRecord], None] | None = None,
    rulebook=None,
    session=None,
    discover: Callable | None = None,
    jobs: int = 1,
) -> ScanSummary:
    """Scan the schools of run `run_id` not yet stored, committing each as it finishes.

    `on_start(total, already_done)` and `on_school(record)` feed a progress
    display. The run is marked finished only when every school is stored; a
    KeyboardInterrupt leaves it resumable and is re-raised. `jobs` > 1 checks
    the fetched notices in that many forked processes (workers.py) while the
    scan's threads wait on the network.
    """
    started = time.monotonic()
    done = store.done_keys(run_id)
    todo = [s for s in schools if school_key(s) not in done]
    summary = ScanSummary(run_id=run_id, total=len(schools), skipped=len(schools) - len(todo))
    if on_start:
        on_start(summary.total, summary.skipped)
    store.set_total(run_id, len(schools))
    as_of = settings.as_of or date.today()
    if rulebook is None and todo:
        from noticecheck.rulebook import default_rulebook

        rulebook = default_rulebook()  # load and compile the rules once, shared read-only by the workers
    from noticecheck.workers import Workers

    # forked now: after the rulebook is built, before this run starts any thread of its own
    workers = Workers(checker(rulebook), jobs if todo else 1)
    own_session = session is None and bool(todo)
    if own_session:
        from noticecheck.fetch.http import PoliteSession

        session = PoliteSession(settings.fetch_policy())
    try:
        for record, fetches in _parallel(todo, settings, session, workers.call, as_of, discover):
            store.save_school(run_id, record, fetches)
            summary.by_status[record.status] = summary.by_status.get(record.status, 0) + 1
            if on_school:
                on_school(record)
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.elapsed = time.monotonic() - started
        raise
    finally:
        workers.close()
        if own_session:
            session.close()
    summary.elapsed = time.monotonic() - started
    if store.count_schools(run_id) >= len(schools):
        store.finish_run(run_id)
    return summary


def _parallel(todo: list, settings: ScanSettings, session, check: Callable, as_of: date, discover) -> Iterator[tuple[SchoolRecord, list[FetchRecord]]]:
    """Yield each school's result as it completes, with at most a few schools queued ahead.

    Bounded submission keeps memory flat for a 24,000-school national scan
    (results are written and dropped as they come, not held in futures).
    """
    pending: set[Future] = set()
    queue = iter(todo)
    workers = min(schools_in_progress(settings.concurrency, settings.per_host_interval), max(1, len(todo)))
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
    try:
        while True:
            while len(pending) < workers + settings.concurrency:
                school = next(queue, None)
                if school is None:
                    break
                pending.add(executor.submit(scan_school, school, session, check, as_of, discover, settings.max_documents))
            if not pending:
                return
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:
        # On Ctrl-C or an error, drop queued schools; ones in flight finish
        # their current request and are discarded (they are not stored).
        executor.shutdown(wait=False, cancel_futures=True)


# -- run bookkeeping -----------------------------------------------------------


class ScanError(Exception):
    """A scan cannot start or resume (bad school list, no run to resume)."""


def load_schools(path: Path, la: str | None, trust: str | None = None) -> tuple[list, list[str]]:
    """Read a school list (GIAS or minimal CSV); returns (open schools, skipped-row messages)."""
    from noticecheck.fetch.registry import RegistryError, read_schools

    try:
        schools, problems = read_schools(path, la=la, trust=trust)  # keeps operating schools only
    except RegistryError as exc:
        raise ScanError(f"cannot use the school list: {exc}") from None
    messages = [f"{path.name} line {p.line}: {p.message}" for p in problems]
    schools, duplicates = unique_schools(schools)
    return schools, messages + duplicates


def find_resumable(store: Store, run_id: int | None) -> int:
    """The run `--resume` continues: `run_id` if given, else the newest unfinished run."""
    try:
        if run_id is not None:
            run = store.get_run(run_id)
            if run.is_finished:
                raise ScanError(f"run {run_id} already finished; start a new scan instead of resuming")
            return run.id
    except StoreError as exc:
        raise ScanError(str(exc)) from None
    run = store.latest_run(finished=False)
    if run is None:
        raise ScanError(f"there is no unfinished scan in {store.path} to resume")
    return run.id


def settings_from_json(data: dict, **overrides) -> ScanSettings:
    """Rebuild stored settings (for --resume), with command-line values taking over where given."""
    as_of = data.get("as_of")
    values = {
        "concurrency": data.get("concurrency", 8),
        "per_host_interval": data.get("per_host_interval", 1.0),
        "user_agent": data.get("user_agent"),
        "allow_private": bool(data.get("allow_private", False)),
        "allowed_networks": tuple(data.get("allowed_networks") or ()),
        "cache_path": data.get("cache_path"),
        "as_of": date.fromisoformat(as_of) if as_of else None,
        "timeout": data.get("timeout", 15.0),
        "retries": data.get("retries", 3),
        "retry_backoff": data.get("retry_backoff", 1.0),
        "max_documents": data.get("max_documents", DEFAULT_MAX_DOCUMENTS),
        "ca_bundle": data.get("ca_bundle"),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ScanSettings(**values)



def check_template(trust: str, path: Path, settings: ScanSettings, rulebook=None):
    """Read and check a trust's notice template with the scan's rules; returns a store.TemplateRecord.

    Raises ScanError when the file cannot be read: a scan told to compare
    with a template it cannot read should not start.
    """
    from noticecheck.api import CheckOptions, check_document
    from noticecheck.model import UnreadableInput
    from noticecheck.scan.store import TemplateRecord
    from noticecheck.sources import read_document

    if rulebook is None:
        from noticecheck.rulebook import default_rulebook

        rulebook = default_rulebook()
    as_of = settings.as_of or date.today()
    options = CheckOptions(jurisdiction="england", as_of=as_of)
    try:
        result = check_document(read_document(str(path), max_bytes=options.max_bytes), rulebook, options, today=as_of)
    except UnreadableInput as exc:
        raise ScanError(f"cannot read the template for {trust}: {exc}") from None
    if result.status != "checked":
        raise ScanError(f"cannot read the template for {trust}: {result.error}")
    return TemplateRecord(trust=trust, source=str(path), outline=result.outline, findings=_findings(result))


def write_run_reports(data, out_dir: Path, comparison=None, old_run=None, *, store: Store | None = None) -> Path:
    """Write a run's dashboard and exports into `out_dir`; returns index.html.

    `data` is a `store.RunData` (best `Store.stream_run`, so the run is read
    a batch at a time); with `comparison` (a `RunComparison` against
    `old_run`) the dashboard gains its "changes since" page. With `store`,
    each trust's schools are read from it when the trust's turn comes, and
    the trusts' drift from their templates and the LA's trend over earlier
    runs are read from it too.
    """
    from noticecheck.scan.dashboard import write_dashboard
    from noticecheck.scan.exports import write_results_jsonl, write_schools_csv, write_schools_xlsx, write_trusts_csv
    from noticecheck.scan.summary import KEY_CHECKS, check_trends, same_school_list
    from noticecheck.scan.scratch import Scratch
    from noticecheck.scan.trusts import iter_trusts

    out_dir = Path(out_dir)
    trends = []
    if store is not None:
        trusts = iter_trusts(
            data, templates=store.templates(data.run.id), outlines=lambda ids: dict(store.outlines(ids)),
            comparison=comparison, schools_of=lambda keys: store.schools_by_keys(data.run.id, keys),
        )
        runs = [r for r in store.runs() if r.id <= data.run.id and same_school_list(r, data.run)
                and (r.is_finished or r.id == data.run.id)]
        checks = {c.id: c.rules for c in KEY_CHECKS}
        trends = check_trends([r.id for r in runs], lambda run_id: store.check_counts(run_id, checks))
    else:
        trusts = iter_trusts(data, comparison=comparison)
    # the trusts' rows and where trust schools' findings came from, found with the trust pages and
    # wanted by the exports: kept on disk until then (scan/scratch.py), not in memory for every school
    with Scratch() as scratch:
        index, tallies = write_dashboard(data, out_dir, comparison, old_run, trusts=trusts, trends=trends,
                                         scratch=scratch)
        write_schools_csv(data, out_dir / "schools.csv")
        write_trusts_csv(tallies, out_dir / "trusts.csv")
        write_schools_xlsx(data, out_dir / "schools.xlsx", tallies, scratch)
    write_results_jsonl(data, out_dir / "results.jsonl")
    return index
