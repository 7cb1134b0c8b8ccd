"""pdfplumber against PyMuPDF on the generated report PDFs: which reads the appendix tables right.

Each library's table grids go through the same ``ingest.tables`` reading; a cell counts when its
value comes back under its row label, column role and year, on its page. PyMuPDF is not a
dependency: install it (``pip install pymupdf``) to run its half.

    python -m hoidap.eval.table_extractors [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from hoidap.eval.official_corpus import generate
from hoidap.ingest.tables import table_rows


def plumber_tables(path: Path) -> list[tuple[int, list]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [(page.page_number, grid) for page in pdf.pages for grid in page.extract_tables()]


def mupdf_tables(path: Path) -> list[tuple[int, list]]:
    import pymupdf

    with pymupdf.open(path) as pdf:
        return [(page.number + 1, table.extract()) for page in pdf for table in page.find_tables().tables]


def score(extract, corpus: Path, truth: dict) -> dict:
    right = total = 0
    started = time.perf_counter()
    for pdf in sorted((corpus / "files" / "pdf").glob("*.pdf")):
        read = {}
        for page, grid in extract(pdf):
            for row in table_rows(grid):
                for cell in row.cells:
                    read[(row.label, cell.role, cell.year)] = (cell.value, page)
        for figure in truth["figures"]:
            if figure["source"] == pdf.name and figure["kind"] == "table":
                total += 1
                right += read.get((figure["label"], figure["role"], figure["year"])) == (figure["value"], figure["page"])
    return {"cells_right": right, "cells": total, "seconds": round(time.perf_counter() - started, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.table_extractors", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp)
        truth = generate(corpus, scans=False)
        results = {}
        for name, extract in (("pdfplumber", plumber_tables), ("pymupdf", mupdf_tables)):
            try:
                results[name] = score(extract, corpus, truth)
            except ImportError:
                results[name] = "not installed"
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
