"""The base lexicon: jieba's dictionary (word -> frequency, word -> part of speech).

New-word discovery contrasts what it finds against a *background*: a word that is
frequent everywhere (发展, 工作) is not a discovery. The background used by
:mod:`caseminer.nlp.discovery` is the unigram model behind jieba's ``dict.txt``
(349,045 words with corpus frequencies, 60.1 M tokens in total), read from the
installed ``jieba`` package, never downloaded.

:class:`Background` turns any ``word -> frequency`` mapping into a probability
for *any* Han string: the probability of its most probable segmentation into
lexicon words (the same maximum-product unigram segmentation jieba's own
``cut(HMM=False)`` computes), so a new compound such as 精准扶贫 gets
``P(精准) * P(扶贫)``, and a known word at least its own relative frequency.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Container, Mapping

from ..errors import BackendMissing, InvalidInput

log = logging.getLogger(__name__)

# Function-word parts of speech in jieba's tag set (ICTCLAS-style): pronouns,
# prepositions, conjunctions, particles, adverbs, numerals, measure words,
# modal particles, locatives. A candidate that starts or ends with such a word
# is a phrase (所有贫困户, 对贫困户), not a term (issue 3: no clause-like strings).
PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·～,.;:?!()[]{}<>\"'-/\\|~@#$%^&*_+=`"
#: Adverbs that also serve as attributes of terms (相对贫困, 绝对贫困, 共同富裕): not function words.
ATTRIBUTIVE_ADVERBS = frozenset({"相对", "绝对", "共同"})
#: One-character nominal heads (脱贫|户, 摘帽|县, 示范|村, 护林|员), and those of named days,
#: festivals and awards (扶贫|日, 丰收|节, 攻坚|奖): they close compounds (discovery's step
#: 2b), and no given name ends in one (康养|村 is no person).
NOMINAL_HEADS = "户县村乡镇站点员队办园厂社组班日节奖"
#: Words that set the scope of a name (全国|脱贫攻坚楷模, 国务院|扶贫开发领导小组, 国家|扶贫日):
#: they qualify it, the name is what follows, and writers use it with or without them.
#: Not 中国 and 中央: they open names of their own (中国特色社会主义, 中央广播电视总台), whose
#: rest is no name. Read by discovery's step 2d (a boundary left of a span) and by its
#: fragment rule (no container of the name where the scope is a word of it, :mod:`.nesting`).
SCOPE_QUALIFIERS = frozenset("全国 国家 国务院 全球 世界 国际 全省 全市 全县 全区 省级 市级 县级".split())
#: Rarer surnames (of ``segmenters``' list and the Hundred Family Surnames) that open
#: mostly names in jieba's dictionary: at least half of the frequency of its words of 2+
#: characters that start with one is of words tagged as a person's name (俞 1.0, 栗 0.77,
#: 康 0.96; not 师 0.36, 农, 党). Read for words the dictionary tags as names (俞正声) and
#: for strings of three characters whose first two are no word (栗战书, 谌贻琴): terms of
#: two characters start with them too often (康养), and so do words and their heads (康养村).
RARE_SURNAMES = frozenset(
    "姬晏靳邬佘裴邝冉詹瞿岑寇邰亓翟晁胥佟昝倪逯冼谌嵇卞邸傅阮俞伍狄裘尉窦褚鲍阙滕戚翁郎敖粟康缪虞慕柏闵乔"
    "梅鲁柯卜荣殷桂岳蔺桑臧霍喻鄢祝苑柳麦赫茹甄栗耿雍蒲凌牟邢娄饶米卿齐阳吉帅蓝樊卓扈兰栾辜童艾穆禹刁丛朴"
)


#: Function characters that end no word before them and start none after them: particles,
#: conjunctions, prepositions and the enumeration comma. A term next to one is written on
#: its own (variants: a core with no modifier in front; topicality: an occurrence that closes).
FUNCTION_CHARACTERS = "的和与及、在了是为对把被从向到于等并或也都就将以其"

FUNCTION_POS = frozenset({"r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "m", "q", "y", "e", "o", "zg"})

#: Tags of jieba's ``dict.txt`` that are plainly wrong for every reading of the word, and
#: the tag caseminer reads instead (segmentation's POS tags, the term filter, keywords).
#: Why: a common noun tagged as a person's or place's name is never a discovery and no
#: keyword (农家乐 nr: in two of the poverty term lists and 30 labels and golds in all),
#: and a noun tagged as an adverb or verb makes a clause of a term (积分|超市, ad + v,
#: read as "manner adverbial + verb": the demo case's 积分超市 was no candidate; 兜底 s,
#: a place word). Each entry is a dictionary word of a kind no name or function word is:
#: an institution, trade or thing (幼儿园, 林果业, 超市), an activity (春耕, 治沙, 兜底), a
#: set phrase (生活富裕, 爱岗敬业). Found among the terms of the benchmarks' labels and
#: golds that the term filter rejected by their tags (session 21), and among the
#: dictionary's most frequent words tagged as names that end in a head of places and
#: trades (院, 园, 馆, 站, 厂, 业, 村); names there (刘建业, 贾雨村) keep their tags.
TAG_CORRECTIONS: dict[str, str] = {
    # things, institutions and trades tagged as persons' names (nr)
    "幼儿园": "n", "农家乐": "n", "敬老院": "n", "养老院": "n", "慈幼院": "n", "修道院": "n",
    "陈列馆": "n", "迎宾馆": "n", "熊猫馆": "n", "田径馆": "n", "花博园": "n", "世博园": "n",
    "雷达站": "n", "屠宰厂": "n", "维修厂": "n", "林学院": "n", "林科院": "n", "管弦乐": "n",
    "信天游": "n", "周边游": "n", "养羊业": "n", "养蜂业": "n", "养马业": "n", "博彩业": "n",
    "铁冶业": "n", "林果业": "n", "小康村": "n", "后进村": "n", "文明村": "n", "小康生活": "n",
    "慈善": "n", "阳光": "n", "艾草": "n", "春耕": "vn", "生活富裕": "l", "爱岗敬业": "l",
    "农村居民": "n", "乌兰牧骑": "n",
    # activities tagged as places (ns, s)
    "治沙": "vn", "加盟": "v", "兜底": "vn",
    # nouns tagged as an adverbial adjective or a verb
    "积分": "n", "超市": "n",
    # a party tagged as an ordinal (m): a function word at a term's edge (第三方|评估)
    "第三方": "n",
}


def rare_surname_name(word: str, words: Container[str]) -> bool:
    """Is ``word`` a person named with a rarer surname: three characters, the first one of
    :data:`RARE_SURNAMES`, no nominal head last, and neither it nor its first two characters
    among ``words`` (a lexicon)? 栗战书, 谌贻琴 are; 康养|村 and a word's head are not."""
    return (len(word) == 3 and word[0] in RARE_SURNAMES and word[-1] not in NOMINAL_HEADS
            and word not in words and word[:2] not in words)


