"""Word segmentation (分词) of a case's analysis text into :class:`Token` objects.

Two backends run the same algorithm over the same dictionary (jieba 0.42.1's
``dict.txt``, max-probability path through the word DAG):

``"jieba"`` (default)
    the pure-Python jieba package; always available (a core dependency).
``"jieba-fast"``
    the C++ double-array-trie engine of the ``jieba-fast-dat`` package, loaded
    with *jieba's* dictionary: its cut is 8-10 times faster, the whole
    :meth:`tokenize` 3-4 times (above 1 M characters/s per process). With
    ``hmm=False`` (the default) its tokens are identical to ``"jieba"``'s
    (words, tags and offsets on all 2,966 news stories of the xwlb poverty
    subset, and a test); with ``hmm=True`` 17 of those stories differ (PM2.5,
    the rare character 塅), so it is a separately named backend, never a
    silent substitute (issue 3).

The domain lexicon (accepted discovered words plus user word lists) goes into a
per-segmenter dictionary, so terms such as 脱贫攻坚战, 志智双扶, 两不愁三保障 and
以奖代补 are kept whole and tagged ``n_new`` (NLPIR's tag for new words). jieba's
HMM guesser is off by default because it invents fragments (志智双, 奖代补) and
scores lower on the PKU gold standard (see benchmarks/SEGMENTATION.md).

POS tags come from a word -> tag table (the tags in jieba's ``dict.txt``), not from
``jieba.posseg``, which is ten times slower; for dictionary words this is exactly
what ``posseg`` gives with HMM off. Words outside the dictionary get ``m``
(numbers), ``eng`` (Latin letters and digits) or ``x`` (punctuation, symbols and
Han words the dictionary does not know, as ``posseg`` does). White space is
dropped.

jieba keeps a global default tokenizer; caseminer never touches it. Each
segmenter owns an isolated tokenizer, and dictionary caches are written to a
caseminer folder under the temp dir by write-then-rename, so concurrent
processes never read a half-written cache.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, islice, repeat
from pathlib import Path
from typing import Any, ClassVar, Protocol

from ..errors import BackendMissing, InvalidSetting, fail
from ..settings import Boolean, Interval, Text, resolve_jobs, validate
from . import shardmap
from .lexicon import PUNCTUATION, jieba_dict_path, jieba_tags
from .tokens import Token

__all__ = [
    "BACKENDS",
    "NEW_WORD_TAG",
    "SegmentSettings",
    "Segmenter",
    "make_segmenter",
    "dictionary_tags",
    "split_sentences",
    "segment_many",
]

logger = logging.getLogger(__name__)

NEW_WORD_TAG = "n_new"

_new = tuple.__new__  # Token(...) without the Python-level namedtuple __new__ frame

#: backend name -> (module to import, PyPI package that provides it)
BACKENDS: dict[str, tuple[str, str]] = {
    "jieba": ("jieba", "jieba"),
    "jieba-fast": ("jieba_fast_dat", "jieba-fast-dat"),
}

# Same characters as caseminer.nlp.normalize.SENTENCE_END / CLOSERS (kept local so
# that nlp modules do not depend on each other's internals).
_SENTENCE_END = "。！？；…!?;"
_CLOSERS = "”’」』）)》】"
_SENTENCE_RE = re.compile(
    rf"[^\r\n{_SENTENCE_END}]+[{_SENTENCE_END}]*[{_CLOSERS}]*"
    rf"|[{_SENTENCE_END}]+[{_CLOSERS}]*"
)
# jieba only ever joins characters of this class into one word (re_han_default);
# a user word with any other character can never be matched.
_JIEBA_WORD_CHARS = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
# Numbers, percentages and dates as one token, as ICTCLAS/NLPIR and the PKU and
# MSR gold standards do (3.5%, 120万, 2021年, 12月, 31日): jieba cuts them into
# pieces (28/./25/%), and full-width digits into single characters. Tagged ``t``
# when a time unit ends them, else ``m``. A digit run glued to Latin letters
# (PM2.5, 5G, G20) is left to the engine.
_D = "0-9０-９"
# Every branch starts with a digit so that the regex engine can skip ahead with
# its first-character scan (5x faster than a leading look-behind); the "not glued
# to a Latin letter or digit before it" test is done on each match instead.
_NUMBER_TOKEN = re.compile(
    rf"[{_D}](?:[{_D}]{{3}}年(?!度)"  # a year: 2021年, but 5年 (a duration) stays 5 / 年
    rf"|[{_D}]?(?:月份|月|日|时|分)"
    rf"|[{_D}]*(?:[.．][{_D}]+)?(?:万亿|万|亿)?[%％]?(?![A-Za-zＡ-Ｚａ-ｚ{_D}]))"
)
_GLUE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789."
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９．"
)
_TIME_UNITS = "年月日时分份"
_PUNCTUATION = PUNCTUATION
_NUMBER = re.compile(r"[0-9０-９.．%％]+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ0-9０-９._+#&\-]+")


@dataclass(frozen=True)
class SegmentSettings:
    """Settings of the segmentation stage.

    backend: ``"jieba-fast"`` (default: jieba's algorithm and jieba's own
        dictionary run by the C++ engine of ``jieba-fast-dat``, a declared
        dependency; with ``hmm=False`` its tokens are identical to ``"jieba"``'s,
        checked on 2,966 real stories, at about 4x the speed) or ``"jieba"`` (the
        pure-Python original).
    hmm: let jieba's HMM guess words missing from the dictionary. Off by default:
        it invents fragments such as 志智双 and lowers PKU F1.
    pos: attach POS tags; when false every token's ``pos`` is ``""``.
    merge_numbers: keep numbers, percentages and dates whole (3.5%, 120万,
        2021年, 12月, 31日; tagged ``m`` or ``t``) as ICTCLAS/NLPIR and the PKU
        gold standard do, instead of jieba's 3/./5/%.
    guess_names: run jieba's HMM but keep only the words it guesses that look
        like a person's name (a common surname plus one or two characters:
        游景玉), tagged ``nr``; its other guesses (志智双, 奖代补) go back to
        single characters. Ignored when ``hmm`` is on (then every guess stays).
    user_word_boost: a user word gets the frequency jieba's ``suggest_freq``
        gives (just enough to beat its own split) times this factor; raise it if
        lexicon words still lose to an overlapping dictionary word in context.
    """

    backend: str = "jieba-fast"
    hmm: bool = False
    pos: bool = True
    user_word_boost: float = 1.0
    merge_numbers: bool = True
    guess_names: bool = False

    # backend is checked by make_segmenter, not here: an unknown backend is a
    # BackendMissing error (E303) with the list of choices.
    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "backend": Text(),
        "hmm": Boolean(),
        "pos": Boolean(),
        "user_word_boost": Interval(float, 1.0, 1e6),
        "merge_numbers": Boolean(),
        "guess_names": Boolean(),
    }


class Segmenter(Protocol):
    """What every backend offers: one text in, its tokens out."""

    name: str
    settings: SegmentSettings
    user_words: dict[str, str]  # the lexicon words in use, word -> tag
    unusable_words: list[str]  # lexicon words that can never be cut whole

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of ``text`` in order, with offsets into ``text``."""
        ...


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``.

    A sentence ends after a run of 。！？；…!?; plus any closing quotes or
    brackets, or at a line break. Line breaks and leading/trailing white space
    are not part of any span; ``text[start:end]`` is the sentence.

    >>> split_sentences("脱贫攻坚。乡村振兴！\\n下一步")
    [(0, 5), (5, 10), (11, 14)]
    """
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def make_segmenter(
    settings: SegmentSettings | None = None,
    *,
    user_words: Mapping[str, str | None] | Iterable[str] = (),
) -> Segmenter:
    """Build a segmenter for ``settings`` with the domain lexicon ``user_words``.

    ``user_words`` is either words (tagged ``n_new``) or a mapping word -> POS tag
    (``None`` means ``n_new``). These words are kept whole. Words containing
    characters jieba never joins (punctuation, spaces) cannot be matched; they
    are logged and listed in ``segmenter.unusable_words``.

    Raises :class:`BackendMissing` (E303) for an unknown backend and (E304) when
    the backend's package is not installed, with the pip command.

    >>> seg = make_segmenter(user_words=["志智双扶"])
    >>> [t.word for t in seg.tokenize("坚持志智双扶。")]
    ['坚持', '志智双扶', '。']
    """
    settings = validate(settings or SegmentSettings(), "segment")
    module = _import_backend(settings.backend)
    words = _user_word_tags(user_words)
    if settings.backend == "jieba":
        tokenizer, lcut = _jieba_tokenizer(module, settings.hmm or settings.guess_names)
    else:
        tokenizer, lcut = _fast_tokenizer(module, settings.hmm or settings.guess_names)
    return _JiebaFamilySegmenter(settings, tokenizer, lcut, words)


def _import_backend(name: str):
    """The backend's module, or BackendMissing E303 (unknown) / E304 (not installed)."""
    if name not in BACKENDS:
        raise fail(BackendMissing, "E303", name=name, choices=", ".join(map(repr, BACKENDS)))
    module_name, package = BACKENDS[name]
    try:
        return __import__(module_name)
    except ImportError:
        raise fail(BackendMissing, "E304", name=name, package=package) from None


