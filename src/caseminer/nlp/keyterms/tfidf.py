"""TF-IDF weights: how often a term is used in a case, discounted by how many cases use it.

Two inverse document frequencies are used:

* the **project IDF**, from the project's own cases: a term in every case
  (脱贫攻坚 in a poverty corpus) gets a low weight, a term of one case a high
  one;
* an optional **background IDF**, from a general corpus: jieba ships one
  (``jieba/analyse/idf.txt``, 270 k words), read by :func:`load_background_idf`.
  It separates domain terms from general words that happen to be rare in a small
  project (工作人员, 大家伙). A multi-word term missing from the background gets
  the mean IDF of its parts found there (a compound of general words stays
  general), else the background's median, as jieba does.

References:
    Spärck Jones, K. (1972). A statistical interpretation of term specificity
    and its application in retrieval. Journal of Documentation 28(1), 11-21.
    Salton, G., Buckley, C. (1988). Term-weighting approaches in automatic text
    retrieval. Information Processing & Management 24(5), 513-523.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Iterable, Mapping, Sequence

from ...errors import BackendMissing, InvalidInput
from ..tokens import Token

__all__ = [
    "background_idf_of",
    "corpus_idf",
    "background_median",
    "load_background_idf",
    "tfidf",
    "tfidf_scores",
]

log = logging.getLogger(__name__)


def corpus_idf(docfreq: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """Smoothed inverse document frequency ``log((1 + N) / (1 + df)) + 1``.

    The smoothing (scikit-learn's ``smooth_idf``) keeps a term present in every
    case at weight 1 rather than 0, so in a corpus of one case TF still ranks.

    >>> round(corpus_idf({"扶贫车间": 1, "脱贫攻坚": 3}, 3)["扶贫车间"], 3)
    1.693
    """
    if n_docs < 0:
        raise InvalidInput(f"n_docs must be >= 0, got {n_docs}.")
    return {t: math.log((1 + n_docs) / (1 + df)) + 1.0 for t, df in docfreq.items()}


@functools.lru_cache(maxsize=1)
def load_background_idf() -> dict[str, float]:
    """jieba's bundled IDF table (``jieba/analyse/idf.txt``) as ``word -> idf``.

    Read once from the installed jieba package, never downloaded. Raises
    :class:`BackendMissing` if jieba or the file is missing.
    """
    try:
        import jieba  # noqa: PLC0415
    except ImportError:  # pragma: no cover - jieba is a core dependency
        raise BackendMissing(
            "The background IDF needs the package 'jieba', which is not installed. "
            "Install it with: pip install jieba==0.42.1"
        ) from None
    path = os.path.join(os.path.dirname(jieba.__file__), "analyse", "idf.txt")
    if not os.path.exists(path):
        raise BackendMissing(
            f"jieba is installed but its IDF table {path} is missing. Reinstall it with: "
            "pip install --force-reinstall jieba==0.42.1"
        )
    out: dict[str, float] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    continue
    log.debug("read %d background IDF values from %s", len(out), path)
    return out


def _median(values: Iterable[float]) -> float:
    vals = sorted(values)
    if not vals:
        return 0.0
    mid = len(vals) // 2
    return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2


@functools.lru_cache(maxsize=1)
def background_median() -> float:
    """Median IDF of the background table (jieba uses it for unknown words)."""
    return _median(load_background_idf().values())


def background_idf_of(
    term: str,
    parts: Sequence[str] | None,
    background: Mapping[str, float],
    median: float,
) -> float:
    """Background IDF of ``term``: its own value, else the mean over its listed
    ``parts`` (the words it was built from), else ``median``."""
    value = background.get(term)
    if value is not None:
        return value
    if parts:
        known = [background[p] for p in parts if p in background]
        if known:
            return sum(known) / len(known)
    return median


def tfidf_scores(
    counts: Mapping[str, float],
    idf: Mapping[str, float],
    *,
    default_idf: float | None = None,
) -> dict[str, float]:
    """``tf * idf`` for every term of ``counts``, with ``tf`` the count over the
    total count. Terms missing from ``idf`` get ``default_idf`` (default: the
    median of ``idf``)."""
    total = sum(counts.values())
    if total <= 0:
        return {}
    if default_idf is None:
        default_idf = _median(idf.values()) if idf else 1.0
    return {t: (c / total) * idf.get(t, default_idf) for t, c in counts.items() if c > 0}


def tfidf(
    tokens: Sequence[Token],
    idf: Mapping[str, float] | None = None,
    *,
    topn: int = 10,
    min_len: int = 2,
    stopwords: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """The ``topn`` words of one token list by TF-IDF (word level, no term building).

    ``idf`` defaults to the background table (:func:`load_background_idf`), which
    makes this jieba's ``extract_tags`` over caseminer tokens. Use
    :func:`caseminer.nlp.keyterms.extract_keywords` for whole terms.

    >>> toks = [Token("车间", "n", 0, 2), Token("车间", "n", 2, 4), Token("的", "uj", 4, 5)]
    >>> tfidf(toks, {"车间": 2.0})
    [('车间', 2.0)]
    """
    stop = set(stopwords)
    idf = load_background_idf() if idf is None else idf
    counts: dict[str, int] = {}
    for t in tokens:
        w = t.word.strip()
        if len(w) >= min_len and w not in stop and any(ch.isalnum() for ch in w):
            counts[w] = counts.get(w, 0) + 1
    scores = tfidf_scores(counts, idf)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:topn]
