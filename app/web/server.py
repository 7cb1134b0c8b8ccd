"""One server for people and programs: the chat page (Gradio) mounted on a FastAPI app with the API.

``serve`` builds the service from settings, ingests the bundled sample corpus when the store is
empty (so a newcomer's first ``hoidap serve`` is a working chatbot), then runs uvicorn, bound to
127.0.0.1 unless told otherwise. With HOIDAP_AUTH ("user:pass,user2:pass2") the page asks for a
login and the API for HTTP Basic credentials.

``--workers N`` runs N uvicorn worker processes, each with its own service and in-process index
(``worker_app``). Over an embedded Chroma store they serve it read-only: Chroma's embedded mode
keeps part of the store in each process's memory and does not see another process's writes, so
uploads and deletions are refused with a message naming the fix (one worker, or a Chroma server,
with which every worker writes). While ``serve`` runs, ``hoidap ingest``/``remove`` on its
embedded store are refused too (``app.service.serving``).

Prometheus metrics are at ``/metrics`` (``app.web.metrics``), also under the API's login.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import gradio as gr
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from hoidap.app.config import SAMPLE_CORPUS, Settings, load_settings
from hoidap.app.service import Service, serving
from hoidap.app.web.api import _auth_dependency, build_router, validation_problem
from hoidap.app.web.backend import WebBackend
from hoidap.app.web.page import build_page
from hoidap.app.web.render import CSS, HEAD

log = logging.getLogger("hoidap.web")

# The sample folder's own description is not a document to answer from.
_SAMPLE_SKIP = {"SOURCE.md", "README.md"}


def parse_auth(spec: str) -> list[tuple[str, str]]:
    """``"user:pass,user2:pass2"`` into pairs; an entry without a colon or a user is refused."""
    users = []
    for entry in (spec or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user or not password:
            raise ValueError("HOIDAP_AUTH must look like 'user:password,user2:password2'")
        users.append((user, password))
    return users


def ensure_corpus(service: Service, quiet: bool = False) -> None:
    """Ingest the bundled samples into an empty store, with progress in the terminal."""
    if service.store.count() > 0 or not SAMPLE_CORPUS.is_dir():
        return
    from hoidap.app.ingest_progress import ingest_paths

    files = sorted(p for p in SAMPLE_CORPUS.iterdir() if p.is_file() and p.name not in _SAMPLE_SKIP)
    print(f"hoidap: the store is empty; ingesting the sample corpus ({len(files)} files)…", file=sys.stderr)
    ingest_paths(service, files, quiet=quiet)


def _theme() -> gr.themes.Base:
    # System fonts: the default theme fetches Google Fonts, which an offline server cannot reach.
    return gr.themes.Soft(
        primary_hue="blue", font=["system-ui", "Segoe UI", "Roboto", "sans-serif"], font_mono=["ui-monospace", "monospace"]
    )


class RequestMetricsMiddleware:
    """Counts every HTTP request by route template (``/api/docs/{source}``, not each name) and
    status, with its latency; the page's own paths count under their first segment."""

    def __init__(self, app, metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_status(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", "")
            if not route.startswith(("/api", "/metrics")):
                first = scope["path"].strip("/").split("/", 1)[0]
                route = f"page:/{first}" if first in _PAGE_SEGMENTS or not first else "other"
            self.metrics.request(route, scope["method"], status[0], time.perf_counter() - started)


_PAGE_SEGMENTS = {"gradio_api", "assets", "static", "config", "theme.css", "file", "upload", "queue", "login",
                  "favicon.ico", "manifest.json", "docs", "openapi.json", "custom_component"}


def create_app(service: Service, auth: list[tuple[str, str]] | None = None, read_only_reason: str = "") -> FastAPI:
    backend = WebBackend(service)
    backend.read_only_reason = read_only_reason
    app = FastAPI(
        title="hoidap API",
        description="Questions answered from Vietnamese government documents, with the cited passage. "
        "The chat page is at /.",
        version="0.1.0",
    )

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return JSONResponse({"detail": "Internal error; the server log has the details."}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A malformed request gets the service's own error shape, in both languages, not the framework's."""
        problems = [validation_problem(error) for error in exc.errors()]
        detail = "Yêu cầu không hợp lệ: " + "; ".join(p["vi"] for p in problems) + ". (Invalid request: " + "; ".join(
            p["en"] for p in problems
        ) + ".)"
        return JSONResponse({"detail": detail, "errors": problems}, status_code=422)

    app.include_router(build_router(backend, auth))

    @app.get("/metrics", include_in_schema=False, dependencies=[Depends(_auth_dependency(auth or []))])
    def metrics() -> Response:
        return Response(backend.metrics.text(), media_type="text/plain; version=0.0.4; charset=utf-8")

    app.add_middleware(RequestMetricsMiddleware, metrics=backend.metrics)
    app.state.backend = backend
    page = build_page(backend)
    return gr.mount_gradio_app(
        app,
        page,
        path="/",
        auth=auth or None,
        auth_message="hoidap — đăng nhập / sign in",
        show_error=False,
        max_file_size=service.settings.max_file_bytes,
        footer_links=[],  # the API is linked from the header, in the page's language
        theme=_theme(),
        css=CSS,
        head=HEAD,
    )


def _read_only_reason(settings: Settings) -> str:
    if settings.workers <= 1 or settings.chroma_host:
        return ""
    return (
        f"This server runs {settings.workers} worker processes over an embedded store, which they share "
        "read-only. To add or remove documents: run `hoidap serve` with one worker (uploads then go through "
        "its ingest queue), stop it and use `hoidap ingest`, or use a Chroma server (HOIDAP_CHROMA_HOST), "
        "through which every worker writes."
    )


def worker_app() -> FastAPI:
    """One worker of ``serve --workers N`` (uvicorn's app factory): settings from the environment
    ``serve`` exported, a service of its own."""
    from hoidap.app.service import build_service

    settings = load_settings()
    return create_app(build_service(settings), parse_auth(settings.auth), _read_only_reason(settings))


def _prepare_store(settings: Settings) -> Settings:
    """Open the store (ingesting the samples into an empty one); the settings it is served with.
    Run in a short-lived process before ``--workers`` start, so the parent holds no model or index."""
    from hoidap.app.service import build_service

    service = build_service(settings)
    ensure_corpus(service)
    return service.settings


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> int:
    import uvicorn

    from hoidap.app.service import build_service, refuse_while_serving
    from hoidap.vectorstore.chroma_store import EmbedderMismatchError

    if reason := refuse_while_serving(settings):
        print(f"error: {reason}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    # Open browser tabs keep event streams alive; without a limit, Ctrl+C would wait for them forever.
    options = {"host": host, "port": port, "log_level": "info", "timeout_graceful_shutdown": 5}
    try:
        auth = parse_auth(settings.auth)
        if settings.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as once:
                settings = once.submit(_prepare_store, settings).result()  # the store's embedder, if not the default
        else:
            service = build_service(settings)
    except (ValueError, EmbedderMismatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with serving(settings):
        if settings.workers > 1:
            os.environ.update(settings.as_environment())
            print(f"hoidap: {settings.workers} workers; chat page http://{shown}:{port}/  ·  API docs "
                  f"http://{shown}:{port}/docs", file=sys.stderr)
            uvicorn.run("app.web.server:worker_app", factory=True, workers=settings.workers, **options)
            return 0
        ensure_corpus(service)
        app = create_app(service, auth)
        print(f"hoidap: chat page http://{shown}:{port}/  ·  API docs http://{shown}:{port}/docs", file=sys.stderr)
        uvicorn.run(app, **options)
    return 0
