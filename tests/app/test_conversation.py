"""Follow-up rewriting: each turn must reach retrieval as a stand-alone question with its scope."""

from __future__ import annotations

import pytest

from hoidap.app.conversation import rewrite_followup, with_scope
from hoidap.app.query import understand

FDI = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"
KNOWN = {"Từ Sơn"}  # a city some sample documents are about


def scope(question: str) -> tuple[list[str], list[int], str]:
    s = understand(question, KNOWN)
    return s.localities or s.provinces, s.years, s.intent


def test_new_indicator_keeps_place_year_and_target():
    rewritten = rewrite_followup("Còn doanh thu bán lẻ hàng hóa và dịch vụ?", [FDI])
    assert "doanh thu bán lẻ hàng hóa và dịch vụ" in rewritten
    assert "FDI" not in rewritten  # the new indicator replaces the old one
    assert scope(rewritten) == (["Bắc Ninh"], [2023], "target")


@pytest.mark.parametrize("turn", ["And Cao Bằng?", "Còn Cao Bằng?", "Thế còn tỉnh Cao Bằng thì sao?", "What about Cao Bang?"])
def test_new_place_replaces_old_place(turn):
    rewritten = rewrite_followup(turn, [FDI])
    assert "FDI" in rewritten
    assert scope(rewritten) == (["Cao Bằng"], [2023], "target")


def test_new_year_replaces_old_year():
    rewritten = rewrite_followup("Còn năm 2022 thì sao?", [FDI])
    assert scope(rewritten) == (["Bắc Ninh"], [2022], "target")
    assert "FDI" in rewritten


def test_place_and_year_together():
    assert scope(rewrite_followup("Còn Cao Bằng năm 2022?", [FDI]))[:2] == (["Cao Bằng"], [2022])


def test_follow_up_of_a_follow_up_keeps_the_whole_scope():
    rewritten = rewrite_followup("Còn doanh thu bán lẻ hàng hóa và dịch vụ?", [FDI, "And Cao Bằng?"])
    assert "doanh thu bán lẻ" in rewritten
    assert scope(rewritten)[:2] == (["Cao Bằng"], [2023])


def test_english_follow_up_is_composed_in_english():
    rewritten = rewrite_followup("What about retail sales?", ["Bắc Ninh's 2023 FDI target"])
    assert "retail sales" in rewritten and "FDI" not in rewritten
    assert scope(rewritten) == (["Bắc Ninh"], [2023], "target")


def test_city_keeps_its_type_word_so_it_is_read_as_the_city():
    rewritten = rewrite_followup("Còn thành phố Từ Sơn?", [FDI], KNOWN)
    assert understand(rewritten, KNOWN).localities == ["Từ Sơn"]


def test_elliptical_question_inherits_place_and_year():
    rewritten = rewrite_followup("Tổng vốn đầu tư phát triển toàn xã hội là bao nhiêu?", [FDI])
    assert scope(rewritten)[:2] == (["Bắc Ninh"], [2023])


def test_stand_alone_question_is_left_alone():
    question = "Tỷ lệ hộ nghèo của Cao Bằng năm 2023?"
    assert rewrite_followup(question, [FDI]) == question


def test_no_history_no_change():
    assert rewrite_followup(FDI, []) == FDI
    assert rewrite_followup(FDI, None) == FDI


def test_history_as_chat_messages_uses_user_turns_only():
    history = [
        {"role": "user", "content": [{"type": "text", "text": FDI}]},
        {"role": "assistant", "content": "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD. Cao Bằng"},
    ]
    assert scope(rewrite_followup("Còn năm 2022?", history))[:2] == (["Bắc Ninh"], [2022])
    assert scope(rewrite_followup("Còn năm 2022?", [{"role": "user", "content": FDI}]))[:2] == (["Bắc Ninh"], [2022])


def test_with_scope_replaces_or_adds():
    assert scope(with_scope(FDI, ["Cao Bằng"], [2022]))[:2] == (["Cao Bằng"], [2022])
    added = with_scope("Doanh thu bán lẻ hàng hóa và dịch vụ là bao nhiêu?", ["Bắc Ninh"], [2023])
    assert added.endswith("là bao nhiêu?")
    assert scope(added)[:2] == (["Bắc Ninh"], [2023])
    assert scope(with_scope("What is the retail revenue?", ["Bắc Ninh"], [2023]))[:2] == (["Bắc Ninh"], [2023])


def test_with_scope_handles_unaccented_place_names():
    assert scope(with_scope("Bac Ninh's 2023 FDI target", ["Cao Bằng"], None))[0] == ["Cao Bằng"]


def test_the_same_period_is_scope_not_an_indicator():
    first = "How much did Từ Sơn spend from its budget in the first half of 2022?"
    assert rewrite_followup("And Cao Bằng in the same period?", [first], KNOWN) == (
        "How much did Cao Bằng spend from its budget in the first half of 2022?")
    assert rewrite_followup("And in the first half of 2023?", [first, "And Cao Bằng in the same period?"], KNOWN) == (
        "How much did Cao Bằng spend from its budget in the first half of 2023?")


def test_a_period_switch_replaces_an_unaccented_period():
    turns = ["Kinh te Bac Kan quy I/2022 tang truong bao nhieu?", "Con khu vuc dich vu?"]
    rewritten = rewrite_followup("Còn cả năm 2022?", turns, KNOWN)
    assert understand(rewritten).period == "year" and "quy I" not in rewritten


def test_an_unaccented_vietnamese_cue_keeps_the_turn_vietnamese():
    rewritten = rewrite_followup("Con ngo thi sao?", ["Diện tích cấy lúa vụ xuân quý I/2022 của Bắc Kạn là bao nhiêu?"], KNOWN)
    assert understand(rewritten).lang == "vi" and "What" not in rewritten


def test_the_whole_province_after_a_city():
    rewritten = rewrite_followup("Còn cả tỉnh?", ["Tổng thu ngân sách 6 tháng đầu năm 2022 của Từ Sơn?"], KNOWN)
    assert scope(rewritten)[0] == ["Bắc Ninh"]
