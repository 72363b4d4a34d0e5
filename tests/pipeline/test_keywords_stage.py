"""The keyword stage on the demo corpus: discovered words are kept whole while keywords
are built, without being accepted into the lexicon, and the run says so."""

import json

import pytest

from caseminer.nlp.keyterms import FUSED_WEIGHTS, KeywordSettings
from caseminer.nlp.keyterms.fusion import HAND_SET
from caseminer.nlp.keyterms.trees import load_fused_trees
from caseminer.nlp.stopwords import load_starter_list, starter_list_record
from caseminer.pipeline.corpus import case_texts, import_cases
from caseminer.pipeline.discover import discover_words, list_candidates
from caseminer.pipeline.keywords import (WHOLE_WORD_MAX_LEN, discovery_weights_for_keywords, extract_case_keywords,
                                         kept_whole, list_weights_for_keywords)
from caseminer.pipeline.lexicon import current_lexicon
from caseminer.pipeline.review import extracted_keywords as stage_keywords
from caseminer.pipeline.segment import case_tokens, segment_cases, segment_with


def _settings(project):
    return json.loads(project.last_run("keywords")["settings"])


def test_keywords_keep_discovered_words_whole_without_accepting_them(demo_dir, empty_project):
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    segment_cases(project)
    discover_words(project)
    stored = case_tokens(project)
    new = [c["word"] for c in list_candidates(project) if not c["in_lexicon"]]
    assert new and not current_lexicon(project)

    cut = segment_with(project, case_texts(project), {w: "n_new" for w in new})
    whole = {t.word for tokens in cut.values() for t in tokens if t.pos == "n_new"}
    assert whole and whole <= set(new)
    # jieba alone splits them: the stored segmentation (accepted words only) has none whole.
    assert not whole & {t.word for tokens in stored.values() for t in tokens}

    counts = extract_case_keywords(project)
    assert counts["keywords"] > 0
    assert _settings(project)["discovered_words"] is True
    rows = list_candidates(project)
    assert any(r["span"] for r in rows)  # the demo has a topic: step 2d ran, and its runs are not kept whole
    assert _settings(project)["discovered_words_whole"] == len(
        [r for r in rows if not r["in_lexicon"] and not r["span"] and len(r["word"]) <= WHOLE_WORD_MAX_LEN])
    assert _settings(project)["discovered_words_max_len"] == WHOLE_WORD_MAX_LEN
    # the starter list's words cut terms from the first run: the run says which list it was
    assert _settings(project)["boundary_words"] == {**starter_list_record(), "released": []}
    assert starter_list_record()["words"] == len(load_starter_list())
    # the fused score's trees and weights are refitted between versions: the run states the ones it
    # used (the trees' checksum, and the hand-set weights it adds to them)
    assert _settings(project)["fused_trees"] == load_fused_trees().record()
    assert _settings(project)["fused_weights"] == {k: FUSED_WEIGHTS[k] for k in HAND_SET}
    extract_case_keywords(project, settings=KeywordSettings(method="linear"))
    assert _settings(project)["fused_weights"] == FUSED_WEIGHTS and _settings(project)["fused_trees"] is None

    extract_case_keywords(project, discovered_words=False)
    assert _settings(project)["discovered_words"] is False
    assert _settings(project)["discovered_words_whole"] == 0
    # Neither run touched the segmentation stage's tokens or the lexicon.
    assert case_tokens(project) == stored and not current_lexicon(project)


def test_keywords_read_the_on_topic_weight_of_the_discovery_list():
    rows = [{"word": "扶贫车间", "weight": 40.0, "on_topic_weight": 55.0},
            {"word": "以奖代补", "weight": 12.0, "on_topic_weight": None},  # step 5 did not run
            {"word": "防贫预警", "weight": 9.0}]  # stored before the field existed
    assert discovery_weights_for_keywords(rows) == {"扶贫车间": 55.0, "以奖代补": 12.0, "防贫预警": 9.0}
    assert len(discovery_weights_for_keywords([{"word": f"词{i}", "weight": 1.0} for i in range(6000)])) == 5000
    # the runs of dictionary words of discovery's step 2d give no weight and are not kept whole
    span = {"word": "贫困地区基础设施", "weight": 80.0, "in_lexicon": False, "span": True}
    assert discovery_weights_for_keywords([*rows, span]) == discovery_weights_for_keywords(rows)
    assert not kept_whole(span) and kept_whole({**span, "span": False}) and kept_whole(
        {"word": "扶贫车间", "in_lexicon": False})  # stored before the field existed


