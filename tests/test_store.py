"""The SQLite scan history: schema versioning, one-transaction school writes, run lookup."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from helpers import school_record
from noticecheck.scan.store import (
    SCHEMA_VERSION,
    FetchRecord,
    FindingRecord,
    NoticeRecord,
    SchoolRecord,
    Store,
    StoreError,
)


def _school(key: str, status: str = "checked", rules: tuple[str, ...] = ("dpo-missing",), **extra) -> SchoolRecord:
    findings = tuple(
        FindingRecord(rule=r, severity="error", message=f"{r} message", line=3, quote="a quote", fix="do this",
                      section="dpo", title=r.replace("-", " "), source_link="https://ico.org.uk/")
        for r in rules
    )
    notices = (
        (NoticeRecord(url=f"http://127.0.0.1/{key}/notice", status="checked", audience="pupils",
                      audience_source="link", sha256="ab" * 32, sections={"dpo": False, "rights": True},
                      context={"as_of": "2026-11-24"}, findings=findings),)
        if status == "checked"
        else ()
    )
    return school_record(key=key, urn=key, name=f"School {key}", status=status, notices=notices, **extra)


def test_new_database_is_migrated_to_the_current_schema_in_wal_mode(tmp_path):
    path = tmp_path / "history.sqlite"
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "schools", "fetches", "documents", "findings"} <= tables
    db.close()
    with Store(path) as store:  # reopening applies nothing twice
        assert store.schema_version == SCHEMA_VERSION


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer noticecheck"):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not a database, just some text that is long enough " * 20)
    with pytest.raises(StoreError, match="not a usable noticecheck database"):
        Store(path)


def test_school_round_trip_with_notices_findings_and_fetches(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("/data/gias.csv", "Kent", {"concurrency": 4}, school_total=2)
        school = _school("100001", rules=("dpo-missing", "npd-missing"), la_name="Kent", age_low=11, age_high=16)
        store.save_school(run, school, [FetchRecord(url="http://x/n", outcome="ok", status=200, elapsed=0.2)])
        store.save_school(run, _school("100002", status="unreachable", error="connection refused"))
        data = store.load_run(run)
        assert data.run.la == "Kent" and data.run.options == {"concurrency": 4} and data.run.school_total == 2
        first, second = data.schools
        assert first.key == "100001" and first.age_low == 11 and first.la_name == "Kent"
        (notice,) = first.notices
        assert notice.sections == {"dpo": False, "rights": True}
        assert [f.rule for f in notice.findings] == ["dpo-missing", "npd-missing"]
        assert notice.findings[0].quote == "a quote" and notice.findings[0].line == 3
        assert first.errors == 2 and first.warnings == 0
        assert second.status == "unreachable" and second.error == "connection refused" and second.notices == ()
        assert store.fetches_for(run, "100001")[0].status == 200


def test_saving_a_school_twice_keeps_one_copy(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("s.csv", None, {})
        store.save_school(run, _school("1", rules=("dpo-missing",)))
        store.save_school(run, _school("1", rules=("npd-missing",)))
        assert store.count_schools(run) == 1
        (school,) = store.load_run(run).schools
        assert [f.rule for f in school.notices[0].findings] == ["npd-missing"]
        # the replaced school's notices and findings went with it
        assert store._db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 1


def test_a_failed_write_leaves_nothing_of_that_school(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("s.csv", None, {})
        broken = FindingRecord(rule="x", severity=None, message="m")  # severity is NOT NULL
        notice = NoticeRecord(url="http://x/n", status="checked", findings=(broken,))
        with pytest.raises(sqlite3.IntegrityError):
            store.save_school(run, school_record(key="9", name="Nine", status="checked", notices=(notice,)))
        assert store.count_schools(run) == 0
        assert store._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0


def test_unknown_status_is_rejected(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("s.csv", None, {})
        with pytest.raises(ValueError, match="unknown school status"):
            store.save_school(run, school_record(key="1", name="One", status="fine"))


def test_writes_from_many_threads_are_all_kept(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("s.csv", None, {})
        errors = []

        def worker(start: int) -> None:
            try:
                for i in range(start, start + 25):
                    store.save_school(run, _school(str(i)))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n * 100,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert store.count_schools(run) == 100
        assert len(store.done_keys(run)) == 100


def test_run_lookup_latest_unfinished_previous(tmp_path):
    with Store(tmp_path / "h.sqlite") as store:
        assert store.latest_run() is None
        with pytest.raises(StoreError, match="no scans yet"):
            store.resolve_run("latest")
        kent1 = store.start_run("a.csv", "Kent", {})
        store.finish_run(kent1)
        other = store.start_run("b.csv", "Medway", {})
        store.finish_run(other)
        kent2 = store.start_run("a.csv", "kent", {})
        assert store.latest_run().id == kent2
        assert store.latest_run(finished=False).id == kent2
        assert store.latest_run(finished=True).id == other
        # "previous" prefers the same LA over a more recent scan of another one
        assert store.previous_run(kent2).id == kent1
        assert store.previous_run(kent1) is None
        assert store.resolve_run(str(other)).la == "Medway"
        with pytest.raises(StoreError, match="no run 99"):
            store.resolve_run("99")
        with pytest.raises(StoreError, match="'latest' or a number"):
            store.resolve_run("last")


# -- concurrency: many processes opening a new database, two scans of one run --------


def _open_and_close(path: str, start_at: float) -> str | None:
    import time as _time

    while _time.time() < start_at:  # start together, to make the race as tight as possible
        pass
    try:
        Store(path).close()
    except Exception as exc:  # reported to the parent, which fails the test with it
        return f"{type(exc).__name__}: {exc}"
    return None


def test_twenty_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    import multiprocessing
    import time as _time

    context = multiprocessing.get_context("fork")
    for attempt in range(3):
        path = str(tmp_path / f"new-{attempt}.sqlite")
        start_at = _time.time() + 0.5
        with context.Pool(20) as pool:
            errors = [e for e in pool.starmap(_open_and_close, [(path, start_at)] * 20) if e]
        assert not errors, errors
        with Store(path) as store:
            assert store.schema_version == SCHEMA_VERSION


def test_a_run_being_scanned_cannot_be_scanned_again(tmp_path):
    from noticecheck.scan.store import RunLocked

    db = tmp_path / "h.sqlite"
    with Store(db) as first, Store(db) as second:
        run = first.start_run("list.csv", None, {})
        with first.run_lock(run):
            with pytest.raises(RunLocked, match=f"run {run} is being scanned right now by noticecheck process"):
                with second.run_lock(run):
                    pass
            with second.run_lock(run + 1):  # another run is free
                pass
        with second.run_lock(run):  # released when the first scan ends
            pass


def test_a_database_at_schema_2_is_upgraded_in_place_keeping_its_runs(tmp_path):
    """A history written before trusts (schema 2: run limits, no outlines or templates) opens,
    gains the trust tables, keeps every run, and takes the new records."""
    from noticecheck.model import OutlinePart
    from noticecheck.scan.store import MIGRATIONS, TemplateRecord, _statements

    path = tmp_path / "before-trusts.sqlite"
    db = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:2], start=1):
        for statement in _statements(script):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
    db.execute("INSERT INTO runs (id, started, finished, source, la, tool_version) "
               "VALUES (1, '2026-09-01T00:00:00+00:00', '2026-09-01T01:00:00+00:00', 'kent.csv', 'Kent', '0.1')")
    db.execute("INSERT INTO schools (id, run_id, school_key, name, trust, status, finished_at, limits) "
               "VALUES (1, 1, '100001', 'Old School', 'OAK TRUST', 'checked', '2026-09-01T00:30:00+00:00', "
               "'[\"sitemaps: read the first 5000 entries only\"]')")
    db.execute("INSERT INTO documents (id, school_id, url, status) VALUES (1, 1, 'http://127.0.0.1/n', 'checked')")
    db.execute("INSERT INTO findings (document_id, rule, severity, message) VALUES (1, 'dpo-missing', 'error', 'm')")
    db.commit()
    db.close()

    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.check_integrity()
        old = store.load_run(1)
        (school,) = old.schools
        assert (school.name, school.trust, school.limits) == ("Old School", "OAK TRUST",
                                                              ("sitemaps: read the first 5000 entries only",))
        assert [f.rule for f in school.notices[0].findings] == ["dpo-missing"]
        assert dict(store.outlines([school.notices[0].id])) == {}  # checked before outlines were kept
        assert store.templates(1) == {}
        # the new tables take records
        run = store.start_run("kent.csv", "Kent", {})
        outline = (OutlinePart("Who we are", ("We are a school.",)),)
        notice = NoticeRecord(url="http://127.0.0.1/m", status="checked", outline=outline)
        store.save_school(run, school_record(key="100001", status="checked", name="Old School", notices=(notice,)))
        store.save_template(run, TemplateRecord(trust="OAK TRUST", source="t.md", outline=outline, findings=()))
        (saved,) = store.load_run(run).schools
        assert dict(store.outlines([saved.notices[0].id])) == {saved.notices[0].id: outline}
        assert store.templates(run)["OAK TRUST"].outline == outline
