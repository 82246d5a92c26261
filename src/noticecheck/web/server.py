"""The page on waitress, a production WSGI server, configured so no request or response body touches the disk.

Waitress buffers a request body above `inbuf_overflow` (512 KB by default)
and a response above `outbuf_overflow` (1 MB) in temporary files; both are
raised here above anything the upload cap lets through. The server itself
refuses bodies a little above the cap (`max_request_body_size`); between the
cap and that, Flask answers with its clear 413 page or JSON error.
"""

from __future__ import annotations


def make_server(app, *, host: str = "127.0.0.1", port: int = 8000, max_upload: int, threads: int = 4):
    """A waitress server for `app` (call `.run()`; `.close()` to stop). Port 0 picks a free port."""
    from waitress.server import create_server

    slack = 1024 * 1024
    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="noticecheck",
        max_request_body_size=max_upload + slack,
        inbuf_overflow=max_upload + slack,
        # A result page carries its downloads (Word, report, JSON) as data: links.
        outbuf_overflow=8 * max_upload + slack,
        clear_untrusted_proxy_headers=False,  # the app's ProxyFix decides which proxies to trust
    )


def address_of(server) -> str:
    """http://host:port/ of a running server (the real port when 0 was asked for)."""
    host, port = server.effective_host, server.effective_port
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"
