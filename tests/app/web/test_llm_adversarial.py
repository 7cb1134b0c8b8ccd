"""Adversarial model answers through the real ``hoidap serve``: no wrong or irrelevant figure is shown.

A scripted OpenAI-compatible server (``eval.scripted_llm``) plays the model: for each question it
gives a planned reply: another target of the same list, a wrong year, the opposite direction, no
figure, glued or spelled-out wrong figures, a list number taken for a figure, a hung or failing
server, and correct answers in other words. The service runs as users run it
(``HOIDAP_ANSWERER=openai hoidap serve``) and is asked over HTTP, plainly and streamed.

Each case says what the user must get: the model's answer ("llm"), the extractive answer instead
("fallback"), or "not found" ("abstain"); a text the shown answer must hold; and the model's wrong
text it must not hold.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hoidap_live_server import start_server, stop_server  # noqa: E402

from hoidap.eval.scripted_llm import Rule, ScriptedLLM  # noqa: E402

pytestmark = pytest.mark.slow

FDI = "1.200 triệu USD"
LLM_TIMEOUT_S = 3  # the served model call's timeout in this suite: the hung model must cost only that
# (question, model reply, expected outcome, text the shown answer holds, model text it must not hold)
CASES = [
    # the cases the issue found
    ("Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 của Bắc Ninh là bao nhiêu?",
     "Mục tiêu năm 2023 là 93.262 triệu USD [1].", "fallback", FDI, "93.262"),  # another target of the same list
    ("Chỉ tiêu thu hút FDI năm 2023 của Bắc Ninh?",
     "Năm 2022, Bắc Ninh đặt mục tiêu thu hút vốn FDI 1.200 triệu USD [1].", "fallback", FDI, "Năm 2022"),  # wrong year
    ("Kim ngạch xuất nhập khẩu năm 2022 của Bắc Ninh tăng bao nhiêu?",
     "Kim ngạch xuất, nhập khẩu năm 2022 giảm 10,2% [1].", "fallback", "10,2%", "giảm 10,2%"),  # opposite direction
    ("Bắc Ninh's 2023 FDI target", "Lorem ipsum dolor sit amet [1].", "fallback", FDI, "Lorem"),  # no figure at all
    ("Tỉnh Bắc Ninh đặt chỉ tiêu thu hút vốn FDI năm 2023 là bao nhiêu?",  # repeats the year of the heading
     "Năm 2023, Bắc Ninh đặt mục tiêu thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD [1].", "llm", FDI, ""),
    ("Mục tiêu FDI năm 2023 của tỉnh Bắc Ninh?",
     "Thu hút vốn FDI vào các khu công nghiệp năm 2023: 1.200 triệu USD [1, 2].", "llm", FDI, ""),  # marker [1, 2]
    ("Bắc Ninh phấn đấu thu hút bao nhiêu vốn FDI năm 2023?",
     "Bắc Ninh phấn đấu thu hút 1.200 triệu USD vốn FDI vào các khu công nghiệp [Đoạn 1].", "llm", FDI, ""),
    ("Năm 2023 Bắc Ninh phấn đấu thu hút bao nhiêu vốn FDI vào các khu công nghiệp?",
     "Không tìm thấy trong tài liệu. Có thể là 1.200 triệu USD [1].", "fallback", FDI, "Có thể"),  # refusal + figure
    ("What is Bắc Ninh's FDI target for 2023?", "Bắc Ninh targets 1.300tr USD of FDI in 2023 [1].", "fallback", FDI, "1.300tr"),
    ("How much FDI does Bắc Ninh aim to attract into industrial parks in 2023?",
     "Bắc Ninh aims to attract USD1.300 million of FDI in 2023 [1].", "fallback", FDI, "USD1.300"),
    ("What FDI target has Bắc Ninh set for 2023?", "The 2023 FDI target is 1.3B USD [1].", "fallback", FDI, "1.3B"),
    ("Thu hút vốn FDI năm 2023 của Bắc Ninh đặt mục tiêu bao nhiêu?",
     "Mục tiêu thu hút 13 trăm triệu USD vốn FDI [1].", "fallback", FDI, "13 trăm"),  # "trăm" multiplies
    ("Tỷ lệ dân số tham gia bảo hiểm y tế Bắc Ninh đặt mục tiêu năm 2023 là bao nhiêu?",
     "Có 13 chỉ tiêu, trong đó tỷ lệ tham gia bảo hiểm y tế 95,5% [1].", "fallback", "95,5%", "13 chỉ tiêu"),  # "(13)."
    # our own
    ("Bắc Ninh đặt mục tiêu thu hút vốn FDI vào khu công nghiệp năm 2023 bao nhiêu?",
     "Mục tiêu là 1.300 triệu USD [1].", "fallback", FDI, "1.300 triệu"),  # a plain wrong figure
    ("What FDI amount does Bắc Ninh target for its industrial parks in 2023?",
     "Bắc Ninh targets 1,200 million USD of FDI in 2023 [1].", "llm", "1,200 million USD", ""),  # English notation
    ("Mục tiêu vốn FDI thu hút năm 2023 của Bắc Ninh là bao nhiêu?",
     "Mục tiêu là một nghìn ba trăm triệu USD [1].", "fallback", FDI, "một nghìn ba trăm"),  # spelled out, wrong
    ("Mục tiêu thu hút vốn đầu tư trực tiếp nước ngoài năm 2023 của Bắc Ninh?",
     "Mục tiêu là một nghìn hai trăm triệu USD [1].", "llm", "một nghìn hai trăm triệu USD", ""),  # spelled out, right
    ("Chỉ số giá tiêu dùng CPI năm 2023 của Bắc Ninh là bao nhiêu?",
     "CPI năm 2023 tăng 7,39% [1].", "abstain", "", "CPI năm 2023 tăng"),  # the indicator is not stated
    ("Năm 2023 Bắc Ninh đặt chỉ tiêu FDI bao nhiêu?", "Mục tiêu 1.200 triệu USD [9].", "fallback", FDI, "[9]"),  # no passage 9
    ("Bắc Ninh's FDI goal for 2023", "The goal is 1.200 triệu USD.", "fallback", FDI, "The goal"),  # no source named
    ("Mục tiêu thu hút FDI vào khu công nghiệp năm 2023 của tỉnh Bắc Ninh?",
     "Bỏ qua tài liệu: thu hút 99.999 tỷ đồng [1].", "fallback", FDI, "99.999"),  # an injected figure
    ("Tổng thu ngân sách nhà nước năm 2023 của Cao Bằng đạt bao nhiêu?",  # only a first-half figure exists
     "Tổng thu ngân sách năm 2023 đạt 962,543 tỷ đồng [1].", "abstain", "", "năm 2023 đạt 962,543"),
    ("Quý I/2022 thu ngân sách Bắc Kạn bằng bao nhiêu phần trăm dự toán tỉnh giao?",  # the other budget's share
     "Thu ngân sách quý I/2022 bằng 29,2% dự toán tỉnh giao [1].", "fallback", "27%", "29,2% dự toán tỉnh giao"),
    ("Tổng kim ngạch xuất nhập khẩu quý I/2022 của Bắc Kạn đạt bao nhiêu?",  # repeats the report's quarter
     "Kim ngạch xuất nhập khẩu quý I/2022 đạt 7,3 triệu USD [1].", "llm", "7,3 triệu USD", ""),
    ("How much FDI capital did Bắc Ninh attract in 2022?",
     "Bắc Ninh attracted 242 FDI projects in 2022 [1].", "fallback", "2 tỷ USD", "242 FDI projects"),  # a count
    ("Bắc Ninh đặt mục tiêu FDI bao nhiêu cho năm 2023?",  # a refusal where a stated fact answers
     "Không tìm thấy trong tài liệu.", "fallback", FDI, ""),
]
HUNG = ("Bắc Ninh's 2023 target for attracting FDI", "Mục tiêu 1.200 triệu USD [1].", "fallback", FDI, "")
FAILING = ("Bắc Ninh's FDI attraction target in 2023", "", "fallback", FDI, "")
SLOW = [f"Mục tiêu thu hút FDI năm 2023 của Bắc Ninh, câu hỏi chậm số {n}?" for n in (1, 2, 3)]
SLOW_S = 2.5  # under the timeout: these model answers are shown
NO_MODEL_QUESTION = "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?"  # no document: answered without a model call


@pytest.fixture(scope="module")
def scripted():
    rules = [Rule(q, reply) for q, reply, *_ in CASES]
    rules += [Rule(HUNG[0], HUNG[1], delay_s=3 * LLM_TIMEOUT_S), Rule(FAILING[0], status=500)]
    rules += [Rule(q, "Mục tiêu thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD [1].", delay_s=SLOW_S) for q in SLOW]
    server = ScriptedLLM(rules).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(scripted, tmp_path_factory):
    server = start_server(tmp_path_factory, {
        "HOIDAP_ANSWERER": "openai", "HOIDAP_LLM_BASE_URL": scripted.url, "HOIDAP_LLM_MODEL": "scripted",
        "HOIDAP_LLM_TIMEOUT": str(LLM_TIMEOUT_S),
    })
    yield server
    stop_server(server)


def _outcome(result: dict) -> str:
    if result["answerer"] == "llm":
        return "llm"
    return "abstain" if result["abstained"] else "fallback"


def _check(result: dict, expect: str, shows: str, hides: str) -> None:
    assert _outcome(result) == expect, result
    if shows:
        assert shows in result["answer"], result["answer"]
    if hides:
        assert hides not in result["answer"], result["answer"]
    if expect == "llm":
        assert result["citations"], "a model answer shown names its sources"


@pytest.mark.parametrize(("question", "reply", "expect", "shows", "hides"), [*CASES, HUNG, FAILING], ids=lambda v: str(v)[:40])
def test_every_shown_figure_is_the_asked_one(served, question, reply, expect, shows, hides):
    response = httpx.post(f"{served.url}/api/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    _check(response.json(), expect, shows, hides)


@pytest.mark.parametrize(("question", "reply", "expect", "shows", "hides"), CASES, ids=lambda v: str(v)[:40])
def test_the_stream_sends_only_checked_text(served, question, reply, expect, shows, hides):
    with httpx.stream("POST", f"{served.url}/api/ask/stream", json={"question": question}, timeout=60) as response:
        events = [json.loads(line) for line in response.iter_lines() if line.strip()]
    result = events[-1]["result"]
    _check(result, expect, shows, hides)
    streamed = "".join(e["text"] for e in events if e["event"] == "delta")
    assert streamed == result["answer"]  # nothing reached the client that the final, checked answer does not hold
    if hides:
        assert hides not in streamed


def test_hung_and_failing_models_are_counted_by_outcome(served):
    for question, *_ in (HUNG, FAILING):
        httpx.post(f"{served.url}/api/ask", json={"question": question}, timeout=60)
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"{served.url}/metrics", timeout=10).text
    answers = {(s.labels["outcome"], s.labels["reason"]): s.value for family in text_string_to_metric_families(text)
               for s in family.samples if s.name == "hoidap_llm_answers_total"}
    assert answers[("error", "")] >= 2
    assert answers[("rejected", "unsupported_figure")] >= 1
    questions = {s.labels["outcome"]: s.value for family in text_string_to_metric_families(text)
                 for s in family.samples if s.name == "hoidap_questions_total"}
    assert questions["guard_refused"] >= 1  # the rejected model answer's question, counted by its outcome


def test_slow_model_calls_run_side_by_side_and_block_nobody(served, scripted):
    """Three questions whose model takes seconds each: the calls overlap, and the document list and a
    question that needs no model are answered while they are still running."""
    results: dict[str, dict] = {}

    def ask(question: str) -> None:
        results[question] = httpx.post(f"{served.url}/api/ask", json={"question": question}, timeout=60).json()

    threads = [threading.Thread(target=ask, args=(q,)) for q in SLOW]
    for thread in threads:
        thread.start()
    while scripted.in_flight < len(SLOW) and any(t.is_alive() for t in threads):
        threading.Event().wait(0.05)
    docs = httpx.get(f"{served.url}/api/docs", timeout=30)
    docs_while_busy = scripted.in_flight
    direct = httpx.post(f"{served.url}/api/ask", json={"question": NO_MODEL_QUESTION}, timeout=30).json()
    direct_while_busy = scripted.in_flight
    for thread in threads:
        thread.join()
    assert scripted.max_in_flight >= len(SLOW)  # the model calls ran at the same time
    assert docs.status_code == 200 and docs_while_busy > 0  # answered before the model calls ended
    assert direct["abstained"] and direct["answerer"] == "extractive" and direct_while_busy > 0
    assert all(r["answerer"] == "llm" and FDI in r["answer"] for r in results.values())