def test_keywords_cut_discovered_words_by_the_list_weights():
    # The stem rule reads the list's own weights, all of its rows (no top 5000) but the runs
    # of step 2d: the stem 新发展 is used on the topic more often than 新发展格局, but weighs
    # less in the list.
    rows = [{"word": "新发展", "weight": 1.35, "on_topic_weight": 264.0},
            {"word": "新发展格局", "weight": 4.67, "on_topic_weight": 159.0},
            {"word": "贫困地区基础设施", "weight": 80.0, "span": True},
            *({"word": f"词{i}", "weight": 1.0} for i in range(6000))]
    weights = list_weights_for_keywords(rows)
    assert weights["新发展"] == 1.35 and weights["新发展格局"] == 4.67
    assert "贫困地区基础设施" not in weights and len(weights) == 6002


def test_keywords_stage_and_its_accounts_pass_the_list_weights(demo_dir, empty_project, monkeypatch):
    # The extraction and the account of a keyword (which ranks the project again) both cut the
    # discovered words by the list's own weights, not by the on-topic weights the score reads.
    from caseminer.pipeline import keywords as stage

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    segment_cases(project)
    discover_words(project)
    listed = list_candidates(project)
    expected = list_weights_for_keywords(listed)
    assert expected != discovery_weights_for_keywords(listed)  # step 5 ran: the two differ
    seen = []
    real_extract, real_candidates = stage.extract_keywords, stage.case_candidates
    monkeypatch.setattr(stage, "extract_keywords", lambda *a, **k: seen.append(k) or real_extract(*a, **k))
    monkeypatch.setattr(stage, "case_candidates", lambda *a, **k: seen.append(k) or real_candidates(*a, **k))
    extract_case_keywords(project)
    case_id, rows = next((c, r) for c, r in stage_keywords(project).items() if r)
    stage.explain_keyword(project, case_id, rows[0].keyword)
    assert len(seen) == 2
    assert all(k["list_weights"] == expected and k["discovery_weights"] == discovery_weights_for_keywords(listed)
               for k in seen)


def test_confirmed_stopwords_are_no_keywords_but_do_not_cut_terms(demo_dir, empty_project):
    from caseminer.pipeline import stopwords
    from caseminer.pipeline.review import extracted_keywords

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    segment_cases(project)
    discover_words(project)
    extract_case_keywords(project, overrides={"top": 10})
    before = {row.keyword for rows in extracted_keywords(project).values() for row in rows}
    assert "扶贫车间" in before
    stopwords.decide(project, ["扶贫", "车间"], "confirm", coder="tester")
    extract_case_keywords(project, overrides={"top": 10})
    after = {row.keyword for rows in extracted_keywords(project).values() for row in rows}
    assert "扶贫车间" in after  # both its words are stop-words, the term is not
    assert not after & {"扶贫", "车间"}


def test_stopwords_are_proposed_from_ten_cases_on(demo_dir, empty_project, tmp_path, cli):
    # Five cases of the demo share their subject (防贫预警, 医疗救助 in four of them): no
    # stop-word is proposed unless asked for with fewer cases, and the CLI says why.
    from caseminer.pipeline import stopwords

    folder = tmp_path / "five"
    folder.mkdir()
    for path in sorted((demo_dir / "cases").glob("*.txt"))[:5]:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    project = empty_project
    import_cases(project, [folder])
    segment_cases(project)
    discover_words(project)
    assert stopwords.MIN_CASES == 10 and stopwords.propose(project) == []
    fewer = {p["term"]: p for p in stopwords.propose(project, min_cases=3)}
    assert "防贫预警" in fewer and fewer["防贫预警"]["cases"] >= 4
    result = cli("--project", project.path, "stopwords", "propose")
    assert result.exit_code == 0 and "This project has 5 case(s): no term can occur in 10" in result.output
    result = cli("--project", project.path, "stopwords", "propose", "--min-cases", "3", "--format", "csv")
    assert "防贫预警" in result.output and "This project has" not in result.output


