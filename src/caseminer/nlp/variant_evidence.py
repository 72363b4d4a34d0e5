"""The evidence of a merge suggestion in words, for the researcher who decides it.

:func:`caseminer.nlp.variants.pair_evidence` stores the evidence as data (containment,
coverage, shared characters, edit distance, co-occurrence, the reasons a score was
capped ...); tables, workbooks and the workbench show it as one sentence, so that a
researcher in Excel can see why 易地搬迁 was proposed as a variant of 易地扶贫搬迁 without
reading JSON. The sentence says only what the evidence holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["explain_evidence"]

# The reasons pair_evidence caps a score, in the words a table shows.
_CAPS = (
    ("crosses_words", "the shorter cuts through a word of the longer"),
    ("numbers_differ", "their numbers differ"),
    ("used_apart", "the texts mostly write {short} outside {long}"),
    ("modified_apart", "the texts seldom write {short} on its own"),
    ("foreign_place", "a foreign place is put in front"),
    ("sibling", "same head, different modifiers: perhaps two kinds of one thing"),
)


def explain_evidence(variant: str, core: str, evidence: Mapping[str, Any]) -> str:
    """One sentence of the evidence for merging ``variant`` into ``core``.

    >>> explain_evidence("易地搬迁", "易地扶贫搬迁", {"containment": "subsequence", "coverage": 0.667,
    ...     "abbreviation": True, "char_overlap": 0.8, "edit_distance": 0.333,
    ...     "cooccurrence": {"cases_variant": 3, "cases_core": 5, "together": 1}})
    '易地搬迁 abbreviates 易地扶贫搬迁 (4 of 6 characters); 80% shared characters, edit distance 0.33; keyword of 3 and 5 cases, 1 together.'
    """
    short, long_ = sorted((variant, core), key=len)
    parts = [_form(variant, core, short, long_, evidence)]
    parts.append(f"{round(100 * float(evidence.get('char_overlap', 0)))}% shared characters, "
                 f"edit distance {float(evidence.get('edit_distance', 0)):.2f}")
    co = evidence.get("cooccurrence") or {}
    if co:
        parts.append(f"keyword of {co.get('cases_variant', 0)} and {co.get('cases_core', 0)} cases, "
                     f"{co.get('together', 0)} together")
    if evidence.get("semantic") is not None:
        parts.append(f"meaning similarity (cosine) {float(evidence['semantic']):.2f}")
    if evidence.get("inside_share") is not None:
        parts.append(f"{short} is written inside {long_} {round(100 * float(evidence['inside_share']))}% of the time")
    if evidence.get("alone_share") is not None:
        parts.append(f"{short} is written on its own or inside {long_} "
                     f"{round(100 * float(evidence['alone_share']))}% of the time")
    caps = [text.format(short=short, long=long_) for key, text in _CAPS if evidence.get(key)]
    sentence = "; ".join(p for p in parts if p)
    if caps:
        sentence += ". Score capped: " + "; ".join(caps)
    return sentence + "."


def _form(variant: str, core: str, short: str, long_: str, evidence: Mapping[str, Any]) -> str:
    """How the two are written: one inside the other, an abbreviation, or neither."""
    kind = evidence.get("containment")
    share = f"{len(short)} of {len(long_)} characters"
    if kind == "substring":
        narrower = "; the longer adds its own head, a narrower concept" if evidence.get("different_head") else ""
        return f"{short} is part of {long_} ({share}{narrower})"
    if kind == "subsequence":
        if evidence.get("abbreviation"):
            return f"{short} abbreviates {long_} ({share})"
        return f"the characters of {short} are in {long_} in order, but not as an abbreviation ({share})"
    if evidence.get("different_head"):
        return f"{variant} and {core} share modifiers but not their head"
    return ""
