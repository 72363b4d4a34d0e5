"""Term candidates: whole multi-word terms built from a case's tokens.

A researcher's keywords are terms (扶贫车间, 防贫预警员, 利益联结机制), while a
general segmenter splits most of them (扶贫/车间, 防/贫/预警/员). Scoring single
tokens can therefore never return them (jieba's own TF-IDF top 3 hits 7 % of a
researcher's keywords, issue 4). This module rebuilds terms:

1. **Chunks** (RAKE): the token stream is cut at punctuation, numbers,
   function words (pronouns, prepositions, conjunctions, particles, adverbs,
   measure words) and white space. What remains are runs of content words.
   A discovered word (tag ``n_new``) that is really a phrase (全面推进乡村振兴)
   first has stop-words cut off its edges when the rest is a word of the
   corpus (-> 乡村振兴).
2. **Sub-sequences** of 1..``max_tokens`` tokens of each chunk are candidates if
   they neither start nor end with a boundary word (a generic stop-word such
   as 发展: 发展特色产业 gives 特色产业), a light verb character (建) or a
   locative (时, 上), and are ``min_len``..``max_len`` characters long. A single
   character is never a candidate alone but may start (防 + 返贫) or end
   (预警 + 员) one, and only next to a word of two or more characters (in
   联/农/带/农 the 农 is the middle of an unknown word).
3. **Recurrence** (unithood): a multi-token candidate must recur, either in the
   case (``min_case_freq``, default 2) or across cases (``min_docfreq``,
   default 2): a string that two different reports both write is a term, a
   string written once is a phrase. Single words (including discovered
   ones) need not recur, and a run written in quotation marks (“一县一业”)
   is a term whatever its parts: reports quote the names of local measures.
   Nor need a **whole noun phrase** (``phrases``, default on): a run headed
   by a noun, with no verb inside, opened by the chunk start, a verb or a
   boundary word and closed likewise (完善 | 农业社会化服务体系 | 。). A
   researcher's keywords are often such terms written once (issue 4: two
   thirds of the development gold keywords occur once in their passage).
4. **Nesting** (C-value): occurrences of a candidate inside an occurrence of
   a longer accepted candidate are not counted as its own ("independent
   frequency"), so 防贫 does not gain credit from every 防贫预警 it is part of.

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

from ..tokens import Token

__all__ = [
    "CandidateOptions",
    "CaseCandidates",
    "Occurrence",
    "build_candidates",
    "chunks",
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
# Single characters that never start a term: light verbs (建 + 扶贫车间 is a
# verb phrase, not a term).
NO_START_CHARS = frozenset(
    "建搞做抓种养带帮用找买卖修办开当成变加减促让使给被把将有是在户名位亩元次批项条座家口年月日"
)
OPEN_QUOTES = frozenset("“‘「『\"'")
CLOSE_QUOTES = frozenset("”’」』\"'")
# Last characters of place names (华溪村, 谢坝乡, 云州区).
PLACE_CHARS = frozenset("村乡镇县市区州省屯寨旗盟")
# The most common Chinese surnames (about 85 % of the population) and the
# forms of address that follow a surname in news and reports (老唐, 凡大爷).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤凡聂"
)
ADDRESS_SUFFIXES = ("大爷", "大妈", "大娘", "大叔", "大婶", "大哥", "大姐", "阿姨", "老汉", "奶奶", "爷爷")
_NUMERIC = re.compile(r"^[0-9０-９.．,，%％‰]+$|^[零〇一二两三四五六七八九十百千万亿几半第]+$")
# Characters that can be part of a word; anything else (punctuation, symbols,
# white space) breaks chunks whatever its tag (the segmenter tags unknown Han
# words "x" like punctuation, so the tag cannot be trusted for this).
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
    text order as ``(start, end, term)`` (used by TextRank).
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


def _is_break(tok: Token) -> bool:
    w = tok.word
    if tok.pos == _CUT_TAG:
        return True
    if not w or not _WORDLIKE.search(w):
        return True
    if tok.pos == NEW_WORD_TAG:
        # A discovered word is a unit, but discovery also returns clause
        # pieces (也在, 就能): a function character at either edge breaks.
        return w[0] in NEW_WORD_BAD_EDGES or w[-1] in NEW_WORD_BAD_EDGES or any(ch in w for ch in NEW_WORD_BAD_INSIDE)
    if _NUMERIC.match(w) or any(ch.isdigit() for ch in w):
        return True
    if unicodedata.category(w[0]).startswith("P"):
        return True
    if len(w) == 1:
        return w in BREAK_CHARS
    return tok.pos in BREAK_POS


def chunks(tokens: Sequence[Token]) -> list[list[Token]]:
    """Runs of content tokens, cut at punctuation, numbers and function words.

    Tokens that are not adjacent in the text (a dropped space or line break
    between them) also start a new chunk: no term spans a gap.
    """
    out: list[list[Token]] = []
    cur: list[Token] = []
    for tok in tokens:
        brk = _is_break(tok)
        if brk or (cur and tok.start != cur[-1].end):
            if cur:
                out.append(cur)
            cur = [] if brk else [tok]
            continue
        cur.append(tok)
    if cur:
        out.append(cur)
    return out


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
    common stem makes a common noun (贫困村, 示范村).
    """
    n = len(term)
    if n >= 3 and term.endswith(ADDRESS_SUFFIXES) and term[0] in SURNAMES:
        return True
    if n == 2 and term[0] in "老小" and term[1] in SURNAMES:
        return True
    if tags is None:
        return False
    tag = tags.get(term)
    if tag in NAME_POS and not (tag in PERSON_POS and term[0] not in SURNAMES):
        return True
    if n in (2, 3) and term[0] in SURNAMES and tag is None:
        return True
    if 3 <= n <= 5 and term[-1] in PLACE_CHARS and tag is None:
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
) -> list[Token]:
    """Split stop-words off the edges of a discovered word.

    Discovery also returns verb phrases (全面推进乡村振兴, 发展特色产业): the
    term inside is freed by cutting stop-word prefixes and suffixes (RAKE's
    rule, applied inside the word) - but only when the remainder is itself a
    word of the corpus (a token somewhere), so that a term that merely starts
    with a stop-word (基层党组织 with 组织) is left whole. Returns the pieces,
    in order; the cut-off pieces are chunk breaks (no term continues them).

    Domain stop-words (``domain``) are cut off too, but only when at least four
    characters remain (深度贫困地区脱贫攻坚 -> 深度贫困地区, while 金融扶贫
    stays whole although 扶贫 is a domain stop-word).
    """
    w = tok.word

    def cut_at(k: int, at_start: bool) -> bool:
        piece = w[lo : lo + k] if at_start else w[hi - k : hi]
        if piece in stop:
            return True
        return piece in domain and hi - lo - k >= 4

    lo, hi = 0, len(w)
    changed = True
    while changed and hi - lo > 2:
        changed = False
        for k in range(min(longest, hi - lo - 2), 0, -1):
            if cut_at(k, True):
                lo += k
                changed = True
                break
        for k in range(min(longest, hi - lo - 2), 0, -1):
            if cut_at(k, False):
                hi -= k
                changed = True
                break
    if (lo == 0 and hi == len(w)) or w[lo:hi] not in vocabulary:
        return [tok]
    out = []
    if lo:
        out.append(Token(w[:lo], _CUT_TAG, tok.start, tok.start + lo))
    out.append(Token(w[lo:hi], NEW_WORD_TAG, tok.start + lo, tok.start + hi))
    if hi < len(w):
        out.append(Token(w[hi:], _CUT_TAG, tok.start + hi, tok.end))
    return out


