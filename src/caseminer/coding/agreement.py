"""Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha.

The reference study reports no coder agreement; caseminer computes it (issue 6) at
two levels, always per code and pooled over all codes ("overall"):

* **case level** (:func:`case_agreement`): a unit is one case x one code; a coder's
  value is 1 if they applied the code anywhere in the case (span or whole case), 0
  if not. This answers "do the coders agree on *which* cases show the code?".
* **character level** (:func:`span_agreement`): a unit is one character of one case
  x one code; a coder's value is 1 if one of their codings of that code covers the
  character. This is the primary span measure because it needs no arbitrary
  matching rule between spans of different lengths (segment matching by "overlap
  >= 50 %" depends on how coders cut sentences); partial overlaps earn partial
  credit, character by character. A whole-case coding covers every character.

A coder who did not code a case (see ``assigned``) gives *missing* values there, not
0: Krippendorff's alpha handles missing values, Cohen's kappa and the percent
agreement use only the units both coders saw.

Definitions (nominal data). For a unit u with m_u >= 2 values, n_uc of them equal
to c, the coincidences are o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1); with
n_c = sum_k o_ck and n = sum_c n_c,

* percent agreement = sum_c o_cc / n (the share of agreeing pairs of values; for two
  coders with no missing values, the share of units they agree on);
* alpha = 1 - (n - 1) sum_{c != k} o_ck / (n^2 - sum_c n_c^2)  (Krippendorff 2011,
  "Computing Krippendorff's alpha-reliability");
* kappa = (p_o - p_e) / (1 - p_e) from the two coders' contingency table (Cohen
  1960).

A statistic that is undefined (no variation at all, no pairable unit) is ``nan``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidInput
from .model import Coding

NAN = float("nan")


@dataclass(frozen=True)
class AgreementStats:
    """Agreement on one code (or pooled over all codes)."""

    n_units: int
    """Units with values from at least two coders (the ones that count)."""
    percent: float
    kappa: float | None
    """Cohen's kappa; ``None`` unless there are exactly two coders."""
    alpha: float
    positives: dict[str, int]
    """Per coder, the number of units they marked as showing the code."""


@dataclass(frozen=True)
class AgreementReport:
    """Agreement per code and overall, at ``level`` ``"case"`` or ``"character"``."""

    level: str
    coders: tuple[str, ...]
    per_code: dict[str, AgreementStats]
    overall: AgreementStats


# -- general nominal statistics ------------------------------------------------------


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _coincidences(reliability_data: Sequence[Sequence[Hashable]]) -> tuple[np.ndarray, int]:
    rows = [list(r) for r in reliability_data]
    if len(rows) < 2:
        raise InvalidInput(
            f"Agreement needs values from at least two coders; got {len(rows)}.", code="E401"
        )
    n_units = len(rows[0])
    if any(len(r) != n_units for r in rows):
        raise InvalidInput(
            "Every coder must give one value per unit (use None for a missing value); "
            f"got rows of lengths {[len(r) for r in rows]}.",
            code="E401",
        )
    values = sorted({v for r in rows for v in r if not _is_missing(v)}, key=repr)
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    pairable = 0
    for u in range(n_units):
        counts = np.zeros(len(values))
        for r in rows:
            if not _is_missing(r[u]):
                counts[index[r[u]]] += 1
        m = counts.sum()
        if m < 2:
            continue
        pairable += 1
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    return o, pairable


def _alpha_from_o(o: np.ndarray) -> float:
    n = float(o.sum())
    n_c = o.sum(axis=1)
    denominator = n * n - float((n_c**2).sum())
    if n <= 1 or denominator <= 0:
        return NAN
    disagreement = n - float(np.trace(o))
    return float(1.0 - (n - 1) * disagreement / denominator)


def _percent_from_o(o: np.ndarray) -> float:
    n = float(o.sum())
    return float(np.trace(o)) / n if n > 0 else NAN


def _kappa_from_table(table: np.ndarray) -> float:
    total = float(table.sum())
    if total == 0:
        return NAN
    p_o = float(np.trace(table)) / total
    p_e = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / (total * total)
    return NAN if p_e >= 1.0 else float((p_o - p_e) / (1.0 - p_e))


