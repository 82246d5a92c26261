"""`noticecheck eval`: measure precision/recall/F1 per section and per rule, and audience accuracy, on a labelled set.

Reads our corpus label format and the real-notice one (shared/realnotices); see evaluate.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from noticecheck.gate.exit_codes import ExitCode


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default="corpus")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Labels file (default CORPUS/labels.jsonl).")
@click.option("--output-format", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--details/--no-details", default=False, help="List every disagreement with the labels.")
@click.option("--min-section-f1", type=float, default=None, help="Exit 1 if section F1 (all sections, micro) is below this.")
@click.option("--min-precision", type=float, default=None, help="Exit 1 if finding precision (micro) is below this.")
@click.option("--min-recall", type=float, default=None, help="Exit 1 if finding recall (micro) is below this.")
@click.option("--min-audience", type=float, default=None, help="Exit 1 if audience accuracy is below this.")
@click.option("--naive", is_flag=True, help="Score the keyword baseline (word-spotting only) instead, for comparison.")
def eval_command(corpus, labels, fmt, details, min_section_f1, min_precision, min_recall, min_audience, naive):
    """Compare the checker with a labelled set and print accuracy figures.

    CORPUS holds labels.jsonl and the notices it names: our corpus format, or
    the real-notice format (id, sections, flags; notices/ID.txt).
    """
    from noticecheck.evaluate import LabelError, evaluate, evaluate_naive, format_table, read_labels

    labels_path = labels or corpus / "labels.jsonl"
    if not labels_path.exists():
        raise click.UsageError(f"no labels file at {labels_path}")
    try:
        items = read_labels(labels_path)
    except LabelError as exc:
        click.echo(f"noticecheck: {exc}", err=True)
        sys.exit(ExitCode.USAGE)
    if naive:
        ev = evaluate_naive(corpus, items)
    else:
        from datetime import date

        from noticecheck.rulebook import default_rulebook

        ev = evaluate(corpus, items, default_rulebook(), date.today())
    if fmt == "json":
        click.echo(json.dumps(ev.as_dict(), indent=2))
    else:
        click.echo(format_table(ev, details=details), nl=False)
    floors = (
        (min_section_f1, ev.sections_all.f1),
        (min_precision, ev.findings.precision),
        (min_recall, ev.findings.recall),
        (min_audience, ev.audience_accuracy),
    )
    failed = any(floor is not None and value < floor for floor, value in floors)
    sys.exit(ExitCode.FINDINGS if failed else ExitCode.OK)
