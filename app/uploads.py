"""Saving uploaded files safely before they are ingested.

An upload's name comes from the user's machine (or from anyone who can reach the API), so it is
untrusted: it may carry folders ("../../etc/x.txt", "C:\\x.txt"), control or bidi characters,
look-alike Unicode, or no usable name at all. The name becomes the document's identity in the
store (its ``source``), so it is cleaned to a plain file name, checked against an allow-list of
formats the ingester reads, and the bytes are written only inside ``<data_dir>/uploads`` with a
size limit enforced while copying (a declared size cannot be trusted).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

ALLOWED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
MAX_NAME_CHARS = 120
_COPY_BLOCK = 1 << 20
_UNSAFE = re.compile(r"[^\w\s.\-()+,]")  # \w is Unicode-aware: Vietnamese letters stay
_SPACES = re.compile(r"\s+")


class UploadError(Exception):
    """An upload was refused; ``str(error)`` is the reason shown to the user."""


def sanitize_filename(name: str) -> str:
    """A plain, safe file name from an untrusted one; raises :class:`UploadError` if none is left."""
    name = unicodedata.normalize("NFKC", name or "")
    # Only the last path part counts, whichever separator the sender's system uses.
    name = re.split(r"[/\\]", name)[-1]
    # Control, format (zero-width, bidi overrides) and other invisible characters go.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = _SPACES.sub(" ", name).strip()
    while ".." in name:
        name = name.replace("..", ".")
    name = name.strip(" .")  # no hidden files, no trailing dots (Windows drops them)
    stem, ext = os.path.splitext(name)
    ext = ext.lower()
    if ext not in ALLOWED_EXTENSIONS:
        shown = ext or "(none)"
        raise UploadError(
            f"unsupported file type {shown}: allowed are {' '.join(ALLOWED_EXTENSIONS)}"
        )
    stem = stem.strip(" .")[: MAX_NAME_CHARS - len(ext)] or "upload"
    return unicodedata.normalize("NFC", stem + ext)


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    status: str  # "new", "kept" (same bytes already stored under the name) or "replaced" (asked for)
    renamed: bool = False  # another file had the name: this one was stored as "name (2).ext"


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return _digest(a) == _digest(b)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_COPY_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _free_name(target: Path) -> Path:
    """"baocao.pdf" -> "baocao (2).pdf", the first such name not taken."""
    stem, ext = target.stem, target.suffix
    number = 2
    while (candidate := target.with_name(f"{stem} ({number}){ext}")).exists():
        number += 1
    return candidate


class UploadStore:
    """The uploads folder: every saved file lands directly inside it, never elsewhere."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO, original_name: str, replace: bool = False) -> SavedUpload:
        """Copy ``stream`` under the sanitised name; raises :class:`UploadError` with the reason.

        A different file under a name already stored never replaces it silently: it is kept beside
        it as "name (2).ext" (two provinces' "baocao.pdf"), unless ``replace`` asks for exactly that.
        The same bytes under the same name are the same document (re-ingest finds it unchanged)."""
        name = sanitize_filename(original_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = (self.folder / name).resolve()
        if target.parent != self.folder.resolve():
            raise UploadError("invalid file name")
        # Write to a temporary file next to the target and rename: a failed or oversized upload
        # never leaves a half-written file behind under the real name.
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            written = 0
            with os.fdopen(fd, "wb") as out:
                while block := stream.read(_COPY_BLOCK):
                    written += len(block)
                    if written > self.max_bytes:
                        raise UploadError(
                            f"the file is over the {self.max_bytes / 1e6:g} MB limit (HOIDAP_MAX_FILE_MB)"
                        )
                    out.write(block)
            if written == 0:
                raise UploadError("the file is empty")
            existed = target.exists()
            if existed and not replace and not _same_bytes(Path(tmp), target):
                target = _free_name(target)
                existed = False
            if existed and not replace:
                Path(tmp).unlink()  # the same bytes are already stored under this name
            else:
                os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        status = "replaced" if existed and replace else ("kept" if existed else "new")
        return SavedUpload(target, status, renamed=target.name != name)

    def discard(self, saved: SavedUpload) -> None:
        """Remove a file this upload created (its ingest failed): nothing unusable stays on disk."""
        if saved.status == "new" and saved.path.resolve().parent == self.folder.resolve():
            saved.path.unlink(missing_ok=True)

    def save_path(self, source: Path, original_name: str | None = None) -> SavedUpload:
        """Copy a file already on disk (e.g. in Gradio's upload cache) into the uploads folder."""
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UploadError(f"cannot read the uploaded file ({exc.strerror})") from exc
        with handle:
            return self.save(handle, original_name or source.name)



def stored_original(source: str, folders: list[Path]) -> Path | None:
    """The original file of the stored document ``source`` inside one of ``folders`` (the uploads
    folder, the bundled samples), or None. ``source`` comes from a URL: only a plain file name that
    resolves to a file directly inside one of the folders is served, never a path out of them."""
    if not source or source != Path(source).name or source in (".", "..") or "\\" in source or "\x00" in source:
        return None
    for folder in folders:
        root = folder.resolve()
        candidate = (root / source).resolve()
        if candidate.parent == root and candidate.is_file():
            return candidate
    return None
