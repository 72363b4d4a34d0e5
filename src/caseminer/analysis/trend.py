"""Terms over an ordered attribute (years): when each term first and last appears, and
where it peaks; and years grouped into periods (2016-2020, 2021-2025) to compare.

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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidInput, InvalidSetting
from .frequency import MISSING, CrossTable

__all__ = ["EmergenceRow", "Period", "emergence", "ordered_groups", "parse_periods", "period_values"]


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


@dataclass(frozen=True)
class Period:
    """Values from ``start`` to ``end`` (both included; None: open), shown as ``label``."""

    label: str
    start: float | None
    end: float | None

    def holds(self, value: float) -> bool:
        return (self.start is None or value >= self.start) and (self.end is None or value <= self.end)


_BOUND = r"\s*(-?\d+(?:\.\d+)?)?\s*"
_PERIOD = re.compile(rf"^{_BOUND}[-–~至]{_BOUND}$|^{_BOUND}$")
_LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")


def _number_text(value: float) -> str:
    return f"{value:g}"


def parse_periods(spec: str) -> list[Period]:
    """Periods from their spelling: ``"2013-2015,2016-2020,2021-"`` (bounds included, an end
    left open with nothing: ``-2012``, ``2021-``; a single value is a period of its own).

    Raises InvalidSetting for a piece that is no period, one that ends before it starts, or
    periods that overlap, saying which.

    Example:
        >>> [p.label for p in parse_periods("2013-2015, 2016-2020, 2021-")]
        ['2013–2015', '2016–2020', '2021–']
    """
    periods: list[Period] = []
    for piece in (p.strip() for p in spec.replace("，", ",").split(",")):
        match = _PERIOD.match(piece) if piece else None
        if match is None or not any(match.groups()):
            raise InvalidSetting(f"The periods {spec!r} hold {piece!r}, which is no period. Write each as FROM-TO "
                                 "(2016-2020), open at one end (-2012, 2021-) or a single value, separated by commas.")
        low, high, single = match.groups()
        if single is not None:
            start = end = float(single)
        else:
            start, end = (float(low) if low else None), (float(high) if high else None)
        if start is not None and end is not None and end < start:
            raise InvalidSetting(f"The period {piece!r} ends before it starts. Write it as {high}-{low}.")
        label = (_number_text(start) if start == end and start is not None else
                 f"{'' if start is None else _number_text(start)}–{'' if end is None else _number_text(end)}")
        period = Period(label, start, end)
        for other in periods:
            lo = max(x for x in (period.start, other.start, float("-inf")) if x is not None)
            hi = min(x for x in (period.end, other.end, float("inf")) if x is not None)
            if lo <= hi:
                shared = lo if lo != float("-inf") else hi
                raise InvalidSetting(f"The periods {other.label} and {period.label} overlap: a case of "
                                     f"{_number_text(shared)} would be in both. Let each value fall in one period.")
        periods.append(period)
    return periods


def period_values(values: Mapping[str, Any], periods: list[Period], *, attribute: str = "value") -> dict[str, str | None]:
    """Each case's period (its label) from its value of ``attribute``, read as the number it
    opens with (2019, "2019", "2019年"); None for a case without a value or whose value falls
    in no period.

    Raises InvalidInput for a value that is no number, naming the case and the attribute.
    """
    out: dict[str, str | None] = {}
    for case_id, value in values.items():
        if value is None or not str(value).strip():
            out[case_id] = None
            continue
        match = _LEADING_NUMBER.match(str(value))
        if match is None:
            raise InvalidInput(f"Case {case_id} has the value {value!r}, which is no number: periods group "
                               f"numbers such as years. Correct the case's {attribute} (import its metadata again "
                               "with --meta), or compare without --periods.")
        number = float(match.group(1))
        out[case_id] = next((p.label for p in periods if p.holds(number)), None)
    return out
