"""The chat page (Gradio Blocks): ask with follow-ups and filters, check sources, manage documents.

Layout: the chat on the left; on the right the sources of the latest answer (document, section,
passage with the answering sentence marked, expandable to the surrounding text) under the question
actually searched and the scope understood. A second tab uploads, lists and deletes documents.

Handlers never raise to the browser: failures are logged and shown as a plain message (no stack
traces). Event ``api_name``s are stable for ``gradio_client``: ``ask`` (question in, the JSON
answer object out), ``chat`` (the page's streaming chat), ``ingest``, ``docs``, ``delete``.
"""

from __future__ import annotations

import html
import logging
import time
from pathlib import Path

import gradio as gr

from hoidap.app.web.backend import MAX_QUESTION_CHARS, QuestionError, WebBackend, check_question
from hoidap.app.web.render import answer_html, message_html, placeholder_html, sources_html
from hoidap.app.web.strings import EXAMPLES, t

log = logging.getLogger("hoidap.web")

STREAM_STEPS = 8
STREAM_DELAY_S = 0.03
LANGUAGES = [("Tiếng Việt", "vi"), ("English", "en")]


def _examples(lang: str) -> list[dict]:
    return [{"text": q} for q in EXAMPLES.get(lang, EXAMPLES["vi"])]


def _header(lang: str) -> str:
    return f"## {t(lang, 'title')}\n{t(lang, 'subtitle')}"


def _user_message(text: str) -> dict:
    shown = text if len(text) <= 300 else text[:300] + f"… ({len(text):,})"
    return {"role": "user", "content": html.escape(shown)}


def _assistant(content: str) -> dict:
    return {"role": "assistant", "content": content}


def _docs_table(backend: WebBackend, lang: str) -> dict:
    headers = [t(lang, k) for k in ("col_file", "col_chunks", "col_province", "col_locality", "col_years", "col_type", "col_date", "col_title", "col_ingested")]
    rows = []
    for doc in backend.documents():
        meta = doc["metadata"]
        title = meta.get("title") or ""
        rows.append([
            doc["source"], doc["chunks"], meta.get("province") or "", meta.get("locality") or "",
            meta.get("doc_years") or "", meta.get("doc_type") or "", meta.get("date") or "",
            title if len(title) <= 90 else title[:90] + "…", meta.get("ingested_at") or "",
        ])
    return {"headers": headers, "data": rows}


def _results_table(results: list, lang: str) -> dict:
    headers = [t(lang, k) for k in ("col_file", "col_status", "col_chunks", "col_reason")]
    rows = [[r.source, t(lang, r.status), r.chunks, r.reason or r.note] for r in results]
    return {"headers": headers, "data": rows}


