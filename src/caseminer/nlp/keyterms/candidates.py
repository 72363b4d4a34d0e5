"""Term candidates: whole multi-word terms built from a case's tokens.

A researcher's keywords are terms (扶贫车间, 防贫预警员, 利益联结机制), while a
general segmenter splits most of them (扶贫/车间, 防/贫/预警/员). Scoring single
tokens can therefore never return them (jieba's own TF-IDF top 3 hits 7 % of a
researcher's keywords, issue 4). This module rebuilds terms:

1. **Chunks** (RAKE): the token stream is cut at punctuation, numbers,
   function words (pronouns, prepositions, conjunctions, particles, adverbs,
   measure words) and white space. What remains are runs of content words.
   A plus sign between two words joins them (龙头企业+合作社+农户), and 以
   opening a 以X代Y scheme (以奖代补, 以工代赈) is no preposition.
   A discovered word (tag ``n_new``) that is really a phrase (全面推进乡村振兴)
   first has stop-words cut off its edges, one at a time, until the rest is a
   word of the corpus (-> 乡村振兴; 基础设施建设 -> 基础设施), but not off its end
   where what remains is a weaker discovered word (新发展理念 keeps 理念). A discovered
   word with a function character at an edge or a particle inside is a clause
   piece (也在, 摆脱了贫困) unless that character is part of a content word of
   the corpus there (就业扶贫, 新时代).
2. **Sub-sequences** of 1..``max_tokens`` tokens of each chunk are candidates if
   they neither start nor end with a boundary word (a generic stop-word such
   as 发展: 发展特色产业 gives 特色产业), a light verb character (建) or a
   locative (时, 上), and are ``min_len``..``max_len`` characters long. A single
   character is never a candidate alone but may start (防 + 返贫) or end
   (预警 + 员) one, and only next to a word of two or more characters (in
   联/农/带/农 the 农 is the middle of an unknown word; two or three single
   characters, 防/贫, are no term either). A verb that introduces a measure
   (:data:`INTRO_VERBS`: 实施, 推行, 建成, 壮大 ...) starts no multi-word term
   and no term runs into one: what follows it is its object (建成 |
   扶贫车间), the object is the term.
3. **Recurrence** (unithood): a multi-token candidate must recur, either in the
   case (``min_case_freq``, default 2) or across cases (``min_docfreq``,
   default 2): a string that two different reports both write is a term, a
   string written once is a phrase. Single words (including discovered
   ones) need not recur, and a run written in quotation marks (“一县一业”,
   “互联网+扶贫”; at least two Han characters) is a term whatever its parts:
   reports quote the names of local measures.
   Nor need a **whole noun phrase** (``phrases``, default on): a run headed
   by a noun, with no verb inside, opened by the chunk start, a verb or a
   boundary word and closed likewise (完善 | 农业社会化服务体系 | 。). A
   researcher's keywords are often such terms written once (issue 4: two
   thirds of the development gold keywords occur once in their passage).
   Verbs inside are allowed in one case: the object of a verb that introduces
   a measure, headed by a kind of measure (:data:`NAMED_MEASURE_HEADS`), is a
   name (实施 | 稳岗扩容提质行动, 完善 | 联农带农富农机制).
4. **Nesting** (C-value): occurrences of a candidate inside an occurrence of
   a longer accepted candidate are not counted as its own ("independent
   frequency"), so 防贫 does not gain credit from every 防贫预警 it is part of
   (rules in :func:`_independent_counts`).

Place names (``ns``) and person names (``nr``) are no candidates on their own
unless asked for (``keep_names``), but may be part of a term (黄河滩区).

References:
    Frantzi, K., Ananiadou, S., Mima, H. (2000). Automatic recognition of
    multi-word terms: the C-value/NC-value method. International Journal on
    Digital Libraries 3(2), 115-130.
    Rose, S., Engel, D., Cramer, N., Cowley, W. (2010). Automatic keyword
    extraction from individual documents. In Text Mining: Applications and
    Theory, 1-20 (RAKE: phrases split at stop words and punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .. import shardmap
from ..lexicon import RARE_SURNAMES, rare_surname_name
from ..termfilter import NAMED_MEASURE_HEADS
from ..tokens import Token

__all__ = [
    "CandidateOptions",
    "CaseCandidates",
    "Occurrence",
    "build_candidates",
    "chunks",
    "content_words",
    "is_name_like",
    "is_probable_name",
]

NEW_WORD_TAG = "n_new"
_CUT_TAG = "_cut"  # edges cut off a discovered phrase: always a chunk break

# Parts of speech that end a chunk (ICTCLAS-style tags as jieba gives them):
# pronouns, prepositions, conjunctions, particles, adverbs, measure words,
# modal particles, interjections, onomatopoeia, numerals, time words,
# locatives. Only applied to words of two or more characters: jieba's tags of
# single characters are unreliable as a guide (户 is "q" in 贫困户, 点 "m" in
# 安置点), so single characters are judged by the character lists below.
BREAK_POS = frozenset(
    {"r", "rr", "rz", "p", "c", "cc", "u", "uj", "ul", "uz", "ug", "uv", "ud",
     "d", "dg", "q", "y", "e", "o", "m", "mq", "t", "tg", "z", "f"}
)
PERSON_POS = frozenset({"nr", "nrt", "nrfg", "nr1", "nr2"})
NAME_POS = PERSON_POS | {"ns", "nsf"}
# Single characters that are function words: they end a chunk.
BREAK_CHARS = frozenset(
    "的了着过是在和与及或对为把被将从向也都就而并等之其这那个吗呢吧啊所且则又还很更最"
    "不没说让给由以于该此各每某我你他她它您咱们要到得地"
)
# Edge characters that mark a discovered word as a clause piece (也在, 就能);
# narrower than BREAK_CHARS because terms may start with 以 (以奖代补, 以工代赈).
NEW_WORD_BAD_EDGES = frozenset("的了着过是在和与及或也都就而并又还很吗呢吧啊这那个他她它我你们让给把被将从向说")
# Characters that mark a discovered word as a clause piece wherever they sit
# (摆脱了贫困, 考察时指出): aspect and structural particles (issue 4).
NEW_WORD_BAD_INSIDE = frozenset("的了着过时")
# Single characters that may sit inside a term but never end one (村里, 新区 yes;
# 搬迁到, 审议时 no).
NO_END_CHARS = frozenset("时上下中里外前后内来去会能可应新多少大小好高再已")
# Attributes of the policy register that jieba lists as nouns (高质量/n, 高水平/nr): they
# modify the word after them (高质量发展, 高水平开放, 全方位推进) and head nothing, so no term
# ends with one and none is a keyword alone. 高质量 was among the top 3 of most one-report
# projects (11 times, all judged R) and a junk core of merges (畜牧业高质量 -> 高质量).
ATTRIBUTES = frozenset({"高质量", "高水平", "高标准", "高品质", "高效能", "全方位", "多层次", "宽领域", "深层次",
                        "全链条", "全周期", "全过程", "全领域", "全要素", "多渠道", "多领域"})
# Single characters that never start a term: light verbs (建 + 扶贫车间 is a
# verb phrase, not a term).
NO_START_CHARS = frozenset(
    "建搞做抓种养带帮用找买卖修办开当成变加减促让使给被把将有是在户名位亩元次批项条座家口年月日"
)
OPEN_QUOTES = frozenset("“‘「『\"'")
# Signs that join two words into one term (互联网+扶贫, 龙头企业+合作社+农户).
JOINERS = frozenset("+＋")
CLOSE_QUOTES = frozenset("”’」』\"'")
# Verbs that introduce a measure as their object (实施 | 扶贫生态移民工程,
# 建立 | 防贫预警机制, 推行 | 以奖代补): reports name their measures right
# after them (issue 4). Aspect particles between verb and object are skipped.
INTRO_VERBS = frozenset(
    "实施 实行 推行 推进 推广 推出 开展 启动 建立 建成 设立 成立 组建 搭建 创建 创办 开办 构建 打造 "
    "探索 创新 首创 采取 采用 引入 引进 形成 健全 完善 落实 发展 建设 培育 壮大 开设 举办 出台 "
    "制定 设置 创立 运用 依托 通过 借助 做强 做大 兴办".split()
)
ASPECT = frozenset({"了", "起", "出", "着"})
NOUN_USES = frozenset({"n", "vn", "nz", "an", "j", NEW_WORD_TAG})
SENTENCE_ENDS = frozenset("。！？!?\n")
# Last characters of place names (华溪村, 谢坝乡, 云州区).
PLACE_CHARS = frozenset("村乡镇县市区州省屯寨旗盟")
# Last characters of county-level and higher places (寻乌县, 恩施州, 敖汉旗):
# unlike 村/镇/乡 they end no common nouns of the domain (小康村, 小城镇).
COUNTY_CHARS = frozenset("县市州省旗盟")
# Common words ending in a place character that do end names of places
# (幸福社区, 滨海新区); other such words (超市, 山村) end no names.
AREA_NOUNS = frozenset({"社区", "新区", "城区", "市区", "山区", "牧区", "林区", "垦区", "库区", "辖区", "片区", "园区", "景区"})
# The most common Chinese surnames (about 85 % of the population) and the
# forms of address that follow a surname in news and reports (老唐, 凡大爷).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤凡聂"
)
# Administrative units named by their level, without a place (the case's own region).
# Single characters are left out: they are parts of terms too (一县一业, 一村一品).
ADMIN_UNITS = frozenset({"自治区", "自治州", "自治县", "自治旗", "直辖市", "地级市", "县级市", "特别行政区",
                         "全省", "全市", "全县", "全区", "本省", "本市",
                         # pairs of levels (盟市: the leagues and cities of Inner Mongolia)
                         "盟市", "市县", "县市", "市州", "州市", "县区", "区县", "乡镇", "县乡", "镇村"})
# Organs of the party and state that a place name or unit precedes (自治区党委, 省政府).
ORGANS = ("党委", "政府", "人大", "政协", "纪委", "监委", "党组", "人大常委会", "常委会", "委员会")
ADDRESS_SUFFIXES = ("大爷", "大妈", "大娘", "大叔", "大婶", "大哥", "大姐", "阿姨", "老汉", "奶奶", "爷爷")
_NUMERIC = re.compile(r"^[0-9０-９.．,，%％‰]+$|^[零〇一二两三四五六七八九十百千万亿几半第]+$")
# Characters that can be part of a word; anything else (punctuation, symbols,
# white space) breaks chunks whatever its tag (the segmenter tags unknown Han
# words "x" like punctuation, so the tag cannot be trusted for this).
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORDLIKE = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9０-９Ａ-Ｚａ-ｚ]")


@dataclass(frozen=True)
class CandidateOptions:
    """How candidates are built (see the module docstring)."""

    max_tokens: int = 6
    min_len: int = 2
    max_len: int = 12
    min_case_freq: int = 2
    min_docfreq: int = 2
    keep_names: bool = False
    phrases: bool = True


@dataclass
class Occurrence:
    """Where a candidate occurs in its case: offsets into the analysis text."""

    start: int
    end: int


@dataclass
class CaseCandidates:
    """The candidates of one case.

    ``freq[term]`` counts every occurrence; ``indep[term]`` only those not
    inside a longer accepted candidate; ``first[term]`` is the first
    occurrence; ``parts[term]`` the words it was built from; ``new`` holds terms that are (or contain) a discovered word;
    ``phrase[term]`` counts its occurrences as a whole noun phrase (module
    docstring, step 3); ``sequence`` is the case's candidate occurrences in
    text order as ``(start, end, term)`` (used by TextRank);
    ``introduced[term]`` counts its occurrences right after a verb that
    introduces a measure (实施 | 扶贫生态移民工程, 推行了 | 以奖代补;
    :data:`INTRO_VERBS`); ``lead_end`` is the end of the case's first
    sentence (its title or lead); ``continued[term]`` counts its occurrences
    that the text continues as more of a noun phrase (平遥国际 | 摄影展:
    :func:`_continued`).
    """

    freq: Counter = field(default_factory=Counter)
    indep: Counter = field(default_factory=Counter)
    first: dict = field(default_factory=dict)
    new: set = field(default_factory=set)
    n_tokens: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)
    quoted: set = field(default_factory=set)
    phrase: Counter = field(default_factory=Counter)
    sequence: list = field(default_factory=list)
    introduced: Counter = field(default_factory=Counter)
    lead_end: int = 0
    continued: Counter = field(default_factory=Counter)
    text_end: int = 0  # the end of the case's last token: its length in characters


def _in_word(w: str, k: int, words: Collection[str]) -> bool:
    """Is character ``k`` of ``w`` part of a two-character content word in ``w``
    (就 in 就业扶贫, 时 in 新时代)?"""
    return (k > 0 and w[k - 1 : k + 1] in words) or (k + 2 <= len(w) and w[k : k + 2] in words)


def _is_break(tok: Token, words: Collection[str] = ()) -> bool:
    w = tok.word
    if tok.pos == _CUT_TAG:
        return True
    if w in JOINERS:
        return False  # 互联网+扶贫: joins two words, never a term's edge (_edge_ok)
    if not w or not _WORDLIKE.search(w):
        return True
    if tok.pos == NEW_WORD_TAG:
        # A discovered word is a unit, but discovery also returns clause
        # pieces (也在, 就能): a function character at either edge breaks,
        # unless it is part of a content word there (就业扶贫, 时代楷模).
        if w[0] in NEW_WORD_BAD_EDGES and not _in_word(w, 0, words):
            return True
        if w[-1] in NEW_WORD_BAD_EDGES and not _in_word(w, len(w) - 1, words):
            return True
        return any(ch in NEW_WORD_BAD_INSIDE and not _in_word(w, k, words) for k, ch in enumerate(w))
    if _NUMERIC.match(w) or any(ch.isdigit() for ch in w):
        return True
    if unicodedata.category(w[0]).startswith("P"):
        return True
    if len(w) == 1:
        return w in BREAK_CHARS
    return tok.pos in BREAK_POS


def _opens_scheme(tokens: Sequence[Token], k: int) -> bool:
    """以 opening a 以X代Y scheme (以奖代补, 以工代赈, 以购代捐): the name of a
    measure, not the preposition 以 - X and Y are one or two characters each,
    written without a gap."""
    if tokens[k].word != "以":
        return False
    text, end = "", tokens[k].end
    for tok in tokens[k + 1 : k + 5]:
        if tok.start != end or not _WORDLIKE.search(tok.word):
            break
        text += tok.word
        end = tok.end
        if len(text) >= 5:
            break
    return bool(re.match(r"^[\u4e00-\u9fff]{1,2}代[\u4e00-\u9fff]", text))


def chunks(tokens: Sequence[Token], content_words: Collection[str] = ()) -> list[list[Token]]:
    """Runs of content tokens, cut at punctuation, numbers and function words.

    Tokens that are not adjacent in the text (a dropped space or line break
    between them) also start a new chunk: no term spans a gap. A plus sign
    between two words joins them (龙头企业+合作社+农户). ``content_words``
    (two-character content words of the corpus, see :func:`content_words`)
    keep a discovered word whole whose edge character is a function character
    only on its own (就业扶贫: 就 is part of 就业).
    """
    out: list[list[Token]] = []
    cur: list[Token] = []
    for k, tok in enumerate(tokens):
        brk = (_is_break(tok, content_words) and not _opens_scheme(tokens, k)) or _classifier(tokens, k)
        if brk or (cur and tok.start != cur[-1].end):
            if cur:
                out.append(cur)
            cur = [] if brk else [tok]
            continue
        cur.append(tok)
    if cur:
        out.append(cur)
    # A joiner at a chunk's edge joins nothing: split it off.
    return [c for chunk in out for c in _split_at_edge_joiners(chunk) if c]


def _classifier(tokens: Sequence[Token], k: int) -> bool:
    """A one-character measure word right after a number (300|名|干部, 5|户|人家): it
    counts the noun, and a term starting with it is a fragment (名干部)."""
    tok = tokens[k]
    return (len(tok.word) == 1 and tok.pos in ("q", "m") and k > 0 and tokens[k - 1].end == tok.start
            and (_NUMERIC.match(tokens[k - 1].word) is not None or tokens[k - 1].pos == "m"))


def _split_at_edge_joiners(chunk: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for k, tok in enumerate(chunk):
        if tok.word in JOINERS and (k == 0 or k == len(chunk) - 1 or chunk[k + 1].word in JOINERS
                                    or chunk[k - 1].word in JOINERS):
            parts.append([])
            continue
        parts[-1].append(tok)
    return parts


def content_words(cases_tokens: Mapping[str, Sequence[Token]] | Iterable[Sequence[Token]]) -> frozenset[str]:
    """Two-character words of the corpus that are content words (not tagged as
    a function word, not discovered): 就业, 时代, 及时 - but not 就是, 也在."""
    seqs = cases_tokens.values() if isinstance(cases_tokens, Mapping) else cases_tokens
    return frozenset(
        t.word for toks in seqs for t in toks
        if len(t.word) == 2 and t.pos not in BREAK_POS and t.pos not in (NEW_WORD_TAG, _CUT_TAG)
        and not (t.word[0] in BREAK_CHARS and t.word[1] in BREAK_CHARS)
    )


def is_name_like(parts: Sequence[Token]) -> bool:
    """True if the parts form a place name (安康 + 市, 普洱) or start with a
    person's name (郭 + 卫 + 东家). A single word tagged as a person's name is
    not judged: jieba's dictionary tags many common words so (农家乐/nr)."""
    if len(parts) > 1 and parts[0].pos in PERSON_POS and parts[0].word[0] in SURNAMES:
        # jieba tags many common words as names (道德, 文明 /nr): a name starts
        # with a surname (issue 4).
        return True
    if len(parts) == 1 and parts[0].pos in PERSON_POS:
        return False
    return all(t.pos in NAME_POS or (len(t.word) == 1 and t.word in PLACE_CHARS) for t in parts)