def _edge_ok(tok: Token, stop: Collection[str], first: bool) -> bool:
    w = tok.word
    if w in stop:
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
    if any(t.pos.startswith("v") and t.pos != "vn" for t in chunk[i:j]):
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
            parts = chunk[i : j + 1]
            if j == i and len(parts[0].word) == 1 and parts[0].pos != NEW_WORD_TAG:
                continue
            if not opts.keep_names and is_name_like(parts):
                continue
            yield parts, _bounded(chunk, i, j, stop)


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
            while j < n and j - i <= opts.max_tokens + 1 and _WORDLIKE.search(tokens[j].word) \
                    and not unicodedata.category(tokens[j].word[0]).startswith("P"):
                j += 1
            if j < n and tokens[j].word in CLOSE_QUOTES and j > i + 1:
                parts = list(tokens[i + 1 : j])
                term = "".join(t.word for t in parts)
                contiguous = all(a.end == b.start for a, b in zip(parts, parts[1:]))
                if contiguous and opts.min_len <= len(term) <= opts.max_len and term not in stop \
                        and not _NUMERIC.match(term) and "的" not in term:
                    yield parts
            i = j if j > i else i + 1
        else:
            i += 1


def _raw_counts(
    tokens: Sequence[Token],
    opts: CandidateOptions,
    stop: Collection[str],
    vocabulary: Collection[str] = (),
    domain: Collection[str] = (),
):
    longest = max((len(w) for w in (*stop, *domain)), default=0)
    if longest:
        split: list[Token] = []
        for t in tokens:
            if t.pos == NEW_WORD_TAG:
                split.extend(_strip_new_word(t, stop, longest, vocabulary, domain))
            else:
                split.append(t)
        tokens = split
    counts: Counter[str] = Counter()
    occ: dict[str, list[tuple[int, int]]] = {}
    ntok: dict[str, int] = {}
    parts_of: dict[str, tuple[str, ...]] = {}
    new: set[str] = set()
    quoted: set[str] = set()
    phrase: Counter[str] = Counter()

    def add(parts: Sequence[Token]) -> str:
        term = "".join(t.word for t in parts)
        counts[term] += 1
        occ.setdefault(term, []).append((parts[0].start, parts[-1].end))
        if len(parts) < ntok.get(term, 99):
            ntok[term] = len(parts)
            parts_of[term] = tuple(t.word for t in parts)
        if any(t.pos == NEW_WORD_TAG for t in parts):
            new.add(term)
        return term

    seen_spans: set[tuple[int, int]] = set()
    for chunk in chunks(tokens):
        for parts, bounded in _grams(chunk, opts, stop):
            seen_spans.add((parts[0].start, parts[-1].end))
            term = add(parts)
            if bounded:
                phrase[term] += 1
    for parts in _quoted(tokens, opts, stop):
        span = (parts[0].start, parts[-1].end)
        term = "".join(t.word for t in parts)
        if span not in seen_spans:
            add(parts)
        quoted.add(term)
    return counts, occ, ntok, new, parts_of, quoted, phrase