def krippendorff_alpha(reliability_data: Sequence[Sequence[Hashable]]) -> float:
    """Krippendorff's alpha for nominal data.

    ``reliability_data`` has one row per coder and one column per unit; ``None`` (or
    ``nan``) is a missing value. Same layout as the ``krippendorff`` package.

    >>> krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]])   # doctest: +ELLIPSIS
    0.533...
    """
    o, _ = _coincidences(reliability_data)
    return _alpha_from_o(o)


def percent_agreement(reliability_data: Sequence[Sequence[Hashable]]) -> float:
    """The share of agreeing pairs of values (pairs within a unit, all coders).

    >>> percent_agreement([["a", "a", "b"], ["a", "b", "b"]])   # doctest: +ELLIPSIS
    0.666...
    """
    o, _ = _coincidences(reliability_data)
    return _percent_from_o(o)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders; units where either value is missing are skipped.

    >>> cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0])
    0.5
    """
    if len(a) != len(b):
        raise InvalidInput(
            f"Both coders need one value per unit; got {len(a)} and {len(b)} values.",
            code="E401",
        )
    pairs = [(x, y) for x, y in zip(a, b) if not _is_missing(x) and not _is_missing(y)]
    values = sorted({v for p in pairs for v in p}, key=repr)
    index = {v: i for i, v in enumerate(values)}
    table = np.zeros((len(values), len(values)))
    for x, y in pairs:
        table[index[x], index[y]] += 1
    return _kappa_from_table(table)


# -- binary units from codings -------------------------------------------------------


class _Binary:
    """Accumulates binary units (values 1, 0, or -1 for missing) without storing them."""

    def __init__(self, coders: Sequence[str]):
        self.coders = list(coders)
        self.o = np.zeros((2, 2))
        self.table = np.zeros((2, 2))
        self.units = 0
        self.positives = dict.fromkeys(self.coders, 0)

    def add(self, values: np.ndarray) -> None:
        """``values``: shape (n_coders, n_units), int8."""
        present = values >= 0
        m = present.sum(axis=0)
        ones = (values == 1).sum(axis=0)
        keep = m >= 2
        if keep.any():
            m, ones = m[keep].astype(float), ones[keep].astype(float)
            zeros = m - ones
            w = 1.0 / (m - 1.0)
            self.o[1, 1] += float((ones * (ones - 1) * w).sum())
            self.o[0, 0] += float((zeros * (zeros - 1) * w).sum())
            off = float((ones * zeros * w).sum())
            self.o[0, 1] += off
            self.o[1, 0] += off
            self.units += int(keep.sum())
        for i, coder in enumerate(self.coders):
            self.positives[coder] += int((values[i] == 1).sum())
        if len(self.coders) == 2:
            both = present[0] & present[1]
            cells = np.bincount(values[0][both] * 2 + values[1][both], minlength=4)
            self.table += cells.reshape(2, 2)

    def add_all_zero(self, n_units: int, present: Sequence[bool]) -> None:
        """``n_units`` units where every present coder says 0 (cheap path)."""
        m = sum(present)
        if m >= 2 and n_units:
            self.o[0, 0] += n_units * m  # m (m - 1) / (m - 1) per unit
            self.units += n_units
            if len(self.coders) == 2:
                self.table[0, 0] += n_units

    def stats(self) -> AgreementStats:
        return AgreementStats(
            n_units=self.units,
            percent=_percent_from_o(self.o),
            kappa=_kappa_from_table(self.table) if len(self.coders) == 2 else None,
            alpha=_alpha_from_o(self.o),
            positives=dict(self.positives),
        )


def _prepare(codings, coders, code_ids, known_cases, assigned, *, lengths=None):
    codings = list(codings)
    if coders is None:
        coders = list(dict.fromkeys(c.coder for c in codings))
    coders = list(coders)
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise InvalidInput(
            f"Agreement needs at least two different coders; got {coders}. Pass "
            "coders=[...] or give codings by two or more coders.",
            code="E401",
        )
    if code_ids is None:
        code_ids = list(dict.fromkeys(c.code_id for c in codings))
    code_ids = list(code_ids)
    by_key: dict[tuple[str, str, str], list[Coding]] = {}
    for c in codings:
        if c.coder not in coders or c.code_id not in code_ids:
            continue
        if c.case_id not in known_cases:
            raise InvalidInput(
                f"A coding by {c.coder!r} names the case {c.case_id!r}, which is not among "
                "the cases compared. Add it to the cases, or leave the coding out.",
                code="E401",
            )
        if lengths is not None and c.end is not None and c.end > lengths[c.case_id]:
            raise InvalidInput(
                f"A coding by {c.coder!r} of code {c.code_id!r} ends at {c.end}, past the end "
                f"of case {c.case_id!r} ({lengths[c.case_id]} characters).",
                code="E401",
            )
        by_key.setdefault((c.case_id, c.code_id, c.coder), []).append(c)
    saw = {
        coder: (set(assigned[coder]) if assigned is not None and coder in assigned else None)
        for coder in coders
    }
    return coders, code_ids, by_key, saw


def case_agreement(
    codings: Iterable[Coding],
    *,
    case_ids: Iterable[str],
    coders: Sequence[str] | None = None,
    code_ids: Sequence[str] | None = None,
    assigned: Mapping[str, Iterable[str]] | None = None,
) -> AgreementReport:
    """Agreement on which cases show which codes (units: case x code).

    ``case_ids`` are all cases compared (a case nobody coded still counts: everyone
    agreed the code is absent). ``coders`` default to those in ``codings``,
    ``code_ids`` to the codes used. ``assigned[coder]`` lists the cases a coder
    worked on; their other cases are missing values (and any coding a coder made
    there is ignored). Coders absent from ``assigned`` worked on every case.
    """
    case_ids = list(dict.fromkeys(case_ids))
    coders, code_ids, by_key, saw = _prepare(codings, coders, code_ids, set(case_ids), assigned)
    overall = _Binary(coders)
    per_code: dict[str, AgreementStats] = {}
    for code_id in code_ids:
        acc = _Binary(coders)
        values = np.zeros((len(coders), len(case_ids)), dtype=np.int64)
        for j, case_id in enumerate(case_ids):
            for i, coder in enumerate(coders):
                if saw[coder] is not None and case_id not in saw[coder]:
                    values[i, j] = -1
                elif (case_id, code_id, coder) in by_key:
                    values[i, j] = 1
        acc.add(values)
        overall.add(values)
        per_code[code_id] = acc.stats()
    return AgreementReport("case", tuple(coders), per_code, overall.stats())


def span_agreement(
    codings: Iterable[Coding],
    *,
    case_lengths: Mapping[str, int],
    coders: Sequence[str] | None = None,
    code_ids: Sequence[str] | None = None,
    assigned: Mapping[str, Iterable[str]] | None = None,
) -> AgreementReport:
    """Character-level agreement (units: character x code), see the module notes.

    ``case_lengths`` maps every compared case to the length of its text (``len``,
    code points). Other arguments as in :func:`case_agreement`.
    """
    lengths = dict(case_lengths)
    for case_id, n in lengths.items():
        if not isinstance(n, int) or n < 0:
            raise InvalidInput(
                f"The length of case {case_id!r} must be a whole number >= 0; got {n!r}.",
                code="E401",
            )
    coders, code_ids, by_key, saw = _prepare(
        codings, coders, code_ids, set(lengths), assigned, lengths=lengths
    )
    overall = _Binary(coders)
    per_code: dict[str, AgreementStats] = {}
    for code_id in code_ids:
        acc = _Binary(coders)
        for case_id, n in lengths.items():
            present = [saw[c] is None or case_id in saw[c] for c in coders]
            if not any((case_id, code_id, c) in by_key for c in coders):
                acc.add_all_zero(n, present)
                overall.add_all_zero(n, present)
                continue
            values = np.zeros((len(coders), n), dtype=np.int64)
            for i, coder in enumerate(coders):
                if not present[i]:
                    values[i, :] = -1
                    continue
                for c in by_key.get((case_id, code_id, coder), []):
                    if c.start is None:
                        values[i, :] = 1
                    else:
                        values[i, c.start : c.end] = 1
            acc.add(values)
            overall.add(values)
        per_code[code_id] = acc.stats()
    return AgreementReport("character", tuple(coders), per_code, overall.stats())
