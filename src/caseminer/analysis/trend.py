"""Terms over an ordered attribute (years): when each term first and last appears, and
where it peaks.

Policy vocabulary is dated: 精准扶贫 enters the State Council's work reports in 2014,
脱贫攻坚 in 2016, 乡村振兴 in 2018. Where the cases carry a year (or any attribute whose
values are all numbers), the term x group table (:func:`caseminer.analysis.frequency.by_attribute`)
read in the order of its groups says so: :func:`emergence` lists, per term, the first and
last group that holds it, how many groups do, and the group where its share of cases is
highest. Cases without a value (the ``(missing)`` group) are left out of the reading.

Pure functions over a :class:`~caseminer.analysis.frequency.CrossTable`: no project, no
files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frequency import MISSING, CrossTable

__all__ = ["EmergenceRow", "emergence", "ordered_groups"]


@dataclass(frozen=True)
class EmergenceRow:
    """One term read along the ordered groups.

    ``first`` and ``last``: the first and last group (in order) with a case holding the
    term; ``groups_with``: how many groups hold it, of ``groups`` in all; ``cases``: the
    cases holding it (of the groups read); ``peak``: the group where the share of cases
    holding it is highest (the earliest of equal shares), ``peak_share`` that share.
    """

    term: str
    first: str
    last: str
    groups_with: int
    groups: int
    cases: int
    peak: str
    peak_share: float


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def ordered_groups(table: CrossTable) -> list[int]:
    """Positions of the groups to read in order: every group but ``(missing)``, when all
    of them are numbers (years) and there are at least two; else none (the groups of
    provinces or sources have no order to read a term along).

    ``by_attribute`` already sorts groups of numbers numerically.
    """
    positions = [j for j, group in enumerate(table.groups) if group != MISSING]
    if len(positions) < 2 or any(_number(table.groups[j]) is None for j in positions):
        return []
    return positions


def emergence(table: CrossTable) -> list[EmergenceRow]:
    """Per term, its first and last group, its groups and its peak (see :class:`EmergenceRow`),
    ordered by first group, then by more cases, then by term; terms in no group read are left
    out. Empty where the groups have no order (:func:`ordered_groups`).

    Example:
        >>> from caseminer.analysis.frequency import build_incidence, by_attribute
        >>> inc = build_incidence({"a": {"精准扶贫": 1}, "b": {"精准扶贫": 1, "乡村振兴": 1},
        ...                        "c": {"乡村振兴": 1}, "d": {}})
        >>> rows = emergence(by_attribute(inc, {"a": 2014, "b": 2018, "c": 2020, "d": 2020}))
        >>> [(r.term, r.first, r.last, r.peak, r.peak_share) for r in rows]
        [('精准扶贫', '2014', '2018', '2014', 1.0), ('乡村振兴', '2018', '2020', '2018', 1.0)]
    """
    positions = ordered_groups(table)
    if not positions:
        return []
    values = np.asarray(table.values)[:, positions]
    shares = table.shares()[:, positions]
    groups = [table.groups[j] for j in positions]
    out = []
    for i, term in enumerate(table.terms):
        present = np.flatnonzero(values[i] > 0)
        if not len(present):
            continue
        peak = int(np.argmax(shares[i]))  # the first of equal maxima: the earliest group
        out.append(EmergenceRow(term, groups[present[0]], groups[present[-1]], len(present), len(groups),
                                int(values[i].sum()), groups[peak], float(shares[i, peak])))
    order = {group: k for k, group in enumerate(groups)}
    out.sort(key=lambda r: (order[r.first], -r.cases, r.term))
    return out
