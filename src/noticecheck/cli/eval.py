"""`noticecheck eval`: measure precision/recall/F1 per section and per rule on a labelled corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from noticecheck.cli.exit_codes import ExitCode


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default="corpus")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Labels file (default CORPUS/labels.jsonl).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--details/--no-details", default=False, help="List every disagreement with the labels.")
@click.option("--min-section-f1", type=float, default=None, help="Exit 1 if section F1 (all sections, micro) is below this.")
@click.option("--min-precision", type=float, default=None, help="Exit 1 if finding precision (micro) is below this.")
@click.option("--naive", is_flag=True, help="Score a naive keyword checker on the seven core sections instead, for comparison.")
def eval_command(corpus, labels, fmt, details, min_section_f1, min_precision, naive):
    """Compare the checker with the corpus labels and print accuracy figures."""
    from noticecheck.evaluate import LabelError, evaluate, evaluate_naive, format_table, read_labels

    labels_path = labels or corpus / "labels.jsonl"
    if not labels_path.exists():
        raise click.UsageError(f"no labels file at {labels_path}")
    try:
        items = read_labels(labels_path)
    except LabelError as exc:
        click.echo(f"noticecheck: {exc}", err=True)
        sys.exit(ExitCode.USAGE)
    ev = evaluate_naive(corpus, items) if naive else evaluate(corpus, items)
    if fmt == "json":
        click.echo(json.dumps(ev.as_dict(), indent=2))
    else:
        click.echo(format_table(ev, details=details), nl=False)
    failed = (min_section_f1 is not None and ev.sections_all.f1 < min_section_f1) or (
        min_precision is not None and ev.findings.precision < min_precision
    )
    sys.exit(ExitCode.FINDINGS if failed else ExitCode.OK)