def build_candidates(
    cases_tokens: Mapping[str, Sequence[Token]],
    *,
    stopwords: Collection[str] = (),
    options: CandidateOptions | None = None,
    docfreq: Mapping[str, int] | None = None,
    domain_words: Collection[str] = (),
) -> tuple[dict[str, CaseCandidates], Counter]:
    """Term candidates of every case, and their document frequency over the cases.

    Args:
        cases_tokens: case id -> tokens of the case, in text order.
        stopwords: words that never start or end a term and are never one.
        options: :class:`CandidateOptions`.
        docfreq: extra document frequencies (e.g. from cases outside this call)
            added to the recurrence test; optional.
        domain_words: domain stop-words; they are no boundaries of terms, but
            are cut off the edges of discovered phrases when four or more
            characters remain.

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
    vocabulary = {t.word for toks in cases_tokens.values() for t in toks}
    domain = frozenset(domain_words) - stop
    raw = {
        cid: _raw_counts(toks, opts, stop, vocabulary, domain) for cid, toks in cases_tokens.items()
    }
    df: Counter[str] = Counter()
    for counts, *_ in raw.values():
        df.update(counts.keys())
    extra = docfreq or {}
    out: dict[str, CaseCandidates] = {}
    accepted_df: Counter[str] = Counter()
    for cid, (counts, occ, ntok, new, parts_of, quoted, phrase) in raw.items():
        cc = CaseCandidates()
        cc.quoted = quoted
        cc.phrase = phrase
        for term, f in counts.items():
            if ntok[term] > 1 and term not in quoted:
                recurs = f >= opts.min_case_freq or df[term] + extra.get(term, 0) >= opts.min_docfreq
                if not recurs and not (opts.phrases and phrase[term]):
                    continue
            cc.freq[term] = f
            cc.first[term] = occ[term][0]
            cc.n_tokens[term] = ntok[term]
            cc.parts[term] = parts_of[term]
            if term in new:
                cc.new.add(term)
        _independent_counts(cc, occ)
        out[cid] = cc
        accepted_df.update(cc.freq.keys())
    return out, accepted_df


def _independent_counts(cc: CaseCandidates, occ: dict[str, list[tuple[int, int]]]) -> None:
    """Fill ``cc.indep`` and ``cc.sequence``.

    An occurrence is *independent* unless it lies inside an occurrence of a
    longer accepted candidate that occurs at least twice in the case (a
    candidate seen once cannot claim its parts: "发展黄花产业" seen once does
    not take 黄花产业's count away).
    """
    spans: list[tuple[int, int, str]] = []
    for term in cc.freq:
        for s, e in occ[term]:
            spans.append((s, e, term))
    by_start: dict[int, list[int]] = {}
    longest = 1
    for s, e, t in spans:
        if cc.freq[t] >= 2:
            by_start.setdefault(s, []).append(e)
            longest = max(longest, e - s)
    for s, e, term in spans:
        inside = False
        # A cover starts at most `longest` characters before s.
        for cs in range(max(0, s - longest), s + 1):
            ends = by_start.get(cs)
            if ends and any(ce >= e and (ce - cs) > (e - s) for ce in ends):
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
