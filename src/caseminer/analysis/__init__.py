"""Statistics over the case x term incidence (issue 5): pure functions, no store.

- :mod:`.frequency`: the sparse incidence, case frequencies, term x attribute tables.
- :mod:`.specificity`: over/under-representation per group (signed G², Fisher's
  exact test, Benjamini-Hochberg q-values).
- :mod:`.cooccurrence`: term pairs within cases (count, Jaccard, PMI, NPMI) via a
  sparse BᵀB product, with CSV and GraphML export.

Figures live in :mod:`caseminer.report.figures`.
"""

from .cooccurrence import Pair, cooccurrence, cooccurrence_matrix, to_csv, to_graphml
from .frequency import (
    MISSING,
    CrossRow,
    CrossTable,
    FrequencyRow,
    Incidence,
    build_incidence,
    by_attribute,
    case_frequency,
    term_occurrences,
    write_csv,
)
from .specificity import SpecificityRow, specificity

__all__ = [
    "MISSING",
    "CrossRow",
    "CrossTable",
    "FrequencyRow",
    "Incidence",
    "Pair",
    "SpecificityRow",
    "build_incidence",
    "by_attribute",
    "case_frequency",
    "cooccurrence",
    "cooccurrence_matrix",
    "specificity",
    "term_occurrences",
    "to_csv",
    "to_graphml",
    "write_csv",
]
