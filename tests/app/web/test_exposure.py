"""Uploads with hostile names through the real API, over the real service: nothing lands outside.

The upload's name comes from whoever can reach the API. Whatever it says ("../../", a Windows path,
an absolute path, bidi characters, a disallowed type, too many bytes), every byte written must be
inside ``<data dir>/uploads``, under a plain sanitised name, and refusals are per-file results with
a reason, never an error for the batch or a stack trace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hoidap.app.cli import build_parser
from hoidap.app.config import load_settings
from hoidap.app.service import build_service
from hoidap.app.web.server import create_app, serve

DOC = "Báo cáo tỉnh Sơn La năm 2022: sản lượng xoài đạt {n}.500 tấn, tăng 12% so với năm 2021.\n"
HOSTILE_NAMES = [
    ("../../thoat_ra.txt", "thoat_ra.txt"),
    ("..\\..\\..\\windows\\thoat.md", "thoat.md"),
    ("/etc/cron.d/lenh.txt", "lenh.txt"),
    ("C:\\Users\\Public\\báo cáo.txt", "báo cáo.txt"),
    ("báo\u202ecáo\u200b.txt", "báocáo.txt"),
    ("....//....//x.txt", "x.txt"),
    (".an_giau.md", "an_giau.md"),
]
REFUSED = [
    ("chay.exe", "unsupported file type"),
    ("trang.html.exe", "unsupported file type"),
    ("../../../.bashrc", "unsupported file type"),
    ("script.php", "unsupported file type"),
]


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_hostile_upload_names_stay_inside_the_data_dir(tmp_path):
    root = tmp_path / "root"
    data_dir = root / "a" / "b" / "data"  # "../../" from uploads/ would land in root/a/b or above
    data_dir.mkdir(parents=True)
    service = build_service(load_settings(data_dir=data_dir, max_file_mb=0.01))
    client = TestClient(create_app(service), raise_server_exceptions=False)
    outside_before = _files_under(root) - _files_under(data_dir)

    files = [("files", (name, DOC.format(n=i).encode(), "text/plain")) for i, (name, _) in enumerate(HOSTILE_NAMES)]
    files += [("files", (name, b"#!/bin/sh\nrm -rf /\n", "application/octet-stream")) for name, _ in REFUSED]
    files.append(("files", ("qua_lon.txt", DOC.format(n=99).encode() * 200, "text/plain")))  # ~20 kB > 0.01 MB
    response = client.post("/api/ingest", files=files)
    assert response.status_code == 207  # some went in, some were refused: each result says which
    results = response.json()["results"]

    for (name, clean), result in zip(HOSTILE_NAMES, results, strict=False):
        assert result["status"] == "ingested", (name, result)
        assert result["source"] == clean, name
        assert "path" not in result  # server paths are not shown to clients
    for (name, reason), result in zip(REFUSED, results[len(HOSTILE_NAMES):], strict=False):
        assert result["status"] == "failed" and reason in result["reason"], (name, result)
    oversized = results[-1]
    assert oversized["status"] == "failed" and "over the 0.01 MB limit" in oversized["reason"]
    for result in results:
        assert "Traceback" not in str(result) and "Error" not in result.get("reason", "")

    uploads = (data_dir / "uploads").resolve()
    stored = {p.name for p in uploads.iterdir()}
    assert stored == {clean for _, clean in HOSTILE_NAMES}  # no temporary or refused file left
    assert _files_under(root) - _files_under(data_dir) == outside_before  # nothing written outside
    for document in client.get("/api/docs").json()["documents"]:
        assert "/" not in document["source"] and "\\" not in document["source"]


def test_server_binds_to_this_machine_only_unless_told_otherwise():
    import inspect

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