class _JiebaFamilySegmenter:
    """A jieba-compatible tokenizer plus the tag table; see the module docstring."""

    def __init__(self, settings, tokenizer, lcut, user_words: dict[str, str]):
        self.name = settings.backend
        self.settings = settings
        self._tokenizer = tokenizer
        self._lcut = lcut
        self.unusable_words: list[str] = []
        self.user_words: dict[str, str] = {}
        boost = settings.user_word_boost
        for word, tag in user_words.items():
            if not _JIEBA_WORD_CHARS.fullmatch(word):
                self.unusable_words.append(word)
                continue
            freq = tokenizer.suggest_freq(word, False)
            tokenizer.add_word(word, max(1, int(freq * boost)), tag)
            self.user_words[word] = tag
        if self.unusable_words:
            logger.warning(
                "%d lexicon word(s) contain punctuation or spaces and can never be "
                "segmented whole; remove or rewrite them: %s",
                len(self.unusable_words),
                ", ".join(self.unusable_words[:20]),
            )
        # One lookup per token: the user's tags over the dictionary's (a private
        # copy only when there are user words; the shared table is read-only).
        # Loaded even with pos=False: guess_names must know dictionary words.
        self._tags = dictionary_tags()
        if self.user_words:
            self._tags = {**self._tags, **self.user_words}
        self._tag_of = self._tags.get
        self._pos = settings.pos
        # guess_names without hmm: HMM words are kept only when they look like a
        # person's name; anything else goes back to single characters, which is
        # what the HMM-off cut gives for such a run.
        self._filter_hmm = settings.guess_names and not settings.hmm
        # Lexicon words with digits (十四五 has none, 5G网络 has) must not be cut
        # by the number rule: their occurrences are protected from it.
        with_digits = sorted((w for w in self.user_words if any(c.isdigit() for c in w)), key=len)
        self._protect = (
            re.compile("|".join(map(re.escape, reversed(with_digits)))) if with_digits else None
        )

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of ``text``: offsets into ``text``, white space dropped,
        punctuation tagged ``x``, user words tagged as given (``n_new``),
        numbers and dates whole (``m``/``t``) unless ``merge_numbers`` is off.

        No token crosses sentence punctuation (。！？；…!?;) or a line break:
        jieba joins only Han characters, ASCII letters and digits and ``+#&._%-``
        into a word (a user word with other characters is refused), and the
        number pattern contains none of the sentence marks. So the text is cut in one call, which
        is what the per-sentence cut would give, without a call per sentence.
        """
        with _gc_paused():
            return self._tokenize(text)

    def _tokenize(self, text: str) -> list[Token]:
        out: list[Token] = []
        pos = 0
        if self.settings.merge_numbers:
            tag_numbers = self.settings.pos
            protected = [m.span() for m in self._protect.finditer(text)] if self._protect else ()
            for m in _NUMBER_TOKEN.finditer(text):
                a, b = m.span()
                if a and text[a - 1] in _GLUE:  # PM2.5, G20: left to the engine
                    continue
                if protected and any(ps < b and a < pe for ps, pe in protected):
                    continue
                if a > pos:
                    self._cut_into(text, pos, a, out)
                w = m.group()
                tag = ("t" if w[-1] in _TIME_UNITS else "m") if tag_numbers else ""
                out.append(_new(Token, (w, tag, a, b)))
                pos = b
        if pos < len(text):
            self._cut_into(text, pos, len(text), out)
        return out

    def _cut_into(self, text: str, start: int, end: int, out: list[Token]) -> None:
        """Append the tokens of ``text[start:end]`` to ``out``.

        Offsets, tag lookups and Token construction run as C-level map/zip over
        the engine's word list: a Python loop per token would cost more than the
        C++ segmentation itself (issue 3 asks for >= 1 M characters/s).
        """
        words = self._lcut(text[start:end])
        bounds = list(accumulate(map(len, words), initial=start))
        if bounds[-1] != end:  # the engine must return every character exactly once
            raise RuntimeError(
                f"segmenter {self.name!r} lost characters in {text[start:end]!r}; "
                "this is a bug, please report it with this text"
            )
        tags = list(map(self._tag_of, words))
        if None not in tags:  # the common case: every word is known
            if not self._pos:
                tags = [""] * len(words)
            out.extend(map(_new, repeat(Token), zip(words, tags, bounds, islice(bounds, 1, None))))
            return
        blank = not self._pos
        for w, tag, a, b in zip(words, tags, bounds, islice(bounds, 1, None)):
            if tag is None:
                if self._filter_hmm and len(w) > 1 and _HAN.fullmatch(w):
                    if looks_like_name(w):
                        out.append(_new(Token, (w, "" if blank else "nr", a, b)))
                    else:
                        for i, ch in enumerate(w):
                            tag = "" if blank else self._tag_of(ch) or _fallback_tag(ch)
                            out.append(_new(Token, (ch, tag, a + i, a + i + 1)))
                    continue
                tag = _fallback_tag(w)
                if tag is None:  # white space
                    continue
            out.append(_new(Token, (w, "" if blank else tag, a, b)))

    def __repr__(self) -> str:
        return (
            f"<Segmenter {self.name} hmm={self.settings.hmm} "
            f"user_words={len(self.user_words)}>"
        )


# Common Chinese surnames, for guess_names. Left out on purpose: surnames that are
# far more often a word-forming morpheme in policy texts (全 时 党 严 简 史 应 管 师
# 农 冷 于 和: 全靠, 党管, 严把, 农网 would otherwise be tagged as names).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙陶黎贺顾毛郝龚邵万钱覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆司卓古吉缪车项连芦麦褚娄"
    "窦戚岑景宫费卜晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝傅"
)
_DOUBLE_SURNAMES = frozenset(["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙"])
_HAN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _dictionary_segmenter():
    return make_segmenter(SegmentSettings(pos=False, merge_numbers=False))


def dictionary_words(text: str) -> list[str]:
    """``text`` cut into the words of jieba's dictionary alone (HMM off, no user words,
    numbers not merged): how the term filter and the keyword variants judge a string
    by its words.

    >>> dictionary_words("非公有制经济")
    ['非公有制', '经济']
    """
    return [t.word for t in _dictionary_segmenter().tokenize(text)]


def looks_like_name(word: str) -> bool:
    """A surname plus a given name of one or two characters (游景玉, 欧阳修文)."""
    if word[:2] in _DOUBLE_SURNAMES:
        return 3 <= len(word) <= 4
    return word[0] in _SURNAMES and 2 <= len(word) <= 3


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector, then restore it as the caller had it.

    Each Token is a new GC-tracked tuple. When the caller keeps its tokens (every
    pipeline does), collections triggered by them cost ~45 % more time (measured
    on 600 k chars of news) and can find nothing: tokens hold only str and int.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _fallback_tag(word: str) -> str | None:
    """Tag of a word missing from the dictionary; None for white space."""
    if word.isspace():
        return None
    if _NUMBER.fullmatch(word) and any(c.isdigit() for c in word):
        return "m"
    if _LATIN.fullmatch(word) and any(c.isalnum() for c in word):
        return "eng"
    return "x"


def _user_word_tags(user_words: Mapping[str, str | None] | Iterable[str]) -> dict[str, str]:
    if isinstance(user_words, str):
        raise fail(
            InvalidSetting,
            "E301",
            name="user_words",
            stage="segment",
            constraint="a list of words or a mapping word -> tag (not one string)",
            value=user_words,
        )
    if isinstance(user_words, Mapping):
        items = user_words.items()
    else:
        items = ((w, None) for w in user_words)
    out: dict[str, str] = {}
    for word, tag in items:
        word = str(word).strip()
        if word:
            out[word] = tag or NEW_WORD_TAG
    return out


# ---------------------------------------------------------------- dictionaries

def _jieba_dict_path() -> Path:
    return Path(jieba_dict_path())


def dictionary_tags() -> dict[str, str]:
    """word -> POS tag from jieba's dict.txt, punctuation tagged ``x`` (one shared
    table per process: :func:`caseminer.nlp.lexicon.jieba_tags`)."""
    return jieba_tags()


def _cache_dir(engine: str, version: str) -> Path:
    # Per user and engine version: a newer jieba never reads an older cache.
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    path = Path(tempfile.gettempdir()) / f"caseminer-{user}" / f"{engine}-{version}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _jieba_tokenizer(jieba, hmm: bool):
    # jieba logs "Building prefix dict..." at DEBUG through its own stderr handler;
    # a library must not print, so its logger is raised to WARNING.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # jieba writes its cache with mkstemp + rename in this folder: race-free.
    tokenizer.tmp_dir = str(_cache_dir("jieba", jieba.__version__))
    tokenizer.initialize()
    cut = tokenizer.cut

    def lcut(sentence: str) -> list[str]:
        return list(cut(sentence, HMM=hmm))

    return tokenizer, lcut


def _fast_tokenizer(jfd, hmm: bool):
    logging.getLogger("jieba_fast_dat").setLevel(logging.WARNING)
    dict_path = _jieba_dict_path()
    stat = dict_path.stat()
    key = hashlib.md5(f"{dict_path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    version = getattr(jfd, "__version__", "0")
    final = _cache_dir("jieba_fast_dat", version) / f"dict-{key[:16]}.dat"
    tokenizer = jfd.Tokenizer(str(dict_path))
    if final.exists():
        tokenizer.cache_file = str(final)
        tokenizer.initialize()
    else:
        # Build into a private file and rename it into place, so a concurrent
        # process never loads a half-written cache.
        fd, tmp = tempfile.mkstemp(dir=final.parent, suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
        tokenizer.cache_file = tmp
        tokenizer.initialize()
        if os.path.exists(tmp):
            os.replace(tmp, final)
        tokenizer.cache_file = str(final)
    # Without an initialised trie jieba-fast-dat returns garbage (建档/立卡贫/困户)
    # instead of an error, so check a known cut before trusting it.
    probe = tokenizer.lcut("建档立卡贫困户", HMM=False)
    if probe != ["建档立卡", "贫困户"]:
        raise BackendMissing(
            f"The segmenter backend 'jieba-fast' failed its self-check (it cut "
            f"建档立卡贫困户 as {'/'.join(probe)}). Delete the cache folder "
            f"{final.parent} and try again, or use backend 'jieba'.",
            code="E304",
        )
    fast_lcut = tokenizer.lcut

    def lcut(sentence: str) -> list[str]:
        return fast_lcut(sentence, HMM=hmm)

    return tokenizer, lcut


# ---------------------------------------------------------------- many texts

# A worker's segmenter and the key of the settings and words it was built with: a worker
# (a pool's process, a Dask worker that lives on) builds it for its first shard only.
_WORKER: _JiebaFamilySegmenter | None = None
_WORKER_KEY: str | None = None
_BUILDING = threading.Lock()


def _segmenter_key(settings: SegmentSettings, user_words: Mapping[str, str]) -> str:
    digest = hashlib.sha256(repr(settings).encode())
    for word, tag in sorted(user_words.items()):
        digest.update(f"\n{word}\t{tag}".encode())
    return digest.hexdigest()


def _tokenize_task(shared: tuple, item: tuple[int, list[str]]) -> tuple[int, list]:
    """One shard in a worker: ``shared`` = ``(key, settings, user_words)``, ``item`` =
    ``(index, texts)``; returns the index with the shard's offsets and tags."""
    global _WORKER, _WORKER_KEY
    key, settings, user_words = shared
    with _BUILDING:  # a Dask worker runs tasks in threads: one segmenter, built once
        if _WORKER_KEY != key:
            _WORKER, _WORKER_KEY = make_segmenter(settings, user_words=user_words), key
    index, texts = item
    return index, _tokenize_shard(texts)


