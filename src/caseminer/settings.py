"""Stage settings: frozen dataclasses checked by one validator before any work starts.

Each stage's settings class declares its constraints as data in ``CONSTRAINTS``
(scikit-learn's ``_parameter_constraints``). :func:`validate` produces one
sentence for every violation, e.g.::

    The 'min_freq' setting of discover must be an integer in the range [1, inf). Got 0 instead.

The settings actually used are stored with each stage run, so a report can state
exactly how its numbers were made.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, fields
from typing import Any

from .errors import InvalidSetting, fail

MAX_JOBS = 64  # the most worker processes a stage accepts (n_jobs)


@dataclass(frozen=True)
class Interval:
    """A numeric range constraint. ``kind`` is ``int`` or ``float``."""

    kind: type
    low: float = -math.inf
    high: float = math.inf
    closed: str = "both"  # which ends belong to the range: both, left, right, neither

    def describe(self) -> str:
        noun = "an integer" if self.kind is int else "a number"
        left = "[" if self.closed in ("both", "left") and self.low != -math.inf else "("
        right = "]" if self.closed in ("both", "right") and self.high != math.inf else ")"
        low = "-inf" if self.low == -math.inf else _num(self.low)
        high = "inf" if self.high == math.inf else _num(self.high)
        return f"{noun} in the range {left}{low}, {high}{right}"

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if self.kind is int and not isinstance(value, int):
            return False
        if self.kind is float and not isinstance(value, (int, float)):
            return False
        if isinstance(value, float) and math.isnan(value):
            return False
        low_ok = value >= self.low if self.closed in ("both", "left") else value > self.low
        high_ok = value <= self.high if self.closed in ("both", "right") else value < self.high
        return low_ok and high_ok


@dataclass(frozen=True)
class Options:
    """A choice among fixed values."""

    values: tuple

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def accepts(self, value: Any) -> bool:
        return value in self.values


@dataclass(frozen=True)
class Boolean:
    def describe(self) -> str:
        return "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Text:
    allow_empty: bool = False

    def describe(self) -> str:
        return "a non-empty text" if not self.allow_empty else "a text"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and (self.allow_empty or bool(value.strip()))


@dataclass(frozen=True)
class Optional_:
    inner: Any

    def describe(self) -> str:
        return f"{self.inner.describe()} or None"

    def accepts(self, value: Any) -> bool:
        return value is None or self.inner.accepts(value)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def validate(settings: Any, stage: str) -> Any:
    """Check every field of a settings dataclass against its class's CONSTRAINTS.

    Returns the settings unchanged, or raises :class:`InvalidSetting` naming the
    first bad setting, its stage, what it must be and what it got.
    """
    constraints = getattr(type(settings), "CONSTRAINTS", {})
    for field in fields(settings):
        constraint = constraints.get(field.name)
        if constraint is None:
            continue
        value = getattr(settings, field.name)
        if not constraint.accepts(value):
            raise fail(
                InvalidSetting,
                "E301",
                name=field.name,
                stage=stage,
                constraint=constraint.describe(),
                value=value,
            )
    return settings


def build(cls: type, stage: str, overrides: dict[str, Any] | None = None) -> Any:
    """Make a validated settings object from defaults plus ``overrides``.

    Unknown names are an error (a typo must not silently change nothing).
    """
    overrides = dict(overrides or {})
    known = {f.name for f in fields(cls)}
    for name in overrides:
        if name not in known:
            raise fail(
                InvalidSetting, "E306", name=name, stage=stage, known=", ".join(sorted(known))
            )
    return validate(cls(**overrides), stage)


def as_dict(settings: Any) -> dict[str, Any]:
    """Settings as a plain JSON-able dict (for the runs table and reports)."""
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in dataclasses.asdict(settings).items()
    }


def resolve_jobs(n_jobs: int, stage: str) -> int:
    """The worker processes ``n_jobs`` asks for: itself, or with ``-1`` one per CPU
    (at most :data:`MAX_JOBS`). Anything else (0, -2, not an integer) is E301."""
    if isinstance(n_jobs, int) and not isinstance(n_jobs, bool):
        if n_jobs == -1:
            return max(1, min(os.cpu_count() or 1, MAX_JOBS))
        if 1 <= n_jobs <= MAX_JOBS:
            return n_jobs
    raise fail(InvalidSetting, "E301", name="n_jobs", stage=stage,
               constraint=f"an integer in the range [1, {MAX_JOBS}], or -1 for one per CPU", value=n_jobs)
