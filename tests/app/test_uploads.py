"""Uploads: untrusted names become plain file names; bytes land only inside the uploads folder."""

from __future__ import annotations

import io
import unicodedata

import pytest

from hoidap.app.uploads import UploadError, UploadStore, sanitize_filename


@pytest.mark.parametrize(
    "name, expected",
    [
        ("báo cáo.txt", "báo cáo.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\win.ini.md", "win.ini.md"),
        ("C:\\Users\\a\\Kết luận.docx", "Kết luận.docx"),
        ("a..b....pdf", "a.b.pdf"),
        ("REPORT.PDF", "REPORT.pdf"),
        ("  spaced   name .html ", "spaced name.html"),
        ("evil\u202egnp.txt", "evilgnp.txt"),  # right-to-left override removed
        ("zero\u200bwidth\x00.txt", "zerowidth.txt"),
        ("ｆｕｌｌｗｉｄｔｈ.txt", "fullwidth.txt"),  # NFKC
        ("a;b|c*d?.txt", "a_b_c_d_.txt"),
        (".hidden.md", "hidden.md"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_composes_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Bắc Ninh.txt")
    assert sanitize_filename(decomposed) == unicodedata.normalize("NFC", "Bắc Ninh.txt")


def test_sanitize_limits_length():
    name = sanitize_filename("x" * 500 + ".txt")
    assert len(name) <= 120 and name.endswith(".txt")


@pytest.mark.parametrize("name", ["virus.exe", "archive.tar.gz", "noext", "", "../", "script.txt.sh", ".txt", "...txt"])
def test_unsupported_types_are_refused_with_a_reason(name):
    with pytest.raises(UploadError, match="unsupported file type"):
        sanitize_filename(name)


def test_save_stays_inside_the_folder(tmp_path):
    store = UploadStore(tmp_path / "uploads", max_bytes=1000)
    saved = store.save(io.BytesIO(b"Doanh thu 85.800 t\xe1\xbb\xb7 \xc4\x91\xe1\xbb\x93ng."), "../../outside.txt").path
    assert saved.parent == (tmp_path / "uploads").resolve()
    assert saved.name == "outside.txt"
    assert not (tmp_path / "outside.txt").exists()
    assert saved.read_bytes().startswith(b"Doanh thu")


def test_a_different_file_under_a_stored_name_is_kept_beside_it(tmp_path):
    """Two provinces' "baocao.txt": neither replaces the other unless replacing is asked for."""
    store = UploadStore(tmp_path, max_bytes=1000)
    first = store.save(io.BytesIO(b"Bac Ninh"), "baocao.txt")
    second = store.save(io.BytesIO(b"Cao Bang"), "baocao.txt")
    assert (first.status, second.status, second.renamed) == ("new", "new", True)
    assert (tmp_path / "baocao.txt").read_bytes() == b"Bac Ninh"
    assert second.path.name == "baocao (2).txt" and second.path.read_bytes() == b"Cao Bang"
    again = store.save(io.BytesIO(b"Bac Ninh"), "baocao.txt")  # the same bytes: the same document
    assert again.status == "kept" and again.path.name == "baocao.txt"
    replaced = store.save(io.BytesIO(b"Bac Ninh v2"), "baocao.txt", replace=True)
    assert replaced.status == "replaced" and (tmp_path / "baocao.txt").read_bytes() == b"Bac Ninh v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baocao (2).txt", "baocao.txt"]


def test_oversized_upload_is_refused_and_leaves_nothing(tmp_path):
    store = UploadStore(tmp_path, max_bytes=10)
    with pytest.raises(UploadError, match="limit"):
        store.save(io.BytesIO(b"x" * 11), "big.txt")
    assert list(tmp_path.iterdir()) == []


def test_empty_upload_is_refused(tmp_path):
    with pytest.raises(UploadError, match="empty"):
        UploadStore(tmp_path, max_bytes=10).save(io.BytesIO(b""), "empty.txt")
    assert list(tmp_path.iterdir()) == []
