#!/usr/bin/env bash
# What the slow tests need beyond pip's dependencies: a real browser (Debian chromium) for the chat
# page test, and llama-cpp-python's server (compiled from source, ~6 min on 2 cores, once) for the
# LLM integration test. System packages need root (CI runs as root). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++ make)
# OCR tests (tests/ingest/test_ocr.py): Tesseract with the Vietnamese model, pdftoppm.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; } || missing+=(tesseract-ocr-vie)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "setup-test-system: missing ${missing[*]} and not root: install them (apt) or the slow tests fail" >&2
        exit 1
    fi
    echo "setup-test-system: installing ${missing[*]} (Debian packages)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! .venv/bin/python -c "import llama_cpp.server" 2>/dev/null; then
    echo "setup-test-system: building llama-cpp-python[server] (about 6 minutes, once)" >&2
    # Not -march=native: on a CPU that reports AMX, a native build crashed with "Illegal instruction"
    # (the VM lists the AMX flags without enabling them). AVX2/FMA/F16C run on any x86-64 CI machine
    # of the last decade; --no-cache-dir so that a wheel built with other flags is not reused.
    CMAKE_ARGS="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
        CMAKE_BUILD_PARALLEL_LEVEL=2 \
        .venv/bin/python -m pip install -q --no-cache-dir --disable-pip-version-check "llama-cpp-python[server]==0.3.36"
fi
