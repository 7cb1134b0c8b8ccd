"""Any sentence-transformers model (a hub name or a local folder) as a LangChain ``Embeddings``.

For machines that can reach a model hub, or that carry a model folder. e5-family models need their
"query: " / "passage: " prefixes; they are applied when the model name says e5.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings


class SentenceTransformerEmbeddings(Embeddings):
    def __init__(self, model_name_or_path: str, device: str = "cpu") -> None:
        if not model_name_or_path:
            raise ValueError(
                "HOIDAP_EMBEDDING_MODEL is empty: name a sentence-transformers model or a local model folder"
            )
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_name_or_path, device=device)
        self.name = f"sentence-transformers/{model_name_or_path}"
        # sentence-transformers >= 6 renamed the method; keep working with 5.x too.
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        e5 = "e5" in model_name_or_path.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        prefixed = [self._passage_prefix + t for t in texts]
        return self._model.encode(prefixed, normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([self._query_prefix + text], normalize_embeddings=True)[0].tolist()