def is_probable_name(term: str, tags: Mapping[str, str] | None = None) -> bool:
    """Heuristic: does ``term`` look like a person's or a place's name?

    ``tags`` is a general lexicon, word -> part of speech (jieba's dictionary,
    :func:`caseminer.nlp.lexicon.jieba_tags`). Person: 老/小 + surname (老唐); a
    surname plus a form of address (凡大爷); a surname plus one or two
    characters that together are no word of the lexicon, or are tagged a
    person's name there (魏杰, 胡小青). Place: a word tagged ``ns``; three to
    five characters ending in a place character (村 乡 镇 县 ...) whose stem is
    no word of the lexicon or is a place name there (华溪村, 独龙江乡) - a
    common stem makes a common noun (贫困村, 示范村), and so does a common
    word at the end other than an area noun such as 社区 (积分超市, 贫困山村);
    and three to five characters ending in a county-level character (县 市 州
    省 旗 盟, :data:`COUNTY_CHARS`) that the lexicon, or its stem, tags as a
    person's name: jieba tags many counties so (寻乌县 /nr). A county-level unit
    followed by such a place is one too (大同市云州区).
    """
    n = len(term)
    if n >= 3 and term.endswith(ADDRESS_SUFFIXES) and term[0] in SURNAMES:
        return True
    if term in ADMIN_UNITS:
        return True  # 自治区, 自治州: the case's own administrative unit, no measure
    organ = next((o for o in ORGANS if term.endswith(o) and len(term) > len(o)), None)
    if organ is not None:
        # An organ of a place (自治区党委, 省政府, 宁夏回族自治区人大): an institution
        # named by where it is, no measure of the case.
        stem = term[: -len(organ)]
        if stem in ADMIN_UNITS or stem[-1] in PLACE_CHARS or (tags is not None and tags.get(stem) in ("ns", "nsf")):
            return True
    if n == 2 and term[0] in "老小" and term[1] in SURNAMES:
        return True
    if tags is None:
        return False
    tag = tags.get(term)
    if tag in NAME_POS and not (tag in PERSON_POS and term[0] not in SURNAMES | RARE_SURNAMES):
        return True
    if tag is None and n in (2, 3) and term[0] in SURNAMES:
        return True
    if rare_surname_name(term, tags):
        return True  # 栗|战书; not 康养|村, a word and its head
    if 3 <= n <= 5 and term[-1] in COUNTY_CHARS and (tag in PERSON_POS or tags.get(term[:-1]) in PERSON_POS):
        # jieba tags many counties as persons' names (寻乌县, 昭觉县 /nr): a
        # county-level suffix after a "name" is a place (issue 4: a place is
        # no keyword), unless the last two characters are a lexicon word that
        # names no place (五星红旗: 红旗). Villages, towns and townships are
        # left out: 小康村, 文明村, 小城镇 are common nouns tagged so too.
        if tags.get(term[-2:]) in (None, "ns", "nsf"):
            return True
    for k in range(3, min(n - 2, 6)):
        # A place inside a larger one (大同市云州区, 恩施州来凤县): a county-level
        # unit, then a probable place name.
        if term[k - 1] in COUNTY_CHARS and term[-1] in PLACE_CHARS and is_probable_name(term[k:], tags):
            return True
    if 3 <= n <= 5 and term[-1] in PLACE_CHARS and tag is None:
        end_tag = tags.get(term[-2:])
        if end_tag is not None and end_tag not in NAME_POS and term[-2:] not in AREA_NOUNS:
            return False  # ends in a common word ending in 市/村 (积分超市, 贫困山村): no name
        stem_tag = tags.get(term[:-1])
        if stem_tag is None or stem_tag in NAME_POS:
            return True
    return False


