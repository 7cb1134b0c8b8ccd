"""A scripted OpenAI-compatible chat server: the reply to each question is written in advance.

Why: the only real models on this machine are toys, and a paid API cannot run here. To test what the
service does with a model's answer (a wrong figure, another indicator's figure, a wrong year, a slow
or failing server), the adversarial tests and the concurrency benchmark drive the real ``hoidap
serve`` against this server, which answers ``POST /v1/chat/completions`` (plain and streamed) from
a script: the first rule whose ``match`` text stands in the question gives the reply, after an
optional delay, or an HTTP error status.

    server = ScriptedLLM([Rule("thu hút FDI", "… 1.200 triệu USD [1].")]).start()
    ... HOIDAP_ANSWERER=openai HOIDAP_LLM_BASE_URL=server.url HOIDAP_LLM_MODEL=scripted hoidap serve
    server.stop()
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "scripted"
_QUESTION = re.compile(r"(?:Câu hỏi|Question):\s*(.+?)\s*$", re.S)


@dataclass
class Rule:
    match: str  # text the question holds (case-insensitive)
    reply: str = ""
    delay_s: float = 0.0
    status: int = 200  # another status: the server fails with it


class ScriptedLLM:
    """The server; ``calls`` lists the questions asked, ``max_in_flight`` the most calls at once."""

    def __init__(self, rules: list[Rule], default: str = "Không tìm thấy trong tài liệu.") -> None:
        self.rules = rules
        self.default = default
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def rule_for(self, question: str) -> Rule:
        folded = question.casefold()
        for rule in self.rules:
            if rule.match.casefold() in folded:
                return rule
        return Rule("", self.default)

    def start(self) -> ScriptedLLM:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _enter(self, question: str) -> None:
        with self._lock:
            self.calls.append(question)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _handler(owner: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # /v1/models
            self._send(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            user = next((m.get("content") for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
            text = user if isinstance(user, str) else " ".join(p.get("text", "") for p in user if isinstance(p, dict))
            found = _QUESTION.search(text)
            question = found.group(1) if found else text
            rule = owner.rule_for(question)
            owner._enter(question)
            try:
                if rule.delay_s:
                    time.sleep(rule.delay_s)
                if rule.status != 200:
                    self._send(rule.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                elif body.get("stream"):
                    self._stream(rule.reply)
                else:
                    self._send(200, {
                        "id": "scripted", "object": "chat.completion", "created": int(time.time()), "model": MODEL,
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": rule.reply},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    })
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nothing to answer
            finally:
                owner._leave()

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in re.findall(r"\S+\s*", reply) or [""]:
                chunk = {"id": "scripted", "object": "chat.completion.chunk", "created": int(time.time()), "model": MODEL,
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

    return Handler
