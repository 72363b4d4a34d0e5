"""Why a term is (or is not) one of a case's keywords, and where its score comes from: in sentences.

The fused keyword score (:mod:`.fusion`) is the log-odds, from boosted trees over a term's
features, that a researcher picks the term, plus a few hand-set features and a tie-breaker.
:func:`.fusion.explain_term` takes it apart (each tree's path credited to the features it
splits on, :meth:`.trees.TreeModel.contributions`); :func:`explain_lines` says it in English
(``lang="en"``) or Chinese (``"zh"``, the workbench's default language): the term's place
among the case's terms, then what each feature added or took away, largest first, down to
the score. The shares and the bias add up to the score (tested), so a researcher can answer
"why is 易地扶贫搬迁 the first keyword of this case?" with numbers, and "why is 五防机制 not
one?" with the step that left it out.

Pure functions of :func:`.fusion.explain_term`'s result: nothing here reads the database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import InvalidInput
from .fusion import HAND_SET, MIN_SHARE_CASES, TIE_BREAK

__all__ = ["FEATURE_WORDS", "explain_lines", "feature_words", "stale_keywords", "strongest_parts"]

#: Shares smaller than this (in log-odds) are summed into one line: they move no rank.
SMALL_SHARE = 0.005

_SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "keyword": "{term} is keyword {k} of {top} of case {case} (method {method}); it ranks {rank} of the "
                   "case's {ranked} eligible terms, score {score}.",
        "ranked": "{term} is not among the {top} keywords of case {case} ({chosen}); it ranks {rank} of the "
                  "case's {ranked} eligible terms, score {score}.",
        "merged": "{term} and a keyword overlap, and the case writes them together as {other}: the keyword is "
                  "the whole.",
        "joined": "{term} is keyword {k} of {top} of case {case} (method {method}): the case writes the terms "
                  "{parts} overlapping as this one, and one of them only there, so the keyword is the whole "
                  "(score {score}, taken from them; the whole is no candidate itself).",
        "joined_candidate": "{term} is keyword {k} of {top} of case {case} (method {method}): the terms {parts} "
                            "(ranks {ranks}) overlap in the case as this one, so the keyword is the whole, in the "
                            "place and with the score of the first, {score}. On its own it ranks {rank} of the "
                            "case's {ranked} eligible terms, score {own}.",
        "overlaps": "It was passed over: it is a piece or an extension of the keyword {other} (the keywords "
                    "are different terms).",
        "other form": "It was passed over: it and the keyword {other} are one term written two ways.",
        "below": "The keywords rank above it: the last of them scores {last}.",
        "ineligible": "{term} is no keyword candidate of case {case}: {why}",
        "bias": "The trees start every term at {bias} (log-odds: few terms of a case are a researcher's keywords); "
                "its features move it:",
        "bias_linear": "The linear weights sum its features:",
        "share": "{sign}{share} {what}",
        "rest": "{sign}{share} {n} more features, each under {small}",
        "total": "= {score}{odds}.",
        "odds": " (the trees alone: log-odds {trees}, P = {p} that a researcher picks it)",
        "review": "A reviewer's decisions on this case apply on top of this ranking (caseminer review history).",
        "stale": "The stored keywords are out of date ({reason}): this account ranks today's project with the "
                 "last run's settings, so it may differ from the stored keywords; run caseminer keywords again.",
        "not in the case": "the case does not hold it as a term (its tokens cut it otherwise, or it is no "
                           "candidate: a multi-word term must recur in the case or in other cases).",
        "never on its own": "it occurs only inside longer terms of the case.",
        "cut": "Where it first occurs, the case is cut into the words {cut}.",
        "cut_new": " {new}: a word of the discovery list, kept whole while keywords are built (caseminer discover "
                   "--explain {first} tells how it was found).",
        "stop-word": "it is a stop-word (a confirmed domain stop-word or a boundary word of the starter list; "
                     "caseminer stopwords list).",
        "length": "its length is outside the settings' min_len and max_len.",
        "English word": "it is an English word or name, not an acronym.",
        "clause piece": "discovery's term filter reads it as a piece of a clause.",
        "modifier": "it only ever modifies a longer term, in this case and nearly everywhere in the project.",
        "name": "it is a probable person or place name, or an organisation the lexicon names, by its form or "
                "the lexicon's tag (caseminer keywords --keep-names allows names).",
        "not in the text": "the case's text does not hold it (check simplified and traditional characters, "
                           "full-width forms and line breaks inside it).",
        "add": "To make it a keyword all the same: caseminer review add {case} {term}.",
    },
    "zh": {
        "keyword": "{term}是案例{case}的第{k}个关键词（共{top}个，方法 {method}）；在该案例{ranked}个候选词中排第{rank}，"
                   "得分 {score}。",
        "ranked": "{term}不在案例{case}的{top}个关键词之中（{chosen}）；在该案例{ranked}个候选词中排第{rank}，得分 {score}。",
        "merged": "{term}与一个关键词首尾相接，案例中两者连写为{other}：关键词取其整体。",
        "joined": "{term}是案例 {case} 的第 {k} 个关键词（共 {top} 个，方法 {method}）：案例将{parts}首尾相接"
                  "连写为此词，其中之一只出现在这里，故关键词取其整体（得分 {score}，取自二者；整体本身不是候选词）。",
        "joined_candidate": "{term}是案例{case}的第{k}个关键词（共{top}个，方法 {method}）：候选词{parts}（排第{ranks}）"
                            "在案例中首尾相接连写为此词，故关键词取其整体，占前者的位置并取其得分 {score}。它本身在该案例"
                            "{ranked}个候选词中排第{rank}，得分 {own}。",
        "overlaps": "它被跳过：它是关键词{other}的一部分或其延长（各关键词须为不同的词）。",
        "other form": "它被跳过：它与关键词{other}是同一术语的两种写法。",
        "below": "各关键词排在它之前：其中最后一个得分 {last}。",
        "ineligible": "{term}不是案例{case}的关键词候选：{why}",
        "bias": "各树对每个词的起点为 {bias}（对数几率：一个案例中的词很少是研究者所选关键词）；各特征对它的推动如下：",
        "bias_linear": "线性权重逐项相加其特征：",
        "share": "{sign}{share} {what}",
        "rest": "{sign}{share} 其余 {n} 个特征，每个不足 {small}",
        "total": "= {score}{odds}。",
        "odds": "（仅树模型：对数几率 {trees}，研究者选中它的概率 P = {p}）",
        "review": "审阅者对该案例的决定在此排序之上生效（caseminer review history）。",
        "stale": "已存关键词已过期（{reason}）：以上说明按上一次运行的设置对当前项目重新排序，可能与已存关键词不同；"
                 "请重新运行 caseminer keywords。",
        "not in the case": "该案例中没有作为词项的它（分词切法不同，或它不是候选：多词术语须在本案例或其他案例中重复出现）。",
        "never on its own": "它只出现在本案例更长的词项之中。",
        "cut": "在它首次出现处，该案例被切分为 {cut}。",
        "cut_new": "{new}：新词表中的词，构建关键词时保持完整（caseminer discover --explain {first} 可说明其来历）。",
        "stop-word": "它是停用词（已确认的领域停用词或起始表中的边界词；caseminer stopwords list）。",
        "length": "其长度超出设置 min_len 与 max_len 的范围。",
        "English word": "它是英文单词或人名，而非缩写。",
        "clause piece": "新词发现的术语过滤器把它读作句子片段。",
        "modifier": "它在本案例中、在项目中几乎处处只修饰更长的词项。",
        "name": "从字形或词典词性看，它可能是人名、地名或词典收录的机构名称（caseminer keywords --keep-names 可保留这些名称）。",
        "not in the text": "该案例的文本中没有它（请检查繁简字、全角字符及词中的换行）。",
        "add": "如仍要把它作为关键词：caseminer review add {case} {term}。",
    },
}

#: What each feature of the fused score says about a term, with its value (``{v}``), in each language.
FEATURE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "log_tf": "written on its own {f} time(s) in the case (ln(1 + f) = {v})",
        "salience": "salience {v}: of the cases that use it, the share that repeat it",
        "specificity": "specificity {v}: its general-language IDF over the median",
        "discovery": "discovery weight {v} of the largest (log-scaled)",
        "head": "head {v}: how many of the project's terms end in its last word (log-scaled)",
        "measure_head": "ends in the head of a measure (机制, 工程, 车间 ...): {v}",
        "quoted": "written in quotation marks: {v}",
        "introduced": "introduced by a verb of measures (实施, 推行 ...): {v}",
        "lead": "in the case's first sentence: {v}",
        "single_case": "in this case only: {v}",
        "position": "first occurrence at {v} of the case",
        "idiom": "an idiom of the lexicon: {v}",
        "bare_verb": "a single verb: {v}",
        "verb_object": "opens with a verb rare in the project: {v}",
        "place": "built with a place or person name: {v}",
        "common_parts": "its rarest word is in {v} of the cases (commonplace parts)",
        "generic_head": "ends in a group of people or a quantity: {v}",
        "case_share": "in {v} of the project's cases",
        "name": "a probable name: {v}",
        "ubiquity": "ubiquity {v} (in over half the cases)",
        "sparse": "sparse {v}: named seldom for a long case",
        "textrank_rr": "tie-breaker: 1 / (60 + its TextRank rank) = {v}",
    },
    "zh": {
        "log_tf": "在本案例中独立出现 {f} 次（ln(1 + f) = {v}）",
        "salience": "显著度 {v}：使用它的案例中重复使用的比例",
        "specificity": "专指度 {v}：其通用语言 IDF 与中位数之比",
        "discovery": "新词发现权重为最大值的 {v}（对数缩放）",
        "head": "中心词 {v}：项目中以其末词结尾的术语数（对数缩放）",
        "measure_head": "以措施类中心词结尾（机制、工程、车间等）：{v}",
        "quoted": "带引号书写：{v}",
        "introduced": "由措施类动词引出（实施、推行等）：{v}",
        "lead": "出现在案例首句：{v}",
        "single_case": "仅见于本案例：{v}",
        "position": "首次出现于案例的 {v} 处",
        "idiom": "词典中的成语：{v}",
        "bare_verb": "单个动词：{v}",
        "verb_object": "以项目中少见的动词开头：{v}",
        "place": "含地名或人名：{v}",
        "common_parts": "其最少见的组成词出现在 {v} 的案例中（组成词常见）",
        "generic_head": "以人群或数量结尾：{v}",
        "case_share": "出现在项目 {v} 的案例中",
        "name": "可能是人名或地名：{v}",
        "ubiquity": "普遍度 {v}（超过半数案例）",
        "sparse": "稀疏度 {v}：长案例中很少提及",
        "textrank_rr": "并列时的次序：1 / (60 + TextRank 名次) = {v}",
    },
}

#: log_tf of a term the case also writes inside longer terms: the keyword table's freq counts
#: those too, the feature only the occurrences on its own.
_LOG_TF_NESTED = {
    "en": "written on its own {f} of its {n} times in the case, the others inside longer terms (ln(1 + f) = {v})",
    "zh": "在本案例中共出现 {n} 次，其中独立出现 {f} 次，其余在更长的词中（ln(1 + f) = {v}）",
}

_SHARE_FEATURES = frozenset({"position", "case_share", "common_parts"})
#: Shares of cases that count from MIN_SHARE_CASES cases on: below, their value 0 means "not
#: counted", not "in no case", and the sentence says so.
_COUNTED_SHARES = frozenset({"case_share", "common_parts"})
_NOT_COUNTED = {
    "en": {"case_share": "its share of the project's cases: not counted in {n} case(s) (from {m} on)",
           "common_parts": "how common its words are (commonplace parts): not counted in {n} case(s) (from {m} on)"},
    "zh": {"case_share": "在项目案例中的占比：项目只有 {n} 个案例，不计（{m} 个案例起计）",
           "common_parts": "组成词的常见程度：项目只有 {n} 个案例，不计（{m} 个案例起计）"},
}
_FLAGS = frozenset({"measure_head", "quoted", "introduced", "lead", "single_case", "idiom", "bare_verb", "place",
                    "generic_head", "name"})


def _sentences(lang: str) -> dict[str, str]:
    if lang not in _SENTENCES:
        raise InvalidInput(f"No explanation in {lang!r}: choose one of {', '.join(_SENTENCES)}.")
    return _SENTENCES[lang]


def feature_words(name: str, value: float, indep: int, lang: str = "en", freq: int | None = None,
                  n_cases: int | None = None) -> str:
    """What the feature ``name`` at ``value`` says about a term written ``indep`` times on its own
    (of ``freq`` times in all, where some are inside longer terms: the keyword table's freq), in a
    project of ``n_cases`` cases (where known: shares of cases are not counted in a small one)."""
    _sentences(lang)
    words = FEATURE_WORDS[lang]
    if name in _COUNTED_SHARES and n_cases is not None and n_cases < MIN_SHARE_CASES:
        return _NOT_COUNTED[lang][name].format(n=n_cases, m=MIN_SHARE_CASES)
    if name == "log_tf" and freq is not None and freq > indep:
        return _LOG_TF_NESTED[lang].format(v=f"{value:.2f}", f=indep, n=freq)
    if name in _SHARE_FEATURES:
        shown = f"{value:.0%}"
    elif name in _FLAGS:
        shown = ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    elif name == "textrank_rr":
        shown = f"{value:.4f}"
    else:
        shown = f"{value:.2f}"
    return words.get(name, name + " {v}").format(v=shown, f=indep)


def explain_lines(told: Mapping[str, Any], case_id: str, lang: str = "en") -> list[str]:
    """Sentences on ``told`` (:func:`.fusion.explain_term` of a term in case ``case_id``;
    its ``eligible`` may also be "not in the text", where the caller found the case's text
    does not hold the term, ``cut`` the words the case's tokens cut it into and ``cut_new``
    those of them that are discovered words kept whole)."""
    s = _sentences(lang)
    term = told["term"]
    if told.get("joined") and told["rank"] is None:
        sep = " + " if lang == "en" else "与"
        return [s["joined"].format(term=term, k=told["keyword"], top=told["top"], case=case_id,
                                   method=told["method"], parts=sep.join(told["joined"]), score=_num(told["score"]))]
    if told["eligible"] is not None or told["rank"] is None:
        reason = told["eligible"] or "not in the case"
        lines = [s["ineligible"].format(term=term, case=case_id, why=s[reason])]
        if told.get("cut"):
            new = told.get("cut_new") or []
            lines.append(s["cut"].format(cut=" | ".join(told["cut"]))
                         + (s["cut_new"].format(new="、".join(new), first=new[0]) if new else ""))
        return lines if reason == "not in the text" else [*lines, s["add"].format(case=case_id, term=term)]
    common = {"term": term, "case": case_id, "top": told["top"], "rank": told["rank"], "ranked": told["ranked"],
              "score": _num(told["score"]), "method": told["method"]}
    if told.get("joined"):
        sep = " + " if lang == "en" else "与"
        ranks = ("、" if lang == "zh" else ", ").join("-" if r is None else str(r) for r in told["joined_ranks"])
        lines = [s["joined_candidate"].format(
            k=told["keyword"], parts=sep.join(told["joined"]), ranks=ranks,
            own=_num(told["score"]), **{**common, "score": _num(told["keyword_score"])})]
    elif told["keyword"] is not None:
        lines = [s["keyword"].format(k=told["keyword"], **common)]
    else:
        lines = [s["ranked"].format(chosen="、".join(told["chosen"]) if lang == "zh" else ", ".join(told["chosen"]),
                                    **common)]
        how, other = told["skipped"] or (None, None)
        if how is not None:
            lines.append(s[how].format(term=term, other=other))
        else:
            lines.append(s["below"].format(last=_num(told.get("last_score"))))
    if "parts" in told:
        lines.extend(_parts_lines(told, s, lang))
    lines.append(s["review"])
    return lines


def _parts_lines(told: Mapping[str, Any], s: Mapping[str, str], lang: str) -> list[str]:
    fused = told["method"] == "fused"
    lines = [s["bias"].format(bias=_num(told["bias"])) if fused else s["bias_linear"]]
    parts: Sequence[tuple[str, float, float]] = told["parts"]
    big = sorted((p for p in parts if abs(p[2]) >= SMALL_SHARE), key=lambda p: -abs(p[2]))
    small = [p for p in parts if 0 < abs(p[2]) < SMALL_SHARE]
    for name, value, share in big:
        what = feature_words(name, value, told["indep"], lang, told.get("freq"), told.get("n_cases"))
        lines.append(s["share"].format(sign=_sign(share), share=f"{abs(share):.3f}", what=what))
    if small:
        rest = sum(p[2] for p in small)
        lines.append(s["rest"].format(sign=_sign(rest), share=f"{abs(rest):.3f}", n=len(small), small=SMALL_SHARE))
    odds = ""
    if fused:
        trees = told["bias"] + sum(share for name, _, share in parts if name not in HAND_SET and name != TIE_BREAK)
        odds = s["odds"].format(trees=_num(trees), p=f"{1 / (1 + math.exp(-trees)):.0%}")
    lines.append(s["total"].format(score=_num(told["score"]), odds=odds))
    return lines


def _sign(x: float) -> str:
    return "-" if x < 0 else "+"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def stale_keywords(reason: str, lang: str = "en") -> str:
    """The sentence that closes an account of keywords that are out of date (``reason``: why)."""
    return _sentences(lang)["stale"].format(reason=reason)


def strongest_parts(told: Mapping[str, Any], lang: str = "zh", n: int = 3) -> str:
    """The ``n`` features that moved a term's score most, with their shares, on one line (the
    review workbook's "why" column); "" for a term with no parts (not ranked, or a method of
    one score); for the whole that two overlapping terms are written as, those terms."""
    sep = "；" if lang == "zh" else "; "
    if told.get("joined"):
        joined = "与".join(told["joined"]) if lang == "zh" else " + ".join(told["joined"])
        return f"{joined}连写为一词" if lang == "zh" else f"{joined}, written as one term"
    parts = sorted(told.get("parts") or (), key=lambda p: -abs(p[2]))[:n]
    return sep.join(f"{_sign(share)}{abs(share):.2f} "
                    f"{feature_words(name, value, told['indep'], lang, told.get('freq'), told.get('n_cases'))}"
                    for name, value, share in parts if abs(share) >= SMALL_SHARE)