def _strip_new_word(
    tok: Token,
    stop: Collection[str],
    longest: int,
    vocabulary: Collection[str],
    domain: Collection[str] = (),
    weights: Mapping[str, float] | None = None,
) -> list[Token]:
    """Split stop-words off the edges of a discovered word.

    Discovery also returns verb phrases (全面推进乡村振兴, 发展特色产业): the
    term inside is freed by cutting stop-word prefixes and suffixes (RAKE's
    rule, applied inside the word; a verb introducing a measure, such as
    壮大 in 壮大村集体经济, is cut off the start) one piece at a time, the end
    before the start, up to the first remainder that is itself a word of the
    corpus (a token somewhere: 基础设施建设 -> 基础设施, not 设施); a term
    that merely starts with a stop-word and has no such remainder (基层党组织
    with 组织) is left whole. Returns the pieces,
    in order; the cut-off pieces are chunk breaks (no term continues them).
    The remainder keeps the tag the corpus gives that word elsewhere (展开: a
    verb), when ``vocabulary`` maps words to tags.

    Domain stop-words (``domain``) are cut off the end too, but only when at
    least four characters remain (深度贫困地区脱贫攻坚 -> 深度贫困地区, while
    金融扶贫 stays whole although 扶贫 is a domain stop-word); never off the
    start, where they modify the rest (生态环境治理 stays whole).

    A stop-word is not cut off the end where the remainder is a discovered word only (never
    a token of the lexicon's) that discovery weighs less than the whole (``weights``): the
    stem of several terms, not a term (新发展理念 -> 新发展, also the stem of 新发展格局 and
    新发展阶段). The whole is kept, or only its start is cut.
    """
    w = tok.word

    def stripped(suffixes: bool) -> tuple[int, int] | None:
        """The bounds of the first remainder that is a word of the corpus, cutting one piece
        at a time, the end before the start (基础设施建设 -> 基础设施: the start 基础, a
        boundary word, stays on); stop-words off the end only with ``suffixes``."""
        lo, hi = 0, len(w)

        def cut_at(k: int, at_start: bool) -> bool:
            piece = w[lo : lo + k] if at_start else w[hi - k : hi]
            if (piece in stop and (at_start or suffixes)) or (at_start and piece in INTRO_VERBS):
                return True
            # A domain word opening a compound modifies it (生态环境治理): only a
            # trailing one is cut (深度贫困地区脱贫攻坚).
            return not at_start and piece in domain and hi - lo - k >= 4

        changed = True
        while changed and hi - lo > 2:
            changed = False
            for at_start in (False, True):
                for k in range(min(longest, hi - lo - 2), 0, -1):
                    if cut_at(k, at_start):
                        if at_start:
                            lo += k
                        else:
                            hi -= k
                        changed = True
                        break
                if changed and w[lo:hi] in vocabulary:
                    return lo, hi
        return None

    found = stripped(suffixes=True)
    if found is not None and found[1] < len(w) and weights is not None and isinstance(vocabulary, Mapping):
        rest = w[found[0]:found[1]]
        if vocabulary.get(rest) == NEW_WORD_TAG and weights.get(rest, 0.0) < weights.get(w, 0.0):
            found = stripped(suffixes=False)
    if found is None:
        return [tok]
    lo, hi = found
    out = []
    if lo:
        out.append(Token(w[:lo], _CUT_TAG, tok.start, tok.start + lo))
    # The remainder is a word of the corpus: it keeps that word's tag (全面展开 ->
    # 展开, a verb), so phrase boundaries around it are judged right.
    tag = vocabulary.get(w[lo:hi], NEW_WORD_TAG) if isinstance(vocabulary, Mapping) else NEW_WORD_TAG
    out.append(Token(w[lo:hi], tag, tok.start + lo, tok.start + hi))
    if hi < len(w):
        out.append(Token(w[hi:], _CUT_TAG, tok.start + hi, tok.end))
    return out


