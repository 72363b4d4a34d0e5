"""Specificity: which terms are over- or under-represented in a group of cases (issue 5).

For every term and every group (a province, a year, any case attribute value) the
cases form a 2 x 2 table::

                       has the term   lacks the term
    cases in group          a               b          a + b = n  (group size)
    all other cases         c               d          c + d = N - n
                          a + c = K                    N = all cases

The unit is the *case*, not the token: the question is "do cases from this
province mention the term more often than the other cases do?", which is the
study's own measure (the number of cases a core keyword occurs in).

Reported per cell:

- ``observed`` = a and ``expected`` = n K / N, the count expected if the term
  were spread over groups in proportion to their sizes.
- ``g2``: the log-likelihood ratio G² = 2 Σ O ln(O / E) over the four cells
  (Dunning 1993), signed: positive when a > expected (over-representation),
  negative when a < expected. It measures the *size* of the deviation on a scale
  comparable across cells; its chi-square approximation is not used for p-values.
- ``p_value``: Fisher's exact test, two-sided, for *every* cell. Why Fisher and not
  the chi-square p-value of G² or of Pearson's X²: a province typically holds a
  handful to a few dozen cases, so expected counts below 5 are the rule, and the
  chi-square approximation is then unreliable (too small p-values for rare
  terms). Fisher's test conditions on the margins and is exact at any size, so
  small cells are handled honestly rather than dropped. Two-sided p is the sum of
  the probabilities of all tables with the same margins that are no more likely
  than the observed one (relative tolerance 1e-7, as R's ``fisher.test``).
- ``q_value``: Benjamini-Hochberg adjusted p-values over *all* tested cells
  (every term x group pair in one family), controlling the false discovery rate.
  ``significant`` is ``q_value <= alpha``.
- ``odds_ratio``: (a + ½)(d + ½) / ((b + ½)(c + ½)), the Haldane-Anscombe
  correction, finite even when a cell is 0.
- ``low_expected``: expected < 5. Not a reason to distrust the exact p-value, but
  a reminder that a "significant" result rests on a few cases; read them.

Terms occurring in fewer than ``min_cases`` cases overall are not tested (a term
in one case can only ever be "specific" to that case's group), and so do not
dilute the FDR correction. The ``(missing)`` group is not tested by default
(``test_missing``); its cases still belong to the reference "all other cases".

Works on the sparse incidence: the a counts of all cells come from one sparse
product, and Fisher p-values are computed once per distinct (K, n) margin pair
over the whole hypergeometric support, so terms sharing a case frequency share
the work.

References:
    Dunning, T. (1993). Accurate methods for the statistics of surprise and
    coincidence. Computational Linguistics 19(1), 61-74.
    Fisher, R. A. (1922). On the interpretation of χ² from contingency tables,
    and the calculation of P. Journal of the Royal Statistical Society 85(1), 87-94.
    Agresti, A. (1992). A survey of exact inference for contingency tables.
    Statistical Science 7(1), 131-153.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
    Journal of the Royal Statistical Society B 57(1), 289-300.
    Haldane, J. B. S. (1956). The estimation and significance of the logarithm of
    a ratio of frequencies. Annals of Human Genetics 20(4), 309-311.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy import stats
from scipy.special import gammaln, xlogy

from ..settings import Boolean, Interval, validate
from .frequency import MISSING, Incidence, by_attribute

__all__ = [
    "SpecificityRow",
    "SpecificitySettings",
    "benjamini_hochberg",
    "fisher_two_sided",
    "signed_g2",
    "specificity",
]

# R's fisher.test uses this relative tolerance when collecting the tables "no more
# likely than the observed one"; it keeps tables of equal probability together
# despite rounding in the log-gamma arithmetic.
_REL_TOL = 1e-7


@dataclass(frozen=True)
class SpecificitySettings:
    """Settings of the specificity table (checked before any work)."""

    min_cases: int = 2
    alpha: float = 0.05
    test_missing: bool = False

    CONSTRAINTS: ClassVar[dict] = {
        "min_cases": Interval(int, 1),
        "alpha": Interval(float, 0, 1, closed="neither"),
        "test_missing": Boolean(),
    }


@dataclass(frozen=True)
class SpecificityRow:
    """One tested (term, group) cell. See the module docstring for each measure."""

    term: str
    group: str
    observed: int  # a: cases of the group with the term
    expected: float  # n K / N
    group_size: int  # n
    term_cases: int  # K: cases with the term, all groups
    n_cases: int  # N
    share_in_group: float  # a / n
    share_elsewhere: float  # c / (N - n)
    odds_ratio: float  # Haldane-Anscombe corrected
    g2: float  # signed log-likelihood G²
    p_value: float  # Fisher exact, two-sided
    q_value: float  # Benjamini-Hochberg over all tested cells
    significant: bool  # q_value <= alpha
    low_expected: bool  # expected < 5
    direction: str  # "over", "under" or "" (observed equals expected)


def signed_g2(a, b, c, d):
    """Signed log-likelihood ratio G² of 2 x 2 tables (numpy-vectorised).

    G² = 2 Σ O ln(O/E) over the four cells with E from the margins, 0 ln 0 = 0;
    positive when ``a`` exceeds its expected count (Dunning 1993).

    Example:
        >>> round(float(signed_g2(3, 0, 1, 2)), 6)
        3.819085
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    r1, r2, k1, k2 = a + b, c + d, a + c, b + d
    with np.errstate(divide="ignore", invalid="ignore"):
        e = [r1 * k1 / n, r1 * k2 / n, r2 * k1 / n, r2 * k2 / n]
        g = 2.0 * sum(
            np.where(o > 0, xlogy(o, o) - xlogy(o, ex), 0.0) for o, ex in zip((a, b, c, d), e)
        )
    # Rounding can leave a tiny negative value when O == E everywhere.
    g = np.maximum(g, 0.0)
    return np.sign(a - e[0]) * g


