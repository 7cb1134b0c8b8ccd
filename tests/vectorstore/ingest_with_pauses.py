"""``hoidap`` with a marked pause after every Chroma write, so a test can SIGKILL it at that exact point.

The ingest is the real one (``app.cli.main``); only chromadb's ``Collection.upsert/update/delete/
modify`` are wrapped to print ``@@step NAME`` on stderr after the write returns and then wait
``HOIDAP_TEST_PAUSE_S`` seconds, which is when the test kills the process. Random-delay kills rarely
land in the few milliseconds a write takes; this puts one on each side of every write.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from chromadb.api.models.Collection import Collection  # noqa: E402

PAUSE_S = float(os.environ.get("HOIDAP_TEST_PAUSE_S", "2"))


def _pausing(name: str, method):
    def wrapper(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        print(f"\n@@step {name}", file=sys.stderr, flush=True)
        time.sleep(PAUSE_S)
        return result

    return wrapper


for _name in ("upsert", "update", "delete", "modify"):
    setattr(Collection, _name, _pausing(_name, getattr(Collection, _name)))

if __name__ == "__main__":
    from hoidap.app.cli import main

    raise SystemExit(main(sys.argv[1:]))