def _edge_ok(tok: Token, stop: Collection[str], first: bool) -> bool:
    w = tok.word
    if w in stop or w in JOINERS or (not first and w in ATTRIBUTES):
        return False
    if tok.pos == NEW_WORD_TAG:
        return first or w[-1] not in NO_END_CHARS
    if len(w) == 1:
        # A bound character may start (防 + 返贫, 整 + 村) or end (预警 + 员)
        # a term, except light verbs and locatives.
        return w not in (NO_START_CHARS if first else NO_END_CHARS)
    return True


# Parts of speech of a term's head (its last word): nouns, verbal nouns,
# abbreviations, fixed expressions and discovered words (issue 4).
HEAD_POS = frozenset({"n", "nz", "nt", "vn", "an", "j", "l", "i", NEW_WORD_TAG})


def _is_head(tok: Token) -> bool:
    # A one-character noun may head a term (周转 + 房); other one-character
    # words are bound parts of unknown words.
    return tok.pos in HEAD_POS and (len(tok.word) > 1 or tok.pos in ("n", NEW_WORD_TAG))


def _bounded(chunk: list[Token], i: int, j: int, stop: Collection[str]) -> bool:
    """Is ``chunk[i:j+1]`` a whole noun phrase: headed by a noun, opened by the
    chunk start, a verb or a boundary word (完善 | 农业社会化服务体系), and
    closed by the chunk end, a verb or a boundary word?"""
    if not _is_head(chunk[j]):
        return False
    if any(t.pos.startswith("v") and t.pos != "vn" for t in chunk[i:j]) and not _named_measure(chunk, i, j):
        return False  # a verb inside: a clause (特色产业带动农户), not a term
    if i > 0:
        prev = chunk[i - 1]
        opener = prev.word in stop or (prev.pos.startswith("v") and prev.pos != "vn") \
            or (len(prev.word) == 1 and prev.pos in ("m", "q", "mq"))  # 3 年 | 免费教育
        if not opener:
            return False
    if j + 1 < len(chunk):
        nxt = chunk[j + 1]
        if chunk[j].pos == "vn" and nxt.word not in stop:
            return False  # a verbal noun with an object is a verb (县里建设 | 扶贫车间)
        if not (nxt.word in stop or (nxt.pos.startswith("v") and nxt.pos != "vn")):
            return False
    return True