def test_a_piece_of_longer_words_is_not_proposed_as_a_stop_word(empty_project, tmp_path, monkeypatch):
    # 共产 is in every case below, always inside 共产党 or 共产主义 (one token each): in 14 of
    # the 16 Party congress reports it was proposed, as a share of cases counts strings. A
    # proposal must stand as a word where it is counted; 脱贫攻坚 does, also beside 脱贫攻坚战.
    from caseminer.errors import StageNotRun
    from caseminer.nlp.stopwords import propose_domain_stopwords, terms_by_case
    from caseminer.pipeline import discover, stopwords

    folder = tmp_path / "twelve"
    folder.mkdir()
    places = ["东村", "西村", "南村", "北村", "上村", "下村", "前村", "后村", "山村", "水村", "林村", "田村"]
    for n, place in enumerate(places):
        party = "共产党员" if n % 2 else "共产主义青年团"
        (folder / f"{n:02d}.txt").write_text(
            f"{place}的{party}带头打赢脱贫攻坚战。{place}巩固脱贫攻坚成果，发展第{n + 1}个合作社。", encoding="utf-8")
    project = empty_project
    import_cases(project, [folder])
    discover_words(project)
    listed = [{"word": w} for w in ("共产", "脱贫攻坚", "合作社")]
    monkeypatch.setattr(discover, "list_candidates", lambda project, top=None: listed)
    with pytest.raises(StageNotRun, match=r"stopwords needs segmentation first\. Run 'caseminer segment'"):
        stopwords.propose(project, min_cases=3)
    segment_cases(project)
    shares = propose_domain_stopwords(terms_by_case(case_texts(project), [r["word"] for r in listed]))
    assert {p.term for p in shares} == {"共产", "脱贫攻坚", "合作社"}  # every case holds the three strings
    proposed = stopwords.propose(project, min_cases=3)
    assert [(p["term"], p["share"]) for p in proposed] == [("脱贫攻坚", 1.0), ("合作社", 1.0)]