def jieba_dict_path() -> str:
    """The path of jieba's bundled dict.txt (BackendMissing if jieba or the file is absent)."""
    try:
        import jieba  # noqa: PLC0415 - optional at import time of caseminer
    except ImportError as exc:  # pragma: no cover - jieba is a dependency
        raise BackendMissing(
            "The base lexicon needs the 'jieba' package, which is not installed. "
            "Install it with 'pip install jieba==0.42.1'."
        ) from exc
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    if not os.path.exists(path):
        raise BackendMissing(
            f"jieba is installed but its dictionary {path} is missing. "
            "Reinstall it with 'pip install --force-reinstall jieba==0.42.1'."
        )
    return path


@functools.lru_cache(maxsize=1)
def _read_jieba() -> tuple[dict[str, int], frozenset[str]]:
    freqs: dict[str, int] = {}
    function: set[str] = set()  # only the function words' tags are kept (memory)
    path = jieba_dict_path()
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            parts = line.split()
            if len(parts) < 2:
                continue
            try:
                freqs[parts[0]] = int(parts[1])
            except ValueError as exc:
                raise InvalidInput(
                    f"{path}, line {line_no}: the frequency {parts[1]!r} is not an integer. "
                    "Reinstall jieba ('pip install --force-reinstall jieba==0.42.1')."
                ) from exc
            tag = TAG_CORRECTIONS.get(parts[0], parts[2]) if len(parts) > 2 else None
            if tag in FUNCTION_POS and parts[0] not in ATTRIBUTIVE_ADVERBS:
                function.add(parts[0])
    log.debug("read %d words from %s", len(freqs), path)
    return freqs, frozenset(function)


def jieba_lexicon() -> dict[str, int]:
    """jieba's base dictionary as ``word -> frequency`` (read once, cached).

    Returns the cached dict itself: copy it before changing it.

    Example::

        >>> jieba_lexicon()["扶贫"]
        717
    """
    return _read_jieba()[0]


@functools.lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """jieba's part-of-speech tag of each dictionary word (``所有 -> b``); read once, cached.

    Kept apart from :func:`jieba_lexicon` so that discovery, which needs only the
    function words, does not hold 349 k tags in memory.
    """
    tags: dict[str, str] = {}
    with open(jieba_dict_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) > 2:
                tags[parts[0]] = TAG_CORRECTIONS.get(parts[0], parts[2])
    # Punctuation is not in dict.txt; the segmenter tags it from here (one token in six).
    for ch in PUNCTUATION:
        tags.setdefault(ch, "x")
    return tags


