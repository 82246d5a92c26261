"""`noticecheck scan`: scan every school of a list and write the LA's dashboard (thin: parse, call, print, exit code).

Output discipline: the progress bar and warnings go to stderr, the summary
and the paths of what was written go to stdout. Unreachable schools are
results, not failures, so a completed scan exits 0; only bad options or an
unusable school list or database exit 2.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from noticecheck.cli.options import DEFAULT_DB, DEFAULT_OUT, fail, log_to_stderr, parse_as_of
from noticecheck.cli.progress import Progress
from noticecheck.gate.exit_codes import ExitCode

_DEFAULTS = {"concurrency": 8, "per_host_interval": 1.0}
OUT_KEY = "out"  # the run's --out, kept with its fetch settings in the runs table


def _parse_date(ctx, param, value: str | None) -> date | None:
    return parse_as_of(value)


@click.command()
@click.argument("schools_csv", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--la", help="Only schools in this local authority (name or code, as in the GIAS 'LA' columns).")
@click.option("--trust", help="Only the schools of this trust (its name as in the GIAS 'Trusts (name)' column, any case).")
@click.option("--template", "templates", multiple=True, metavar="TRUST=PATH",
              help="The notice template a trust gives its schools; each school's notice is compared with it (repeatable).")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file holding the history of scans.")
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path),
              help="Reports go to OUT/run-N/ (index.html, schools.csv, results.jsonl); --resume uses the run's own.  [default: reports]")
@click.option("--resume", is_flag=True, help="Continue the latest unfinished scan (or --run ID) instead of starting one.")
@click.option("--run", "run_id", type=int, help="With --resume: the run to continue.")
@click.option("--concurrency", type=click.IntRange(1, 64), help="Requests in flight at once, over all sites (up to 8 schools in progress per request; a school waiting for its site's turn holds no place).  [default: 8]")
@click.option("--per-host-interval", type=click.FloatRange(0), help="Seconds from the start of one request to one website (or one hosting IP) to the start of the next; a site still answering is never sent another.  [default: 1.0]")
@click.option("--user-agent", help="User-Agent header (say who you are, e.g. with a contact email).")
@click.option("--contact", metavar="EMAIL_OR_URL", help="Who runs the scan, added to the default User-Agent so school web teams can reach you.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses (local testing only).")
@click.option("--allow-network", "allow_networks", multiple=True, metavar="CIDR",
              help="Allow this private network only (repeatable), e.g. 127.0.0.0/8.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False),
              help="Cache HTTP responses (with conditional requests) in this SQLite file.  [default: http-cache.sqlite beside --db]")
@click.option("--no-cache", is_flag=True, help="Do not cache HTTP responses.")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="Verify HTTPS against the certificates in this PEM file instead of the usual public ones (a test network, or a proxy that inspects TLS). Verification is never turned off.")
@click.option("--as-of", callback=_parse_date, metavar="DATE", help="Judge notices as of this date (YYYY-MM-DD).  [default: today]")
@click.option("--timeout", type=click.FloatRange(0.5), help="Seconds allowed for one request.  [default: 15]")
@click.option("--retries", type=click.IntRange(0, 10), help="Extra tries after a server error or dropped connection.  [default: 3]")
@click.option("--max-documents", type=click.IntRange(1, 500),
              help="Notices fetched per school, the most likely first (the school's record says when more were found).  [default: 12]")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--verbose", "-v", is_flag=True, help="Log every request's failure in full (the exception behind each plain-English reason) on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes checking the fetched notices (default: the machine's cores).")
def scan(schools_csv, la, trust, templates, db_path, out_root, resume, run_id, concurrency, per_host_interval, user_agent,
         contact, allow_private, allow_networks, cache_path, no_cache, ca_bundle, as_of, timeout, retries, max_documents, quiet, verbose,
         jobs):
    """Scan every open school in SCHOOLS_CSV (a GIAS export or a name,website CSV).

    Finds each school's privacy notices, checks them, stores everything in
    --db and writes a dashboard. With --resume, SCHOOLS_CSV may be left out.
    """
    from noticecheck.controls import printable
    from noticecheck.scan.scheduler import ScanError, ScanSettings, find_resumable, load_schools, settings_from_json
    from noticecheck.scan.store import Store, StoreError

    if verbose:
        log_to_stderr()
    template_paths = _parse_templates(templates)
    if run_id is not None and not resume:
        fail("--run is only for --resume (to choose which unfinished scan to continue)")
    if cache_path and no_cache:
        fail("--cache and --no-cache contradict each other")
    if contact and not user_agent:
        from noticecheck.fetch.http import user_agent_for

        user_agent = user_agent_for(contact)
    if not cache_path and not no_cache and not resume:
        # a monthly rescan should mostly be 304 Not Modified answers
        cache_path = str(Path(db_path).parent / "http-cache.sqlite")
    overrides = {
        "concurrency": concurrency, "per_host_interval": per_host_interval, "user_agent": user_agent,
        "allow_private": True if allow_private else None, "allowed_networks": tuple(allow_networks) or None,
        "cache_path": cache_path, "timeout": timeout, "retries": retries, "max_documents": max_documents,
        "ca_bundle": str(Path(ca_bundle).resolve()) if ca_bundle else None,
    }
    try:
        store = Store(db_path)
        store.check_integrity()  # before any school list is read or site contacted
    except StoreError as exc:
        fail(str(exc))
    with store:
        try:
            if resume:
                run_id = find_resumable(store, run_id)
                run = store.get_run(run_id)
                if la and (run.la or "").casefold() != la.strip().casefold():
                    fail(f"run {run_id} scans LA {run.la or '(all)'}, not {la}; resume it without --la")
                if as_of and run.options.get("as_of") not in (None, as_of.isoformat()):
                    fail(f"run {run_id} judges notices as of {run.options.get('as_of')}; resume it without --as-of")
                source = schools_csv or Path(run.source)
                settings = settings_from_json(run.options, **overrides)
                # the run remembers where its reports go, so the suggested resume command needs no --out
                out_root = out_root or Path(run.options.get(OUT_KEY) or DEFAULT_OUT)
                la = run.la
                trust = run.options.get("trust")
            else:
                if schools_csv is None:
                    fail("give the school list to scan (a GIAS export or a CSV with name and website columns)")
                source = schools_csv
                values = {k: v for k, v in overrides.items() if v is not None}
                settings = ScanSettings(**{**_DEFAULTS, **values, "as_of": as_of or date.today()})
            schools, problems = load_schools(source, la, trust)
            from noticecheck.scan.scheduler import check_template

            checked_templates = [check_template(name, path, settings) for name, path in template_paths]
        except (ScanError, StoreError, ValueError) as exc:
            fail(str(exc))
        for problem in problems:
            click.echo(f"noticecheck: skipped {printable(problem)}", err=True)
        _check_template_trusts(template_paths, schools)
        if not schools:
            fail(f"no open schools to scan in {source}" + (f" for LA {la!r}" if la else ""))
        if not resume:
            out_root = out_root or Path(DEFAULT_OUT)
            options = {**settings.to_json(), OUT_KEY: str(out_root.resolve()), **({"trust": trust} if trust else {})}
            run_id = store.start_run(str(source.resolve()), la, options, len(schools))
        try:
            with store.run_lock(run_id):
                for template in checked_templates:
                    store.save_template(run_id, template)
                _scan_and_report(store, run_id, schools, settings, out_root, quiet, jobs)
        except StoreError as exc:  # RunLocked, or a template that could not be saved (full disk)
            fail(str(exc))


def _leave(store, run_id: int, total: int, why: str, code: int, then: str = "Carry on") -> None:
    """End a scan early: say what is saved and how to resume, then exit at once."""
    saved = store.count_schools(run_id)
    click.echo(
        f"{why}{saved} of {total} schools are saved in {store.path}.\n"
        f"{then} with: noticecheck scan --resume --db {store.path}",
        err=True,
    )
    store.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave now: a normal exit would wait for the worker threads to finish
    # crawling the sites in flight, whose results are dropped anyway.
    # Everything stored is already committed.
    os._exit(code)


def _parse_templates(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    """`--template "TRUST NAME=path"` -> [(trust, path)]; a bad value ends the run with exit code 2."""
    parsed = []
    for value in values:
        name, sep, path = value.partition("=")  # a path may hold "=", a trust name does not
        if not sep or not name.strip() or not path.strip():
            fail(f"--template {value!r}: give it as \"TRUST NAME=PATH\"")
        if not Path(path.strip()).is_file():
            fail(f"--template {value!r}: {path.strip()} is not a file")
        parsed.append((" ".join(name.split()), Path(path.strip())))
    return parsed


def _check_template_trusts(template_paths: list[tuple[str, Path]], schools) -> None:
    """A template for a trust no school is in would be silently unused: a typo, most likely."""
    import difflib

    trusts = {" ".join(s.trust.split()).casefold(): s.trust for s in schools if s.trust}
    for name, _ in template_paths:
        if name.casefold() not in trusts:
            close = difflib.get_close_matches(name.casefold(), list(trusts), n=1, cutoff=0.6)
            hint = f"; did you mean {trusts[close[0]]!r}?" if close else ""
            fail(f"--template {name!r}: no school in the list is in that trust{hint}")


def _scan_and_report(store, run_id: int, schools, settings, out_root: Path, quiet: bool, jobs: int | None = None) -> None:
    from noticecheck.scan.failures import common_failure
    from noticecheck.scan.scheduler import run_scan, write_run_reports
    from noticecheck.scan.store import StoreWriteError
    from noticecheck.scan.summary import IncomparableRuns, compare_runs

    with Progress(quiet) as progress:
        on_start, on_school = progress.callbacks(f"Scan {run_id}") or (None, None)
        try:
            from noticecheck.workers import default_jobs

            summary = run_scan(store, run_id, schools, settings, on_start=on_start, on_school=on_school,
                               jobs=jobs or default_jobs())
        except KeyboardInterrupt:
            progress.stop()
            _leave(store, run_id, len(schools), "\nInterrupted: ", 130)
        except StoreWriteError as exc:  # a full disk: what was committed stands
            progress.stop()
            _leave(store, run_id, len(schools), f"noticecheck: {exc}.\n", ExitCode.USAGE, "Free some space, then carry on")
    click.echo(summary.line())
    data = store.stream_run(run_id)
    note = common_failure(data.schools)
    if note:
        click.echo(f"noticecheck: {note}", err=True)
    previous = store.previous_run(run_id)
    try:
        comparison = compare_runs(store.stream_run(previous.id), data) if previous else None
    except IncomparableRuns:
        comparison = previous = None  # an earlier scan of other schools: nothing to say "since"
    try:
        index = write_run_reports(data, out_root / f"run-{run_id}", comparison, previous, store=store)
    except OSError as exc:
        fail(f"the scan is saved in {store.path}, but its reports could not be written to {out_root}: "
              f"{exc.strerror or exc}; free some space, then run: noticecheck report --db {store.path} --run {run_id}")
    click.echo(f"Dashboard: {index}")
    click.echo(f"Spreadsheet: {index.parent / 'schools.csv'} (and schools.xlsx, trusts.csv)")

