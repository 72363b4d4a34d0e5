"""What the term filter (caseminer.nlp.termfilter.is_term_like) rejects among strings whose kind
a reader judged: every labelled string of the judged lists (``data/*_judged.tsv``) and the
case-list labels (T domain term, R register phrase or clause piece, G general vocabulary,
F fragment, N name, I ...), the domain term lists (``data/domain_terms*.txt``) and the
researchers' keywords of the gold files (``data/keyword_gold*.jsonl``).

A rule of the filter earns its place by rejecting non-terms and no term: this prints, per
label, how many strings the filter rejects, and names every term, list term and gold keyword it
rejects, so that a new rule can be checked against all of them at once.

    python benchmarks/termfilter_labels.py
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))
DATA = os.path.join(HERE, "data")


def labelled() -> dict[str, str]:
    """string -> label, the first label a list gives it (lists rarely disagree): the judged
    lists' rows are rank, string, label; the case lists' split, corpus, case, string, label."""
    labels: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(DATA, "*_judged.tsv"))) + [os.path.join(DATA, "case_lists_labels.tsv")]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if line.startswith("#") or len(parts) not in (3, 5) or not parts[-1]:
                    continue
                labels.setdefault(parts[-2], parts[-1])
    return labels


def list_terms() -> set[str]:
    terms: set[str] = set()
    for path in glob.glob(os.path.join(DATA, "domain_terms*.txt")):
        with open(path, encoding="utf-8") as f:
            # a term, or a term TAB its occurrences
            terms |= {line.split("\t")[0].strip() for line in f if line.strip() and not line.startswith("#")}
    return terms


def gold_keywords() -> set[str]:
    words: set[str] = set()
    for path in glob.glob(os.path.join(DATA, "keyword_gold*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                for group in record.get("keywords", []):
                    words |= set(group)
                words |= set(record.get("a", [])) | set(record.get("b", []))
    return words


def main() -> None:
    from caseminer.nlp.termfilter import is_term_like

    labels = labelled()
    totals, rejected = Counter(labels.values()), Counter(l for w, l in labels.items() if not is_term_like(w))
    print("| label | strings | rejected | share |\n|---|---|---|---|")
    for label, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {total} | {rejected[label]} | {rejected[label] / total:.3f} |")
    non_terms = sum(n for label, n in rejected.items() if label != "T")
    print(f"\nnon-terms rejected: {non_terms} of {sum(n for label, n in totals.items() if label != 'T')}")
    for name, words in (("judged terms (T)", {w for w, l in labels.items() if l == "T"}),
                        ("domain-list terms", list_terms()), ("gold keywords", gold_keywords())):
        lost = sorted(w for w in words if not is_term_like(w))
        print(f"{name} rejected: {len(lost)} of {len(words)}: {' '.join(lost)}")


if __name__ == "__main__":
    main()
