"""The JSON HTTP API (FastAPI), served next to the chat page; its OpenAPI page is at ``/docs``.

``POST /api/ask`` returns the ``hoidap ask --json`` object (plus ``searched_question``), so scripts
get exactly what the CLI and the page get. Bad input is a 400 with a message saying what to change;
an upload the service cannot take is a ``failed`` entry with its reason, not an error for the batch.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

from hoidap.app.config import SAMPLE_CORPUS
from hoidap.app.facts_table import to_csv, to_xlsx
from hoidap.app.indexing import FileResult
from hoidap.app.page_images import PageNotFound, page_png
from hoidap.app.uploads import stored_original
from hoidap.app.web.backend import QuestionError, WebBackend, check_question
from hoidap.app.web.metrics import CONTENT_TYPE
from hoidap.app.web.strings import failure_text

log = logging.getLogger("hoidap.web")


class AskRequest(BaseModel):
    question: str = Field(description="The question, in Vietnamese or English.", examples=["Bắc Ninh's 2023 FDI target"])
    history: list[str | dict[str, Any]] = Field(
        default_factory=list,
        description='Earlier user questions of the conversation (strings or {"role", "content"} messages), '
        "oldest first; used to rewrite a follow-up such as 'Còn Cao Bằng?' into a stand-alone question.",
    )
    province: str | None = Field(default=None, description="Restrict to this province or city (a filter).")
    year: int | None = Field(default=None, description="Restrict to this year (a filter).")


class IngestFileResult(BaseModel):
    """One uploaded file's outcome."""

    source: str = Field(description="the name the document is stored under (cleaned; 'name (2).ext' beside a different stored file)")
    status: Literal["ingested", "unchanged", "replaced", "failed"]
    chunks: int = Field(description="passages stored")
    seconds: float = Field(description="this file's own time")
    reason: str = Field("", description="why it failed (English)")
    reason_vi: str | None = Field(None, description="why it failed (Vietnamese)")
    note: str = Field("", description="e.g. converted from a legacy encoding, or kept under a new name")


class IngestResponse(BaseModel):
    results: list[IngestFileResult]


# A malformed request's problems, said in both languages (``validation_problem``).
_PROBLEMS = {
    "missing": ("thiếu trường bắt buộc", "a required field is missing"),
    "string_type": ("phải là một chuỗi chữ", "must be a string"),
    "int_type": ("phải là một số nguyên", "must be an integer"),
    "int_parsing": ("phải là một số nguyên", "must be an integer"),
    "bool_parsing": ("phải là true hoặc false", "must be true or false"),
    "list_type": ("phải là một danh sách", "must be a list"),
    "dict_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "model_attributes_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "json_invalid": ("không phải JSON hợp lệ", "is not valid JSON"),
    "greater_than_equal": ("nhỏ hơn mức tối thiểu", "is below the minimum"),
    "less_than_equal": ("lớn hơn mức tối đa", "is above the maximum"),
}


def validation_problem(error: dict) -> dict:
    """One validation error as ``{"field", "vi", "en"}``: the field named by its path in the request,
    the problem in words (the framework's own message text is English only)."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    field_name = ".".join(location) or "body"
    kind = str(error.get("type", ""))
    vi, en = _PROBLEMS.get(kind) or _PROBLEMS.get(kind.split("_")[0] + "_type") or ("không hợp lệ", "is invalid")
    return {"field": field_name, "type": kind, "vi": f"{field_name}: {vi}", "en": f"{field_name}: {en}"}


_basic = HTTPBasic(auto_error=False)


def _auth_dependency(users: list[tuple[str, str]]):
    """HTTP Basic auth for the API when HOIDAP_AUTH is set (the page has its own login form)."""

    def check(credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)]) -> None:
        if not users:
            return
        if credentials is not None:
            for user, password in users:
                user_ok = secrets.compare_digest(credentials.username.encode(), user.encode())
                password_ok = secrets.compare_digest(credentials.password.encode(), password.encode())
                if user_ok and password_ok:
                    return
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Login required (HTTP Basic).", headers={"WWW-Authenticate": "Basic"}
        )

    return check


def _fact_filters(
    place: str | None = None, indicator: str | None = None, year: int | None = None, period: str | None = None,
    role: str | None = None, source: str | None = None,
) -> dict:
    """The figures browser's filters, the same for the JSON and the CSV endpoint (``filter_rows``)."""
    return {"place": place, "indicator": indicator, "year": year, "period": period, "role": role, "source": source}


