"""The Flask app behind `noticecheck serve`: the page, its form, and the JSON API on one code path.

Routes:
    GET  /            the form (file, pasted text or address; optional context)
    POST /check       the form's target: the result page (or the notices found on a home page)
    POST /api/check   the same check for tools: the JSON report of `check --format json`
                      (`format=docx` for the Word copy, `format=html` for the printable report)
    GET  /api/rules   the rule list of `rules --format json`

`_run_check` is the one path both the page and the API take. Nothing is
written to disk or to a log: uploads stay in memory (guard.InMemoryRequest),
the app logs no request bodies, and downloads are embedded in the result page
as data: links instead of being kept on the server for a second request.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from noticecheck.load.errors import human_size
from noticecheck.model import AUDIENCES, SCHOOL_TYPES, UnreadableInput
from noticecheck.precompiled import regex
from noticecheck.web.guard import HEADERS, InMemoryRequest, RateLimiter, csrf_ok, csrf_token
from noticecheck.web.service import PASTED, BadRequest, Checked, Checker, Found, FormOptions

DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_RATE = 30  # checks per client per minute
TEXT_LIMIT_NOTE = "Paste the notice's text, or choose its file, or give its web address."
_SAFE_NAME = regex(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class ServeSettings:
    max_upload: int = DEFAULT_UPLOAD_BYTES
    rate_per_minute: int = DEFAULT_RATE
    fetch_policy: object = None  # fetch.http.FetchPolicy for addresses given to the page; None = the guarded default
    trusted_proxies: int = 0  # how many reverse proxies' X-Forwarded-For to believe
    secret_key: bytes | None = None  # signs the CSRF cookie; random per process unless given


def create_app(settings: ServeSettings | None = None, gate=None) -> Flask:
    """The app; `gate` is a gate.run.Gate (built from the discovered config when not given)."""
    settings = settings or ServeSettings()
    if gate is None:
        from datetime import date

        from noticecheck.gate.run import build_gate

        gate = build_gate([], max_bytes=settings.max_upload, today=date.today())
    checker = Checker(gate, max_bytes=settings.max_upload, policy=settings.fetch_policy)
    limiter = RateLimiter(settings.rate_per_minute)

    app = Flask(__name__)
    app.request_class = InMemoryRequest
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_bytes(32),
        # Room for the multipart envelope around a file of the cap's size.
        MAX_CONTENT_LENGTH=settings.max_upload + 64 * 1024,
        MAX_FORM_MEMORY_SIZE=settings.max_upload,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="noticecheck_form",
        TEMPLATES_AUTO_RELOAD=False,
    )
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies,
                                x_host=settings.trusted_proxies, x_prefix=settings.trusted_proxies)  # fmt: skip
    app.extensions["noticecheck"] = checker

    def page(template: str, status: int = 200, **values) -> Response:
        html = render_template(template, csrf_token=csrf_token(), audiences=AUDIENCES,
                               school_types=SCHOOL_TYPES, max_upload=human_size(settings.max_upload), **values)  # fmt: skip
        return Response(html, status=status, mimetype="text/html")

    def api_error(status: int, code: str, message: str) -> Response:
        response = jsonify({"error": {"code": code, "message": message}})
        response.status_code = status
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        message = f"The file is too large: this page takes notices up to {human_size(settings.max_upload)}."
        if wants_json():
            return api_error(413, "too-large", message)
        return page("error.html", 413, title="File too large", message=message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            return api_error(exc.code or 500, (exc.name or "error").lower().replace(" ", "-"), exc.description or "")
        return page("error.html", exc.code or 500, title=exc.name, message=exc.description)

    def rate_limited() -> Response | None:
        allowed, wait = limiter.allow(request.remote_addr or "unknown")
        if allowed:
            return None
        message = f"Too many checks from your address: please wait {wait} seconds and try again."
        response = api_error(429, "rate-limited", message) if wants_json() else page("error.html", 429, title="Please wait", message=message)
        response.headers["Retry-After"] = str(wait)
        return response

    @app.get("/")
    def index():
        return page("index.html", options=FormOptions().as_form())

    @app.post("/check")
    def check_page():
        if not csrf_ok(request.form.get("csrf_token")):
            return page("error.html", 400, title="Please try again",
                        message="The form had expired or did not come from this page. Go back, reload the page and check again.")  # fmt: skip
        if (limited := rate_limited()) is not None:
            return limited
        try:
            options = FormOptions.parse(request.form)
            outcome = _run_check(checker, options, allow_discovery=request.form.get("as_notice") != "1")
        except BadRequest as exc:
            return page("index.html", 400, problem=str(exc), options=request.form.to_dict())
        except UnreadableInput as exc:
            return page("index.html", 422, problem=f"Could not read that: {exc}", options=request.form.to_dict())
        if isinstance(outcome, Found):
            return page("found.html", found=outcome, options=options.as_form())
        return page("result.html", **_result_view(checker, outcome, options))

    @app.post("/api/check")
    def check_api():
        if (limited := rate_limited()) is not None:
            return limited
        try:
            options = FormOptions.parse(request.form)
            checked = _run_check(checker, options, allow_discovery=False)
        except BadRequest as exc:
            return api_error(400, "bad-request", str(exc))
        except UnreadableInput as exc:
            return api_error(422, exc.code, str(exc))
        fmt = request.form.get("format") or request.args.get("format") or "json"
        if fmt == "json":
            from noticecheck.gate.report.formats import render_json

            return Response(render_json(checker.report(checked)), mimetype="application/json")
        if fmt == "docx":
            data = _word_bytes(checked)
            if data is None:
                return api_error(422, checked.result.error_code or "unreadable", checked.result.error or "unreadable")
            return _download(data, _download_name(checked.name, ".docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if fmt == "html":
            from noticecheck.gate.report.formats import render

            return _download(render("html", checker.report(checked)).encode(), _download_name(checked.name, ".html"), "text/html")
        return api_error(400, "bad-request", "format must be json, docx or html")

    @app.get("/api/rules")
    def rules_api():
        return jsonify(checker.rules())

    @app.get("/privacy")
    def privacy():
        return page("privacy.html")

    return app


def _run_check(checker: Checker, options: FormOptions, *, allow_discovery: bool) -> Checked | Found:
    """The one path from a request to a checked notice: the page and the API both come here."""
    upload = request.files.get("file")
    url = (request.form.get("url") or "").strip()
    text = request.form.get("text") or ""
    if upload is not None and upload.filename:
        doc = checker.document_from_upload(upload.filename, upload.read())
    elif url:
        if allow_discovery and checker.is_home_page(url):
            return checker.discover(url)
        doc = checker.document_from_url(url)
    elif text.strip():
        doc = checker.document_from_text(text)
    else:
        raise BadRequest(TEXT_LIMIT_NOTE)
    return checker.check(doc, options)


def _word_bytes(checked: Checked, shown=None) -> bytes | None:
    """The Word copy with comments: into the uploaded file itself when it was a Word file."""
    from noticecheck.web.annotate import annotate
    from noticecheck.web.wordfile import WORD_TYPE, word_copy

    if checked.text is None:
        return None
    if shown is None:
        shown = annotate(checked.text, checked.result).findings
    original = checked.document.data if checked.text.media_type == WORD_TYPE else None
    return word_copy(checked.text, shown, original)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _download_name(source: str, suffix: str) -> str:
    stem = source.rsplit(".", 1)[0] if "." in source else source
    stem = _SAFE_NAME.sub("_", stem).strip(" ._") or "notice"
    return f"{stem[:60]}-checked{suffix}"


def _data_url(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def _result_view(checker: Checker, checked: Checked, options: FormOptions) -> dict:
    from noticecheck.gate.report.formats import render, render_json
    from noticecheck.web.annotate import annotate, carried, read_previous
    from noticecheck.web.wordfile import WORD_TYPE

    view = {"checked": checked, "options": options.as_form(), "name": checked.name}
    if checked.text is None:
        return view
    previous = read_previous(request.form.get("previous"), checked.name)
    annotated = annotate(checked.text, checked.result, previous)
    ctx = checked.result.context
    # The re-check form starts from what this check used, detected values included, so they can be corrected.
    ages = (ctx.age_low, ctx.age_high) if ctx.age_low is not None and ctx.age_high is not None else None
    view["options"] = FormOptions(ctx.audience, ctx.school_type, ages, options.as_of).as_form()
    report = checker.report(checked)
    view.update(
        annotated=annotated,
        context=checked.result.context,
        carried=carried(checked.name, [item.finding for item in annotated.findings]),
        pasted=checked.document.data.decode("utf-8") if checked.name == PASTED else None,
        downloads=[
            ("Word document with comments", _download_name(checked.name, ".docx"),
             _data_url(_word_bytes(checked, annotated.findings), WORD_TYPE)),
            ("Printable report", _download_name(checked.name, ".html"), _data_url(render("html", report).encode(), "text/html")),
            ("JSON report (for tools)", _download_name(checked.name, ".json"), _data_url(render_json(report).encode(), "application/json")),
        ],  # fmt: skip
    )
    return view
