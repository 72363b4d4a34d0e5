"""Keyword x case incidence, case frequencies and keyword x attribute tables (issue 5).

Everything here is a pure function over plain data: ``case_terms`` maps a case id
to ``{term: count}`` (a term is a core keyword, or later a code: the tables do not
care), and case attributes map a case id to one value (province, year, region...).

The case x term matrix is kept as a ``scipy.sparse`` CSR matrix so that tens of
thousands of cases with thousands of terms cost memory in proportion to the number
of (case, term) pairs actually present, never cases x terms.

Example::

    >>> inc = build_incidence({"c1": {"扶贫产业": 2}, "c2": {"扶贫产业": 1, "乡村旅游": 1}})
    >>> case_frequency(inc)[0]
    FrequencyRow(term='扶贫产业', n_cases=2, share=1.0)

The study's "relative frequency" of a core keyword is its *case frequency*: the
number of cases it occurs in (STUDY.md, step 7), not its number of occurrences.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from ..errors import InvalidInput, InvalidSetting

__all__ = [
    "MISSING",
    "CrossRow",
    "CrossTable",
    "FrequencyRow",
    "Incidence",
    "build_incidence",
    "by_attribute",
    "case_frequency",
    "group_labels",
    "term_occurrences",
    "write_csv",
]

#: The group name for cases whose attribute is missing (None, empty or absent).
#: Such cases are reported as their own group, never dropped, so that the group
#: sizes always add up to the number of cases.
MISSING = "(missing)"


@dataclass(frozen=True, eq=False)
class Incidence:
    """A case x term matrix of counts.

    ``case_ids`` label the rows (in the order given to :func:`build_incidence`),
    ``terms`` the columns (sorted, so that results do not depend on dict order),
    ``counts`` is a CSR matrix of shape ``(len(case_ids), len(terms))`` holding the
    number of occurrences of each term in each case (int64, no stored zeros).
    """

    case_ids: tuple[str, ...]
    terms: tuple[str, ...]
    counts: sparse.csr_matrix

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    @property
    def n_terms(self) -> int:
        return len(self.terms)

    def binary(self) -> sparse.csr_matrix:
        """The 0/1 incidence matrix (1 where the term occurs in the case)."""
        b = self.counts.copy()
        b.data = np.ones_like(b.data)
        return b

    def case_counts(self) -> np.ndarray:
        """Number of cases each term occurs in, aligned with ``terms``."""
        # The number of stored entries per column equals the case frequency,
        # because build_incidence stores no zeros.
        return np.bincount(self.counts.indices, minlength=self.n_terms).astype(np.int64)

    def term_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}

    def long_rows(self) -> Iterable[tuple[str, str, int]]:
        """Yield ``(case_id, term, count)`` for every present pair (for CSV export).

        The long form is the only incidence export that scales: a wide
        cases x terms sheet of 75k x 5k cells is mostly zeros.
        """
        indptr, indices, data = self.counts.indptr, self.counts.indices, self.counts.data
        for row, case_id in enumerate(self.case_ids):
            for k in range(indptr[row], indptr[row + 1]):
                yield case_id, self.terms[indices[k]], int(data[k])


class FrequencyRow(NamedTuple):
    """One row of the case-frequency list: ``share = n_cases / number of cases``."""

    term: str
    n_cases: int
    share: float


class CrossRow(NamedTuple):
    """One (term, group) cell of a :class:`CrossTable` in long form."""

    term: str
    group: str
    value: int
    group_size: int
    share: float


@dataclass(frozen=True, eq=False)
class CrossTable:
    """A term x group table.

    ``values[i, j]`` is, for ``measure="cases"``, the number of cases of group
    ``groups[j]`` that contain ``terms[i]``; for ``measure="occurrences"`` the
    total number of occurrences of the term in the group's cases.
    ``group_sizes[j]`` is the number of cases in the group (all cases, also those
    without any term) and ``group_totals[j]`` the sum of the measure over terms.
    """

    terms: tuple[str, ...]
    groups: tuple[str, ...]
    values: np.ndarray
    group_sizes: tuple[int, ...]
    group_totals: tuple[int, ...]
    measure: str

    def shares(self) -> np.ndarray:
        """Shares per group, as a float array shaped like ``values``.

        ``cases``: the share of the group's cases that contain the term.
        ``occurrences``: the term's share of all term occurrences in the group.
        Empty denominators give 0.0 (a group with no cases has no share).
        """
        denom = np.asarray(
            self.group_sizes if self.measure == "cases" else self.group_totals, dtype=float
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(denom > 0, self.values / np.where(denom > 0, denom, 1.0), 0.0)
        return out

    def rows(self) -> list[CrossRow]:
        """The table in long form, term by term, groups in table order."""
        shares = self.shares()
        return [
            CrossRow(term, group, int(self.values[i, j]), self.group_sizes[j], float(shares[i, j]))
            for i, term in enumerate(self.terms)
            for j, group in enumerate(self.groups)
        ]


def build_incidence(
    case_terms: Mapping[str, Mapping[str, int]],
    *,
    case_ids: Iterable[str] | None = None,
) -> Incidence:
    """Build the sparse case x term count matrix.

    Args:
        case_terms: ``{case_id: {term: count}}``. Counts must be non-negative
            integers; zero counts are treated as absent.
        case_ids: all cases of the analysis, in order. Give it to include cases
            that have no term at all: they count in group sizes and shares
            (a case without keywords is still a case). Defaults to the keys of
            ``case_terms``. Every key of ``case_terms`` must be among them.

    Returns:
        an :class:`Incidence` with the terms sorted.

    Example:
        >>> build_incidence({"a": {"x": 1}}, case_ids=["a", "b"]).n_cases
        2
    """
    ids = list(case_terms.keys()) if case_ids is None else [str(c) for c in case_ids]
    position: dict[str, int] = {}
    for k, case_id in enumerate(ids):
        if case_id in position:
            raise InvalidInput(
                f"The case id {case_id!r} is given twice to build_incidence. "
                "Give every case once."
            )
        position[case_id] = k
    unknown = [c for c in case_terms if c not in position]
    if unknown:
        raise InvalidInput(
            f"{len(unknown)} case(s) have terms but are not in case_ids: "
            f"{', '.join(map(repr, unknown[:5]))}. Add them to case_ids, or leave "
            "case_ids out to use the cases of case_terms."
        )
    terms = sorted({t for counts in case_terms.values() for t, n in counts.items() if n})
    column = {t: j for j, t in enumerate(terms)}
    rows: list[int] = []
    cols: list[int] = []
    data: list[int] = []
    for case_id, counts in case_terms.items():
        for term, n in counts.items():
            if not isinstance(term, str) or not term:
                raise InvalidInput(
                    f"Case {case_id!r}: the term {term!r} is not a non-empty text. "
                    "Terms must be strings."
                )
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise InvalidInput(
                    f"Case {case_id!r}, term {term!r}: the count must be a "
                    f"non-negative integer. Got {n!r} instead."
                )
            if n:
                rows.append(position[case_id])
                cols.append(column[term])
                data.append(int(n))
    counts = sparse.csr_matrix(
        (np.asarray(data, dtype=np.int64), (np.asarray(rows, dtype=np.int64),
                                            np.asarray(cols, dtype=np.int64))),
        shape=(len(ids), len(terms)),
        dtype=np.int64,
    )
    counts.sum_duplicates()
    counts.sort_indices()
    return Incidence(tuple(ids), tuple(terms), counts)


def case_frequency(inc: Incidence) -> list[FrequencyRow]:
    """For each term, the number (and share) of cases it occurs in.

    Sorted by number of cases, highest first, then by term (code point order) so
    that ties are listed reproducibly. This is the study's top-keyword list.

    Example:
        >>> inc = build_incidence({"a": {"x": 1, "y": 3}, "b": {"y": 1}})
        >>> [tuple(r) for r in case_frequency(inc)]
        [('y', 2, 1.0), ('x', 1, 0.5)]
    """
    n = inc.case_counts()
    total = inc.n_cases
    order = sorted(range(inc.n_terms), key=lambda j: (-int(n[j]), inc.terms[j]))
    return [
        FrequencyRow(inc.terms[j], int(n[j]), (int(n[j]) / total) if total else 0.0)
        for j in order
    ]


def term_occurrences(inc: Incidence) -> dict[str, int]:
    """Total number of occurrences of each term over all cases."""
    sums = np.asarray(inc.counts.sum(axis=0)).ravel()
    return {t: int(sums[j]) for j, t in enumerate(inc.terms)}


def group_labels(
    inc: Incidence, attributes: Mapping[str, Any], order: Sequence[str] | None = None
) -> tuple[tuple[str, ...], np.ndarray]:
    """Assign every case of ``inc`` to a group by its attribute value.

    Returns ``(groups, index)`` where ``index[k]`` is the position in ``groups``
    of case ``inc.case_ids[k]``. Values are turned into text (so a year 2020 and
    "2020" are one group); None, empty text and cases absent from ``attributes``
    go to the :data:`MISSING` group, listed last. Groups are ordered numerically
    when every value is a number (years), else by code point; ``order`` puts the groups
    it names first, in its order (provinces as statistical yearbooks list them).

    Raises InvalidInput if ``attributes`` names cases that are not in ``inc``:
    group sizes would silently be wrong otherwise.
    """
    known = set(inc.case_ids)
    stray = [c for c in attributes if c not in known]
    if stray:
        raise InvalidInput(
            f"{len(stray)} case(s) have an attribute but are not in the incidence: "
            f"{', '.join(map(repr, stray[:5]))}. Build the incidence with every case "
            "(build_incidence(..., case_ids=all_case_ids)) so that group sizes are right."
        )
    labels = []
    for case_id in inc.case_ids:
        value = attributes.get(case_id)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            labels.append(MISSING)
            continue
        text = str(value).strip()
        labels.append(text if text else MISSING)
    present = {lab for lab in labels if lab != MISSING}

    def as_number(s: str) -> float | None:
        try:
            return float(s)
        except ValueError:
            return None

    if present and all(as_number(s) is not None for s in present):
        ordered = sorted(present, key=lambda s: (as_number(s), s))
    else:
        ordered = sorted(present)
    if order is not None:
        rank = {group: k for k, group in enumerate(order)}
        ordered = sorted(ordered, key=lambda g: rank.get(g, len(rank)))  # stable: the rest keep their order
    if MISSING in labels:
        ordered.append(MISSING)
    where = {g: k for k, g in enumerate(ordered)}
    return tuple(ordered), np.fromiter((where[lab] for lab in labels), dtype=np.int64,
                                       count=len(labels))


def _group_indicator(index: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    n = len(index)
    return sparse.csr_matrix(
        (np.ones(n, dtype=np.int64), (np.arange(n), index)), shape=(n, n_groups)
    )


def by_attribute(
    inc: Incidence, attributes: Mapping[str, Any], *, measure: str = "cases",
    order: Sequence[str] | None = None,
) -> CrossTable:
    """Cross-tabulate terms by a case attribute (province, year, region...).

    Args:
        inc: the incidence.
        attributes: ``{case_id: value}``; see :func:`group_labels` for how values
            become groups and how missing values are kept as a group.
        measure: ``"cases"`` (cases of the group containing the term; the study's
            measure) or ``"occurrences"`` (sum of counts in the group's cases).
        order: groups to list first, in this order (see :func:`group_labels`).

    Returns:
        a :class:`CrossTable`, terms in ``inc`` order.

    Example:
        >>> inc = build_incidence({"a": {"x": 2}, "b": {"x": 1}, "c": {}})
        >>> t = by_attribute(inc, {"a": "粤", "b": "粤", "c": "黔"})
        >>> t.values.tolist(), t.group_sizes
        ([[2, 0]], (2, 1))
    """
    if measure not in ("cases", "occurrences"):
        raise InvalidSetting(
            f"The 'measure' setting of stats must be one of 'cases', 'occurrences'. "
            f"Got {measure!r} instead."
        )
    groups, index = group_labels(inc, attributes, order)
    g = _group_indicator(index, len(groups))
    x = inc.binary() if measure == "cases" else inc.counts
    # term x group via one sparse product: no Python loop over cells.
    values = np.asarray((x.T @ g).toarray(), dtype=np.int64)
    sizes = np.bincount(index, minlength=len(groups))
    totals = values.sum(axis=0)
    return CrossTable(
        terms=inc.terms,
        groups=groups,
        values=values,
        group_sizes=tuple(int(s) for s in sizes),
        group_totals=tuple(int(t) for t in totals),
        measure=measure,
    )


def write_csv(
    rows: Iterable[Any], path: str | Path, *, header: Iterable[str] | None = None
) -> Path:
    """Write rows (NamedTuples, dataclasses or plain tuples) to a UTF-8 CSV file.

    The header comes from the row type's field names unless ``header`` is given.
    Written with a BOM (``utf-8-sig``) so that Excel opens Chinese text correctly.
    Floats are written with ``repr`` precision, so a file read back gives the same
    numbers.
    """
    path = Path(path)
    rows = iter(rows)
    first = next(rows, None)
    if header is None:
        if first is None:
            raise InvalidInput(
                f"{path}: nothing to write and no header given. Pass header=... for "
                "an empty table."
            )
        if dataclasses.is_dataclass(first):
            header = [f.name for f in dataclasses.fields(first)]
        elif hasattr(first, "_fields"):
            header = list(first._fields)
        else:
            raise InvalidInput(
                f"{path}: rows of type {type(first).__name__} carry no field names. "
                "Pass header=[...]."
            )

    def values(row: Any) -> list[Any]:
        if dataclasses.is_dataclass(row):
            return [getattr(row, f.name) for f in dataclasses.fields(row)]
        return list(row)

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(header))
        if first is not None:
            writer.writerow(values(first))
            for row in rows:
                writer.writerow(values(row))
    return path
