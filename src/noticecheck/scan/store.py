"""SQLite history of LA scans: one file holding every run, school, fetch, notice and finding.

Why SQLite: a scan of 600 schools takes an hour of polite fetching and must
survive a crash, so each school's results are committed the moment it
finishes; and "what changed since last term" needs the previous run next to
this one. Plain stdlib `sqlite3` in WAL mode (readers such as `report` do not
block a running scan).

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS` is an
ordered list applied at open, so an old database is upgraded in place and a
database from a newer noticecheck is refused rather than damaged.

Threads: one `Store` is shared by the scan's worker threads. Every statement
runs under one lock, and each school is written in one transaction, so a
kill -9 leaves either the whole school or none of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from noticecheck import __version__
from noticecheck.fetch.registry import School
from noticecheck.scan.status import SCHOOL_STATUSES


# Ordered; index + 1 is the schema version after applying the script.
# Never edit a released entry: append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        source TEXT NOT NULL,
        la TEXT,
        options TEXT NOT NULL DEFAULT '{}',
        tool_version TEXT NOT NULL,
        school_total INTEGER
    );
    CREATE TABLE schools (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        school_key TEXT NOT NULL,
        urn TEXT,
        name TEXT NOT NULL,
        website TEXT,
        la_name TEXT,
        type_name TEXT,
        phase TEXT,
        age_low INTEGER,
        age_high INTEGER,
        trust TEXT,
        school_type TEXT,
        status TEXT NOT NULL,
        error TEXT,
        home_url TEXT,
        pages_visited INTEGER NOT NULL DEFAULT 0,
        finished_at TEXT NOT NULL,
        UNIQUE (run_id, school_key)
    );
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        final_url TEXT,
        outcome TEXT NOT NULL,
        status INTEGER,
        content_type TEXT,
        elapsed REAL,
        from_cache INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 1,
        error TEXT
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        final_url TEXT,
        link_text TEXT,
        found_on TEXT,
        sha256 TEXT,
        audience TEXT,
        audience_source TEXT,
        media_type TEXT,
        fetched_at TEXT,
        status TEXT NOT NULL,
        error_code TEXT,
        error TEXT,
        word_count INTEGER NOT NULL DEFAULT 0,
        sections TEXT NOT NULL DEFAULT '{}',
        context TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        line INTEGER,
        quote TEXT,
        fix TEXT,
        section TEXT,
        title TEXT,
        kind TEXT,
        source_link TEXT
    );
    CREATE INDEX schools_run ON schools(run_id);
    CREATE INDEX fetches_school ON fetches(school_id);
    CREATE INDEX documents_school ON documents(school_id);
    CREATE INDEX findings_document ON findings(document_id);
    """,
    # 2: the caps a school's scan reached (documents per school, sitemap entries, pages), as a JSON list.
    """
    ALTER TABLE schools ADD COLUMN limits TEXT NOT NULL DEFAULT '[]';
    """,
    # 3: what drift from a trust's template needs (drift.py): each checked notice's
    # parts under its own headings, and the templates a scan was given.
    """
    CREATE TABLE outlines (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        parts TEXT NOT NULL
    );
    CREATE TABLE trust_templates (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        trust TEXT NOT NULL,
        source TEXT NOT NULL,
        parts TEXT NOT NULL,
        findings TEXT NOT NULL,
        UNIQUE (run_id, trust)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


BUSY_TIMEOUT = 30.0  # seconds another process may hold the database before we give up
# Schools read per query when a run is walked (Store.iter_schools): enough to keep the
# queries few, few enough that a national run is never in memory.
READ_BATCH = 500


class StoreError(Exception):
    """The database cannot be used (newer schema, unknown run, not a database)."""


class RunLocked(StoreError):
    """Another process is scanning this run right now."""


class StoreWriteError(StoreError):
    """A write failed (disk full, I/O error); the transaction was rolled back, earlier commits stand."""


def utc_now() -> str:
    """A sortable UTC timestamp, to the second, as stored in every table."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class FindingRecord:
    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    line: int | None = None
    quote: str = ""
    fix: str = ""
    section: str | None = None
    title: str = ""
    kind: str = "fault"
    source_link: str = ""