# Tags of a word that, following a term inside its chunk, makes the term the modifier of a
# longer noun phrase at that occurrence: heads of terms and names (尼玛 | 江村).
CONTINUING_POS = HEAD_POS | NAME_POS


def _continued(chunk: list[Token], j: int, stop: Collection[str]) -> bool:
    """Does the word after ``chunk[j]`` continue the noun phrase that ends there (平遥国际 |
    摄影展, 审批制度 | 改革), rather than close it (a verb, a boundary word such as 工作 or
    格局, or the end of the chunk)?"""
    if j + 1 >= len(chunk):
        return False
    nxt = chunk[j + 1]
    # A single character is left out: jieba tags many a verb or particle alone as a noun
    # (苹果加工厂 | 成 | 了), and a bound suffix (贫困 | 户) is the candidates' business.
    return nxt.word not in stop and nxt.pos in CONTINUING_POS and len(nxt.word) > 1


def _named_measure(chunk: list[Token], i: int, j: int) -> bool:
    """Is ``chunk[i:j+1]`` the object of a verb that introduces a measure, headed by the
    name of a kind of measure (实施 | 稳岗扩容提质行动, 完善 | 联农带农富农机制)? Then the
    verbs inside it are part of the name."""
    return i > 0 and _opens_clause(chunk[i - 1]) and chunk[j].word in NAMED_MEASURE_HEADS and j - i >= 2