def build_page(backend: WebBackend) -> gr.Blocks:
    def pickers(lang: str):
        places, years = backend.filter_choices()
        any_label = t(lang, "any")
        return (
            gr.update(choices=[(any_label, "")] + places, label=t(lang, "province")),
            gr.update(choices=[(any_label, 0)] + [(str(y), y) for y in years], label=t(lang, "year")),
        )

    def documents_view(lang: str):
        """The documents table, the delete picker and the filter pickers, all from the store."""
        try:
            table = _docs_table(backend, lang)
            province, year = pickers(lang)
        except Exception:
            log.exception("listing documents failed")
            table = {"headers": [t(lang, "col_file")], "data": []}
            province, year = gr.update(), gr.update()
        sources = [row[0] for row in table["data"]]
        return table, gr.update(choices=sources, value=None), province, year

    # --- chat ---------------------------------------------------------------------------------
    def respond(message: str, chat: list, searched: list, place: str, year: int, lang: str):
        """Stream one turn: the question, a 'searching' note, the answer growing, then the sources."""
        chat = list(chat or [])
        searched = list(searched or [])
        message = message or ""
        try:
            question = check_question(message)
        except QuestionError as exc:
            if message.strip():
                chat.append(_user_message(message.strip()))
            chat.append(_assistant(message_html(str(exc), "error")))
            yield message if len(message) <= MAX_QUESTION_CHARS else "", chat, gr.update(), searched
            return
        chat.append(_user_message(question))
        chat.append(_assistant(message_html(t(lang, "searching"))))
        yield "", chat, message_html(t(lang, "searching")), searched
        try:
            result = backend.ask(question, searched, place or None, int(year or 0) or None)
            panel = sources_html(result, lang, backend.context)
            final = answer_html(result, lang)
        except Exception:
            log.exception("answering %r failed", question)
            chat[-1] = _assistant(message_html(t(lang, "error"), "error"))
            yield "", chat, placeholder_html(lang), searched
            return
        searched.append(result["searched_question"])
        if not result.get("abstained"):
            words = (result.get("answer") or "").split()
            step = max(1, len(words) // STREAM_STEPS)
            for end in range(step, len(words), step):
                chat[-1] = _assistant(f'<div class="hd-answer">{html.escape(" ".join(words[:end]))} …</div>')
                yield "", chat, gr.update(), searched
                time.sleep(STREAM_DELAY_S)
        chat[-1] = _assistant(final)
        yield "", chat, panel, searched

    def clear(lang: str):
        return [], [], placeholder_html(lang), ""

    def pick_example(evt: gr.SelectData) -> str:
        value = evt.value
        return value.get("text", "") if isinstance(value, dict) else str(value or "")

    # --- documents ----------------------------------------------------------------------------
    def ingest(files: list | None, lang: str, progress=gr.Progress()):  # noqa: B008 - Gradio's way to ask for a progress bar
        paths = [Path(f) for f in files or []]
        if not paths:
            gr.Info(t(lang, "upload_none"))
            return (_results_table([], lang), *documents_view(lang), None)
        progress(0, desc=t(lang, "upload_button"))

        def on_file(number: int, result) -> None:
            progress((number + 1, len(paths)), desc=f"{result.source}: {t(lang, result.status)}")

        results = backend.ingest_paths([(p, p.name) for p in paths], on_file)
        return (_results_table(results, lang), *documents_view(lang), None)

    def delete(source: str | None, lang: str):
        if not source:
            return (t(lang, "delete_none"), *documents_view(lang))
        try:
            removed = backend.delete(source)
            note = t(lang, "deleted" if removed else "delete_missing").format(source=source, chunks=removed)
        except Exception:
            log.exception("deleting %s failed", source)
            note = t(lang, "error")
        return (note, *documents_view(lang))

    # --- the API for gradio_client ------------------------------------------------------------
    def ask(question: str, history: list[str] | None = None, province: str | None = None, year: int | None = None) -> dict:
        """Answer a question (with earlier user questions for follow-ups); the `hoidap ask --json` object."""
        try:
            return backend.ask(question, history or [], province or None, year or None)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except Exception as exc:
            log.exception("answering %r failed", question)
            raise gr.Error(t("en", "error")) from exc

    # --- layout -------------------------------------------------------------------------------
    lang0 = "vi"
    # Gradio keeps uploads in its cache; ours are copied to <data_dir>/uploads, so clear it hourly.
    with gr.Blocks(title="hoidap — " + t(lang0, "title"), delete_cache=(3600, 3600)) as page:
        searched_state = gr.State([])
        with gr.Row():
            header = gr.Markdown(_header(lang0), elem_id="hd-header")
            lang = gr.Radio(LANGUAGES, value=lang0, label="Ngôn ngữ · Language", scale=0, min_width=220, elem_id="hd-lang")
        with gr.Tabs():
            with gr.Tab(t(lang0, "tab_chat"), id="chat") as chat_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label=t(lang0, "tab_chat"),
                            height=540,
                            placeholder=t(lang0, "chat_placeholder"),
                            examples=_examples(lang0),
                            buttons=["copy"],
                            feedback_options=None,
                            elem_id="hd-chat",
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                show_label=False, placeholder=t(lang0, "placeholder"), lines=1, max_lines=4,
                                scale=6, autofocus=True, elem_id="hd-question",
                            )
                            send = gr.Button(t(lang0, "send"), variant="primary", scale=1, min_width=90, elem_id="hd-send")
                        with gr.Row():
                            places0, years0 = backend.filter_choices()
                            province = gr.Dropdown(
                                [(t(lang0, "any"), "")] + places0, value="", label=t(lang0, "province"), elem_id="hd-province"
                            )
                            year = gr.Dropdown(
                                [(t(lang0, "any"), 0)] + [(str(y), y) for y in years0], value=0, label=t(lang0, "year"),
                                elem_id="hd-year",
                            )
                            new_chat = gr.Button(t(lang0, "clear"), variant="secondary", elem_id="hd-clear")
                    with gr.Column(scale=2):
                        sources = gr.HTML(placeholder_html(lang0), label=t(lang0, "sources"), elem_id="hd-sources")
            with gr.Tab(t(lang0, "tab_docs"), id="docs") as docs_tab:
                files = gr.File(file_count="multiple", type="filepath", label=t(lang0, "upload"), elem_id="hd-files")
                upload = gr.Button(t(lang0, "upload_button"), variant="primary", elem_id="hd-upload")
                results = gr.Dataframe(_results_table([], lang0), label=t(lang0, "results"), interactive=False, elem_id="hd-results")
                documents = gr.Dataframe(_docs_table(backend, lang0), label=t(lang0, "documents"), interactive=False, elem_id="hd-documents", wrap=True)
                with gr.Row():
                    # Custom values allowed: API clients name documents added after their session began;
                    # the backend answers "no document named ..." for a name it does not hold.
                    to_delete = gr.Dropdown(
                        [d["source"] for d in backend.documents()], value=None, label=t(lang0, "delete_pick"),
                        allow_custom_value=True, elem_id="hd-delete-pick",
                    )
                    delete_btn = gr.Button(t(lang0, "delete"), variant="stop", elem_id="hd-delete")
                    refresh = gr.Button(t(lang0, "refresh"), elem_id="hd-refresh")
                delete_note = gr.Markdown()

        # --- events ---------------------------------------------------------------------------
        chat_io = dict(
            fn=respond,
            inputs=[question, chatbot, searched_state, province, year, lang],
            outputs=[question, chatbot, sources, searched_state],
            api_name="chat",
        )
        question.submit(**chat_io)
        send.click(**{**chat_io, "api_name": False})
        chatbot.example_select(pick_example, None, question, api_name=False).then(
            **{**chat_io, "api_name": False}
        )
        new_chat.click(clear, [lang], [chatbot, searched_state, sources, question], api_name=False)
        chatbot.clear(clear, [lang], [chatbot, searched_state, sources, question], api_name=False)

        doc_outputs = [documents, to_delete, province, year]
        upload.click(ingest, [files, lang], [results, *doc_outputs, files], api_name="ingest")
        refresh.click(documents_view, [lang], doc_outputs, api_name="docs")
        delete_btn.click(delete, [to_delete, lang], [delete_note, *doc_outputs], api_name="delete")
        page.load(documents_view, [lang], doc_outputs, api_name=False)
        gr.api(ask, api_name="ask")

        def relabelled_documents(code: str):
            table, *rest = documents_view(code)
            return (gr.update(value=table, label=t(code, "documents")), *rest)

        def relabel(code: str):
            return (
                _header(code),
                gr.update(label=t(code, "tab_chat")),
                gr.update(label=t(code, "tab_docs")),
                gr.update(label=t(code, "tab_chat"), placeholder=t(code, "chat_placeholder"), examples=_examples(code)),
                gr.update(placeholder=t(code, "placeholder")),
                gr.update(value=t(code, "send")),
                gr.update(value=t(code, "clear")),
                gr.update(label=t(code, "sources")),
                gr.update(label=t(code, "upload")),
                gr.update(value=t(code, "upload_button")),
                gr.update(value=_results_table([], code), label=t(code, "results")),
                gr.update(label=t(code, "delete_pick")),
                gr.update(value=t(code, "delete")),
                gr.update(value=t(code, "refresh")),
                *relabelled_documents(code),
            )


        lang.change(
            relabel,
            [lang],
            [header, chat_tab, docs_tab, chatbot, question, send, new_chat, sources, files, upload, results,
             to_delete, delete_btn, refresh, *doc_outputs],
            api_name=False,
        )
    return page
