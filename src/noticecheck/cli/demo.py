"""`noticecheck demo`: scan a pretend local authority whose school websites run on loopback."""

from __future__ import annotations

from pathlib import Path

import click

from noticecheck.cli.options import DEMO_DB
from noticecheck.cli.progress import Progress


@click.command()
@click.option("--out", "out_dir", default=str(Path(DEMO_DB).parent), show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--schools", "count", default=30, show_default=True, type=click.IntRange(1, 500), help="How many demo schools.")
@click.option("--corpus", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Publish the notices in this directory (default: the project's corpus/notices, else built-in ones).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def demo(out_dir, count, corpus, quiet):
    """Scan a pretend local authority whose school websites run on this computer, and write its dashboard.

    Nothing leaves the machine: the sites listen on 127.0.0.x addresses and
    fetching is allowed only there, 0.05 s apart per site.
    """
    from noticecheck.demo.runner import run_demo

    with Progress(quiet) as progress:
        result = run_demo(out_dir, count, corpus, progress=progress.callbacks)
    for line in result.summaries:
        click.echo(line)
    click.echo(f"School list: {result.school_list}")
    click.echo(f"History database: {result.db}")
    click.echo(f"Dashboard: {result.index}  (open it in a web browser)")
    click.echo(f"What changed between the two scans: noticecheck report --db {result.db} --since previous")