def _opens_clause(tok: Token) -> bool:
    """A verb that introduces a measure (:data:`INTRO_VERBS`), not tagged as a
    noun (创新 | 机制 may be one): what follows it is its object, so it starts
    no multi-word term."""
    return tok.word in INTRO_VERBS and tok.pos not in NOUN_USES


def _grams(chunk: list[Token], opts: CandidateOptions, stop: Collection[str]):
    n = len(chunk)

    def single(k: int) -> bool:
        return 0 <= k < n and len(chunk[k].word) == 1 and chunk[k].pos != NEW_WORD_TAG

    for i in range(n):
        if not _edge_ok(chunk[i], stop, first=True):
            continue
        # A bound character starts a term only at a word boundary: after a
        # single character it is the middle of an unknown word (联/农/带/农).
        if single(i) and single(i - 1):
            continue
        length = 0
        for j in range(i, min(n, i + opts.max_tokens)):
            length += len(chunk[j].word)
            if length > opts.max_len:
                break
            if length < opts.min_len or not _edge_ok(chunk[j], stop, first=False):
                continue
            if single(j) and single(j + 1):
                continue
            if j > i and _opens_clause(chunk[i]):
                break  # 建成 | 扶贫车间, 推出 | 大病保险制度: a verb and its object
            if j > i and _opens_clause(chunk[j]):
                break  # ... and no term runs into one (资产管理 | 壮大 ...)
            parts = chunk[i : j + 1]
            if length < 4 and all(len(t.word) == 1 and t.pos != NEW_WORD_TAG for t in parts):
                continue  # two or three single characters (防/贫): a piece of an unknown word
            if not opts.keep_names and is_name_like(parts):
                continue
            yield parts, _bounded(chunk, i, j, stop), _continued(chunk, j, stop)


def _quoted(tokens: Sequence[Token], opts: CandidateOptions, stop: Collection[str]):
    """Token runs enclosed in quotation marks (“一县一业”, “甜蜜产业”).

    Reports put the names of local measures in quotes; such a run is a term
    whatever its parts (numbers included), if it is short and has no
    punctuation inside.
    """
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i].word in OPEN_QUOTES:
            j = i + 1
            while j < n and j - i <= opts.max_tokens + 1 and (tokens[j].word in JOINERS or (
                    _WORDLIKE.search(tokens[j].word)
                    and not unicodedata.category(tokens[j].word[0]).startswith("P"))):
                j += 1
            if j < n and tokens[j].word in CLOSE_QUOTES and j > i + 1:
                parts = list(tokens[i + 1 : j])
                term = "".join(t.word for t in parts)
                contiguous = all(a.end == b.start for a, b in zip(parts, parts[1:]))
                edges = parts[0].word not in JOINERS and parts[-1].word not in JOINERS \
                    and len(_HAN.findall(term)) >= 2  # “1+N”, “5G” name nothing alone
                if contiguous and edges and opts.min_len <= len(term) <= opts.max_len and term not in stop \
                        and not _NUMERIC.match(term) and "的" not in term:
                    yield parts
            i = j if j > i else i + 1
        else:
            i += 1


