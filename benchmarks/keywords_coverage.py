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
from keywords_eval import GOLD_FILES, STORY_GOLDS, corpora_dir  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keywords_csv", help="caseminer keywords --top 1000 --format csv output")
    ap.add_argument("--gold", default=",".join(GOLDS), help="golds to read (default: %(default)s)")
    ap.add_argument("--examples", type=int, default=20)
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
    by_rank: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with open(args.keywords_csv, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_rank[row["case_id"]].append((int(row["rank"]), row["keyword"]))
    ranked = {case: [k for _, k in sorted(rows)] for case, rows in by_rank.items()}
    print("| gold | keywords | " + " | ".join(ORDER) + " |")
    print("|---|---|" + "---|" * len(ORDER))
    examples: list[str] = []
    for name in args.gold.split(","):
        counts: Counter = Counter()
        with (HERE / "data" / {**GOLD_FILES, **STORY_GOLDS}[name]).open(encoding="utf-8") as handle:
            for line in handle:
                story = json.loads(line)
                mine, text = ranked.get(story["id"], []), texts.get(story["id"], "")
                for reader in ("a", "b"):
                    for keyword in (normalise(k).text for k in story[reader]):
                        where = place(keyword, mine, text)
                        counts[where] += 1
                        if where == "no candidate, once" and any(w in keyword for w in mine):
                            examples.append(f"{keyword} ({' / '.join(w for w in mine if w in keyword)})")
        total = sum(counts.values())
        print(f"| {name} | {total} | " + " | ".join(f"{counts[k] / total:.3f}" for k in ORDER) + " |")
    shown = list(dict.fromkeys(examples))[: args.examples]
    print(f"\nNever candidates, written once, whose part the list holds ({len(examples)}): " + ", ".join(shown))


if __name__ == "__main__":
    main()
