"""Reports written from a run streamed out of SQLite are byte for byte the reports written from the run in memory.

`Store.stream_run` reads a run a batch at a time (and orders the dashboard's
table, the side-by-side comparison and each trust's schools in SQL) while
`Store.load_run` holds it all; every file the reports make must come out
the same either way. The batch size is made tiny here so every walk crosses
many batch boundaries. The run is built to catch ordering slips: names that
differ only in case, a name shared by two schools, names outside ASCII,
one trust spelled two ways, a trust with a given template and one whose
template is found, schools in only one of the two runs, failed schools and
schools with several notices.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from noticecheck.fetch.registry import School
from noticecheck.model import OutlinePart
from noticecheck.scan import store as store_module
from noticecheck.scan.scheduler import write_run_reports
from noticecheck.scan.store import FindingRecord, NoticeRecord, SchoolRecord, Store, TemplateRecord
from noticecheck.scan.summary import compare_runs

RULES = (("ico-complaint-missing", "error"), ("npd-missing", "warning"), ("lrs-missing", "info"),
         ("retention-missing", "error"), ("outdated-dpa-1998", "error"), ("dpo-missing", "warning"))
NAMES = ("oak primary", "Oak Primary", "St Mary's C of E", "St Mary's C of E", "Ysgol Gymraeg Ŵy", "Æthelred Academy",
         "Zebra Lane", "abbey road", "Abbey Road Infants", "Élan Vital School")
TRUST_SPELLINGS = ("Oak Trust", "OAK  TRUST", "Birch Learning Trust", "Cedar Trust", None, None)
STATUSES = ("checked", "checked", "checked", "unreachable", "no-notice-found", "notice-unreadable", "checked")


def _outline(i: int) -> tuple:
    parts = [OutlinePart(f"Part {p}", tuple(f"Sentence {s} of part {p} about pupil data." for s in range(4)))
             for p in range(5)]
    if i % 3:
        parts[i % 5] = OutlinePart(f"Part {i % 5}", (f"A sentence school {i} wrote itself.",))
    return tuple(parts)


def _school(i: int, run: int) -> SchoolRecord:
    status = STATUSES[(i + run) % len(STATUSES)]
    notices = ()
    if status in ("checked", "notice-unreadable"):
        notices = tuple(
            NoticeRecord(
                url=f"http://127.0.0.1/{i}/notice-{n}.html",
                status="checked" if status == "checked" else "unreadable",
                audience=("pupils", "parents", None, "workforce")[(i + n) % 4], word_count=800 + i + n,
                sections={"ico": bool(i % 2)},
                findings=tuple(FindingRecord(rule=r, severity=s, message=f"{r} at {i}", fix="Add it.", title=r.title(),
                                             line=n + k)
                               for k, (r, s) in enumerate(RULES[(i + run) % 3 : (i + run) % 3 + 1 + (i + n) % 4]))
                if status == "checked" else (),
                outline=_outline(i) if status == "checked" else (),
            )
            for n in range(1 + i % 3)
        )
    school = School(urn=str(200000 + i), name=f"{NAMES[i % len(NAMES)]}{'' if i < len(NAMES) else f' {i}'}",
                    website=f"http://127.0.0.1/{i}/", la_name="Streamshire", trust=TRUST_SPELLINGS[i % 6],
                    age_low=4 if i % 2 else None, age_high=11 if i % 2 else None)
    return SchoolRecord(key=f"K{i:03d}", status=status, school=school, notices=notices, pages_visited=i,
                        limits=("documents",) if i % 11 == 0 else ())


@pytest.fixture
def two_runs(tmp_path):
    with Store(tmp_path / "runs.sqlite") as store:
        for run_number, schools in ((1, range(0, 40)), (2, range(5, 50))):  # 5 schools only in each run
            run = store.start_run("list.csv", "Streamshire", {}, len(schools))
            store.save_template(run, TemplateRecord("Birch Learning Trust", "birch.md", _outline(0),
                                                    (FindingRecord(rule="npd-missing", severity="warning",
                                                                   message="npd", title="Npd"),)))
            for i in schools:
                store.save_school(run, _school(i, run_number))
            store.finish_run(run)
        yield store


def _files(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:  # the workbook's parts, less its creation time
                for name in sorted(book.namelist()):
                    if name != "docProps/core.xml":
                        files[f"{path.relative_to(root)}:{name}"] = book.read(name)
        elif path.is_file():
            files[str(path.relative_to(root))] = path.read_bytes()
    return files


def test_streamed_run_reads_the_same_records_in_the_same_order(two_runs, monkeypatch):
    monkeypatch.setattr(store_module, "READ_BATCH", 3)
    loaded = two_runs.load_run(2)
    streamed = two_runs.stream_run(2).schools
    assert tuple(streamed) == loaded.schools
    assert len(streamed) == len(loaded.schools) == 45
    assert streamed.keys() == [s.key for s in loaded.schools]
    assert list(streamed.errors_first()) == sorted(loaded.schools, key=lambda s: -s.errors)
    assert list(streamed.by_key()) == sorted(loaded.schools, key=lambda s: s.key)
    # the walk really is in batches: a name order differing from key order proves it is not by key
    assert [s.key for s in loaded.schools] != sorted(s.key for s in loaded.schools)


def test_reports_from_a_streamed_run_are_byte_identical_to_reports_from_memory(two_runs, tmp_path, monkeypatch):
    old_run = two_runs.get_run(1)
    in_memory = two_runs.load_run(2)
    write_run_reports(in_memory, tmp_path / "memory", compare_runs(two_runs.load_run(1), in_memory), old_run,
                      store=two_runs)
    monkeypatch.setattr(store_module, "READ_BATCH", 4)
    streamed = two_runs.stream_run(2)
    write_run_reports(streamed, tmp_path / "streamed", compare_runs(two_runs.stream_run(1), streamed), old_run,
                      store=two_runs)
    memory, stream = _files(tmp_path / "memory"), _files(tmp_path / "streamed")
    assert sorted(memory) == sorted(stream)
    # every kind of output is there, so the comparison covers them all
    for expected in ("index.html", "changes.html", "schools.csv", "trusts.csv", "results.jsonl",
                     "schools.xlsx:xl/worksheets/sheet3.xml"):
        assert expected in memory
    assert sum(name.startswith("trusts/") for name in memory) == 3  # Oak (two spellings), Birch, Cedar
    assert sum(name.startswith("print/") for name in memory) == 45
    assert b"(the template)" in memory[next(n for n in memory if n.startswith("trusts/trust-oak"))]
    assert [name for name in memory if memory[name] != stream[name]] == []
