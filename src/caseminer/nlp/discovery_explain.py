"""Why a string has its discovery weight, or why it is not listed: in sentences.

A researcher who defends a list in peer review must say where each number comes from,
and one who misses a term (以工代赈 at rank 1,273) wants to know which step put it there
and what to do. The weight of :mod:`.discovery` is a product of steps: a log-likelihood
G² of a count against what general language expects (step 4), counting only the
occurrences on the corpus's topic (step 5), times the string's probability of being a
term (step 6) and a discount for meaning unlike the list's leading terms (step 7).
:func:`explain_listed` takes a stored row of a list apart into those factors; the
product of the factors it prints is the stored weight. :func:`explain_unlisted` says
what the texts and the list show about a string that is not listed.

Pure functions of stored values: nothing here reads the database or the texts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .nesting import FRAGMENT_SHARE

#: Log-likelihood of p < 0.001 (chi-square, one degree of freedom).
G2_P001 = 10.83


def weight_factors(row: Mapping, settings: Mapping, *, corpus: bool) -> dict:
    """The factors of a stored weight: ``counted`` (the count step 4 weighs),
    ``on_topic`` (that count times the topic share to ``topic_power``, or None),
    ``g2`` (the log-likelihood before steps 6-7), ``termhood_factor``, ``kinship_factor``
    (1.0 where a step did not apply) and ``weight`` (their product: the stored weight).
    ``row`` is a stored list row (weight, freq, docfreq, expected, topicality, termhood,
    kinship); ``settings`` the discovery run's recorded settings; ``corpus``: the corpus
    list (else a case's)."""
    weight = float(row["weight"])
    once = corpus and bool(settings.get("per_text_applied"))
    counted = min(row["freq"], row["docfreq"]) if once else row["freq"]
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


def explain_listed(row: Mapping, settings: Mapping, *, rank: int, listed: int, scope: str,
                   seeds: Sequence[str] = ()) -> list[str]:
    """Sentences that take the weight of a listed string apart (:func:`weight_factors`).
    ``scope`` names the list ("the corpus list", "case X's list"); ``seeds`` are the run's
    topic seeds (step 5)."""
    corpus = scope == "the corpus list"
    f = weight_factors(row, settings, corpus=corpus)
    word = row["word"]
    lines = [f"{word}: rank {rank} of {listed} in {scope}, weight {f['weight']:.2f}."]
    if corpus:
        once = " (each case counted once: the weight counts %d)" % f["counted"] if f["counted"] != row["freq"] else ""
        lines.append(f"It occurs {_times(row['freq'])} in {row['docfreq']} case(s){once}.")
    else:
        lines.append(f"It occurs {_times(row['freq'])} in this case.")
    known = "a word of the base lexicon" if row.get("in_lexicon") else "not a word of the base lexicon"
    lines.append(f"General language expects {_small(row['expected'])} occurrences in texts of this length "
                 f"(step 4; {known}).")
    if f["on_topic"] is not None:
        topic = ", ".join(seeds[:5]) + (" ..." if len(seeds) > 5 else "")
        power = float(settings.get("topic_power", 1.5))
        lines.append(f"{row['topicality']:.0%} of its occurrences are in sentences that hold a seed of the "
                     f"corpus's topic ({topic}); the weight counts {f['counted']} x {row['topicality']:.2f}^{power:g}"
                     f" = {f['on_topic']:.1f} of them (step 5).")
    tail = "" if f["g2"] <= 0 else (" (p < 0.001 from 10.83)" if f["g2"] >= G2_P001 else
                                    " (below 10.83: weaker than p < 0.001)")
    sign = "" if f["g2"] > 0 else ": fewer than expected, so no evidence of a term"
    lines.append(f"Log-likelihood G² of that count against the expectation: {f['g2']:.2f}{tail}{sign}.")
    if row.get("termhood") is not None:
        power = float(settings.get("termhood", 1.0))
        shown = f"{row['termhood']:.2f}" + (f"^{power:g} = {f['termhood_factor']:.2f}" if power != 1 else "")
        lines.append(f"x {shown}: its probability of being a term, read from its form and meaning "
                     f"({settings.get('termhood_model', 'policy_zh')}; step 6).")
    if f["z"] is not None:
        if f["z"] < 0:
            semantic = float(settings.get("semantic" if corpus else "semantic_case", 0.0))
            lines.append(f"x {f['kinship_factor']:.2f} = exp({semantic:g} x {f['z']:.2f}): its meaning is less akin "
                         f"to the corpus list's leading terms than the average (step 7).")
        else:
            lines.append(f"x 1: its meaning is at least as akin to the corpus list's leading terms as the average "
                         f"(z = {f['z']:.2f}; step 7 only lowers).")
    if row.get("termhood") is not None or f["z"] is not None:
        lines.append(f"= {f['weight']:.2f}.")
    return lines


def explain_unlisted(word: str, *, scope: str, occurrences: int, cases: int, min_freq: int, listed: int,
                     containers: Sequence[tuple[str, int, int]] = (), term_like: bool = True,
                     corpus_rank: int | None = None) -> list[str]:
    """Sentences on a string that ``scope``'s list (of ``listed`` strings) does not hold.
    ``occurrences`` and ``cases``: where the analysis texts hold it as a string (for a
    case's list, in that case); ``min_freq``: the list's least count;
    ``containers``: listed strings that contain it, as (string, rank, occurrences);
    ``term_like``: whether the stage's term filter lists such a string at all;
    ``corpus_rank``: its rank in the corpus list, explaining a case's list."""
    lines = [f"{word} is not in {scope} ({listed} strings)."]
    if corpus_rank is not None:
        lines.append(f"The corpus list holds it at rank {corpus_rank}: "
                     f"this case's own evidence for it did not reach the case list's floor.")
    if occurrences == 0:
        lines.append("The analysis texts do not hold it. Check how it is written there (simplified or traditional "
                     "characters, full-width letters, a line break inside it).")
        return lines
    where = f" in {cases} case(s)" if cases else ""
    lines.append(f"The analysis texts hold it {_times(occurrences)}{where}, counted as a string anywhere "
                 f"(also inside longer words).")
    if occurrences < min_freq:
        lines.append(f"The list needs {min_freq} occurrences (min_freq): it cannot be listed. A lower --min-freq "
                     f"lists rarer strings.")
    for container, rank, count in containers[:3]:
        share = count / occurrences
        what = (f": it is a piece of that longer string, which discovery lists instead (at least "
                f"{FRAGMENT_SHARE:.0%} of a candidate's occurrences inside one longer candidate make it a fragment, "
                f"step 5)") if share >= FRAGMENT_SHARE else ""
        lines.append(f"{share:.0%} of its occurrences are inside {container} (rank {rank}){what}.")
    if not term_like:
        lines.append("The term filter reads it as no term (a clause or phrase of the register, a person's name, or "
                     "a common word of general language), and discovery lists none of those.")
    elif occurrences >= min_freq and not any(count / occurrences >= FRAGMENT_SHARE for _, _, count in containers):
        lines.append("Discovery dropped it on the way, at one of these steps: counting did not keep it as a unit "
                     "(step 2 cuts the texts where neighbouring characters go together less often than chance "
                     "allows, and a pair of words must recur compound_min_freq times); its edges rarely vary, as a "
                     "fragment's do (step 3); or it is nearly always part of one longer string, listed or not "
                     "(step 5). The report's methods section describes each step.")
    piece = any(count / occurrences >= FRAGMENT_SHARE for _, _, count in containers)
    lines.append(("If it is a term of its own all the same, " if piece else "")
                 + f"{'to' if piece else 'To'} segment it whole and let keyword extraction use it anyway: "
                 f"caseminer lexicon add {word}")
    return lines


def _small(x: float) -> str:
    """An expectation as a reader can compare it: 0.19, 0.0023, under 0.0001 (stored to 4 places)."""
    if x <= 0:
        return "under 0.0001"
    return f"{x:.2f}" if x >= 0.01 else f"{x:.4f}"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
