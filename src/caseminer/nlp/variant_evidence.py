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

from ..errors import InvalidInput

__all__ = ["explain_evidence"]

# The words of the sentence, in English and Chinese (the workbench's default language).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "substring": "{short} is part of {long} ({share})",
        "narrower": "; the longer adds its own head, a narrower concept",
        "abbreviation": "{short} abbreviates {long} ({share})",
        "in_order": "the characters of {short} are in {long} in order, but not as an abbreviation ({share})",
        "other_head": "{variant} and {core} share modifiers but not their head",
        "share": "{n} of {m} characters",
        "leaves_out": "; leaves out {part}",
        "lexical": "{overlap}% shared characters, edit distance {edit}",
        "cases": "keyword of {a} and {b} cases, {both} together",
        "semantic": "meaning similarity (cosine) {cosine}",
        "inside": "{short} is written inside {long} {pct}% of the time",
        "alone": "{short} is written on its own or inside {long} {pct}% of the time",
        "capped": ". Score capped: ",
        "crosses_words": "the shorter cuts through a word of the longer",
        "numbers_differ": "their numbers differ",
        "used_apart": "the texts mostly write {short} outside {long}",
        "modified_apart": "the texts seldom write {short} on its own",
        "foreign_place": "a foreign place is put in front",
        "sibling": "same head, different modifiers: perhaps two kinds of one thing",
        "sep": "; ",
        "end": ".",
    },
    "zh": {
        "substring": "{short}是{long}的一部分（{share}）",
        "narrower": "；较长者另有中心词，概念更窄",
        "abbreviation": "{short}是{long}的缩略（{share}）",
        "in_order": "{short}的字按顺序见于{long}，但不是通常的缩略（{share}）",
        "other_head": "{variant}与{core}修饰语相同而中心词不同",
        "share": "{n}/{m} 字",
        "leaves_out": "；省去“{part}”",
        "lexical": "共有字 {overlap}%，编辑距离 {edit}",
        "cases": "分别是 {a} 个和 {b} 个案例的关键词，两者同为关键词的案例 {both} 个",
        "semantic": "语义相似度（余弦）{cosine}",
        "inside": "{short}有 {pct}% 写在{long}之内",
        "alone": "{short}有 {pct}% 单独出现或写在{long}之内",
        "capped": "。得分已封顶：",
        "crosses_words": "较短者切断了较长者中的词",
        "numbers_differ": "二者数字不同",
        "used_apart": "文本多把{short}写在{long}之外",
        "modified_apart": "文本很少单独写{short}",
        "foreign_place": "前面加了外国地名",
        "sibling": "中心词相同、修饰语不同：可能是同一事物的两类",
        "sep": "；",
        "end": "。",
    },
}
# The reasons pair_evidence caps a score, in the order a sentence names them.
_CAPS = ("crosses_words", "numbers_differ", "used_apart", "modified_apart", "foreign_place", "sibling")


def explain_evidence(variant: str, core: str, evidence: Mapping[str, Any], lang: str = "en") -> str:
    """One sentence of the evidence for merging ``variant`` into ``core``, in English
    (``lang="en"``) or Chinese (``"zh"``).

    >>> explain_evidence("易地搬迁", "易地扶贫搬迁", {"containment": "subsequence", "coverage": 0.667,
    ...     "abbreviation": True, "char_overlap": 0.8, "edit_distance": 0.333,
    ...     "cooccurrence": {"cases_variant": 3, "cases_core": 5, "together": 1}})
    '易地搬迁 abbreviates 易地扶贫搬迁 (4 of 6 characters; leaves out 扶贫); 80% shared characters, edit distance 0.33; keyword of 3 and 5 cases, 1 together.'
    """
    if lang not in _WORDS:
        raise InvalidInput(f"No evidence sentence in {lang!r}: choose one of {', '.join(_WORDS)}.")
    w = _WORDS[lang]
    short, long_ = sorted((variant, core), key=len)
    names = {"short": short, "long": long_, "variant": variant, "core": core}
    parts = [_form(w, names, evidence),
             w["lexical"].format(overlap=round(100 * float(evidence.get("char_overlap", 0))),
                                 edit=f"{float(evidence.get('edit_distance', 0)):.2f}")]
    co = evidence.get("cooccurrence") or {}
    if co:
        parts.append(w["cases"].format(a=co.get("cases_variant", 0), b=co.get("cases_core", 0),
                                       both=co.get("together", 0)))
    if evidence.get("semantic") is not None:
        parts.append(w["semantic"].format(cosine=f"{float(evidence['semantic']):.2f}"))
    if evidence.get("inside_share") is not None:
        parts.append(w["inside"].format(pct=round(100 * float(evidence["inside_share"])), **names))
    if evidence.get("alone_share") is not None:
        parts.append(w["alone"].format(pct=round(100 * float(evidence["alone_share"])), **names))
    caps = [w[key].format(**names) for key in _CAPS if evidence.get(key)]
    sentence = w["sep"].join(p for p in parts if p)
    if caps:
        sentence += w["capped"] + w["sep"].join(caps)
    return sentence + w["end"]


def _form(w: Mapping[str, str], names: Mapping[str, str], evidence: Mapping[str, Any]) -> str:
    """How the two are written: one inside the other, an abbreviation, or neither."""
    kind = evidence.get("containment")
    share = w["share"].format(n=len(names["short"]), m=len(names["long"]))
    if kind == "substring":
        text = w["substring"].format(share=share, **names)
        if evidence.get("different_head"):
            text = text[:-1] + w["narrower"] + text[-1]  # inside the closing bracket
        return text
    if kind == "subsequence":
        key = "abbreviation" if evidence.get("abbreviation") else "in_order"
        part = _left_out(names["short"], names["long"])
        if part:  # what the shorter drops is what the researcher weighs (扶贫 in 易地扶贫搬迁)
            share += w["leaves_out"].format(part=part)
        return w[key].format(share=share, **names)
    if evidence.get("different_head"):
        return w["other_head"].format(**names)
    return ""


def _left_out(short: str, long_: str) -> str | None:
    """The characters ``long_`` has in one run that ``short`` leaves out (扶贫 of 易地扶贫搬迁
    in 易地搬迁), or None when the shorter drops characters in more than one place."""
    for i in range(1, len(short)):
        if long_.startswith(short[:i]) and long_.endswith(short[i:]):
            return long_[i:len(long_) - len(short) + i]
    return None
