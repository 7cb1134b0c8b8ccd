"""Ingest files or folders with a progress bar and one line per file: what ``hoidap ingest``, the
server's first start and the evaluation's fresh stores show while documents go in.

Its own module so that the CLI, the web server and the evaluation share it without importing each
other.
"""

from __future__ import annotations

import sys
from pathlib import Path


def ingest_paths(service, paths: list[Path], quiet: bool = False, progress: bool | None = None, desc: str = "ingest") -> list:
    """Ingest with a progress bar and a per-file report; returns the per-file results. ``quiet``
    drops the per-file lines and, unless ``progress`` says otherwise, the bar."""
    from tqdm import tqdm

    from hoidap.ingest.document import iter_files

    files = list(iter_files(paths))
    with tqdm(total=len(files), desc=desc, unit="file", file=sys.stderr, disable=quiet if progress is None else not progress) as bar:

        def report(result) -> None:
            bar.set_postfix_str(result.source[:40])
            bar.update()
            line = f"{result.status:9s} {result.source}"
            if result.status == "ingested":
                line += f" ({result.chunks} chunks, {result.seconds:.1f}s{'; ' + result.note if result.note else ''})"
            if result.reason:
                line += f": {result.reason}"
            if not quiet:
                tqdm.write(line, file=sys.stderr)

        results = service.indexer.ingest(files, on_file=report)
    return results