@dataclass(frozen=True)
class NoticeRecord:
    """One notice found on a school's site and what became of it.

    `status` is "checked" (read and checked), "unreadable" (fetched but no
    text, e.g. a scanned PDF) or "fetch-failed" (the link did not give a
    document). `sections` maps section name to whether it is present.
    """

    url: str
    status: str
    final_url: str | None = None
    link_text: str | None = None
    found_on: str | None = None
    sha256: str | None = None
    audience: str | None = None
    audience_source: str | None = None  # "link" (from discovery) or "detected" (from the text)
    media_type: str | None = None
    fetched_at: str | None = None
    error_code: str | None = None
    error: str | None = None
    word_count: int = 0
    sections: dict[str, bool] = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    findings: tuple[FindingRecord, ...] = ()
    id: int | None = None
    # the notice's parts under its own headings (model.OutlinePart), kept for drift;
    # written by save_school, read back only by `outlines` (not by load_run)
    outline: tuple = ()

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class TemplateRecord:
    """A trust's notice template a scan was given (`scan --template TRUST=PATH`), checked once."""

    trust: str
    source: str
    outline: tuple  # model.OutlinePart
    findings: tuple[FindingRecord, ...]


def _parts_json(outline) -> str:
    return json.dumps([[p.heading, list(p.sentences)] for p in outline], ensure_ascii=False)


def _parts(text: str) -> tuple:
    from noticecheck.model import OutlinePart

    return tuple(OutlinePart(heading, tuple(sentences)) for heading, sentences in json.loads(text))


@dataclass(frozen=True)
class FetchRecord:
    url: str
    outcome: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    elapsed: float | None = None
    from_cache: bool = False
    attempts: int = 1
    error: str | None = None


@dataclass(frozen=True)
class SchoolRecord:
    """One school in one run: the school as the list gives it (`school`), and what the scan found.

    The school's own fields read through: `record.name`, `record.urn`,
    `record.age_low`, `record.school_type`... are `record.school`'s, so the
    registry's `School` is declared once and never copied field by field.
    `status` is the scan's result (scan/status.py), not the register's.
    """

    key: str
    status: str
    school: School
    error: str | None = None
    home_url: str | None = None
    pages_visited: int = 0  # every request made for this school: pages, sitemaps and documents
    finished_at: str | None = None
    notices: tuple[NoticeRecord, ...] = ()
    limits: tuple[str, ...] = ()  # caps the scan reached for this school, in words

    def __getattr__(self, name: str):
        # Only called for names the record itself lacks: they are the school's.
        school = self.__dict__.get("school")
        if school is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(school, name)

    @property
    def errors(self) -> int:
        return sum(n.count("error") for n in self.notices)

    @property
    def warnings(self) -> int:
        return sum(n.count("warning") for n in self.notices)


@dataclass(frozen=True)
class RunInfo:
    id: int
    started: str
    finished: str | None
    source: str
    la: str | None
    options: dict
    tool_version: str
    school_total: int | None

    @property
    def is_finished(self) -> bool:
        return self.finished is not None


@dataclass(frozen=True)
class RunData:
    """A run with all its schools, notices and findings, as reports need it.

    `schools` is a tuple (`Store.load_run`) or a `StoredSchools` read from the
    database as it is walked (`Store.stream_run`); reports only iterate it and take its length."""

    run: RunInfo
    schools: tuple[SchoolRecord, ...] | StoredSchools


