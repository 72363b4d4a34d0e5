"""Where researchers' keywords sit in caseminer's keyword ranking (issue 4, session 27).

The hit rate of ``keywords_eval.py`` says how many of the top 3 are gold; this says why the
rest are not. For every keyword a reader picked for a story of the xwlb poverty subset
(``data/keyword_gold_{ab96,case96,local96}.jsonl``: two readers per story, each listed keyword
counted once per reader), it reports where the stage ranks it in that story:

* ``top3`` / ``top4-10`` / ``rank>10``: a candidate, at that rank;
* ``no candidate, once`` / ``no candidate, 2+``: written in the story (once, or twice or
  more) but never a candidate of the story;
* ``not verbatim``: not written in the story as listed.

Input: the CSV of ``caseminer keywords --top 1000 --format csv --out FILE`` on a project of
the whole subset (every candidate of every story), made as the CLI makes it::

    caseminer init pov && caseminer -p pov import $CASEMINER_CORPORA/xwlb-cctv-news/xwlb_poverty_subset.jsonl --skip-bad
    caseminer -p pov discover && caseminer -p pov segment
    caseminer -p pov keywords --top 1000 --format csv --out pov_keywords.csv
    python benchmarks/keywords_coverage.py pov_keywords.csv

The examples printed for the candidates never made are those written once whose part the
story's list holds (日间照料中心 where the list has 照料中心), the largest group.

A second table (session 28) looks the other way, at the stage's own top 3 of each story that
no reader picked: is a reader's keyword a longer form of it, written in the story (技能培训
where a reader wrote 专业技能培训: the story never writes it alone), a shorter form (a reader
wrote 贴息贷款 where we list 政府贴息贷款), or something else? "Longer" and "shorter" are
subsequences of the characters, so 易地搬迁 / 易地扶贫搬迁 count as one term written two ways.
The picks are the first three of the CSV, or with ``--top3 FILE`` those of ``caseminer keywords
--format csv`` at the default ``--top 3``: choosing 1,000 merges overlapping terms further down
the list, which changes the first three of 165 of the 2,962 stories.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from caseminer.nlp.normalize import normalise  # noqa: E402
from keywords_eval import corpora_dir, story_gold  # noqa: E402

GOLDS = ("ab96", "case96", "local96")
ORDER = ("top3", "top4-10", "rank>10", "no candidate, once", "no candidate, 2+", "not verbatim")


def place(keyword: str, ranked: list[str], text: str) -> str:
    """Where ``keyword`` sits for one story (module docstring)."""
    if keyword not in text:
        return "not verbatim"
    if keyword in ranked:
        rank = ranked.index(keyword) + 1
        return "top3" if rank <= 3 else "top4-10" if rank <= 10 else "rank>10"
    return "no candidate, once" if text.count(keyword) == 1 else "no candidate, 2+"


MISS_ORDER = ("gold", "a reader's longer form", "a reader's shorter form", "other")


def subsequence(short: str, long_: str) -> bool:
    rest = iter(long_)
    return all(ch in rest for ch in short)


def longer_forms(pick: str, gold: set[str], text: str) -> list[str]:
    """The readers' keywords that are longer forms of ``pick`` written in the story."""
    return [g for g in sorted(gold) if g != pick and subsequence(pick, g) and g in text]


def judge_pick(pick: str, gold: set[str], text: str) -> str:
    """What one of our top 3 is against the readers' keywords of its story (module docstring)."""
    if pick in gold:
        return "gold"
    if longer_forms(pick, gold, text):
        return "a reader's longer form"
    if any(g != pick and subsequence(g, pick) for g in gold):
        return "a reader's shorter form"
    return "other"


def read_ranked(path: str) -> dict[str, list[str]]:
    """Case id -> its keywords in rank order, from the CSV of ``caseminer keywords``."""
    by_rank: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_rank[row["case_id"]].append((int(row["rank"]), row["keyword"]))
    return {case: [k for _, k in sorted(rows)] for case, rows in by_rank.items()}


def print_row(name: str, counts: Counter, order: tuple[str, ...]) -> None:
    total = sum(counts.values())
    print(f"| {name} | {total} | " + " | ".join(f"{counts[k] / total:.3f}" for k in order) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keywords_csv", help="caseminer keywords --top 1000 --format csv output")
    ap.add_argument("--gold", default=",".join(GOLDS), help="golds to read (default: %(default)s)")
    ap.add_argument("--examples", type=int, default=20)
    ap.add_argument("--top3", help="caseminer keywords --format csv output at --top 3 (default: the first "
                    "three of keywords_csv)")
    args = ap.parse_args()
    corpus = corpora_dir() / "xwlb-cctv-news" / "xwlb_poverty_subset.jsonl"
    if not corpus.exists():
        sys.exit(f"{corpus} not found (set CASEMINER_CORPORA)")
    # Keywords come from the analysis text, so the stories and the gold are normalised as it is.
    texts = {}
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["id"]] = normalise(row.get("text") or "").text
    ranked = read_ranked(args.keywords_csv)
    picks = {case: keywords[:3] for case, keywords in (read_ranked(args.top3) if args.top3 else ranked).items()}
    examples: list[str] = []
    longer: list[str] = []
    tables: dict[str, tuple[Counter, Counter]] = {}
    for name in args.gold.split(","):
        counts, kinds = tables.setdefault(name, (Counter(), Counter()))
        gold_of = story_gold(name)
        for story in gold_of["ids"]:
            mine, text = ranked.get(story, []), texts.get(story, "")
            for reader in ("a", "b"):
                for keyword in gold_of[reader][story]:
                    where = place(keyword, mine, text)
                    counts[where] += 1
                    if where == "no candidate, once" and any(w in keyword for w in mine):
                        examples.append(f"{keyword} ({' / '.join(w for w in mine if w in keyword)})")
            gold = set(gold_of["union"][story])
            for pick in picks.get(story, []):
                kind = judge_pick(pick, gold, text)
                kinds[kind] += 1
                if kind == MISS_ORDER[1]:
                    longer.append(f"{pick} ({' / '.join(longer_forms(pick, gold, text))})")
    print("| gold | keywords | " + " | ".join(ORDER) + " |")
    print("|---|---|" + "---|" * len(ORDER))
    for name, (counts, _) in tables.items():
        print_row(name, counts, ORDER)
    shown = list(dict.fromkeys(examples))[: args.examples]
    print(f"\nNever candidates, written once, whose part the list holds ({len(examples)}): " + ", ".join(shown))

    print("\nOur top 3 of each story against both readers' keywords (shares of our picks)\n")
    print("| gold | picks | " + " | ".join(MISS_ORDER) + " |")
    print("|---|---|" + "---|" * len(MISS_ORDER))
    for name, (_, kinds) in tables.items():
        print_row(name, kinds, MISS_ORDER)
    print(f"\nOur picks whose longer form a reader wrote ({len(longer)}): " + ", ".join(longer[: args.examples]))


if __name__ == "__main__":
    main()
