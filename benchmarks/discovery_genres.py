"""The corpus list on corpora other than poverty stories: is step 5's topic a topic? (issue 3)

Step 5 (topicality) weighs each candidate by the share of its occurrences in or next to
sentences that hold one of the corpus's *seeds*, the lexicon words it over-uses most. On a
corpus about one subject the seeds are that subject's words (脱贫, 贫困户, 帮扶) and they
share their sentences. On a corpus of one genre about everything, such as all the
provinces' government work reports, the seeds are the words the genre over-uses
(服务体系, 依法行政, 城市更新), each in sentences of its own, and "on topic" means "near one
of ten arbitrary words". Since session 60 such seeds are no topic
(``DiscoverSettings.topic_min_cohesion``, :func:`caseminer.nlp.discovery.seed_cohesion`):
every occurrence is on topic, and steps 2d and 6-7 run as with one. Since session 61 so
does a corpus with no seeds that keeps to one subject (:func:`caseminer.nlp.discovery.subject_words`:
at least 3 nouns in a fifth of its texts at 30 times their expectation, as 农业, 粮食, 乡村
in CCTV's stories on farming); before, such a corpus kept plain G².

For each corpus that readers judged (``data/*_top1200_judged.tsv``: the top 1200 of an
earlier list, each string labelled T term, I institution or document, R register phrase,
G general vocabulary, F fragment or N name), this prints the seeds, their cohesion, and
the corpus list made as ``caseminer discover`` makes it (its term filter applied): with the
defaults; with ``topic_min_cohesion=0`` (the seeds always a topic, as before session 60) where
it has seeds, or without the subject reading (plain G², as before session 61) where it has
none; and with the defaults but step 6's model fitted as the shipped one on the *other*
corpora's judgments only (``--no-held-out`` leaves this row out): the shipped model was
fitted on these judgments too, so the defaults row is partly in-sample. Scores: the share of
T (and of T or I) among the judged strings of the top 200 and 1000, the number of
unjudged strings there (the judgments are of earlier lists, so a list that moved holds
more unjudged strings; ``data/genres_extra_labels.tsv`` adds the strings session 61's
lists put in their top 200), and the share of the judged terms (T or I) that the top 1000
holds.

The corpora: the 31 provincial work reports of 2026, the 72 national ones, the 34 ChinaXiv
papers (the judged corpora themselves), and CCTV stories selected by subject as the judged
files' headers describe, approximately (the word counts; here without the exclusions
between the subject sets, and the first 2,000 of a seeded shuffle), with no story of the
poverty subset.

    python benchmarks/discovery_genres.py [--corpora pgwr,ngwr,chinaxiv,eco,...]
    python benchmarks/discovery_genres.py --sample 117 [--corpora rural,culture]

``--sample N`` reads three samples of N texts of each corpus instead (a study's size; the
CCTV sets' 2,000 shuffled stories from the 1st, 701st and 1,401st), with one more row: the
subject's line before session 62 (30 times the expectation at every size; since, 15 below two
million Han characters, :func:`caseminer.nlp.discovery.subject_min_ratio`). ``--unjudged FILE``
writes the strings of every list's top 200 that no judgment covers, to be labelled.

The texts are read at run time from CASEMINER_CORPORA (default ../shared/corpora).
"""

from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))  # benchmark the working tree, not an installed copy
sys.path.insert(0, str(HERE))
CORPORA = Path(os.environ.get("CASEMINER_CORPORA", REPO.parent / "shared" / "corpora"))

#: CCTV stories by subject: (words, least mentions of them), as the judged files' headers say.
SUBJECTS = {
    "eco": ("生态 环境保护 污染 绿色发展 碳达峰 碳中和 碳排放", 4),
    "rural": ("农业 农村 农民 三农 乡村 粮食 耕地 种粮 农产品 农田", 4),
    "social": ("教育 学校 医疗 医保 医院 养老 社保 就业 住房 托育 学生", 4),
    "industry": ("制造 产业链 工业 企业 科技创新 数字经济 芯片 新能源 集成电路 人工智能 智能制造 专精特新", 5),
    "governance": ("党建 纪检 监察 巡视 反腐 腐败 法治 司法 检察 法院 党风廉政 党组织 基层治理", 4),
    "culture": ("文化 旅游 文物 非遗 非物质文化遗产 体育 博物馆 文艺 演出 赛事 运动员 景区 游客 艺术 戏曲 文旅", 5),
    "finance": ("金融 货币 信贷 银行 资本市场 财政 税收 债券 汇率 保险 贷款 证券 股市 融资 利率 减税降费", 5),
}
JUDGED = {"pgwr": "pgwr", "ngwr": "ngwr", "chinaxiv": "chinaxiv", **{k: k for k in SUBJECTS}}


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load(name: str) -> list[str]:
    if name == "pgwr":
        return [r["full_text"] for r in _jsonl(CORPORA / "provincial-gwr-2026" / "provincial_gwr_2026.jsonl")]
    if name == "ngwr":
        return [r["content"] for r in _jsonl(CORPORA / "national-gwr-wikisource" / "government_work_reports.jsonl")]
    if name == "chinaxiv":
        return [r["text_md"] for r in _jsonl(CORPORA / "chinaxiv-poverty-rural" / "chinaxiv_poverty_rural.jsonl")]
    words, least = SUBJECTS[name]
    words = words.split()
    folder = CORPORA / "xwlb-cctv-news"
    poverty = {r["id"] for r in _jsonl(folder / "xwlb_poverty_subset.jsonl")}
    chosen = []
    for path in sorted(glob.glob(str(folder / "xwlb_20*.jsonl"))):
        for r in _jsonl(Path(path)):
            if r["id"] not in poverty and sum(r["text"].count(w) for w in words) >= least:
                chosen.append(r["text"])
    random.Random(8).shuffle(chosen)
    return chosen[:2000]


