"""Theoretical saturation: do more cases still bring new codes? (issue 6)

The reference study does not check saturation; caseminer offers two checks, both
pure functions of "which codes does each case show":

* :func:`saturation_curve` adds cases one at a time and counts the codes seen for
  the first time. Because the curve depends on the order, it is computed for
  ``permutations`` random orders (seeded, so reproducible) and summarised per step
  as mean, min and max; an explicit ``order`` (e.g. the order in which cases were
  coded) is reported as the observed curve next to that envelope.
* :func:`heldback_check` keeps a share of the cases aside (seeded random choice,
  or the cases you name), builds the code set from the others, and lists the codes
  that appear *only* in the held-back cases. None, or only a small share, supports
  saturation.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import InvalidInput


@dataclass(frozen=True)
class SaturationCurve:
    """One ordering of the cases and what each case added."""

    order: tuple[Hashable, ...]
    new_codes: tuple[int, ...]
    """``new_codes[i]``: codes first seen in the (i+1)-th case of ``order``."""
    cumulative: tuple[int, ...]
    """``cumulative[i]``: distinct codes seen after i+1 cases."""


@dataclass(frozen=True)
class SaturationResult:
    """Saturation curves: the random orders, their envelope and the observed order."""

    total_codes: int
    curves: tuple[SaturationCurve, ...]
    """One curve per random permutation."""
    mean_new: tuple[float, ...]
    min_new: tuple[int, ...]
    max_new: tuple[int, ...]
    mean_cumulative: tuple[float, ...]
    min_cumulative: tuple[int, ...]
    max_cumulative: tuple[int, ...]
    observed: SaturationCurve | None = None
    """The curve for the ``order`` you passed, if any."""


@dataclass(frozen=True)
class HeldbackResult:
    """Codes that appear only in the held-back cases."""

    heldback_cases: tuple[Hashable, ...]
    analysed_cases: tuple[Hashable, ...]
    total_codes: int
    new_codes: dict[Hashable, tuple[Hashable, ...]]
    """Each code seen only in held-back cases, with the held-back cases showing it."""
    new_share: float
    """``len(new_codes) / total_codes`` (0.0 when there are no codes at all)."""
    tolerance: float
    saturated: bool
    """True if ``new_share <= tolerance``."""


def curve(case_codes: Mapping[Hashable, Iterable[Hashable]], order: Sequence[Hashable]) -> SaturationCurve:
    """The saturation curve for one ordering of the cases.

    >>> curve({"a": {1, 2}, "b": {2, 3}, "c": {1}}, ["a", "b", "c"]).new_codes
    (2, 1, 0)
    """
    seen: set = set()
    new, cumulative = [], []
    for case in order:
        codes = set(case_codes[case])
        new.append(len(codes - seen))
        seen |= codes
        cumulative.append(len(seen))
    return SaturationCurve(tuple(order), tuple(new), tuple(cumulative))


def saturation_curve(
    case_codes: Mapping[Hashable, Iterable[Hashable]],
    *,
    order: Sequence[Hashable] | None = None,
    permutations: int = 20,
    seed: int = 0,
) -> SaturationResult:
    """New codes per added case over ``permutations`` random case orders.

    ``case_codes`` maps each case id to the codes it shows (a case with no code
    counts as a case). ``order``, if given, must list every case once; its curve is
    returned as ``observed``. With ``permutations=0`` the envelope is that of
    ``order`` alone (which is then required).

    >>> r = saturation_curve({"a": {1}, "b": {1, 2}}, permutations=3, seed=1)
    >>> r.total_codes, len(r.curves), r.max_cumulative
    (2, 3, (2, 2))
    """
    cases = _check_case_codes(case_codes)
    if not isinstance(permutations, int) or isinstance(permutations, bool) or permutations < 0:
        raise InvalidInput(
            f"The 'permutations' setting of saturation must be an int in the range "
            f"[0, inf). Got {permutations!r} instead.",
            code="E301",
        )
    observed = None
    if order is not None:
        order = list(order)
        if set(order) != set(cases) or len(order) != len(cases):
            missing = [c for c in cases if c not in set(order)]
            extra = [c for c in order if c not in case_codes]
            raise InvalidInput(
                "The order must list every case exactly once; "
                f"missing: {missing[:5]}, unknown: {extra[:5]}, "
                f"{len(order) - len(set(order))} repeated.",
                code="E401",
            )
        observed = curve(case_codes, order)
    elif permutations == 0:
        raise InvalidInput(
            "With permutations=0 there is nothing to compute; pass an order or "
            "permutations >= 1.",
            code="E301",
        )
    rng = random.Random(seed)
    curves = []
    for _ in range(permutations):
        shuffled = list(cases)
        rng.shuffle(shuffled)
        curves.append(curve(case_codes, shuffled))
    envelope = curves or [observed]
    columns_new = list(zip(*(c.new_codes for c in envelope)))
    columns_cum = list(zip(*(c.cumulative for c in envelope)))
    total = len(set().union(*(set(v) for v in case_codes.values()))) if case_codes else 0
    return SaturationResult(
        total_codes=total,
        curves=tuple(curves),
        mean_new=tuple(sum(col) / len(col) for col in columns_new),
        min_new=tuple(min(col) for col in columns_new),
        max_new=tuple(max(col) for col in columns_new),
        mean_cumulative=tuple(sum(col) / len(col) for col in columns_cum),
        min_cumulative=tuple(min(col) for col in columns_cum),
        max_cumulative=tuple(max(col) for col in columns_cum),
        observed=observed,
    )


def saturation_point(new_codes: Sequence[float], *, run: int = 3) -> int | None:
    """The number of cases after which ``run`` cases in a row added no new code.

    Returns the 1-based count of cases analysed before that quiet run started, or
    ``None`` if the curve never has such a run (not saturated).

    >>> saturation_point([3, 2, 1, 0, 0, 0, 1], run=3)
    3
    """
    quiet = 0
    for i, value in enumerate(new_codes):
        quiet = quiet + 1 if value == 0 else 0
        if quiet == run:
            return i + 1 - run
    return None


def heldback_check(
    case_codes: Mapping[Hashable, Iterable[Hashable]],
    *,
    heldback_share: float = 0.2,
    seed: int = 0,
    heldback: Sequence[Hashable] | None = None,
    tolerance: float = 0.05,
) -> HeldbackResult:
    """Hold back a share of the cases and list the codes only they show.

    ``heldback`` names the held-back cases explicitly; otherwise
    ``round(heldback_share * n)`` cases (at least 1, at most n - 1) are drawn with
    ``random.Random(seed)``. Saturated means ``new codes / all codes <= tolerance``
    (default 5 %, i.e. none or few).

    >>> r = heldback_check({"a": {1}, "b": {1, 2}, "c": {1, 3}}, heldback=["c"])
    >>> r.new_codes, r.saturated
    ({3: ('c',)}, False)
    """
    cases = _check_case_codes(case_codes)
    if len(cases) < 2:
        raise InvalidInput(
            f"A held-back check needs at least 2 cases; got {len(cases)}.", code="E401"
        )
    if not 0.0 <= tolerance <= 1.0:
        raise InvalidInput(
            f"The 'tolerance' setting of saturation must be a float in the range [0, 1]. "
            f"Got {tolerance!r} instead.",
            code="E301",
        )
    if heldback is None:
        if not 0.0 < heldback_share < 1.0:
            raise InvalidInput(
                "The 'heldback_share' setting of saturation must be a float in the range "
                f"(0, 1). Got {heldback_share!r} instead.",
                code="E301",
            )
        k = min(max(1, round(heldback_share * len(cases))), len(cases) - 1)
        held = random.Random(seed).sample(cases, k)
    else:
        held = list(dict.fromkeys(heldback))
        unknown = [c for c in held if c not in case_codes]
        if unknown or not held or len(held) >= len(cases):
            raise InvalidInput(
                "The held-back cases must be known cases, at least one, and not all of "
                f"them; unknown: {unknown[:5]}, held back {len(held)} of {len(cases)}.",
                code="E401",
            )
    held_set = set(held)
    analysed = [c for c in cases if c not in held_set]
    known = set().union(*(set(case_codes[c]) for c in analysed))
    new: dict[Hashable, list[Hashable]] = {}
    for case in held:
        for code in sorted(set(case_codes[case]) - known, key=repr):
            new.setdefault(code, []).append(case)
    total = len(known | set().union(*(set(case_codes[c]) for c in held)))
    share = len(new) / total if total else 0.0
    return HeldbackResult(
        heldback_cases=tuple(held),
        analysed_cases=tuple(analysed),
        total_codes=total,
        new_codes={code: tuple(cs) for code, cs in new.items()},
        new_share=share,
        tolerance=tolerance,
        saturated=share <= tolerance,
    )


def _check_case_codes(case_codes: Mapping[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    if not isinstance(case_codes, Mapping) or not case_codes:
        raise InvalidInput(
            "Saturation needs a mapping of case id -> codes with at least one case.",
            code="E401",
        )
    for case, codes in case_codes.items():
        if isinstance(codes, (str, bytes)):
            raise InvalidInput(
                f"Case {case!r}: give its codes as a set or list, not the string {codes!r}.",
                code="E401",
            )
    return list(case_codes)
