"""Slow model, many users: model calls must not wait for each other, and nothing else waits for them.

``python -m hoidap.eval.llm_load [--delay 8] [--clients 5] [--out reports/llm-load.json]`` starts a scripted
OpenAI-compatible server (``eval.scripted_llm``) whose every reply takes ``--delay`` seconds, and a
real ``hoidap serve`` configured to use it (``HOIDAP_ANSWERER=openai``) on the sample corpus. Then
``--clients`` questions are asked at once through ``POST /api/ask``; while their model calls run,
``GET /api/docs`` and a question that needs no model call (about a province no document covers) are
timed. With the model call inside a global lock, the n-th question would wait n model calls.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

import httpx

from hoidap.eval.load_test import Server
from hoidap.eval.scripted_llm import Rule, ScriptedLLM

QUESTIONS = [
    "Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 của Bắc Ninh là bao nhiêu?",
    "Bắc Ninh's 2023 FDI target",
    "Tổng kim ngạch xuất, nhập khẩu của Bắc Ninh năm 2022 đạt bao nhiêu?",
    "Thu ngân sách năm 2022 của Bắc Ninh ước đạt bao nhiêu?",
    "Giá trị sản xuất công nghiệp quý I/2022 của Bắc Kạn đạt bao nhiêu?",
    "Tổng chi ngân sách thành phố Từ Sơn 6 tháng đầu năm 2022 là bao nhiêu?",
    "Cao Bằng industrial production value in the first half of 2023",
    "Mục tiêu doanh thu bán lẻ hàng hóa và dịch vụ năm 2023 của Bắc Ninh?",
]
NO_MODEL_QUESTION = "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?"  # no document: no model call


def run(delay: float, clients: int, embedder: str) -> dict:
    model = ScriptedLLM([Rule("", "Không tìm thấy trong tài liệu.", delay_s=delay)]).start()
    work = Path(tempfile.mkdtemp(prefix="hoidap-llm-load-"))
    server = Server(work / "data", work / "serve.log", None, {
        "HOIDAP_ANSWERER": "openai", "HOIDAP_LLM_BASE_URL": model.url, "HOIDAP_LLM_MODEL": "scripted",
        "HOIDAP_LLM_TIMEOUT": str(delay * 4), "HOIDAP_EMBEDDER": embedder,
    })
    try:
        print(f"llm_load: starting hoidap serve (ingests the samples) at {server.url} ...", flush=True)
        server.wait_ready(None)
        asked = QUESTIONS[:clients] if clients <= len(QUESTIONS) else [QUESTIONS[i % len(QUESTIONS)] + f" ({i})" for i in range(clients)]
        seconds: list[float] = [0.0] * len(asked)
        answerers: list[str] = [""] * len(asked)

        def ask(i: int) -> None:
            started = time.perf_counter()
            body = httpx.post(f"{server.url}/api/ask", json={"question": asked[i]}, timeout=delay * 10).json()
            seconds[i] = time.perf_counter() - started
            answerers[i] = body.get("answerer", "")

        started = time.perf_counter()
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(asked))]
        for thread in threads:
            thread.start()
        while model.in_flight < len(asked) and time.perf_counter() - started < delay:
            time.sleep(0.05)
        t = time.perf_counter()
        docs_status = httpx.get(f"{server.url}/api/docs", timeout=60).status_code
        docs_s = time.perf_counter() - t
        t = time.perf_counter()
        direct = httpx.post(f"{server.url}/api/ask", json={"question": NO_MODEL_QUESTION}, timeout=60).json()
        direct_s = time.perf_counter() - t
        busy = model.in_flight
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        return {
            "model_delay_s": delay, "clients": len(asked), "max_model_calls_at_once": model.max_in_flight,
            "question_seconds": [round(s, 2) for s in seconds], "slowest_question_s": round(max(seconds), 2),
            "all_questions_s": round(wall, 2), "answerers": answerers,
            "docs_s": round(docs_s, 3), "docs_status": docs_status,
            "no_model_question_s": round(direct_s, 3), "no_model_answerer": direct.get("answerer"),
            "model_calls_running_meanwhile": busy,
        }
    finally:
        server.stop()
        model.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.llm_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=8.0, help="seconds each model reply takes")
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--embedder", default="e5-onnx", help="the served embedder (only ingest speed depends on it)")
    parser.add_argument("--out", type=Path, default=Path("reports/llm-load.json"))
    args = parser.parse_args(argv)
    figures = run(args.delay, args.clients, args.embedder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    for key, value in figures.items():
        print(f"  {key:32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