def function_words() -> frozenset[str]:
    """jieba's dictionary words whose part of speech is in ``FUNCTION_POS`` (所以, 我们, 进行 is not)."""
    return _read_jieba()[1]


def is_function_word(word: str) -> bool:
    """True if jieba tags ``word`` as a function word (see ``FUNCTION_POS``)."""
    return word in function_words()


# The reach table of the last lexicon object read (its identity and size): every model of
# one lexicon shares it (building it reads all of jieba's 350,000 words, ~0.3 s).
_REACH: dict = {"lexicon": None, "size": -1, "table": None}


def word_reach(lexicon: Mapping[str, int]) -> dict[str, int]:
    """The length of the longest listed word (frequency > 0) of ``lexicon`` after each
    two-character start. Why: :class:`Background` would otherwise look up every substring of
    up to ``max_word_len`` characters at every position (step 2d of discovery splits whole
    runs with every word of jieba's lexicon, 16+ characters); after a start that begins no
    word of two characters or more only the character itself can be a word."""
    if _REACH["lexicon"] is not lexicon or _REACH["size"] != len(lexicon):
        reach: dict[str, int] = {}
        for word, freq in lexicon.items():
            if len(word) >= 2 and freq is not None and freq > 0 and reach.get(word[:2], 0) < len(word):
                reach[word[:2]] = len(word)
        _REACH.update(lexicon=lexicon, size=len(lexicon), table=reach)
    return _REACH["table"]


class Background:
    """A unigram background model over a ``word -> frequency`` lexicon.

    ``log_prob(s)`` is the natural log of the probability of the most probable
    segmentation of ``s`` into lexicon words, with each word's probability its
    frequency over the lexicon total; characters missing from the lexicon get
    frequency ``0.5`` (below any listed word). ``best_split(s)`` returns that
    segmentation. Results are memoised per instance. At each position only the words that
    the lexicon lists after its first two characters are looked up (:func:`word_reach`).

    References: the maximum-probability segmentation over a word DAG is the one
    used by jieba (Sun 2012, ``jieba.Tokenizer.calc``).
    """

    def __init__(self, lexicon: Mapping[str, int], max_word_len: int = 8):
        if not isinstance(lexicon, Mapping):
            raise InvalidInput(
                f"The lexicon must be a mapping word -> frequency, got {type(lexicon).__name__}. "
                "Pass a dict such as caseminer.nlp.lexicon.jieba_lexicon()."
            )
        self.lexicon = lexicon
        total = sum(int(f) for f in lexicon.values() if f and f > 0)
        self.log_total = math.log(total) if total > 0 else 0.0
        self.max_word_len = max_word_len
        self._log_unknown = math.log(0.5) - self.log_total
        self._cache: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._reach_of: dict[str, int] | None = None

    def clear_memo(self) -> None:
        """Forget the memoised segmentations (they grow with every string split)."""
        self._cache.clear()

    def _word_logp(self, word: str) -> float | None:
        freq = self.lexicon.get(word)
        if freq is None or freq <= 0:
            return self._log_unknown if len(word) == 1 else None
        return math.log(freq) - self.log_total

    def _reach(self) -> dict[str, int]:
        if self._reach_of is None:
            self._reach_of = word_reach(self.lexicon)
        return self._reach_of

    def _solve(self, text: str) -> tuple[float, tuple[str, ...]]:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        n = len(text)
        best = [(-math.inf, -1)] * (n + 1)
        best[0] = (0.0, 0)
        reach = self._reach()
        # Forward over the word DAG, starts in order: each end keeps the first start of the
        # best score, as the search over every substring before each end did (same splits).
        for start in range(n):
            score = best[start][0]
            if score == -math.inf:
                continue
            last = start + min(self.max_word_len, max(1, reach.get(text[start:start + 2], 1)))
            for end in range(start + 1, min(n, last) + 1):
                lp = self._word_logp(text[start:end])
                if lp is None:
                    continue
                cand = score + lp
                if cand > best[end][0]:
                    best[end] = (cand, start)
        pieces = []
        end = n
        while end > 0:
            start = best[end][1]
            pieces.append(text[start:end])
            end = start
        result = (best[n][0], tuple(reversed(pieces)))
        self._cache[text] = result
        return result

    def log_prob(self, text: str) -> float:
        """Natural-log background probability of ``text`` (see class docstring)."""
        return self._solve(text)[0]

    def best_split(self, text: str) -> tuple[str, ...]:
        """The most probable segmentation of ``text`` into lexicon words."""
        return self._solve(text)[1]
