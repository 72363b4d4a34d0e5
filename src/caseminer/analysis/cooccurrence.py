"""Co-occurrence of terms within cases, and its export for Gephi (issue 5).

Two terms co-occur when both occur in the same case (how often within the case
does not matter). With B the binary case x term matrix, the term x term matrix of
co-occurrence counts is BᵀB: its diagonal holds each term's case frequency. One
sparse product computes it, so the cost grows with the number of co-occurring
pairs actually present, never with terms² through a Python double loop.

For a pair (x, y) with case frequencies f(x), f(y), co-occurrence count f(x, y)
and N cases:

- ``jaccard`` = f(x, y) / (f(x) + f(y) - f(x, y)): the share of cases with either
  term that have both.
- ``pmi`` = log2( f(x, y) N / (f(x) f(y)) ): pointwise mutual information in bits
  (Church & Hanks 1990); 0 means independent, positive means they attract.
- ``npmi`` = pmi / -log2( f(x, y) / N ), normalised to [-1, 1] (Bouma 2009); 1
  when the two terms always occur together. A pair in every case has
  -log2(1) = 0 in the denominator and gets npmi 1 by convention.

References:
    Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
    and lexicography. Computational Linguistics 16(1), 22-29.
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation
    extraction. Proceedings of GSCL, 31-40.
    Jaccard, P. (1912). The distribution of the flora in the alpine zone.
    New Phytologist 11(2), 37-50.
    Brandes, U. et al. (2013). Graph markup language (GraphML). In Handbook of
    Graph Drawing and Visualization, 517-541.
"""

from __future__ import annotations

import gc
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np
from scipy import sparse

from ..errors import InvalidInput
from ..settings import Interval, Optional_, validate
from .frequency import FrequencyRow, Incidence, write_csv

__all__ = [
    "CooccurrenceSettings",
    "Pair",
    "cooccurrence",
    "cooccurrence_matrix",
    "to_csv",
    "to_graphml",
]


@dataclass(frozen=True)
class CooccurrenceSettings:
    """Settings of the co-occurrence table (checked before any work)."""

    min_count: int = 1
    top: int | None = None

    CONSTRAINTS: ClassVar[dict] = {
        "min_count": Interval(int, 1),
        "top": Optional_(Interval(int, 1)),
    }


class Pair(NamedTuple):
    """Two terms (``a`` < ``b`` in code point order) and how they co-occur."""

    a: str
    b: str
    count: int  # cases containing both
    jaccard: float
    pmi: float  # bits
    npmi: float


def cooccurrence_matrix(inc: Incidence) -> sparse.csr_matrix:
    """The term x term co-occurrence counts BᵀB (diagonal = case frequencies)."""
    b = inc.binary()
    return (b.T @ b).tocsr()