def fisher_two_sided(a: np.ndarray, term_cases: int, group_size: int, n_cases: int) -> np.ndarray:
    """Two-sided Fisher exact p-values for tables sharing their margins.

    All tables have ``n_cases`` cases, ``term_cases`` with the term and
    ``group_size`` in the group; ``a`` holds the observed in-group counts. The
    hypergeometric probabilities of the whole support are computed once, so any
    number of ``a`` values cost one pass. Agrees with
    ``scipy.stats.fisher_exact(table).pvalue`` up to the tie tolerance.
    """
    a = np.asarray(a, dtype=np.int64)
    lo = max(0, group_size + term_cases - n_cases)
    hi = min(group_size, term_cases)
    x = np.arange(lo, hi + 1, dtype=float)
    k, n, big_n = float(term_cases), float(group_size), float(n_cases)
    # Hypergeometric log-probabilities up to a constant, from log-gamma, then
    # normalised over the support. scipy.stats.hypergeom.pmf is exact too but
    # ~100x slower on long supports (it dominated the run time on 10k cases).
    log_w = -(gammaln(x + 1) + gammaln(k - x + 1) + gammaln(n - x + 1)
              + gammaln(big_n - k - n + x + 1))
    log_w -= log_w.max()
    pmf = np.exp(log_w)
    pmf /= pmf.sum()
    ordered = np.sort(pmf)
    cumulative = np.cumsum(ordered)
    observed = pmf[a - lo]
    upto = np.searchsorted(ordered, observed * (1 + _REL_TOL), side="right")
    return np.minimum(cumulative[upto - 1], 1.0)


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values) of one family of tests.

    Example:
        >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
        [0.03, 0.04, 0.04]
    """
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    return stats.false_discovery_control(p, method="bh")


def specificity(
    inc: Incidence,
    attributes: Mapping[str, Any],
    *,
    min_cases: int = 2,
    alpha: float = 0.05,
    test_missing: bool = False,
) -> list[SpecificityRow]:
    """Test every (term, group) cell for over- or under-representation.

    Args:
        inc: the case x term incidence (terms may be keywords or codes).
        attributes: ``{case_id: value}`` giving each case's group.
        min_cases: test only terms occurring in at least this many cases.
        alpha: FDR level for ``significant``.
        test_missing: also test the ``(missing)`` group.

    Returns:
        rows ordered by group (table order), then by q-value, then by signed G²
        (most over-represented first), then term. Groups that hold every case
        cannot be compared with anything and give no rows.

    Example:
        >>> from caseminer.analysis.frequency import build_incidence
        >>> inc = build_incidence({"a": {"x": 1}, "b": {"x": 1}, "c": {}, "d": {}})
        >>> rows = specificity(inc, {"a": "P", "b": "P", "c": "Q", "d": "Q"})
        >>> [(r.term, r.group, r.observed, r.p_value) for r in rows]
        [('x', 'P', 2, 0.3333333333333333), ('x', 'Q', 0, 0.3333333333333333)]
    """
    validate(
        SpecificitySettings(min_cases=min_cases, alpha=alpha, test_missing=test_missing),
        "stats",
    )
    table = by_attribute(inc, attributes, measure="cases")
    n_total = inc.n_cases
    term_cases = inc.case_counts()
    sizes = np.asarray(table.group_sizes, dtype=np.int64)

    term_idx = np.flatnonzero(term_cases >= min_cases)
    group_idx = np.array(
        [
            j
            for j, g in enumerate(table.groups)
            if (test_missing or g != MISSING) and 0 < sizes[j] < n_total
        ],
        dtype=np.int64,
    )
    if term_idx.size == 0 or group_idx.size == 0:
        return []

    # All cells at once, as (terms x groups) arrays.
    a = table.values[np.ix_(term_idx, group_idx)]
    k = term_cases[term_idx][:, None] + np.zeros_like(a)
    n = sizes[group_idx][None, :] + np.zeros_like(a)
    b = n - a
    c = k - a
    d = n_total - n - c
    expected = n * k / n_total
    g2 = signed_g2(a, b, c, d)
    odds = ((a + 0.5) * (d + 0.5)) / ((b + 0.5) * (c + 0.5))

    p = np.empty(a.shape, dtype=float)
    # One hypergeometric support per distinct (K, n) margin pair.
    flat_k, flat_n, flat_a = k.ravel(), n.ravel(), a.ravel()
    p_flat = p.ravel()
    pairs = np.stack([flat_k, flat_n], axis=1)
    uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
    for u, (kk, nn) in enumerate(uniq):
        cells = order[bounds[u] : bounds[u + 1]]
        p_flat[cells] = fisher_two_sided(flat_a[cells], int(kk), int(nn), n_total)
    q = benjamini_hochberg(p.ravel()).reshape(p.shape)

    rows: list[tuple[tuple, SpecificityRow]] = []
    for i_pos, i in enumerate(term_idx):
        term = inc.terms[i]
        for j_pos, j in enumerate(group_idx):
            aa, nn, kk = int(a[i_pos, j_pos]), int(n[i_pos, j_pos]), int(k[i_pos, j_pos])
            row = SpecificityRow(
                term=term,
                group=table.groups[j],
                observed=aa,
                expected=float(expected[i_pos, j_pos]),
                group_size=nn,
                term_cases=kk,
                n_cases=n_total,
                share_in_group=aa / nn,
                share_elsewhere=(kk - aa) / (n_total - nn),
                odds_ratio=float(odds[i_pos, j_pos]),
                g2=float(g2[i_pos, j_pos]),
                p_value=float(p[i_pos, j_pos]),
                q_value=float(q[i_pos, j_pos]),
                significant=bool(q[i_pos, j_pos] <= alpha),
                low_expected=bool(expected[i_pos, j_pos] < 5),
                direction="over" if g2[i_pos, j_pos] > 0 else
                "under" if g2[i_pos, j_pos] < 0 else "",
            )
            rows.append(((int(j), row.q_value, -row.g2, term), row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]
