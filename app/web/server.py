"""One server for people and programs: the chat page (Gradio) mounted on a FastAPI app with the API.

``serve`` builds the service from settings, ingests the bundled sample corpus when the store is
empty (so a newcomer's first ``hoidap serve`` is a working chatbot), then runs uvicorn, bound to
127.0.0.1 unless told otherwise. With HOIDAP_AUTH ("user:pass,user2:pass2") the page asks for a
login and the API for HTTP Basic credentials.
"""

from __future__ import annotations

import logging
import sys

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hoidap.app.config import SAMPLE_CORPUS, Settings
from hoidap.app.service import Service
from hoidap.app.web.api import build_router
from hoidap.app.web.backend import WebBackend
from hoidap.app.web.page import build_page
from hoidap.app.web.render import CSS

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


def create_app(service: Service, auth: list[tuple[str, str]] | None = None) -> FastAPI:
    backend = WebBackend(service)
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

    app.include_router(build_router(backend, auth))
    page = build_page(backend)
    return gr.mount_gradio_app(
        app,
        page,
        path="/",
        auth=auth or None,
        auth_message="hoidap — đăng nhập / sign in",
        show_error=False,
        max_file_size=int(service.settings.max_file_mb * 1_000_000),
        footer_links=["api"],
        theme=_theme(),
        css=CSS,
    )


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> int:
    import uvicorn

    from hoidap.app.service import build_service
    from hoidap.vectorstore.chroma_store import EmbedderMismatchError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        auth = parse_auth(settings.auth)
        service = build_service(settings)
    except (ValueError, EmbedderMismatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ensure_corpus(service)
    app = create_app(service, auth)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    print(f"hoidap: chat page http://{shown}:{port}/  ·  API docs http://{shown}:{port}/docs", file=sys.stderr)
    # Open browser tabs keep event streams alive; without a limit, Ctrl+C would wait for them forever.
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5)
    return 0
