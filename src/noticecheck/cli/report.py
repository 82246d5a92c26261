"""`noticecheck report`: re-write a stored scan's dashboard and exports, and print a summary or the changes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from noticecheck.cli.options import DEFAULT_DB, DEFAULT_OUT, DEMO_DB, fail


@click.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--run", "run_ref", default="latest", show_default=True, help="'latest' or a run number.")
@click.option("--since", "since_ref", help="Compare with 'previous' (the scan before) or a run number.")
@click.option("--output-format", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="What to print on stdout.")
@click.option("--out", "out_root", default=DEFAULT_OUT, show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Write the dashboard, schools.csv and results.jsonl to OUT/run-N/.")
def report(db_path, run_ref, since_ref, fmt, out_root):
    """Re-write a stored scan's dashboard and exports, and print a summary (or the changes --since)."""
    from noticecheck.controls import printable
    from noticecheck.scan.summary import IncomparableRuns, compare_runs, comparison_to_json, run_totals
    from noticecheck.scan.scheduler import write_run_reports
    from noticecheck.scan.store import Store, StoreError

    if not db_path.exists():
        demo_db = Path(DEMO_DB)
        if db_path == Path(DEFAULT_DB) and demo_db.exists():
            # straight after `make demo`, the only history there is is the demo's
            fail(f"{db_path} does not exist; for the demo's scans give --db {DEMO_DB}")
        fail(f"{db_path} does not exist; run `noticecheck scan` first (or give --db)")
    try:
        with Store(db_path) as store:
            store.check_integrity()
            run = store.resolve_run(run_ref)
            old_run = None
            if since_ref:
                if since_ref.strip().lower() == "previous":
                    old_run = store.previous_run(run.id)
                    if old_run is None:
                        fail(f"there is no finished scan before run {run.id} to compare with")
                else:
                    old_run = store.resolve_run(since_ref)
                if old_run.id == run.id:
                    fail("--since must name a different run from --run")
            data = store.stream_run(run.id)
            old_data = store.stream_run(old_run.id) if old_run else None
            try:
                comparison = compare_runs(old_data, data) if old_data else None
            except IncomparableRuns as exc:
                fail(f"cannot compare: {printable(str(exc))}")  # LA names and file names from the lists
            if comparison is not None and comparison.note:
                click.echo(f"noticecheck: {comparison.note}", err=True)
            index = write_run_reports(data, out_root / f"run-{run.id}", comparison, old_run, store=store)
            totals = run_totals(data)  # the run is read from the store as it is walked
    except StoreError as exc:
        fail(str(exc))
    if fmt == "json":
        payload = {
            "run": {"id": run.id, "started": run.started, "finished": run.finished, "la": run.la, "source": run.source},
            "schools": totals.schools,
            "by_status": totals.by_status,
            "notices": totals.notices,
            "notices_checked": totals.notices_checked,
            "schools_without_errors": totals.compliant_schools,
            "by_rule": [{"rule": g.rule, "title": g.title, "severity": g.severity, "schools": g.schools} for g in totals.by_rule],
            "changes": comparison_to_json(comparison) if comparison else None,
            "dashboard": str(index),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(printable(_text_report(data, totals, comparison, index)))


def _text_report(data, totals, comparison, index: Path) -> str:
    from noticecheck.scan.status import STATUS_LABELS

    run = data.run
    lines = [
        f"Scan {run.id} of {run.la or run.source} ({run.started}{'' if run.finished else ', not finished'})",
        f"  {totals.schools} schools, {totals.notices} notices found, {totals.notices_checked} checked, "
        f"{totals.compliant_schools} schools with no errors",
    ]
    lines += [f"  {count:5d}  {STATUS_LABELS[status]}" for status, count in totals.by_status.items() if count]
    if totals.by_rule:
        lines.append("Gaps, most serious first (schools affected):")
        lines += [f"  {g.schools:5d}  {g.severity:7s}  {g.title} [{g.rule}]" for g in totals.by_rule[:10]]
    if comparison is not None:
        t = comparison.totals()
        if comparison.note:
            lines.append(comparison.note)
        lines.append(
            f"Since scan {comparison.old_run}: {t['schools_changed']} schools changed, {t['fixed']} fixed, "
            f"{t['new']} new, {t['stayed']} still there, {t['status_changes']} result changes"
        )
        for change in comparison.changed:
            lines.append(f"  {change.name}")
            if change.status_changed:
                before = STATUS_LABELS.get(change.old_status, "not in that scan")
                after = STATUS_LABELS.get(change.new_status, "not in this scan")
                lines.append(f"    result: {before} -> {after}")
            for word, items in (("fixed", change.fixed), ("new", change.new), ("stayed", change.stayed)):
                for item in items:
                    lines.append(f"    {word:6s} {item.rule} [{item.severity}] ({item.audience} notice)")
    lines.append(f"Dashboard: {index}")
    return "\n".join(lines)