def _public(result: FileResult) -> dict:
    entry = result.as_dict()
    entry.pop("path", None)  # a server path is of no use to clients
    if entry.get("reason"):
        entry["reason_vi"] = failure_text(entry["reason"], "vi")
    return entry


def build_router(backend: WebBackend, users: list[tuple[str, str]] | None = None) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["hoidap"], dependencies=[Depends(_auth_dependency(users or []))])

    @router.post("/ask", summary="Answer a question, with the cited passage")
    def ask(request: AskRequest) -> dict:
        try:
            return backend.ask(request.question, request.history, request.province, request.year)
        except QuestionError as exc:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc

    @router.post("/ask/stream", summary="Answer a question as a stream of NDJSON events")
    def ask_stream(request: AskRequest) -> StreamingResponse:
        """Lines of JSON: ``{"event": "delta", "text": ...}`` pieces of the answer, then
        ``{"event": "result", "result": {...}}`` (the ``/api/ask`` object). An LLM answer is streamed
        only after the figure guard accepted it: text shown before the check could hold a wrong figure."""
        try:
            check_question(request.question)
        except QuestionError as exc:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc

        def events():
            try:
                result = backend.ask(request.question, request.history, request.province, request.year)
            except Exception:
                log.exception("answering %r failed", request.question)
                yield json.dumps({"event": "error", "detail": "Internal error; the server log has the details."}) + "\n"
                return
            for piece in re.findall(r"\S+\s*", result.get("answer") or ""):
                yield json.dumps({"event": "delta", "text": piece}, ensure_ascii=False) + "\n"
            yield json.dumps({"event": "result", "result": result}, ensure_ascii=False) + "\n"

        return StreamingResponse(events(), media_type="application/x-ndjson")

    @router.post(
        "/ingest",
        summary="Upload and ingest one or more documents",
        responses={
            200: {"model": IngestResponse, "description": "every file went in (ingested, unchanged or replaced)"},
            207: {"model": IngestResponse, "description": "some files failed: each result says which and why"},
            422: {"model": IngestResponse, "description": "no file went in (each result says why), or a malformed request"},
        },
    )
    def ingest(
        files: Annotated[list[UploadFile], File(description=".txt .md .html .htm .pdf .docx")],
        replace: Annotated[bool, Query(description="a file under a stored name replaces that document "
                                                   "(otherwise it is kept beside it under a new name)")] = False,
        wait: Annotated[bool, Query(description="wait for the results (default); false: answer 202 at once with "
                                                "the queued jobs, whose progress GET /api/ingest/status shows")] = True,
    ) -> JSONResponse:
        """Each file is saved and queued; the ingest queue takes them in the background (questions keep
        their pace meanwhile). One failure does not stop the others."""
        entries = []
        for upload in files:
            name = upload.filename or ""
            try:
                entries.append(backend.submit_stream(upload.file, name, replace=replace))
            except Exception:
                log.exception("ingesting %s failed", name)
                entries.append(FileResult("", name, "failed", reason="internal error while ingesting"))
        if not wait:
            queued = [e.as_dict() if not isinstance(e, FileResult) else {"source": e.source, "stage": "done", "result": _public(e)}
                      for e in entries]
            return JSONResponse({"jobs": queued}, status_code=202)
        results = [_public(e if isinstance(e, FileResult) else e.wait()) for e in entries]
        failed = sum(r["status"] == "failed" for r in results)
        code = 200 if not failed else (422 if failed == len(results) else 207)
        return JSONResponse({"results": results}, status_code=code)

    @router.get("/ingest/status", summary="The ingest queue: each file's stage and result")
    def ingest_status() -> dict:
        """Files queued, running (stage "reading", "parsed", "embedding" or "writing", with their chunk
        count) and recently finished (with their result), oldest first; counts of results so far."""
        return backend.queue.status()

    @router.get("/docs", summary="List the ingested documents")
    def docs() -> dict:
        return {"documents": backend.documents()}

    @router.get(
        "/docs/{source}/file",
        summary="Download a stored document's original file",
        responses={200: {"description": "the file as it was ingested"}, 404: {"description": "no original kept for that name"}},
    )
    def original(source: str) -> FileResponse:
        """The original of an uploaded or bundled document, under its stored name. Documents ingested
        from elsewhere on the server (``hoidap ingest PATH``) are not served: their folders are not
        the service's to publish."""
        path = stored_original(source, [backend.uploads.folder, SAMPLE_CORPUS])
        if path is None or not any(doc["source"] == source for doc in backend.documents()):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có bản gốc của tài liệu {source!r}. (No original file kept for {source!r}.)")
        return FileResponse(path, filename=source, content_disposition_type="attachment")

    @router.delete("/docs/{source}", summary="Remove one document by its file name")
    def delete(source: str) -> dict:
        try:
            removed = backend.delete(source)
        except PermissionError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
        if not removed:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"No document named {source!r}.")
        return {"source": source, "removed_chunks": removed}

    @router.get("/docs/{source}/pages/{page}.png", summary="A page of a stored PDF as an image, the cited figure boxed",
                response_class=Response)
    def page_image(
        source: str, page: Annotated[int, Path(ge=1, le=10_000)], mark: Annotated[list[str] | None, Query()] = None,
        region: bool = False,
    ) -> Response:
        """The page a citation names (its ``page``), with each ``mark`` ("3.054 triệu USD") boxed where
        it is printed, or for a scan where OCR read it: check an OCR figure against the original.
        ``region=true``: only the band of the page around the boxed figures."""
        try:
            png = page_png(backend.service.store, source, page, [m for m in (mark or []) if m][:5], region)
        except PageNotFound as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
        return Response(png, media_type="image/png")

    @router.get("/facts", summary="The stated figures, filtered and paginated")
    def facts(
        filters: Annotated[dict, Depends(_fact_filters)],
        offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict:
        """Every figure the documents state (indicator, value as printed, unit, role, period, years,
        place, source and the sentence that states it), with the same filters as ``hoidap facts``."""
        rows = backend.facts(**filters)
        return {"total": len(rows), "offset": offset, "limit": limit, "rows": [r.as_dict() for r in rows[offset : offset + limit]]}

    @router.get("/facts.csv", summary="The stated figures as CSV", response_class=PlainTextResponse)
    def facts_csv(filters: Annotated[dict, Depends(_fact_filters)]) -> PlainTextResponse:
        rows = backend.facts(**filters)
        return PlainTextResponse("\ufeff" + to_csv(rows), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="hoidap-facts.csv"'})

    @router.get("/facts.xlsx", summary="The stated figures as an XLSX workbook", response_class=Response)
    def facts_xlsx(filters: Annotated[dict, Depends(_fact_filters)]) -> Response:
        return Response(to_xlsx(backend.facts(**filters)), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="hoidap-facts.xlsx"'})

    @router.get("/health", summary="Liveness, the store's size and its embedder")
    def health() -> dict:
        return {"status": "ok", **backend.health()}

    @router.get("/metrics", summary="The Prometheus metrics (the same as GET /metrics)", response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        return PlainTextResponse(backend.metrics.text(), media_type=CONTENT_TYPE)

    return router