def scores(listed: list[str], judged: dict[str, str]) -> dict[str, float]:
    out = {}
    for k in (200, 1000):
        labels = [judged[w] for w in listed[:k] if w in judged]
        out[f"T@{k}"] = sum(x == "T" for x in labels) / max(len(labels), 1)
        out[f"TI@{k}"] = sum(x in "TI" for x in labels) / max(len(labels), 1)
        out[f"unjudged@{k}"] = min(k, len(listed)) - len(labels)
    terms = [w for w, x in judged.items() if x in "TI"]
    top = set(listed[:1000])
    out["terms@1000"] = sum(w in top for w in terms) / max(len(terms), 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default=None,
                    help="comma-separated, of: " + ", ".join(JUDGED) + " (default: all; rural,culture with --sample)")
    ap.add_argument("--no-held-out", action="store_true",
                    help="leave out the row whose step 6 is fitted without the corpus's judgments")
    ap.add_argument("--sample", type=int, metavar="N",
                    help=f"instead of each whole corpus, {len(SAMPLE_OFFSETS)} samples of N of its texts (a study's "
                         "size), with a row for the subject's line before session 62 (30 at every size)")
    ap.add_argument("--unjudged", metavar="FILE",
                    help="write the unjudged strings of every list's top 200 (corpus, string: to label)")
    args = ap.parse_args()
    from termhood_fit import load_judged

    from caseminer.nlp.normalize import normalise

    names = (args.corpora or ("rural,culture" if args.sample else ",".join(JUDGED))).split(",")
    rows, unjudged = [], set() if args.unjudged else None
    for name in names:
        texts = [normalise(t).text for t in load(name)]
        judged = {w: x for _, w, x in load_judged(HERE / "data" / f"{JUDGED[name]}_top1200_judged.tsv")}
        judged = {**extra_labels().get(name, {}), **judged}
        parts = ([(f"{name} {off}+{args.sample}", texts[off : off + args.sample]) for off in SAMPLE_OFFSETS
                  if off + args.sample <= len(texts)] if args.sample else [(name, texts)])
        if not parts:
            print(f"\n## {name}: {len(texts)} texts, too few for samples of {args.sample} from {SAMPLE_OFFSETS}")
        for label, part in parts:
            rows += corpus_rows(label, part, judged, JUDGED[name], held_out=not args.no_held_out,
                                before_62=bool(args.sample), unjudged=unjudged)
    if unjudged is not None:
        Path(args.unjudged).write_text("".join(f"{c}\t{w}\n" for c, w in sorted(unjudged)), encoding="utf-8")
    print("\n| corpus | cohesion | list | T@200 | T or I@200 | T@1000 | T or I@1000 | unjudged in top 200 / 1000 "
          "| judged terms in top 1000 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, label, cohesion, s in rows:
        print(f"| {name} | {'-' if cohesion is None else f'{cohesion:.3f}'} | {label} | {s['T@200']:.3f} | "
              f"{s['TI@200']:.3f} | {s['T@1000']:.3f} | {s['TI@1000']:.3f} | {s['unjudged@200']} / "
              f"{s['unjudged@1000']} | {s['terms@1000']:.3f} |")


#: Where ``--sample N`` starts its samples in a corpus's 2,000 shuffled texts.
SAMPLE_OFFSETS = (0, 700, 1400)


def corpus_rows(name: str, texts: list[str], judged: dict[str, str], judged_name: str, *, held_out: bool,
                before_62: bool, unjudged: set | None = None) -> list[tuple]:
    """The corpus's lists (module docstring) as ``(name, row label, cohesion, scores)``; with
    ``before_62`` a row for the subject's line before session 62 too (30 whatever the size).
    Adds ``(judged_name, string)`` to ``unjudged`` for each unjudged string of a top 200."""
    from unittest import mock

    from caseminer.nlp import discovery as d
    from caseminer.nlp.lexicon import jieba_lexicon
    from caseminer.nlp.termfilter import is_discovery

    lexicon = jieba_lexicon()
    t0 = time.perf_counter()
    settings = d.DiscoverSettings(min_freq=d.min_freq_for(sum(len(t) for t in texts)), n_jobs=2)
    stats = d.corpus_stats(texts, settings)
    plain = d.score(stats, settings, lexicon=lexicon)
    seeds = d.topic_seeds(plain, stats, settings)
    subject = [] if seeds else d.subject_words(plain, stats, settings)
    with mock.patch.object(d, "SUBJECT_MIN_RATIO_SMALL", d.SUBJECT_MIN_RATIO):
        subject_30 = [] if seeds else d.subject_words(plain, stats, settings)
    cohesion = d.seed_cohesion(texts, seeds, settings) if seeds and not d.few_texts(len(texts)) else None
    print(f"\n## {name}: {len(texts)} texts, {sum(map(len, texts)):,} characters, min_freq {settings.min_freq}")
    print(f"seeds: {' '.join(seeds) or '(none: no topic)'}"
          + (f"; cohesion {cohesion:.3f} ({'a topic' if cohesion >= settings.topic_min_cohesion else 'no topic'}"
             f" at {settings.topic_min_cohesion})" if cohesion is not None else "")
          + ("" if seeds else f"; subject (line {d.subject_min_ratio(stats.n_chars):g}): "
             f"{' '.join(subject) or '(none: step 5 and after do not run)'}"))
    variants = [("defaults", settings, None, None),
                ("topic_min_cohesion=0 (before session 60)", replace(settings, topic_min_cohesion=0.0), None, None)
                if seeds else ("no subject reading (before session 61)", settings, [], None)]
    if before_62 and not seeds:
        variants.append(("subject's line 30 at every size (before session 62)", settings, subject_30, None))
    if held_out:
        variants.append(("defaults, step 6 fitted on the other corpora only", settings, None,
                         model_without(judged_name)))
    rows, made = [], {}
    for label, s_, subject_, model in variants:
        key = (repr(s_), tuple(subject if subject_ is None else subject_), model is None)
        if key not in made:  # the same reading twice (before 62 = no subject where 30 finds none): one run
            found = d.weigh_topical([replace(c) for c in plain], texts, stats, s_, seeds=seeds, lexicon=lexicon,
                                    subject=subject_, termhood=model)
            made[key] = [c.word for c in found if is_discovery(c.word, lexicon)]
        listed = made[key]
        rows.append((name, label, cohesion, scores(listed, judged)))
        print(f"{label}: top 25: {' '.join(listed[:25])}")
        if unjudged is not None:
            unjudged.update((judged_name, w) for w in listed[:200] if w not in judged)
    print(f"({time.perf_counter() - t0:.0f} s)")
    return rows


def extra_labels() -> dict[str, dict[str, str]]:
    """corpus -> string -> label of ``data/genres_extra_labels.tsv`` and
    ``data/genres_sample_labels.tsv``: strings that the lists of session 61, and those of
    session 62's samples (``--sample 117``), put in their top 200 and the judged files did not
    hold."""
    out: dict[str, dict[str, str]] = {}
    for name in ("genres_extra_labels.tsv", "genres_sample_labels.tsv"):
        for line in (HERE / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                corpus, word, label = line.split("\t")
                out.setdefault(corpus, {})[word] = label.strip()
    return out


def model_without(corpus: str):
    """Step 6's model fitted as the shipped one (``termhood_fit.py``) on every judged corpus
    but ``corpus``."""
    from termhood_fit import fit_rows

    from caseminer.nlp.lexicon import jieba_tags

    judged, vectors = _judged_and_vectors()
    others = [r for name, rows in judged.items() if name != f"{corpus}_top1200_judged.tsv" for r in rows]
    return fit_rows(others, jieba_tags(), vectors)


@functools.lru_cache(maxsize=None)
def _judged_and_vectors() -> tuple[dict, dict]:
    """Every judged file's rows, and the embeddings of all their strings (made once)."""
    from termhood_fit import embed_all, load_judged

    judged = {p.name: load_judged(p) for p in sorted((HERE / "data").glob("*_judged.tsv"))}
    return judged, embed_all([w for rows in judged.values() for _, w, _ in rows])


if __name__ == "__main__":
    main()
