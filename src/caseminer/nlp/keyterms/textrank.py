"""TextRank: terms ranked by PageRank over their co-occurrence graph in one case.

Each distinct term is a node; two terms are linked when they occur within
``window_size`` positions of each other in the case's term sequence (edge weight
= number of such co-occurrences). A term is important if it is linked to many
important terms. caseminer runs it over *term candidates* (whole terms, see
:mod:`.candidates`), not single tokens, so that 扶贫车间 competes as one node.

References:
    Mihalcea, R., Tarau, P. (2004). TextRank: Bringing order into texts. In
    Proceedings of EMNLP 2004, 404-411.
    Page, L., Brin, S., Motwani, R., Winograd, T. (1999). The PageRank citation
    ranking: Bringing order to the Web. Stanford InfoLab technical report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

import numpy as np
from scipy import sparse

from ...errors import InvalidInput
from ..tokens import Token

__all__ = ["pagerank", "textrank", "textrank_scores"]

# Parts of speech TextRank keeps when run on plain tokens (jieba's default set).
DEFAULT_POS = frozenset({"n", "nz", "vn", "v", "ns", "nt", "l", "j", "n_new"})


def pagerank(
    edges: dict[str, dict[str, float]],
    *,
    damping: float = 0.85,
    max_iter: int = 100,
    tol: float = 1.0e-6,
) -> dict[str, float]:
    """Weighted PageRank of an undirected graph ``node -> {neighbour: weight}``.

    Scores sum to 1. Isolated nodes get the teleport share only.
    """
    if not 0.0 <= damping < 1.0:
        raise InvalidInput(f"PageRank damping must be in [0, 1), got {damping}.")
    nodes = list(edges)
    n = len(nodes)
    if n == 0:
        return {}
    index = {u: i for i, u in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, nb in edges.items():
        for v, w in nb.items():
            rows.append(index[v])
            cols.append(index[u])
            vals.append(float(w))
    # Column-stochastic transition matrix M[v, u] = w(u, v) / out(u).
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    out_w = np.asarray(m.sum(axis=0)).ravel()
    dangling = out_w == 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out_w[~dangling]
    m = m @ sparse.diags(inv)
    score = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (m @ score) + (1.0 - damping + damping * score[dangling].sum()) / n
        delta = np.abs(new - score).sum()
        score = new
        if delta < tol * n:
            break
    return {u: float(score[i]) for u, i in index.items()}


def textrank_scores(
    sequence: Sequence[str] | Sequence[Sequence[str]],
    *,
    window_size: int = 5,
    damping: float = 0.85,
) -> dict[str, float]:
    """TextRank score of every term of ``sequence``.

    ``sequence`` is the case's terms in text order, or a list of such runs
    (sentences): terms in different runs are never linked.

    >>> s = textrank_scores(["扶贫车间", "就业", "扶贫车间", "增收"], window_size=2)
    >>> max(s, key=s.get)
    '扶贫车间'
    """
    if window_size < 2:
        raise InvalidInput(f"TextRank window_size must be >= 2, got {window_size}.")
    runs: Sequence[Sequence[str]]
    if sequence and isinstance(sequence[0], str):
        runs = [sequence]  # type: ignore[list-item]
    else:
        runs = sequence  # type: ignore[assignment]
    edges: dict[str, dict[str, float]] = defaultdict(dict)
    for run in runs:
        for i, u in enumerate(run):
            edges.setdefault(u, {})
            for v in run[i + 1 : i + window_size]:
                if v == u:
                    continue
                edges[u][v] = edges[u].get(v, 0.0) + 1.0
                edges[v][u] = edges[v].get(u, 0.0) + 1.0
    return pagerank(dict(edges), damping=damping)


def textrank(
    tokens: Sequence[Token],
    *,
    window_size: int = 5,
    topn: int = 10,
    include_pos: Collection[str] = DEFAULT_POS,
    min_len: int = 2,
    stopwords: Collection[str] = (),
) -> list[tuple[str, float]]:
    """The ``topn`` words of one token list by TextRank (word level, as jieba's
    ``textrank``: only ``include_pos`` words, linked within ``window_size``).

    Use :func:`caseminer.nlp.keyterms.extract_keywords` for whole terms.
    """
    stop = set(stopwords)
    seq = [
        t.word
        for t in tokens
        if t.pos in include_pos and len(t.word) >= min_len and t.word not in stop
    ]
    scores = textrank_scores(seq, window_size=window_size) if seq else {}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:topn]
