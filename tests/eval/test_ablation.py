"""The ablation on the real pipeline (sample corpus, real embedder), and its report."""

import json

import pytest

from hoidap.app.config import load_settings
from hoidap.eval.ablation import CONFIGS, DEFAULT_CONFIG, markdown, merge_reports, plot, run_ablation


@pytest.fixture(scope="module")
def dev_report(tmp_path_factory):
    settings = load_settings(data_dir=tmp_path_factory.mktemp("ablation"))
    return run_ablation(settings, ["dev"], limit=6)


@pytest.mark.slow
def test_every_configuration_is_scored_on_the_same_store(dev_report):
    entry = dev_report["sets"]["dev"]
    assert entry["questions"] == 6 and entry["documents"] == 5 and entry["chunks"] > 0
    assert list(entry["rows"]) == [c.name for c in CONFIGS]
    default = entry["rows"][DEFAULT_CONFIG]
    assert 0.0 <= default["answer_accuracy"] <= 1.0
    # scope understanding can only help on the dev questions, which all name their province
    assert default["answer_accuracy"] >= entry["rows"]["hybrid"]["answer_accuracy"]


@pytest.mark.slow
def test_the_report_has_a_row_per_configuration_a_chart_and_the_history(dev_report, tmp_path):
    text = markdown(dev_report, "hoidap ablate --sets dev --limit 6", "ablation.png")
    for config in CONFIGS:
        assert f"| {config.name}" in text or f"| **{config.name}** (default)" in text
    assert "What was tried, in order:" in text and "- Look-alike:" in text
    plot(dev_report, tmp_path / "ablation.png")
    assert (tmp_path / "ablation.png").stat().st_size > 10_000


@pytest.mark.slow
def test_reports_of_sets_run_apart_merge_into_one(dev_report, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(dev_report), encoding="utf-8")
    other = json.loads(json.dumps(dev_report))
    other["sets"] = {"lookalike": other["sets"]["dev"]}  # as if run in another process
    second.write_text(json.dumps(other), encoding="utf-8")
    merged, _ = merge_reports([first, second])
    assert list(merged["sets"]) == ["dev", "lookalike"]
    assert merged["sets"]["lookalike"]["rows"] == dev_report["sets"]["dev"]["rows"]


def test_compare_lists_only_changed_quality_figures():
    from hoidap.eval.ablation import compare_markdown, compare_reports

    before = {"sets": {"dev": {"rows": {"hybrid": {"answer_accuracy": 0.9, "source_mrr@10": 0.8, "p50_ms": 10.0}}}}}
    after = {"sets": {"dev": {"rows": {"hybrid": {"answer_accuracy": 0.9, "source_mrr@10": 0.81, "p50_ms": 30.0}}}}}
    rows = compare_reports(before, after)
    assert {r[2] for r in rows} == {"answer_accuracy", "source_mrr@10"}  # latency is not a quality figure
    text = compare_markdown(rows, "hoidap ablate --compare a b")
    assert "2 figures compared, 1 changed" in text and "0.0100" in text and "| dev | hybrid | source_mrr@10 |" in text