class _RawCounts(NamedTuple):
    """One case's counts before the corpus-level filters of :func:`build_candidates`."""

    counts: Counter          # term -> occurrences
    occ: dict                # term -> (start, end) of each occurrence
    ntok: dict               # term -> tokens it is made of
    new: set                 # terms holding a discovered word
    parts_of: dict           # term -> its words
    quoted: set              # terms the case puts in quotation marks
    phrase: Counter          # term -> occurrences bounded as a phrase
    introduced: Counter      # term -> occurrences after a verb that introduces a measure
    lead_end: int            # end of the first sentence
    verb_led: set            # terms that open with a verb
    continued: Counter       # term -> occurrences continued as more of a noun phrase


def _raw_counts(
    tokens: Sequence[Token],
    opts: CandidateOptions,
    stop: Collection[str],
    vocabulary: Collection[str] = (),
    domain: Collection[str] = (),
    words: Collection[str] = (),
    weights: Mapping[str, float] | None = None,
) -> _RawCounts:
    longest = max(2, max((len(w) for w in (*stop, *domain)), default=0))
    if longest:
        split: list[Token] = []
        for t in tokens:
            if t.pos == NEW_WORD_TAG:
                split.extend(_strip_new_word(t, stop, longest, vocabulary, domain, weights))
            else:
                split.append(t)
        tokens = split
    counts: Counter[str] = Counter()
    occ: dict[str, list[tuple[int, int]]] = {}
    ntok: dict[str, int] = {}
    parts_of: dict[str, tuple[str, ...]] = {}
    new: set[str] = set()
    quoted: set[str] = set()
    introduced: Counter[str] = Counter()
    verb_led: set[str] = set()
    # The word before each token (skipping aspect particles: 实施了 | X).
    before: dict[int, str] = {}
    prev = ""
    for t in tokens:
        before[t.start] = prev
        if t.word not in ASPECT:
            prev = t.word
    phrase: Counter[str] = Counter()
    continued: Counter[str] = Counter()

    def add(parts: Sequence[Token]) -> str:
        term = "".join(t.word for t in parts)
        counts[term] += 1
        occ.setdefault(term, []).append((parts[0].start, parts[-1].end))
        if len(parts) < ntok.get(term, 99):
            ntok[term] = len(parts)
            parts_of[term] = tuple(t.word for t in parts)
        if any(t.pos == NEW_WORD_TAG for t in parts):
            new.add(term)
        if before.get(parts[0].start) in INTRO_VERBS:
            introduced[term] += 1
        if len(parts) > 1 and parts[0].pos.startswith("v") and parts[0].pos != "vn" \
                and len(term) - len(parts[0].word) >= 4:
            verb_led.add(term)
        return term

    seen_spans: set[tuple[int, int]] = set()
    for chunk in chunks(tokens, words):
        for parts, bounded, cont in _grams(chunk, opts, stop):
            seen_spans.add((parts[0].start, parts[-1].end))
            term = add(parts)
            if bounded:
                phrase[term] += 1
            if cont:
                continued[term] += 1
    for parts in _quoted(tokens, opts, stop):
        span = (parts[0].start, parts[-1].end)
        term = "".join(t.word for t in parts)
        if span not in seen_spans:
            add(parts)
        quoted.add(term)
    lead_end = next((t.end for t in tokens if t.word in SENTENCE_ENDS), tokens[-1].end if tokens else 0)
    return _RawCounts(counts, occ, ntok, new, parts_of, quoted, phrase, introduced, lead_end, verb_led, continued)


def _raw_counts_of_shard(shared: tuple, cases: list[tuple[str, Sequence[Token]]]) -> list[tuple[str, _RawCounts]]:
    opts, stop, vocabulary, domain, words, weights = shared
    return [(cid, _raw_counts(toks, opts, stop, vocabulary, domain, words, weights)) for cid, toks in cases]