def test_where_nothing_is_proposed_the_most_widespread_terms_are_named(demo_dir, empty_project, tmp_path, cli):
    # The demo cases, a third of them without the subject every demo case shares (乡村振兴,
    # 脱贫攻坚, 脱贫): no term reaches 80 % of the cases, and the CLI names the most
    # widespread terms with their shares and the --min-share that would propose them.
    from caseminer.pipeline import stopwords

    folder = tmp_path / "thirty"
    folder.mkdir()
    for n, path in enumerate(sorted((demo_dir / "cases").glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        if n % 3 == 0:
            for subject in ("乡村振兴", "脱贫攻坚", "脱贫"):
                text = text.replace(subject, "")
        (folder / path.name).write_text(text, encoding="utf-8")
    project = empty_project
    import_cases(project, [folder])
    segment_cases(project)
    discover_words(project)
    proposed, widest = stopwords.proposals_and_widest(project)
    assert proposed == [] == stopwords.propose(project)
    assert widest and len(widest) <= 5 and widest[0]["share"] < 0.8
    assert [w["share"] for w in widest] == sorted((w["share"] for w in widest), reverse=True)
    assert {w["term"] for w in widest} >= {"乡村振兴", "脱贫攻坚"} and widest[0]["cases"] == 20
    result = cli("--project", project.path, "stopwords", "propose")
    assert result.exit_code == 0
    assert "No term occurs in 80% of the 30 cases or more. The most widespread: " in result.output
    assert "乡村振兴 67%" in result.output and "--min-share 0.6." in result.output
    again = stopwords.propose(project, min_share=0.6)
    assert {p["term"] for p in again} >= {"乡村振兴", "脱贫攻坚"}
    assert stopwords.proposals_and_widest(project, min_share=0.6)[1] == []  # proposals: no hint
    bad = cli("--project", project.path, "stopwords", "propose", "--min-share", "1.5")
    assert bad.exit_code != 0 and "The 'min_share' setting of stopwords must be a number in the range (0, 1]" \
        in bad.output
    from caseminer.web.app import make_app

    page = make_app(project.path, secret="test").test_client().get("/keywords").get_data(as_text=True)
    assert "没有词出现在 80% 及以上的案例中。分布最广的是：" in page and "乡村振兴 (67%)" in page


def test_a_researcher_releases_starter_words_and_the_run_records_them(demo_dir, empty_project, cli, tmp_path):
    # The starter list cuts terms from the first run, visibly: 'stopwords starter' lists it,
    # rejecting a word releases it (it may begin, end or be a keyword), removing the
    # decision restores it, and each run records the words released.
    from caseminer.pipeline import stopwords
    from caseminer.pipeline.review import extracted_keywords
    from caseminer.report.collect import collect_report

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    segment_cases(project)
    discover_words(project)

    def keywords():
        extract_case_keywords(project, overrides={"top": 10})
        return {(case_id, row.keyword) for case_id, rows in extracted_keywords(project).items() for row in rows}

    releasable = stopwords.releasable_starter_words()
    before = keywords()
    assert not {"产业发展", "发展产业"} & {k for _, k in before}  # 发展 ends and begins no term
    assert _settings(project)["boundary_words"]["released"] == []
    listed = cli("--project", project.path, "stopwords", "starter", "--format", "csv")
    assert listed.exit_code == 0 and "两个一百年,slogans of the political register,boundary" in listed.output

    result = cli("--project", project.path, "stopwords", "reject", "--starter", "--coder", "ana")
    assert result.exit_code == 0 and f"reject: {len(releasable)} term(s)" in result.output
    assert stopwords.boundary_words(project) == ([w for w in load_starter_list() if len(w) == 1], releasable)
    released = keywords()
    assert _settings(project)["boundary_words"] == {**starter_list_record(), "released": releasable}
    assert {"产业发展", "发展产业"} <= {k for _, k in released}  # released, 发展 ends and begins terms again
    rows = {r["term"]: r for r in stopwords.starter_list(project)}
    assert rows["发展"]["applied"] == "released" and rows["发展"]["decided_by"] == "ana"
    assert stopwords.stopword_states(project)["发展"].source == "starter list"
    methods = " ".join(collect_report(project, tmp_path / "figures").methods)
    assert (f"except the {len(releasable)} a researcher released by rejecting them as stop-words "
            f"({'、'.join(releasable[:10])} and {len(releasable) - 10} more)") in methods
    assert rows["的"]["applied"] == "boundary"  # one character: never released

    cli("--project", project.path, "stopwords", "remove", "发展", "两个一百年", "--coder", "ana")
    applied = {r["term"]: r["applied"] for r in stopwords.starter_list(project)}
    assert (applied["发展"], applied["两个一百年"], applied["推进"]) == ("boundary", "boundary", "released")
    cli("--project", project.path, "stopwords", "remove", "--starter", "--coder", "ana")
    assert keywords() == before and _settings(project)["boundary_words"]["released"] == []


def test_explain_keyword_gives_each_stored_score_feature_by_feature(demo_dir, empty_project, monkeypatch, tmp_path):
    # Not a tautology: the stored weights come from the stage's run over shards of cases; the
    # account ranks the case again from the project and takes the score apart by the trees' paths.
    import pytest

    from caseminer.errors import InvalidInput, StageNotRun
    from caseminer.pipeline import stopwords
    from caseminer.pipeline.keywords import explain_keyword
    from caseminer.pipeline.review import extracted_keywords

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    segment_cases(project)
    discover_words(project)
    with pytest.raises(StageNotRun, match="Explaining a keyword needs keyword extraction first"):
        explain_keyword(project, "x", "扶贫车间")
    extract_case_keywords(project)
    stored = extracted_keywords(project)
    for case_id in list(stored)[:4]:
        for row in stored[case_id]:
            told = explain_keyword(project, case_id, row.keyword)
            assert told["keyword"] == row.rank and told["score"] == pytest.approx(row.weight, rel=1e-5)
            assert told["bias"] + sum(p["share"] for p in told["parts"]) == pytest.approx(told["score"])
            assert told["lines"][0].startswith(f"{row.keyword} is keyword {row.rank} of 3 of case {case_id} ")
            assert not any("out of date" in line for line in told["lines"])
    case_id, first = next(iter(stored.items()))
    zh = explain_keyword(project, case_id, first[0].keyword, lang="zh")["lines"]
    assert zh[0].startswith(f"{first[0].keyword}是案例{case_id}的第1个关键词")
    with pytest.raises(InvalidInput, match="Give the term to explain"):
        explain_keyword(project, case_id, " ")
    # a string written across two words: the account names the words the case is cut into there
    tokens = case_tokens(project)[case_id]
    text = case_texts(project)[case_id]
    a, b = next((a, b) for a, b in zip(tokens, tokens[1:])
                if len(a.word) == 2 and len(b.word) == 2 and text.count(a.word[1] + b.word[0]) == 1
                and (a.word[1] + b.word[0]) not in {t.word for t in tokens})
    told = explain_keyword(project, case_id, a.word[1] + b.word[0])
    assert told["rank"] is None and "the case does not hold it as a term" in told["lines"][0]
    cut = told["lines"][1].removeprefix("Where it first occurs, the case is cut into the words ").split(".")[0]
    words = cut.split(" | ")
    assert len(words) == 2 and a.word[1] + b.word[0] in "".join(words) and a.word[1] + b.word[0] not in words
    # one word the lexicon tags a place: no candidate, and the account says why and how to allow it
    place_case, place = next((cid, t.word) for cid, toks in case_tokens(project).items() for t in toks
                             if t.pos == "ns" and len(t.word) >= 2)
    told = explain_keyword(project, place_case, place)
    assert told["rank"] is None and "probable person or place name" in told["lines"][0] and "--keep-names" in told["lines"][0]
    # case after case, an up-to-date run's project is ranked once, not once an account
    from caseminer.pipeline import keywords as stage

    calls = []
    real = stage.case_candidates
    monkeypatch.setattr(stage, "case_candidates", lambda *a, **k: calls.append(1) or real(*a, **k))
    for other, rows in list(stored.items())[:3]:
        explain_keyword(project, other, rows[0].keyword)
    assert calls == []
    # the review workbook's last column: the three features that moved each keyword's score most
    import openpyxl

    from caseminer.nlp.keyterms.explain import FEATURE_WORDS
    from caseminer.pipeline.review_workbook import export_review

    def why_column(path):
        export_review(project, path)
        sheet = openpyxl.load_workbook(path)["review"]
        header = [c.value.split()[-1] for c in sheet[1]]
        return {(r[0], r[4]): r[header.index("why")] for r in sheet.iter_rows(min_row=2, values_only=True)}

    why = why_column(tmp_path / "review.xlsx")
    assert calls == [] and len(why) == sum(len(rows) for rows in stored.values())
    told = explain_keyword(project, case_id, first[0].keyword)
    strongest = sorted(told["parts"], key=lambda p: -abs(p["share"]))[0]
    sign = "+" if strongest["share"] >= 0 else "-"
    first_why = why[(case_id, first[0].keyword)]
    assert first_why.startswith(f"{sign}{abs(strongest['share']):.2f} "
                                + FEATURE_WORDS["zh"][strongest["feature"]].split("{")[0]) and first_why.count("；") == 2
    # a stop-word confirmed since: the account says it, and that the stored keywords are out of date
    stopwords.decide(project, [first[0].keyword], "confirm", coder="tester")
    told = explain_keyword(project, case_id, first[0].keyword)
    assert told["rank"] is None and "is a stop-word" in told["lines"][0] and calls == [1]
    assert told["lines"][-1].startswith("The stored keywords are out of date (")
    # ranked again (out of date: nothing kept) on two processes, the account is the same
    assert explain_keyword(project, case_id, first[0].keyword, n_jobs=2) == told and calls == [1, 1]
    assert explain_keyword(project, case_id, first[0].keyword, lang="zh")["lines"][-1].startswith(
        "已存关键词已过期（此后又有 1 项停用词决定）")
    # ... and the workbook leaves the column empty: the stored scores are no longer today's
    assert set(why_column(tmp_path / "stale.xlsx").values()) == {None}