def _tokenize_shard(texts: list[str]) -> list[tuple[list[int], list[str]]]:
    # Only offsets and tags cross the process boundary; the parent rebuilds the
    # words from its own copy of the text (pickling Token tuples costs more than
    # segmenting).
    assert _WORKER is not None
    out = []
    for text in texts:
        tokens = _WORKER.tokenize(text)
        bounds = [x for t in tokens for x in (t.start, t.end)]
        out.append((bounds, [t.pos for t in tokens]))
    return out


# Characters per worker process: the pool's start and each worker's dictionary cost about
# as much as segmenting 200,000 characters. Two processes on two cores were slower than one
# on 100,000 characters, even on 250,000, and faster from 400,000 on
# (benchmarks/segment_jobs.py; benchmarks/README.md, "Every core by default").
MIN_CHARS_PER_PROCESS = 200_000


def segment_processes(texts: Sequence[str], n_jobs: int = 1,
                      min_chars_per_process: int = MIN_CHARS_PER_PROCESS) -> int:
    """The number of processes :func:`segment_many` uses for ``texts``: ``n_jobs``
    (``-1``: one per CPU, :func:`..settings.resolve_jobs`, which rejects anything else
    below 1), but no more than one per ``min_chars_per_process`` characters."""
    n_jobs = resolve_jobs(n_jobs, "segment")
    if len(texts) < 2:
        return 1
    worth = sum(map(len, texts)) // max(1, min_chars_per_process)
    return max(1, min(n_jobs, worth))


