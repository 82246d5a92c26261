"""`noticecheck serve`: the self-check web page on a production WSGI server (waitress).

Binds to loopback by default. Config and rules are read once here (the same
discovery and options as `check`), then every request checks on that gate.
web.server configures waitress so request and response bodies stay in
memory (its defaults spill larger ones to temporary files).
"""

from __future__ import annotations

import click

from noticecheck.cli.options import open_gate, rule_options


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface; put a reverse proxy in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@rule_options
@click.option("--max-upload-mb", type=click.FloatRange(min=0.01), default=10.0, show_default=True, help="Largest notice accepted, in MiB (larger gets 413).")
@click.option("--rate-limit", type=click.IntRange(min=0), default=30, show_default=True, help="Checks per client address per minute (0 = no limit).")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True, help="Worker threads.")
@click.option("--trusted-proxies", type=click.IntRange(min=0), default=0, show_default=True,
              help="How many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0 = trust none).")
@click.option("--allow-private", is_flag=True, help="Let addresses given to the page point at private or loopback hosts (refused by default).")
@click.option("--allow-network", "allow_networks", multiple=True, metavar="CIDR",
              help="Allow addresses in this network even without --allow-private (repeatable), e.g. an intranet.")
def serve(host, port, max_upload_mb, rate_limit, threads, trusted_proxies, allow_private, allow_networks, **rule_opts):
    """Serve the self-check page: a school uploads, pastes or links its notice and sees it annotated.

    The form is at http://HOST:PORT/; the JSON API is POST /api/check and
    GET /api/rules. Notices are checked in memory, never stored or logged.
    """
    from noticecheck.web.app import ServeSettings, create_app
    from noticecheck.web.server import address_of, make_server
    from noticecheck.web.service import page_policy

    max_upload = int(max_upload_mb * 1024 * 1024)
    gate = open_gate([], max_bytes=max_upload, **rule_opts)
    settings = ServeSettings(
        max_upload=max_upload,
        rate_per_minute=rate_limit,
        fetch_policy=page_policy(allow_private=allow_private, allowed_networks=tuple(allow_networks)),
        trusted_proxies=trusted_proxies,
    )
    server = make_server(create_app(settings, gate), host=host, port=port, max_upload=max_upload, threads=threads)
    click.echo(f"noticecheck: the self-check page is at {address_of(server)} (Ctrl+C to stop)", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
