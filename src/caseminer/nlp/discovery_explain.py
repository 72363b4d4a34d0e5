"""Why a string has its discovery weight, or why it is not listed: in sentences.

A researcher who defends a list in peer review must say where each number comes from,
and one who misses a term (以工代赈 at rank 1,273) wants to know which step put it there
and what to do. The weight of :mod:`.discovery` is a product of steps: a log-likelihood
G² of a count against what general language expects (step 4), counting only the
occurrences on the corpus's topic (step 5), times the string's probability of being a
term (step 6) and a discount for meaning unlike the list's leading terms (step 7).
:func:`explain_listed` takes a stored row of a list apart into those factors; the
product of the factors it prints is the stored weight. :func:`explain_unlisted` says
what the texts and the list show about a string that is not listed. Both write English
(``lang="en"``) or Chinese (``"zh"``, the workbench's default language).

Pure functions of stored values: nothing here reads the database or the texts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from ..errors import InvalidInput
from .lexicon_pieces import PIECE_SHARE
from .nesting import FRAGMENT_SHARE, HEADLESS_CLOSING
from .termfilter import CASE_LEXICON_WORDS_TOP

__all__ = ["containers_of", "explain_listed", "explain_trace", "explain_unlisted", "out_of_date",
           "unlisted_reason", "weight_factors"]

#: Why a string is not listed, first reason first (:func:`unlisted_reason`).
UNLISTED_REASONS = ("not in the texts", "below min_freq", "piece of a listed string", "term filter",
                    "dropped on the way")

#: Log-likelihood of p < 0.001 (chi-square, one degree of freedom).
G2_P001 = 10.83

_SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "corpus": "the corpus list",
        "case": "case {case}'s list",
        "rank": "{word}: rank {rank} of {listed} in {scope}, weight {weight}.",
        "occurs": "It occurs {times} in {cases} case(s).",
        "as_word": "The weight counts its occurrences as a word of the discovery's cut (steps 2 and 4; not those "
                   "inside a longer word unless that splits into it and another word): {times}{once}.",
        "as_bound": "The weight counts its occurrences as a word of the discovery's cut with those inside the "
                    "longer words it sits in added, a bound (step 4; without step 5 no pass over the texts "
                    "checks it): {times}{once}.",
        "once": ", in {cases} case(s), each case counted once: {counted}",
        "occurs_case": "It occurs {times} in this case.",
        "expects": "General language expects {expected} occurrences in texts of this length (step 4; {known}).",
        "known": "a word of the base lexicon",
        "unknown": "not a word of the base lexicon",
        "topic": "{share} of its occurrences are in sentences that hold a seed of the corpus's topic ({seeds}){near}; "
                 "the weight counts {counted} x {fraction}^{power} = {on_topic} of them (step 5).",
        "near": " or within {window} sentence(s) of one",
        "few": "A corpus of so few cases is read as a case is: every occurrence counts, all of them on topic "
               "(step 5).",
        "subject": "No words are over-used enough to make a topic, but the corpus keeps to one subject "
                   "({subject}), so every occurrence counts as on topic (step 5).",
        "everywhere": "The words the corpus over-uses most ({seeds}) are no topic: on average a sentence that holds "
                      "one holds another in {cohesion} of cases (below {least}), so every occurrence counts as on topic "
                      "(step 5).",
        "g2": "Log-likelihood G² of that count against the expectation: {g2}{tail}.",
        "strong": " (p < 0.001 from 10.83)",
        "weak": " (below 10.83: weaker than p < 0.001)",
        "negative": ": fewer than expected, so no evidence of a term",
        "termhood": "x {shown}: its probability of being a term, read from its form and meaning ({model}; step 6).",
        "unlike": "x {factor} = exp({semantic} x {z}): its meaning is less akin to the corpus list's leading terms "
                  "than the average (step 7).",
        "akin": "x 1: its meaning is at least as akin to the corpus list's leading terms as the average "
                "(z = {z}; step 7 only lowers).",
        "product": "= {weight}.",
        "absent": "{word} is not in {scope} ({listed} strings).",
        "in_corpus": "The corpus list holds it at rank {rank}; a case's list weighs the case's own evidence.",
        "nowhere": "The analysis texts do not hold it. Check how it is written there (simplified or traditional "
                   "characters, full-width letters, a line break inside it).",
        "held": "The analysis texts hold it {times}{where}, counted as a string anywhere (also inside longer words).",
        "held_case": "This case's analysis text holds it {times}, counted as a string anywhere (also inside longer "
                     "words).",
        "where": " in {cases} case(s)",
        "rare": "The list needs {min_freq} occurrences (min_freq): it cannot be listed. A lower --min-freq lists "
                "rarer strings.",
        "inside": "{share} of its occurrences are inside {container} (rank {rank}){piece}.",
        "piece": ": it is a piece of that longer string, which discovery lists instead (at least {fragment} of a "
                 "candidate's occurrences inside one longer candidate make it a fragment, step 5)",
        "filtered": "The term filter reads it as no term (a clause or phrase of the register, a person's name, or a "
                    "common word of general language), and discovery lists none of those.",
        "organisation": "It names an organisation the dictionary knows (tagged nt, ending in 部, 局, 委, "
                        "银行 ...), and a case's list leaves those out: one case names the bodies it reports on, "
                        "and nothing in it tells the topic's own institution from any other (the corpus list keeps "
                        "those it finds on its topic).",
        "common_word": "It is a two-character word of the dictionary, and a case's list holds those only where "
                       "the corpus list holds them among its first {top} strings (the topic's own words: 脱贫, "
                       "帮扶): elsewhere they are the general vocabulary a story uses, no new word of it.",
        "dropped": "Discovery dropped it on the way, at one of these steps: counting did not keep it as a unit "
                   "(step 2 cuts the texts where neighbouring characters go together less often than chance "
                   "allows, and a pair of words must recur compound_min_freq times); its edges rarely vary, as a "
                   "fragment's do (step 3); or it is nearly always part of one longer string, listed or not, or "
                   "of longer words of the base lexicon (step 5). The report's methods section describes each "
                   "step.",
        "case_floor": "A case's list holds only the strings whose weight reaches {floor} (p < 0.001) or that the case "
                      "writes {repeats} times: its weight in this case may stay below that.",
        "add": "To segment it whole and let keyword extraction use it anyway: caseminer lexicon add {word}",
        "add_piece": "If it is a term of its own all the same, to segment it whole and let keyword extraction use "
                     "it anyway: caseminer lexicon add {word}",
        "times_1": "once",
        "times": "{n} times",
        "tiny": "under 0.0001",
        "sep": ", ",
        "expected": "{x}",
        "stale": "The stored lists are out of date ({reason}): they and this account are those of the last "
                 "discovery run; run caseminer discover again for today's.",
        "traced": "Traced again with the last run's settings (steps 1-5 counted anew for this string; nothing "
                  "stored):",
        "cuts": "Step 2 cuts the texts where neighbouring characters go together less often than chance allows; "
                "its first occurrences ([ ]) are cut so (|): {examples}.",
        "segment": "As one segment it stands {unit}, and as two segments side by side (or a segment and a "
                   "one-character head, step 2b) {pair}; a candidate needs {min_freq} as one segment (min_freq) or "
                   "{compound} in all (compound_min_freq).",
        "segment_long": "As one segment it stands {unit}; past eight characters a candidate needs {compound} "
                        "(compound_min_freq).",
        "fewer": "fewer than {n} times",
        "span": "As a run of whole dictionary words (step 2d: {words}) it stands {freq}; a run needs {floor} "
                "(compound_min_freq).",
        "no_topic": "The corpus has no topic and keeps to no one subject, so step 2d (runs of dictionary words) "
                    "and step 5 (fragments) do not run.",
        "fails": "It fails step 3 there: {tests}.",
        "passes": "It passes the tests of step 3 there.",
        "t_cohesion": "cohesion {cohesion} below {floor} (the least PMI over its cut points: its parts go together "
                      "little more than chance)",
        "t_entropy": "branching entropy left {left} / right {right}, below {floor} on one side (its neighbours "
                     "rarely vary, as a fragment's do)",
        "t_crossing": "its first or last character makes a dictionary word with the character next to it in "
                      "{share} of its occurrences or more (a piece cut out of a longer word)",
        "t_stop": "it starts or ends with a stop character (的, 了, 和 ...)",
        "t_function": "the dictionary's split of it starts or ends with a function word",
        "v_step2": "So step 2 drops it: the cut never keeps it whole often enough to make it a candidate.",
        "v_step3": "So step 3 drops it, by the tests above.",
        "v_fragment": "It passes steps 2-4, but {share} of its occurrences lie inside {container}, a longer "
                      "candidate: from {fragment} on, step 5 drops such a piece and keeps the longer string.",
        "v_piece": "It passes steps 2-4, but {share} of its occurrences lie inside longer words of the base "
                   "lexicon ({containers}): from {fragment} on, step 5 drops such a piece of known words.",
        "v_headless": "It passes steps 2-4, but it ends with an attribute and only {closing} of its occurrences "
                      "close (the texts continue it as more of a word): step 5 drops such an attribute cut off its "
                      "head (below {least}).",
        "v_kept": "It passes every step and the term filter: the stored list is older than this trace; run "
                  "caseminer discover again.",
        "v_han": "Discovery counts strings of 2 to {max_len} Han characters, and this is not one.",
        "cuts_case": "The case's cut (with its own n-grams and the corpus's, step 2) divides its first occurrences "
                     "([ ]) so (|): {examples}.",
        "v_case_steps": "In this case it is no candidate after steps 2-5: the case's cut does not keep it whole "
                        "{min_freq} times or more, a test of step 3 drops it, or it is a piece of a longer candidate "
                        "of the case (step 5).",
        "v_case_floor": "Steps 2-5 keep it in this case, with a weight of {weight} before steps 6-7 from {times}: "
                        "below the case floor ({floor}, the log-likelihood of p < 0.001, or {repeats} occurrences at "
                        "a positive weight).",
        "v_case_67": "Steps 2-5 keep it in this case with a weight of {weight}, which reaches the case floor; steps "
                     "6 and 7 (its probability of being a term{termhood}, its kinship to the corpus list's leading "
                     "terms) only lower a weight, and took it below {floor}.",
        "termhood_known": ", {p} as the corpus list reads it",
        "v_few": "It passes every step and the term filter; but the list of a corpus of so few cases holds only "
                 "the strings whose final weight reaches {floor} or that the corpus repeats {repeats} times, as a case's "
                 "list does, and its weight may stay below.",
    },
    "zh": {
        "corpus": "语料新词表",
        "case": "案例 {case} 的新词表",
        "rank": "{word}：在{scope}中排第 {rank} 位（共 {listed} 个），权重 {weight}。",
        "occurs": "共出现 {times}，见于 {cases} 个案例。",
        "as_word": "权重只计它在新词发现切分中作为词出现的次数（第 2、4 步；位于更长的词中者不计，"
                   "除非该词可切为它与另一个词）：{times}{once}。",
        "as_bound": "权重计它在新词发现切分中作为词出现的次数，并加上它所在的更长词语的次数，是一个上界（第 4 步；"
                    "未运行第 5 步，没有逐文本核对）：{times}{once}。",
        "once": "，见于 {cases} 个案例，每个案例只计一次：{counted} 次",
        "occurs_case": "在本案例中出现 {times}。",
        "expects": "按通用语言，同样长度的文本预期出现{expected} 次（第 4 步；{known}）。",
        "known": "基础词典收录此词",
        "unknown": "基础词典未收录此词",
        "topic": "{share} 的出现位于含语料主题种子词（{seeds}）的句子中{near}；权重计入 {counted} × {fraction}^{power} = "
                 "{on_topic} 次（第 5 步）。",
        "near": "或与之相距不超过 {window} 句",
        "few": "案例很少的语料按单个案例的方式处理：每次出现都计入，且都视为切题（第 5 步）。",
        "subject": "没有词被过度使用到足以构成主题，但语料围绕同一领域（{subject}），"
                   "因此每次出现都视为切题（第 5 步）。",
        "everywhere": "语料最常过度使用的词（{seeds}）不构成主题：含其一的句子平均只有 {cohesion} 同时含另一个"
                      "（低于 {least}），因此每次出现都视为切题（第 5 步）。",
        "g2": "该次数相对预期的对数似然比 G²：{g2}{tail}。",
        "strong": "（大于 10.83 即 p < 0.001）",
        "weak": "（低于 10.83：弱于 p < 0.001）",
        "negative": "：少于预期，不构成术语的证据",
        "termhood": "× {shown}：据词形与词义判断其为术语的概率（{model}；第 6 步）。",
        "unlike": "× {factor} = exp({semantic} × {z})：其词义与新词表前列术语的相近程度低于平均（第 7 步）。",
        "akin": "× 1：其词义与新词表前列术语的相近程度不低于平均（z = {z}；第 7 步只降不升）。",
        "product": "= {weight}。",
        "absent": "{word} 不在{scope}中（共 {listed} 个）。",
        "in_corpus": "语料新词表中它排第 {rank} 位；案例新词表只看本案例自身的证据。",
        "nowhere": "分析文本中没有这个串。请核对它在文本中的写法（简体或繁体、全角字母、中间有无换行）。",
        "held": "分析文本中出现 {times}{where}（按字符串计，含出现在更长词语中的）。",
        "held_case": "本案例的分析文本中出现 {times}（按字符串计，含出现在更长词语中的）。",
        "where": "，见于 {cases} 个案例",
        "rare": "新词表要求至少出现 {min_freq} 次（min_freq），因此无法列出。调低 --min-freq 可列出更少见的串。",
        "inside": "其出现中有 {share} 位于 {container}（第 {rank} 位）之内{piece}。",
        "piece": "：它是这个更长的串的片段，新词发现只列出更长的串（某候选词的出现中至少 {fragment} 位于同一个更长的候选词内，"
                 "即视为片段，第 5 步）",
        "filtered": "术语过滤器判断它不是术语（小句、套话、人名或通用常用词），新词发现不列出此类串。",
        "organisation": "它是词典收录的机构名称（词性 nt，以部、局、委、银行等结尾），单个案例的列表不列出此类名称："
                        "一个案例会提到它报道的各个机构，仅凭这一案例无法区分主题自身的机构与其他机构"
                        "（语料库列表保留它在主题语境中发现的机构）。",
        "common_word": "它是词典收录的双字词；案例新词表只列出语料新词表前 {top} 位中的此类词（主题自身的词：脱贫、帮扶），"
                       "其余是案例用到的通用词汇，不是它的新词。",
        "dropped": "新词发现在以下某一步去掉了它：计数时未作为整体保留（第 2 步在相邻字结合程度低于偶然水平处切分，"
                   "两个词的组合须出现 compound_min_freq 次）；它的左右邻字很少变化，像片段一样（第 3 步）；"
                   "或它几乎总出现在同一个更长的串中（无论该串是否列出），或出现在基础词典的更长词语中（第 5 步）。"
                   "报告的方法部分说明了每一步。",
        "case_floor": "案例新词表只列出权重达到 {floor}（p < 0.001）或在该案例中出现 {repeats} 次的串：它在本案例中的权重可能低于此门槛。",
        "add": "如仍要将它整体切分并供关键词提取使用：caseminer lexicon add {word}",
        "add_piece": "如它本身仍是一个术语，要将它整体切分并供关键词提取使用：caseminer lexicon add {word}",
        "times_1": "1 次",
        "times": "{n} 次",
        "tiny": "不足 0.0001",
        "sep": "、",
        "expected": " {x}",
        "stale": "已存新词表已过期（{reason}）：新词表与以上说明均出自上一次新词发现；如需最新结果，请重新运行 caseminer discover。",
        "traced": "按上一次运行的设置重新追踪（为这个串重新计算第 1-5 步，不保存任何结果）：",
        "cuts": "第 2 步在相邻字结合程度低于偶然水平处切分文本；它最初几次出现（[ ]）的切分（|）如下：{examples}。",
        "segment": "它作为一个整体片段出现 {unit}，作为相邻两个片段（或一个片段加单字中心语，第 2b 步）出现 {pair}；"
                   "成为候选词需要作为整体片段出现 {min_freq} 次（min_freq），或合计出现 {compound} 次（compound_min_freq）。",
        "segment_long": "它作为一个整体片段出现 {unit}；超过八个字的串成为候选词需要出现 {compound} 次（compound_min_freq）。",
        "fewer": "少于 {n} 次",
        "span": "作为完整词典词的连续组合（第 2d 步：{words}），它出现 {freq}；这类组合需要 {floor} 次（compound_min_freq）。",
        "no_topic": "该语料没有主题，也不围绕同一领域，"
                    "因此第 2d 步（词典词组合）和第 5 步（片段）不运行。",
        "fails": "在这一途径上它未通过第 3 步：{tests}。",
        "passes": "在这一途径上它通过了第 3 步的各项检验。",
        "t_cohesion": "凝固度 {cohesion} 低于 {floor}（各切分点上的最小点互信息：各部分的结合几乎只是偶然）",
        "t_entropy": "左/右邻接熵 {left} / {right}，有一侧低于 {floor}（邻字很少变化，像片段一样）",
        "t_crossing": "它的首字或末字在至少 {share} 的出现中与相邻字组成词典词（从更长的词中切下的片段）",
        "t_stop": "以停用字（的、了、和……）开头或结尾",
        "t_function": "按词典切分，它以虚词开头或结尾",
        "v_step2": "因此第 2 步去掉了它：切分从未足够多次地把它保留为整体，它成不了候选词。",
        "v_step3": "因此第 3 步按以上检验去掉了它。",
        "v_fragment": "它通过了第 2-4 步，但其出现中有 {share} 位于更长的候选词 {container} 之内：达到 {fragment} 时，"
                      "第 5 步去掉这样的片段，保留更长的串。",
        "v_piece": "它通过了第 2-4 步，但其出现中有 {share} 位于基础词典的更长词语（{containers}）之内：达到 {fragment} 时，"
                   "第 5 步去掉这样的已知词语片段。",
        "v_headless": "它通过了第 2-4 步，但它以属性词结尾，且只有 {closing} 的出现在此收尾（文本总是接着写成更长的词）："
                      "第 5 步去掉这种缺了中心语的属性词（低于 {least}）。",
        "v_kept": "它通过了每一步和术语过滤器：已存新词表早于这次追踪；请重新运行 caseminer discover。",
        "v_han": "新词发现只计算 2 到 {max_len} 个汉字的串，这个串不是。",
        "cuts_case": "本案例的切分（用它自己的 n 元组和语料的 n 元组，第 2 步）对它最初几次出现（[ ]）的切分（|）如下：{examples}。",
        "v_case_steps": "在本案例中，它经过第 2-5 步后不是候选词：本案例的切分没有至少 {min_freq} 次把它保留为整体，"
                        "或第 3 步的某项检验去掉了它，或它是本案例中一个更长候选词的片段（第 5 步）。",
        "v_case_floor": "第 2-5 步在本案例中保留了它，第 6-7 步之前的权重为 {weight}（出现 {times}）：低于案例门槛"
                        "（{floor}，即 p < 0.001 的对数似然比；或以正权重出现 {repeats} 次）。",
        "v_case_67": "第 2-5 步在本案例中保留了它，权重 {weight} 达到案例门槛；第 6、7 步（其为术语的概率{termhood}、与语料新词表"
                     "前列术语的相近程度）只会降低权重，是它们使其低于 {floor}。",
        "termhood_known": "（语料新词表中为 {p}）",
        "v_few": "它通过了每一步和术语过滤器；但案例很少的语料与单个案例一样，新词表只列出最终权重达到 {floor} 或重复出现 "
                 "{repeats} 次的串，它的权重可能低于此门槛。",
    },
}


def _sentences(lang: str) -> dict[str, str]:
    if lang not in _SENTENCES:
        raise InvalidInput(f"No explanation in {lang!r}: choose one of {', '.join(_SENTENCES)}.")
    return _SENTENCES[lang]


def weight_factors(row: Mapping, settings: Mapping, *, corpus: bool) -> dict:
    """The factors of a stored weight: ``counted`` (the count step 4 weighs),
    ``on_topic`` (that count times the topic share to ``topic_power``, or None),
    ``g2`` (the log-likelihood before steps 6-7), ``termhood_factor``, ``kinship_factor``
    (1.0 where a step did not apply), ``z`` and ``weight`` (the product: the stored weight).
    ``row`` is a stored list row (weight, weight_freq, weight_docfreq, expected, topicality,
    termhood, kinship); ``settings`` the discovery run's recorded settings; ``corpus``: the
    corpus list (else a case's)."""
    weight = float(row["weight"])
    once = corpus and bool(settings.get("per_text_applied"))
    freq, docfreq = weight_counts(row)
    counted = min(freq, docfreq) if once else freq
    share = row.get("topicality")
    on_topic = counted * share ** float(settings.get("topic_power", 1.5)) if corpus and share is not None else None
    termhood = row.get("termhood")
    t_factor = termhood ** float(settings.get("termhood", 1.0)) if termhood is not None else 1.0
    z = row.get("kinship")
    semantic = float(settings.get("semantic" if corpus else "semantic_case", 0.0))
    k_factor = math.exp(semantic * min(z, 0.0)) if z is not None else 1.0
    scale = t_factor * k_factor
    # Steps 6 and 7 only scale a positive weight, so dividing them out gives step 5's G².
    g2 = weight / scale if weight > 0 and scale > 0 else weight
    return {"counted": counted, "on_topic": on_topic, "g2": g2, "termhood_factor": t_factor,
            "kinship_factor": k_factor, "z": z, "weight": weight}


def weight_counts(row: Mapping) -> tuple[int, int]:
    """The (freq, docfreq) the weight of a stored list row counts: its occurrences as a word
    of the discovery's cut (step 4). A list stored before the lists showed the occurrences in
    the texts has them as ``freq`` and ``docfreq``, which were these counts then."""
    return int(row.get("weight_freq", row["freq"])), int(row.get("weight_docfreq", row["docfreq"]))


def explain_listed(row: Mapping, settings: Mapping, *, rank: int, listed: int, case_id: str | None = None,
                   seeds: Sequence[str] = (), lang: str = "en") -> list[str]:
    """Sentences that take the weight of a string listed at ``rank`` (of ``listed``) apart
    (:func:`weight_factors`), in the corpus list or ``case_id``'s; ``seeds`` are the
    run's topic seeds (step 5)."""
    s = _sentences(lang)
    corpus = case_id is None
    f = weight_factors(row, settings, corpus=corpus)
    scope = s["corpus"] if corpus else s["case"].format(case=case_id)
    lines = [s["rank"].format(word=row["word"], rank=rank, listed=listed, scope=scope, weight=f"{f['weight']:.2f}")]
    times = _times(row["freq"], s)
    if corpus:
        lines.append(s["occurs"].format(times=times, cases=row["docfreq"]))
    else:
        lines.append(s["occurs_case"].format(times=times))
    freq, docfreq = weight_counts(row)
    if (freq, docfreq) != (row["freq"], row["docfreq"]) or f["counted"] != freq:
        once = s["once"].format(cases=docfreq, counted=f["counted"]) if corpus and f["counted"] != freq else ""
        # above the texts' counts only without step 5, whose pass bounds them
        above = freq > row["freq"] or docfreq > row["docfreq"]
        lines.append(s["as_bound" if above else "as_word"].format(times=_times(freq, s), once=once))
    lines.append(s["expects"].format(expected=_small(row["expected"], s),
                                     known=s["known"] if row.get("in_lexicon") else s["unknown"]))
    def shown(words: Sequence[str]) -> str:  # the first five, as a sentence names them
        return s["sep"].join(words[:5]) + (" ..." if len(words) > 5 else "")

    seeds_shown = shown(seeds)
    if corpus and settings.get("read_as_case"):
        lines.append(s["few"])
    elif corpus and settings.get("topic_subject"):
        lines.append(s["subject"].format(subject=shown(settings["topic_subject"])))
    elif corpus and settings.get("topic_everywhere"):
        lines.append(s["everywhere"].format(seeds=seeds_shown, cohesion=f"{settings['topic_cohesion']:.0%}",
                                            least=f"{settings['topic_min_cohesion']:.0%}"))
    elif f["on_topic"] is not None:
        window = int(settings.get("topic_window", 0))  # runs before it was a setting read sentences alone
        near = s["near"].format(window=window) if window else ""
        lines.append(s["topic"].format(share=f"{row['topicality']:.0%}", seeds=seeds_shown, near=near,
                                       counted=f["counted"],
                                       fraction=f"{row['topicality']:.2f}",
                                       power=f"{float(settings.get('topic_power', 1.5)):g}",
                                       on_topic=f"{f['on_topic']:.1f}"))
    tail = s["negative"] if f["g2"] <= 0 else s["strong"] if f["g2"] >= G2_P001 else s["weak"]
    lines.append(s["g2"].format(g2=f"{f['g2']:.2f}", tail=tail))
    if row.get("termhood") is not None:
        power = float(settings.get("termhood", 1.0))
        shown = f"{row['termhood']:.2f}" + (f"^{power:g} = {f['termhood_factor']:.2f}" if power != 1 else "")
        lines.append(s["termhood"].format(shown=shown, model=settings.get("termhood_model", "policy_zh")))
    if f["z"] is not None:
        if f["z"] < 0:
            semantic = float(settings.get("semantic" if corpus else "semantic_case", 0.0))
            lines.append(s["unlike"].format(factor=f"{f['kinship_factor']:.2f}", semantic=f"{semantic:g}",
                                            z=f"{f['z']:.2f}"))
        else:
            lines.append(s["akin"].format(z=f"{f['z']:.2f}"))
    if row.get("termhood") is not None or f["z"] is not None:
        lines.append(s["product"].format(weight=f"{f['weight']:.2f}"))
    return lines


def containers_of(word: str, listed: Sequence[str], occurrences: Callable[[str], int]) -> list[tuple[str, int, int]]:
    """The strings of a list (best first) that contain ``word``, as (string, rank,
    occurrences), most frequent first: the ``containers`` of :func:`explain_unlisted`.
    ``occurrences`` counts a string in the texts."""
    found = [(w, rank, occurrences(w)) for rank, w in enumerate(listed, start=1) if word in w and len(w) > len(word)]
    return sorted(found, key=lambda c: -c[2])


def unlisted_reason(*, occurrences: int, min_freq: int, containers: Sequence[tuple[str, int, int]] = (),
                    term_like: bool = True) -> str:
    """The first of :data:`UNLISTED_REASONS` that holds for a string the list does not hold
    (arguments as :func:`explain_unlisted`'s)."""
    if occurrences == 0:
        return "not in the texts"
    if occurrences < min_freq:
        return "below min_freq"
    if any(count / occurrences >= FRAGMENT_SHARE for _, _, count in containers):
        return "piece of a listed string"
    return "dropped on the way" if term_like else "term filter"


def explain_unlisted(word: str, *, occurrences: int, cases: int, min_freq: int, listed: int,
                     case_id: str | None = None, containers: Sequence[tuple[str, int, int]] = (),
                     term_like: bool = True, organisation: bool = False, common_word: bool = False,
                     corpus_rank: int | None = None,
                     case_floor: tuple[float | None, int | None] | None = None, trace: Sequence[str] = (),
                     lang: str = "en") -> list[str]:
    """Sentences on a string that the corpus list (or ``case_id``'s list), of ``listed``
    strings, does not hold. ``occurrences`` and ``cases``: where the analysis texts hold it
    as a string (for a case's list, in that case; ``cases`` 0 leaves them unsaid);
    ``min_freq``: the list's least count; ``containers``: listed strings that contain it, as
    (string, rank, occurrences), most frequent first; ``term_like``: whether the stage's
    term filter lists such a string at all (``organisation``: it does not because a case's list
    leaves out the organisations the lexicon names; ``common_word``: because it is a two-character
    word of the lexicon that the corpus list does not lead with); ``corpus_rank``: its rank in the corpus list,
    explaining a case's list; ``case_floor``: a case list's least weight and the repeats
    that list a string below it (``min_weight_case``, ``case_keep_freq``); ``trace``: the
    sentences of :func:`explain_trace`, which say at which step the string went, instead of
    the steps where it may have gone (or of the guess, from the counts, that it went as a
    piece of a longer string)."""
    s = _sentences(lang)
    scope = s["corpus"] if case_id is None else s["case"].format(case=case_id)
    lines = [s["absent"].format(word=word, scope=scope, listed=listed)]
    if occurrences == 0:
        lines.append(s["nowhere"])
        return lines
    if corpus_rank is not None:
        lines.append(s["in_corpus"].format(rank=corpus_rank))
    if case_id is None:
        where = s["where"].format(cases=cases) if cases else ""
        lines.append(s["held"].format(times=_times(occurrences, s), where=where))
    else:
        lines.append(s["held_case"].format(times=_times(occurrences, s)))
    if occurrences < min_freq:
        lines.append(s["rare"].format(min_freq=min_freq))
    for container, rank, count in containers[:3]:
        share = count / occurrences
        # (a trace says which step dropped it: a piece by the counts may have gone at step 2)
        what = s["piece"].format(fragment=f"{FRAGMENT_SHARE:.0%}") if share >= FRAGMENT_SHARE and not trace else ""
        lines.append(s["inside"].format(share=f"{share:.0%}", container=container, rank=rank, piece=what))
    reason = unlisted_reason(occurrences=occurrences, min_freq=min_freq, containers=containers, term_like=term_like)
    if not term_like:
        lines.append(s["organisation" if organisation else "common_word" if common_word else "filtered"]
                     .format(top=CASE_LEXICON_WORDS_TOP))
    elif trace:
        lines.extend(trace)
    elif reason == "dropped on the way":
        lines.append(s["dropped"])
        if case_id is not None and case_floor is not None and case_floor[0] is not None:
            lines.append(s["case_floor"].format(floor=f"{case_floor[0]:g}", repeats=case_floor[1] or "∞"))
    lines.append(s["add_piece" if reason == "piece of a listed string" else "add"].format(word=word))
    return lines


def explain_trace(trace, settings: Mapping, lang: str = "en") -> list[str]:
    """Sentences on a :class:`.discovery_trace.WordTrace` (``trace``): how step 2 cuts the
    string, how often it is counted on each way into the candidates and which tests it
    fails there, and the step that drops it. ``settings``: the run's recorded settings."""
    s = _sentences(lang)
    lines = [s["traced"]]
    if trace.step == "not a string discovery counts":
        return [*lines, s["v_han"].format(max_len=settings.get("max_len", 16))]
    if trace.cuts:
        lines.append(s["cuts_case" if trace.case else "cuts"].format(examples=s["sep"].join(trace.cuts)))
    fewer = s["fewer"].format(n=trace.min_freq)
    for route in trace.routes:
        if route.kind == "segment":
            unit, pair = (fewer, fewer) if trace.unit is None else (_times(trace.unit, s), _times(trace.pair or 0, s))
            lines.append(s["segment_long" if route.floor_rule == "long" else "segment"].format(
                unit=unit, pair=pair, min_freq=trace.min_freq, compound=trace.compound_floor))
        else:
            lines.append(s["span"].format(words="|".join(route.parts), freq=_times(route.freq, s), floor=route.floor))
        tests = [_test(name, route.measures, settings, s) for name in route.failed if name != "count"]
        if tests:
            lines.append(s["fails"].format(tests=s["sep"].join(tests)))
        elif route.measures:
            lines.append(s["passes"])
    if not trace.topical and not trace.case:
        lines.append(s["no_topic"])
    verdict = {"step 2": ("v_step2", {}), "step 3": ("v_step3", {}),
               "step 5 fragment": ("v_fragment", {"share": f"{trace.share:.0%}", "container": trace.container,
                                                  "fragment": f"{FRAGMENT_SHARE:.0%}"}),
               "step 5 piece": ("v_piece", {"share": f"{trace.share:.0%}", "containers": trace.container,
                                            "fragment": f"{PIECE_SHARE:.0%}"}),
               "step 5 headless": ("v_headless", {"closing": f"{trace.closing or 0:.0%}",
                                                  "least": f"{HEADLESS_CLOSING:.0%}"}),
               "term filter": ("filtered", {}), "kept": ("v_kept", {}),
               "case steps 2-5": ("v_case_steps", {"min_freq": trace.min_freq}),
               "case floor": ("v_case_floor", {"weight": f"{trace.weight or 0:.2f}", "times": _times(trace.occurrences, s),
                                               "floor": f"{float(settings.get('min_weight_case') or 0):g}",
                                               "repeats": settings.get("case_keep_freq") or "∞"}),
               "steps 6-7": ("v_case_67", {"weight": f"{trace.weight or 0:.2f}",
                                           "floor": f"{float(settings.get('min_weight_case') or 0):g}",
                                           "termhood": "" if trace.termhood is None else
                                           s["termhood_known"].format(p=f"{trace.termhood:.2f}")})}.get(trace.step)
    if trace.step == "kept" and trace.few_texts:
        verdict = ("v_few", {"floor": f"{float(settings.get('min_weight_case') or 0):g}",
                             "repeats": settings.get("case_keep_freq") or "∞"})
    if verdict is not None:
        lines.append(s[verdict[0]].format(**verdict[1]))
    return lines


def _test(name: str, measures: Mapping, settings: Mapping, s: Mapping[str, str]) -> str:
    """One failed test of step 3 in words, with its measure and floor."""
    if name == "cohesion":
        return s["t_cohesion"].format(cohesion=f"{measures['cohesion']:.2f}", floor=f"{measures['min_cohesion']:.2f}")
    if name == "entropy":
        return s["t_entropy"].format(left=f"{measures['left_entropy']:.2f}", right=f"{measures['right_entropy']:.2f}",
                                     floor=f"{measures['min_entropy']:.2f}")
    if name == "crossing":
        return s["t_crossing"].format(share=f"{float(settings.get('max_crossing', 0.95)):.0%}")
    return s["t_stop" if name == "stop character" else "t_function"]


def out_of_date(reason: str, lang: str = "en") -> str:
    """The sentence that closes an account of lists that are out of date (``reason``: why)."""
    return _sentences(lang)["stale"].format(reason=reason)


def _small(x: float, s: Mapping[str, str]) -> str:
    """An expectation as a reader can compare it: 0.19, 0.0023, under 0.0001 (stored to 4 places)."""
    if x <= 0:
        return s["tiny"]
    return s["expected"].format(x=f"{x:.2f}" if x >= 0.01 else f"{x:.4f}")


def _times(n: int, s: Mapping[str, str]) -> str:
    return s["times_1"] if n == 1 else s["times"].format(n=n)