def segment_many(
    texts: Sequence[str],
    settings: SegmentSettings | None = None,
    user_words: Mapping[str, str | None] | Iterable[str] = (),
    n_jobs: int = 1,
    min_chars_per_process: int = MIN_CHARS_PER_PROCESS,
    executor: object = None,
) -> list[list[Token]]:
    """Tokenize every text; ``result[i]`` are the tokens of ``texts[i]``.

    Up to ``n_jobs`` worker processes (``-1``: one per CPU; at most one per
    ``min_chars_per_process`` characters, :func:`segment_processes`) each build one
    segmenter and take contiguous shards of about equal character counts. With an
    ``executor`` (a ``dask.distributed`` client or a ``concurrent.futures`` executor,
    :mod:`.shardmap`) the shards, four per worker, are segmented there instead, and
    ``n_jobs`` is not read. The result is the same as ``[make_segmenter(settings,
    user_words=user_words).tokenize(t) for t in texts]`` wherever it runs.
    """
    settings = validate(settings or SegmentSettings(), "segment")
    shardmap.check_executor(executor, "segment")
    texts = list(texts)
    words = _user_word_tags(user_words)
    n_jobs = 0 if executor is not None else segment_processes(texts, n_jobs, min_chars_per_process)
    if n_jobs == 1:
        segmenter = make_segmenter(settings, user_words=words)
        return [segmenter.tokenize(t) for t in texts]
    _import_backend(settings.backend)  # fail early (E303/E304), in this process
    with ExitStack() as stack:
        if executor is None:
            # n_jobs processes (spawned where the platform cannot fork): the shards run on
            # them as on any executor
            executor = stack.enter_context(ProcessPoolExecutor(n_jobs))
        shards = _shards(texts, shardmap.shard_count(1, executor))
        results: list = [None] * len(shards)
        tasks = enumerate(texts[a:b] for a, b in shards)
        for index, shard in shardmap.map_unordered(_tokenize_task, (_segmenter_key(settings, words), settings, words),
                                                   tasks, executor):
            results[index] = shard
    out: list[list[Token]] = []
    with _gc_paused():
        for (a, _), shard in zip(shards, results):
            for text, (bounds, tags) in zip(texts[a:], shard):
                it = iter(bounds)
                out.append(
                    [_new(Token, (text[s:e], tag, s, e)) for (s, e), tag in zip(zip(it, it), tags)]
                )
    return out


def _shards(texts: list[str], n: int) -> list[tuple[int, int]]:
    """Contiguous index ranges with roughly equal character counts."""
    total = sum(map(len, texts)) or 1
    target = total / n
    shards, start, acc = [], 0, 0
    for i, text in enumerate(texts):
        acc += len(text)
        if acc >= target:
            shards.append((start, i + 1))
            start, acc = i + 1, 0
    if start < len(texts):
        shards.append((start, len(texts)))
    return shards
