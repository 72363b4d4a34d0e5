"""Keywords of whole papers against the keywords their authors gave them (issue 4).

Gold written elsewhere: the ChinaXiv papers on poverty and rural development in
``$CASEMINER_CORPORA/chinaxiv-poverty-rural`` (34 papers, CC BY) mostly print a line
``关键词：易地扶贫搬迁；后续产业；制约因素；新疆``. This benchmark reads that line at run time
(nothing of it is stored here), takes it out of the text so that no method can copy it, and
scores each method's top K per paper against it. Lines that cannot be split into keywords
(no separators: 地方智库区位优势文化特色顶层设计管理机制) and papers without one are left out.

Authors' keywords are not a case researcher's: they name the field (贫困, 健康, 教育), the
method (扎根理论, 因子分析法) and the place (新疆, 祁连山) as often as the practice. So the
figures are a floor for every method, read as ratios against jieba's TF-IDF and TextRank on
the same texts, a register (academic papers of 10,000-50,000 characters) no weight was
fitted on. The "compounds" columns score against the author keywords that are no word of
jieba's dictionary (生计恢复力, 行为贫困陷阱), the kind caseminer's keywords are built for; a
general word or a place is never a caseminer keyword by design (issue 4: whole terms, domain
stop-words out).

caseminer runs as a researcher runs it, through its command line: ``init``, ``import`` of
the papers without their keyword line, ``segment``, ``discover``, ``keywords --top K``
(defaults otherwise). Measures as in ``keywords_eval.py`` (keyword hit rate over
min(K, number of author keywords), and the share of papers hit at least once), strict (exact
string) and lenient (one contains the other, the shorter at least 2/3 of the longer).

Run:  python benchmarks/keywords_papers.py [--top 3,10] [--show]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from keywords_eval import case_hits, corpora_dir  # noqa: E402

KEYWORD_LINE = re.compile(r"(?m)^[^\n]{0,12}?关键[词字][:：\s]*(?P<list>[^\n]*)$")
# what OCR runs into the end of the keyword line
LINE_TAIL = re.compile(r"(DOI|doi|文章编号|中图分类号|分类号|Key ?words).*$")
SEPARATORS = re.compile(r"[，,；;、\s]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


def author_keywords(line: str) -> list[str]:
    """The keywords of one keyword line, [] if it has no separators to split it by."""
    line = LINE_TAIL.sub("", line).strip()
    if not SEPARATORS.search(line):
        return []
    words = [w.strip("“”\"'‘’《》（）() ") for w in SEPARATORS.split(line)]
    return [w for w in words if len(w) >= 2 and HAN.search(w)]


def load_papers() -> list[dict]:
    path = corpora_dir() / "chinaxiv-poverty-rural" / "chinaxiv_poverty_rural.jsonl"
    if not path.exists():
        sys.exit(f"corpus not found: {path} (set CASEMINER_CORPORA)")
    papers = []
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        text = row["text_md"]
        m = KEYWORD_LINE.search(text)
        gold = author_keywords(m.group("list")) if m else []
        if m:  # no method may read the authors' line
            text = text[: m.start()] + text[m.end():]
        papers.append({"id": row["id"], "text": text, "gold": gold})
    return papers


def score(papers: list[dict], outputs: dict[str, list[str]], k: int, lenient: bool,
          gold: str = "gold") -> tuple[float, float]:
    hits = possible = hit_cases = 0
    scored = [p for p in papers if p[gold]]
    for p in scored:
        h = case_hits(outputs.get(p["id"], [])[:k], [[g] for g in p[gold]], lenient)
        hits += h
        possible += min(k, len(p[gold]))
        hit_cases += h > 0
    return hits / possible, hit_cases / len(scored)


def caseminer_keywords(papers: list[dict], tops: list[int]) -> dict[int, dict[str, list[str]]]:
    """Each paper's top K keywords, for each K, from the command line as a researcher runs it."""
    out: dict[int, dict[str, list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "papers.jsonl"
        with open(corpus, "w", encoding="utf-8") as f:
            for p in papers:
                f.write(json.dumps({"id": p["id"], "text": p["text"]}, ensure_ascii=False) + "\n")
        project = Path(tmp) / "project"

        def cli(*args: str) -> None:
            subprocess.run([sys.executable, "-m", "caseminer", *args], check=True, stdout=subprocess.DEVNULL)

        cli("init", str(project))
        for stage in (["import", str(corpus)], ["segment"], ["discover"]):
            cli("-p", str(project), *stage)
        for k in tops:
            table = Path(tmp) / f"top{k}.csv"
            cli("-p", str(project), "keywords", "--top", str(k), "--format", "csv", "--out", str(table))
            rows = list(csv.DictReader(open(table, encoding="utf-8-sig")))
            out[k] = {}
            for r in sorted(rows, key=lambda r: int(r["rank"])):
                out[k].setdefault(r["case_id"], []).append(r["keyword"])
    return out


def jieba_keywords(papers: list[dict], k: int) -> dict[str, dict[str, list[str]]]:
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    return {"jieba TF-IDF": {p["id"]: jieba.analyse.extract_tags(p["text"], topK=k) for p in papers},
            "jieba TextRank": {p["id"]: jieba.analyse.textrank(p["text"], topK=k) for p in papers}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", default="3,10", help="comma-separated K values (default 3,10)")
    ap.add_argument("--show", action="store_true", help="print each paper's author keywords and outputs")
    args = ap.parse_args()
    tops = [int(x) for x in args.top.split(",")]
    papers = load_papers()
    from caseminer.nlp.lexicon import jieba_tags

    words = jieba_tags()
    for p in papers:  # what the authors name by a compound jieba's dictionary lacks (精准心理扶贫, 生计恢复力)
        p["terms"] = [g for g in p["gold"] if g not in words]
    scored = [p for p in papers if p["gold"]]
    print(f"{len(papers)} papers, {len(scored)} with an author keyword line that splits; "
          f"{sum(len(p['gold']) for p in scored)} author keywords "
          f"({sum(any(g in p['text'] for g in p['gold']) for p in scored)} papers write one of them in their text), "
          f"{sum(len(p['terms']) for p in scored)} of them no word of jieba's dictionary (the 'compounds' columns; "
          "the others are general words, 贫困, 健康, 模型, and places, 新疆, 黄土高原)")
    ours = caseminer_keywords(papers, tops)
    for k in tops:
        systems = {"caseminer (fused)": ours[k], **jieba_keywords(papers, k)}
        print(f"\n## Top {k}: keyword hit rate (papers hit at least once)\n")
        print("| method | strict | lenient | ratio strict | ratio lenient | compounds strict | compounds lenient |")
        print("|---|---|---|---|---|---|---|")
        base = {lenient: score(papers, systems["jieba TF-IDF"], k, lenient)[0] for lenient in (False, True)}
        for name, outputs in systems.items():
            (s, sc), (l, lc) = score(papers, outputs, k, False), score(papers, outputs, k, True)
            (cs, csc), (cl, clc) = (score(papers, outputs, k, lenient, gold="terms") for lenient in (False, True))
            ratio = [f"{x / base[len_]:.2f}x" if base[len_] else "-" for x, len_ in ((s, False), (l, True))]
            print(f"| {name} | {s:.3f} ({sc:.2f}) | {l:.3f} ({lc:.2f}) | {ratio[0]} | {ratio[1]} "
                  f"| {cs:.3f} ({csc:.2f}) | {cl:.3f} ({clc:.2f}) |")
        if args.show:
            for p in scored:
                print(f"  {p['id']}: authors {'、'.join(p['gold'])} | caseminer {'、'.join(ours[k].get(p['id'], []))}")
    print("\nratios are against jieba TF-IDF in the same run")


if __name__ == "__main__":
    main()