def cooccurrence(inc: Incidence, *, min_count: int = 1, top: int | None = None) -> list[Pair]:
    """List co-occurring term pairs with count, Jaccard, PMI and NPMI.

    Args:
        inc: the incidence (terms may be keywords or codes).
        min_count: keep pairs co-occurring in at least this many cases.
        top: keep only the ``top`` pairs after sorting (None: all).

    Returns:
        pairs sorted by count (highest first), then by ``a``, then ``b``.

    Example:
        >>> from caseminer.analysis.frequency import build_incidence
        >>> inc = build_incidence({"1": {"x": 1, "y": 1}, "2": {"x": 1}, "3": {"y": 2}, "4": {}})
        >>> cooccurrence(inc)
        [Pair(a='x', b='y', count=1, jaccard=0.3333333333333333, pmi=0.0, npmi=0.0)]
    """
    validate(CooccurrenceSettings(min_count=min_count, top=top), "stats")
    n_cases = inc.n_cases
    if inc.n_terms < 2 or n_cases == 0:
        return []
    c = cooccurrence_matrix(inc)
    df = c.diagonal().astype(np.int64)
    upper = sparse.triu(c, k=1, format="csr")
    upper.sort_indices()
    # Row-major with sorted columns, i.e. already ordered by (a, b): a stable
    # sort on the count alone gives (count desc, a, b) without a 3-key lexsort.
    rows = np.repeat(np.arange(upper.shape[0]), np.diff(upper.indptr))
    keep = upper.data >= min_count
    i, j, count = rows[keep], upper.indices[keep], upper.data[keep].astype(np.int64)
    # Sort before building Python objects, so `top` never materialises the rest.
    order = np.argsort(-count, kind="stable")
    if top is not None:
        order = order[:top]
    i, j, count = i[order], j[order], count[order]
    fi, fj = df[i].astype(float), df[j].astype(float)
    cf = count.astype(float)
    jaccard = cf / (fi + fj - cf)
    pmi = np.log2(cf * n_cases / (fi * fj))
    h = -np.log2(cf / n_cases)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(h > 0, pmi / np.where(h > 0, h, 1.0), 1.0)
    # Build the tuples from plain lists: indexing numpy scalars one by one costs
    # ~5x more when there are millions of pairs.
    terms = np.asarray(inc.terms, dtype=object)
    columns = (terms[i].tolist(), terms[j].tolist(), count.tolist(), jaccard.tolist(),
               pmi.tolist(), npmi.tolist())
    with _gc_paused():
        return list(map(Pair._make, zip(*columns)))


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building millions of tuples.

    The tuples hold no reference cycles, but each allocation burst triggers a
    full-generation scan of everything alive: with 6M pairs that took 75% of the
    run time (measured on 10k news stories, benchmarks/stats_scale.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_csv(pairs: Iterable[Pair], path: str | Path) -> Path:
    """Write pairs to a UTF-8 CSV (with BOM for Excel): a, b, count, jaccard, pmi, npmi."""
    return write_csv(pairs, path, header=Pair._fields)


def _node_sizes(node_freq: Mapping[str, int] | Iterable[FrequencyRow]) -> dict[str, int]:
    if isinstance(node_freq, Mapping):
        return {str(k): int(v) for k, v in node_freq.items()}
    return {row[0]: int(row[1]) for row in node_freq}


def to_graphml(
    pairs: Iterable[Pair],
    node_freq: Mapping[str, int] | Iterable[FrequencyRow],
    path: str | Path,
    *,
    include_isolated: bool = False,
) -> Path:
    """Write the co-occurrence network as GraphML (opens in Gephi, networkx, yEd).

    Nodes are terms, with attributes ``label`` and ``n_cases`` (case frequency);
    undirected edges carry ``weight`` (= count, Gephi's default edge weight),
    ``jaccard``, ``pmi`` and ``npmi``. Written directly with the standard
    library, so networkx is not needed; the output is deterministic (nodes by
    case frequency, then term; edges in ``pairs`` order).

    Args:
        pairs: from :func:`cooccurrence`.
        node_freq: ``{term: n_cases}`` or the rows of ``case_frequency``.
        path: the ``.graphml`` file to write (parent folders are created).
        include_isolated: also write terms of ``node_freq`` that are in no pair.
    """
    path = Path(path)
    pairs = list(pairs)
    sizes = _node_sizes(node_freq)
    used = {p.a for p in pairs} | {p.b for p in pairs}
    missing = sorted(used - sizes.keys())
    if missing:
        raise InvalidInput(
            f"{path}: {len(missing)} term(s) of the pairs have no case frequency in "
            f"node_freq: {', '.join(map(repr, missing[:5]))}. Pass the case_frequency "
            "rows of the same incidence."
        )
    nodes = sorted(sizes if include_isolated else used, key=lambda t: (-sizes[t], t))

    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element(
        "graphml",
        {
            "xmlns": ns,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{ns} {ns}/1.0/graphml.xsd",
        },
    )
    keys = [
        ("label", "node", "label", "string"),
        ("n_cases", "node", "n_cases", "int"),
        ("weight", "edge", "weight", "double"),
        ("count", "edge", "count", "int"),
        ("jaccard", "edge", "jaccard", "double"),
        ("pmi", "edge", "pmi", "double"),
        ("npmi", "edge", "npmi", "double"),
    ]
    for key_id, target, name, kind in keys:
        ET.SubElement(
            root, "key", {"id": key_id, "for": target, "attr.name": name, "attr.type": kind}
        )
    graph = ET.SubElement(root, "graph", {"id": "cooccurrence", "edgedefault": "undirected"})

    def data(parent: ET.Element, key: str, value: Any) -> None:
        el = ET.SubElement(parent, "data", {"key": key})
        el.text = repr(float(value)) if isinstance(value, float) else str(value)

    for term in nodes:
        node = ET.SubElement(graph, "node", {"id": term})
        data(node, "label", term)
        data(node, "n_cases", sizes[term])
    for k, p in enumerate(pairs):
        for v in (p.jaccard, p.pmi, p.npmi):
            if not math.isfinite(v):
                raise InvalidInput(f"{path}: pair {p.a!r}-{p.b!r} has a non-finite measure {v}.")
        edge = ET.SubElement(graph, "edge", {"id": f"e{k}", "source": p.a, "target": p.b})
        data(edge, "weight", float(p.count))
        data(edge, "count", p.count)
        data(edge, "jaccard", p.jaccard)
        data(edge, "pmi", p.pmi)
        data(edge, "npmi", p.npmi)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