def build_candidates(
    cases_tokens: Mapping[str, Sequence[Token]],
    *,
    stopwords: Collection[str] = (),
    options: CandidateOptions | None = None,
    docfreq: Mapping[str, int] | None = None,
    domain_words: Collection[str] = (),
    weights: Mapping[str, float] | None = None,
    n_jobs: int = 1,
    executor: object = None,
) -> tuple[dict[str, CaseCandidates], Counter]:
    """Term candidates of every case, and their document frequency over the cases.

    The cases' own counts (most of the work) are a map over shards of cases, on
    ``n_jobs`` forked processes or on ``executor`` (:func:`.shardmap.map_shards`); the
    corpus-level filters read their merged document frequencies. The result does not
    depend on where the map ran.

    Args:
        cases_tokens: case id -> tokens of the case, in text order.
        stopwords: words that never start or end a term and are never one as a
            token (a string of several tokens equal to one, 中国|特色|社会主义, stays
            a candidate; :func:`.fusion.extract_keywords` keeps it from being a keyword).
        options: :class:`CandidateOptions`.
        docfreq: extra document frequencies (e.g. from cases outside this call)
            added to the recurrence test; optional.
        domain_words: domain stop-words; they are no boundaries of terms, but
            are cut off the edges of discovered phrases when four or more
            characters remain.
        weights: the weights of the corpus list (word -> weight; the keyword stage passes
            the list's own, ``pipeline.keywords.list_weights_for_keywords``): a stop-word is
            not cut off the end of a discovered word where a weaker discovered word remains
            (:func:`_strip_new_word`).
        n_jobs, executor: where the cases are counted (see above).

    Returns:
        ``(per_case, docfreq)``: per case a :class:`CaseCandidates`, and the
        number of cases each accepted candidate occurs in.

    Example::

        >>> from caseminer.nlp.tokens import Token
        >>> toks = [Token("扶贫", "v", 0, 2), Token("车间", "n", 2, 4), Token("，", "x", 4, 5),
        ...         Token("扶贫", "v", 5, 7), Token("车间", "n", 7, 9)]
        >>> per_case, df = build_candidates({"a": toks})
        >>> per_case["a"].indep["扶贫车间"], per_case["a"].indep["车间"]
        (2, 0)
    """
    opts = options or CandidateOptions()
    stop = frozenset(stopwords)
    # word -> its most frequent tag in the corpus (a discovered word's own tag
    # only if it is never tagged otherwise)
    tag_counts: dict[str, Counter] = {}
    for toks in cases_tokens.values():
        for t in toks:
            tag_counts.setdefault(t.word, Counter())[t.pos] += 1
    vocabulary = {
        w: next((tag for tag, _ in c.most_common() if tag != NEW_WORD_TAG), NEW_WORD_TAG)
        for w, c in tag_counts.items()
    }
    domain = frozenset(domain_words) - stop
    words = content_words(cases_tokens)
    shared = (opts, stop, vocabulary, domain, words, weights)
    shards = shardmap.chunks(list(cases_tokens.items()), shardmap.shard_count(n_jobs, executor))
    counted = dict(pair for part in shardmap.map_shards(_raw_counts_of_shard, shared, shards, n_jobs=n_jobs,
                                                        executor=executor, what="keyword extraction")
                   for pair in part)
    raw = {cid: counted[cid] for cid in cases_tokens}  # in the cases' order, as the map returns in any
    df: Counter[str] = Counter()
    for r in raw.values():
        df.update(r.counts.keys())
    extra = docfreq or {}
    out: dict[str, CaseCandidates] = {}
    accepted_df: Counter[str] = Counter()
    for cid, r in raw.items():
        cc = CaseCandidates()
        cc.quoted = r.quoted
        cc.phrase = r.phrase
        cc.lead_end = r.lead_end
        cc.text_end = cases_tokens[cid][-1].end if cases_tokens[cid] else 0
        for term, f in r.counts.items():
            if r.ntok[term] > 1 and term not in r.quoted:
                recurs = f >= opts.min_case_freq or df[term] + extra.get(term, 0) >= opts.min_docfreq
                if not recurs and not (opts.phrases and r.phrase[term]):
                    continue
            cc.freq[term] = f
            cc.first[term] = r.occ[term][0]
            cc.n_tokens[term] = r.ntok[term]
            cc.parts[term] = r.parts_of[term]
            if term in r.new:
                cc.new.add(term)
            if r.introduced[term]:
                cc.introduced[term] = r.introduced[term]
            if r.continued[term]:
                cc.continued[term] = r.continued[term]
        _independent_counts(cc, r.occ, r.verb_led, df)
        out[cid] = cc
        accepted_df.update(cc.freq.keys())
    return out, accepted_df


def _independent_counts(
    cc: CaseCandidates,
    occ: dict[str, list[tuple[int, int]]],
    verb_led: Collection[str] = (),
    df: Mapping[str, int] | None = None,
) -> None:
    """Fill ``cc.indep`` and ``cc.sequence``.

    An occurrence is *independent* unless it lies inside an occurrence of a
    longer accepted candidate (a cover) that claims it. A cover that occurs at
    least twice in the case claims its parts; one seen once claims them only
    if it recurs across cases (``df``, two or more) and the part is mostly
    seen inside it (the cover's case count is at least half the part's:
    易地扶贫 inside 易地扶贫搬迁), else "发展黄花产业" seen once would take
    黄花产业's count away. A verb followed by a term of four or more characters
    (``verb_led``: 推出 | 大病补充医疗保险制度) is a clause, not a longer term:
    it claims nothing.
    """
    df = df or {}
    spans: list[tuple[int, int, str]] = []
    for term in cc.freq:
        for s, e in occ[term]:
            spans.append((s, e, term))
    by_start: dict[int, list[tuple[int, str]]] = {}
    longest = 1
    for s, e, t in spans:
        if (cc.freq[t] >= 2 or df.get(t, 0) >= 2) and t not in verb_led:
            by_start.setdefault(s, []).append((e, t))
            longest = max(longest, e - s)

    def claims(cover: str, part: str) -> bool:
        return cc.freq[cover] >= 2 or 2 * df.get(cover, 0) >= df.get(part, 0)

    for s, e, term in spans:
        inside = False
        # A cover starts at most `longest` characters before s.
        for cs in range(max(0, s - longest), s + 1):
            covers = by_start.get(cs)
            if covers and any(ce >= e and (ce - cs) > (e - s) and claims(t, term) for ce, t in covers):
                inside = True
                break
        if not inside:
            cc.indep[term] += 1
    cc.sequence = sorted(spans)


def terms_of(per_case: Mapping[str, CaseCandidates]) -> dict[str, set[str]]:
    """case id -> its candidate terms (the input of domain stop-word proposals)."""
    return {cid: set(cc.freq) for cid, cc in per_case.items()}


def iter_terms(per_case: Mapping[str, CaseCandidates]) -> Iterable[str]:
    """Every distinct candidate term over all cases."""
    seen: set[str] = set()
    for cc in per_case.values():
        for t in cc.freq:
            if t not in seen:
                seen.add(t)
                yield t