class Store:
    """An open noticecheck database. Use as a context manager or call `close()`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            # check_same_thread=False: worker threads share this connection,
            # serialised by self._lock (sqlite3 objects are not re-entrant).
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT)
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._set_wal()
            # NORMAL is durable across process crashes in WAL mode (only an OS
            # crash can lose the last commits), and much faster than FULL.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable noticecheck database: {exc}") from None

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _set_wal(self) -> None:
        """WAL mode (persistent in the file). Switching needs a moment alone with the file, and
        SQLite answers "locked" at once rather than wait, so retry for the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        """Bring the schema up to date inside one EXCLUSIVE transaction: two processes opening a
        new file at once take turns (the busy timeout), and the second finds the work done."""
        with self._lock:
            if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return  # the usual case: no write lock needed
            self._db.execute("BEGIN EXCLUSIVE")
            try:
                current = self._db.execute("PRAGMA user_version").fetchone()[0]
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} was written by a newer noticecheck (schema {current}, "
                        f"this version understands up to {SCHEMA_VERSION}); upgrade noticecheck"
                    )
                for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                    for statement in _statements(script):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {version}")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def check_integrity(self) -> None:
        """Refuse a damaged file (StoreError) before any work is done with it: a scan would
        otherwise crawl every school and crash writing, a report crash half way."""
        with self._lock:
            try:
                problems = [row[0] for row in self._db.execute("PRAGMA quick_check(5)").fetchall()]
            except sqlite3.DatabaseError as exc:
                problems = [str(exc)]
        if problems != ["ok"]:
            raise StoreError(
                f"{self.path} is damaged ({'; '.join(problems)[:300]}); restore it from a backup, "
                f"or give --db a new file to start a new history"
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._rollback_quietly()
                    raise
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # disk full, I/O error, locked past the timeout
                self._rollback_quietly()
                raise StoreWriteError(f"could not write to {self.path}: {exc}") from None

    def _rollback_quietly(self) -> None:
        # SQLite may already have rolled back (it does on a full disk); that is fine.
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass

    # -- runs --------------------------------------------------------------

    @contextmanager
    def run_lock(self, run_id: int) -> Iterator[None]:
        """Hold run `run_id` for this process: a second scan of the same run (two `--resume`s)
        raises RunLocked instead of crawling every site twice. The lock is an flock on a file
        beside the database, so the system releases it if the process dies (kill -9 included)."""
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            yield
            return
        path = Path(f"{self.path}.run-{run_id}.lock")
        handle = open(path, "a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise RunLocked(
                    f"run {run_id} is being scanned right now by {holder}; wait for it to finish "
                    f"(or stop it) before resuming it"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"noticecheck process {os.getpid()}")
            handle.flush()
            try:
                yield
            finally:
                path.unlink(missing_ok=True)
        finally:
            handle.close()  # releases the flock

    def start_run(self, source: str, la: str | None, options: dict, school_total: int | None = None) -> int:
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (started, source, la, options, tool_version, school_total) VALUES (?, ?, ?, ?, ?, ?)",
                (utc_now(), source, la, json.dumps(options, sort_keys=True, default=str), __version__, school_total),
            )
            return int(cur.lastrowid)

    def set_total(self, run_id: int, school_total: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE runs SET school_total = ? WHERE id = ?", (school_total, run_id))

    def finish_run(self, run_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE runs SET finished = ? WHERE id = ?", (utc_now(), run_id))

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return [_run_info(r) for r in rows]

    def get_run(self, run_id: int) -> RunInfo:
        with self._lock:
            row = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"there is no run {run_id} in {self.path}")
        return _run_info(row)

    def latest_run(self, *, finished: bool | None = None) -> RunInfo | None:
        """The newest run; `finished=True/False` restricts to finished/unfinished runs."""
        where = {None: "", True: "WHERE finished IS NOT NULL", False: "WHERE finished IS NULL"}[finished]
        with self._lock:
            row = self._db.execute(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT 1").fetchone()
        return _run_info(row) if row else None

    def previous_run(self, run_id: int) -> RunInfo | None:
        """The newest finished run before `run_id`, preferring one for the same LA."""
        run = self.get_run(run_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs WHERE id < ? AND finished IS NOT NULL ORDER BY id DESC", (run_id,)
            ).fetchall()
        candidates = [_run_info(r) for r in rows]
        same_la = [r for r in candidates if (r.la or "").casefold() == (run.la or "").casefold()]
        return (same_la or candidates or [None])[0]

    def resolve_run(self, ref: str | int) -> RunInfo:
        """Turn "latest" or a run id (as typed by a user) into a run."""
        text = str(ref).strip().lower()
        if text == "latest":
            run = self.latest_run()
            if run is None:
                raise StoreError(f"{self.path} holds no scans yet; run `noticecheck scan` first")
            return run
        if not text.isdigit():
            raise StoreError(f"run must be 'latest' or a number, not {ref!r}")
        return self.get_run(int(text))

    # -- schools -----------------------------------------------------------

    def done_keys(self, run_id: int) -> set[str]:
        """Keys of schools already stored for a run (what `--resume` skips)."""
        with self._lock:
            rows = self._db.execute("SELECT school_key FROM schools WHERE run_id = ?", (run_id,)).fetchall()
        return {r[0] for r in rows}

    def school_keys(self, run_id: int) -> list[str]:
        """The keys of a run's schools, by name (the order `iter_schools` gives)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT school_key FROM schools WHERE run_id = ? ORDER BY name COLLATE NOCASE, school_key", (run_id,)
            ).fetchall()
        return [r[0] for r in rows]

    def count_schools(self, run_id: int) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM schools WHERE run_id = ?", (run_id,)).fetchone()[0]

    def save_school(self, run_id: int, school: SchoolRecord, fetches: Iterable[FetchRecord] = ()) -> None:
        """Write one finished school, its fetches, notices and findings in one transaction.

        Saving a school whose key is already stored for the run replaces it
        (a resumed run may re-check a school whose earlier write was lost).
        """
        if school.status not in SCHOOL_STATUSES:
            raise ValueError(f"unknown school status {school.status!r}")
        with self._transaction() as db:
            db.execute("DELETE FROM schools WHERE run_id = ? AND school_key = ?", (run_id, school.key))
            cur = db.execute(
                """INSERT INTO schools (run_id, school_key, urn, name, website, la_name, type_name, phase,
                       age_low, age_high, trust, school_type, status, error, home_url, pages_visited, finished_at,
                       limits)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    run_id, school.key, school.urn, school.name, school.website, school.la_name,
                    school.type_name, school.phase, school.age_low, school.age_high, school.trust,
                    school.school_type, school.status, school.error, school.home_url,
                    school.pages_visited, school.finished_at or utc_now(), json.dumps(list(school.limits)),
                ),
            )
            school_id = cur.lastrowid
            db.executemany(
                """INSERT INTO fetches (school_id, url, final_url, outcome, status, content_type, elapsed,
                       from_cache, attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (school_id, f.url, f.final_url, f.outcome, f.status, f.content_type, f.elapsed,
                     int(f.from_cache), f.attempts, f.error)
                    for f in fetches
                ],
            )
            for notice in school.notices:
                cur = db.execute(
                    """INSERT INTO documents (school_id, url, final_url, link_text, found_on, sha256, audience,
                           audience_source, media_type, fetched_at, status, error_code, error, word_count,
                           sections, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        school_id, notice.url, notice.final_url, notice.link_text, notice.found_on,
                        notice.sha256, notice.audience, notice.audience_source, notice.media_type,
                        notice.fetched_at, notice.status, notice.error_code, notice.error, notice.word_count,
                        json.dumps(notice.sections, sort_keys=True), json.dumps(notice.context, sort_keys=True),
                    ),
                )
                document_id = cur.lastrowid
                if notice.outline:
                    db.execute("INSERT INTO outlines (document_id, parts) VALUES (?, ?)",
                               (document_id, _parts_json(notice.outline)))
                db.executemany(
                    """INSERT INTO findings (document_id, rule, severity, message, line, quote, fix, section,
                           title, kind, source_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        (document_id, f.rule, f.severity, f.message, f.line, f.quote, f.fix, f.section,
                         f.title, f.kind, f.source_link)
                        for f in notice.findings
                    ],
                )

    # -- trusts ------------------------------------------------------------

    def save_template(self, run_id: int, template: TemplateRecord) -> None:
        """Keep a trust's template with the run (replacing one given before for the same trust)."""
        findings = json.dumps([asdict(f) for f in template.findings], ensure_ascii=False)
        with self._transaction() as db:
            db.execute("DELETE FROM trust_templates WHERE run_id = ? AND trust = ?", (run_id, template.trust))
            db.execute(
                "INSERT INTO trust_templates (run_id, trust, source, parts, findings) VALUES (?, ?, ?, ?, ?)",
                (run_id, template.trust, template.source, _parts_json(template.outline), findings),
            )

    def templates(self, run_id: int) -> dict[str, TemplateRecord]:
        """The templates a run was given, by trust name as typed."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM trust_templates WHERE run_id = ? ORDER BY id", (run_id,)).fetchall()
        return {
            r["trust"]: TemplateRecord(
                trust=r["trust"], source=r["source"], outline=_parts(r["parts"]),
                findings=tuple(FindingRecord(**f) for f in json.loads(r["findings"])),
            )
            for r in rows
        }

    def check_counts(self, run_id: int, checks: dict[str, tuple[str, ...]]) -> dict[str, tuple[int, int]]:
        """Per check id: (schools with a checked notice none of whose checked notices has any of
        the check's rules, schools with a checked notice). Counted in SQL, so a trend over
        every run never loads a run."""
        with self._lock:
            judged = self._db.execute(
                """SELECT COUNT(DISTINCT s.id) FROM schools s JOIN documents d ON d.school_id = s.id
                   WHERE s.run_id = ? AND d.status = 'checked'""",
                (run_id,),
            ).fetchone()[0]
            counts = {}
            for check, rules in checks.items():
                failing = self._db.execute(
                    f"""SELECT COUNT(DISTINCT s.id) FROM schools s JOIN documents d ON d.school_id = s.id
                        JOIN findings f ON f.document_id = d.id
                        WHERE s.run_id = ? AND d.status = 'checked' AND f.rule IN ({','.join('?' * len(rules))})""",
                    (run_id, *rules),
                ).fetchone()[0]
                counts[check] = (judged - failing, judged)
        return counts

    def outlines(self, document_ids: Iterable[int]) -> Iterator[tuple[int, tuple]]:
        """(document id, outline) for the given notices, read in small batches: a trust's
        notices at a time, never a whole run's text at once."""
        ids = [i for i in document_ids if i is not None]
        for start in range(0, len(ids), 200):
            batch = ids[start : start + 200]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT document_id, parts FROM outlines WHERE document_id IN ({','.join('?' * len(batch))})", batch
                ).fetchall()
            for r in rows:
                yield r["document_id"], _parts(r["parts"])

    def fetches_for(self, run_id: int, school_key: str) -> list[FetchRecord]:
        with self._lock:
            rows = self._db.execute(
                """SELECT f.* FROM fetches f JOIN schools s ON s.id = f.school_id
                   WHERE s.run_id = ? AND s.school_key = ? ORDER BY f.id""",
                (run_id, school_key),
            ).fetchall()
        return [
            FetchRecord(
                url=r["url"], outcome=r["outcome"], final_url=r["final_url"], status=r["status"],
                content_type=r["content_type"], elapsed=r["elapsed"], from_cache=bool(r["from_cache"]),
                attempts=r["attempts"], error=r["error"],
            )
            for r in rows
        ]

    def load_run(self, run_id: int) -> RunData:
        """A run with every school, notice and finding, schools sorted by name, all in memory.

        For a run's reports use `stream_run`, which reads the schools a batch at a time."""
        return RunData(run=self.get_run(run_id), schools=tuple(self.iter_schools(run_id)))

    def stream_run(self, run_id: int) -> RunData:
        """A run whose `schools` is read from the database each time it is walked (`StoredSchools`):
        the same records in the same order as `load_run`, never all in memory at once."""
        return RunData(run=self.get_run(run_id), schools=StoredSchools(self, run_id))

    def iter_schools(self, run_id: int, *, order: str = "name") -> Iterator[SchoolRecord]:
        """Every school of a run with its notices and findings, read READ_BATCH schools at a time.

        `order` is "name" (by name, case-blind, then key: what every report lists),
        "errors" (most error-level findings first, ties by name: the dashboard's table)
        or "key" (by key: what walking two runs side by side needs).
        """
        query = {
            "name": "SELECT * FROM schools WHERE run_id = ? ORDER BY name COLLATE NOCASE, school_key",
            "errors": """SELECT s.* FROM schools s WHERE s.run_id = ? ORDER BY
                             (SELECT COUNT(*) FROM findings f JOIN documents d ON d.id = f.document_id
                              WHERE d.school_id = s.id AND f.severity = 'error') DESC,
                             s.name COLLATE NOCASE, s.school_key""",
            "key": "SELECT * FROM schools WHERE run_id = ? ORDER BY school_key",
        }[order]
        # A cursor of its own, so the batches' own queries do not reset it.
        with self._lock:
            cursor = self._db.cursor()
            cursor.execute(query, (run_id,))
        try:
            while True:
                with self._lock:
                    rows = cursor.fetchmany(READ_BATCH)
                if not rows:
                    return
                yield from self._schools(rows)
        finally:
            cursor.close()

    def schools_by_keys(self, run_id: int, keys: Iterable[str]) -> Iterator[SchoolRecord]:
        """The run's schools with these keys (with notices and findings), by name."""
        keys = list(keys)
        for start in range(0, len(keys), READ_BATCH):
            part = keys[start : start + READ_BATCH]
            with self._lock:
                rows = self._db.execute(
                    f"""SELECT * FROM schools WHERE run_id = ? AND school_key IN ({','.join('?' * len(part))})
                        ORDER BY name COLLATE NOCASE, school_key""",
                    (run_id, *part),
                ).fetchall()
            yield from self._schools(rows)

    def _schools(self, school_rows: list[sqlite3.Row]) -> list[SchoolRecord]:
        """Records for these school rows, their notices (by id) and findings (by id) read in two queries."""
        if not school_rows:
            return []
        ids = [r["id"] for r in school_rows]
        marks = ",".join("?" * len(ids))
        with self._lock:
            doc_rows = self._db.execute(
                f"SELECT * FROM documents WHERE school_id IN ({marks}) ORDER BY id", ids
            ).fetchall()
            finding_rows = self._db.execute(
                f"""SELECT f.* FROM findings f JOIN documents d ON d.id = f.document_id
                    WHERE d.school_id IN ({marks}) ORDER BY f.id""",
                ids,
            ).fetchall()
        findings_by_doc: dict[int, list[FindingRecord]] = {}
        for r in finding_rows:
            findings_by_doc.setdefault(r["document_id"], []).append(
                FindingRecord(
                    rule=_word(r["rule"]), severity=_word(r["severity"]), message=r["message"], line=r["line"],
                    quote=r["quote"] or "", fix=r["fix"] or "", section=_word(r["section"]),
                    title=_word(r["title"] or ""), kind=_word(r["kind"] or "fault"),
                    source_link=_word(r["source_link"] or ""),
                )
            )
        docs_by_school: dict[int, list[NoticeRecord]] = {}
        for r in doc_rows:
            docs_by_school.setdefault(r["school_id"], []).append(
                NoticeRecord(
                    id=r["id"], url=r["url"], final_url=r["final_url"], link_text=r["link_text"],
                    found_on=r["found_on"], sha256=r["sha256"], audience=_word(r["audience"]),
                    audience_source=_word(r["audience_source"]), media_type=_word(r["media_type"]),
                    fetched_at=r["fetched_at"], status=_word(r["status"]), error_code=_word(r["error_code"]),
                    error=r["error"], word_count=r["word_count"], sections=json.loads(r["sections"]),
                    context=json.loads(r["context"]), findings=tuple(findings_by_doc.get(r["id"], ())),
                )
            )
        return [
            SchoolRecord(
                key=r["school_key"], status=_word(r["status"]), error=r["error"],
                school=School(
                    urn=r["urn"], name=r["name"], website=r["website"], la_name=_word(r["la_name"]),
                    type_name=_word(r["type_name"]), phase=_word(r["phase"]), age_low=r["age_low"],
                    age_high=r["age_high"], trust=_word(r["trust"]),
                ),
                home_url=r["home_url"], pages_visited=r["pages_visited"], finished_at=r["finished_at"],
                notices=tuple(docs_by_school.get(r["id"], ())), limits=tuple(json.loads(r["limits"] or "[]")),
            )
            for r in school_rows
        ]


class StoredSchools:
    """A run's schools as a collection read from the database each time it is walked.

    Reports iterate it (`for school in data.schools`) and take `len()` exactly
    as they do a tuple; only a batch of schools is in memory at a time.
    `errors_first()` walks them most errors first (the dashboard's order)."""

    def __init__(self, store: Store, run_id: int):
        self._store, self._run_id = store, run_id

    def __iter__(self) -> Iterator[SchoolRecord]:
        return self._store.iter_schools(self._run_id)

    def __len__(self) -> int:
        return self._store.count_schools(self._run_id)

    def errors_first(self) -> Iterator[SchoolRecord]:
        return self._store.iter_schools(self._run_id, order="errors")

    def by_key(self) -> Iterator[SchoolRecord]:
        return self._store.iter_schools(self._run_id, order="key")

    def keys(self) -> list[str]:
        """The schools' keys in name order (the order of iteration)."""
        return self._store.school_keys(self._run_id)

    def get(self, key: str) -> SchoolRecord | None:
        """One school by key (None: not in this run)."""
        return next(self._store.schools_by_keys(self._run_id, [key]), None)


def _word(value: str | None) -> str | None:
    """One shared copy of a value that repeats across a run (a rule id, a severity, an LA, a trust):
    a comparison or a tally that keeps them for every school then holds pointers, not copies."""
    return sys.intern(value) if value else value


def _statements(script: str) -> list[str]:
    """A migration script split into statements (none of ours holds a ';' inside a string)."""
    return [part.strip() for part in script.split(";") if part.strip()]


def _run_info(row: sqlite3.Row) -> RunInfo:
    return RunInfo(
        id=row["id"], started=row["started"], finished=row["finished"], source=row["source"], la=row["la"],
        options=json.loads(row["options"] or "{}"), tool_version=row["tool_version"],
        school_total=row["school_total"],
    )
