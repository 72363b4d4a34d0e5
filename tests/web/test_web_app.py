"""The workbench, in process: every endpoint, the error shape, CSRF, escaping, the
concurrent-edit rule and the file-serving routes (issue 8). No port is opened."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from web_fixtures import alice, app, bob, make_coder, project_dir, project_template  # noqa: F401 (fixtures)
from caseminer.coding.codebook import code_version, load_codebook
from caseminer.coding.codings import list_codings
from caseminer.nlp.stopwords import load_starter_list
from caseminer.project import Project, caseminer_build

WEB = Path(__file__).resolve().parents[2] / "src" / "caseminer" / "web"
ERROR_KEYS = {"ok", "error", "code", "status"}


def codebook(project_dir):
    with Project.open(project_dir) as p:
        return load_codebook(p)


def code_id(project_dir, name):
    return codebook(project_dir).by_name(name).id


def version(project_dir, cid):
    with Project.open(project_dir) as p:
        return code_version(p, cid)


def codings(project_dir, **kw):
    with Project.open(project_dir) as p:
        return list_codings(p, **kw)


ANY = object()


def assert_error(response, status, code=ANY):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False and body["status"] == status and body["error"]
    if code is not ANY:
        assert body["code"] == code
    return body


# -- pages -------------------------------------------------------------------------


@pytest.mark.parametrize("path, expected", [
    ("/", "jx_park"),
    ("/?province=河南", "hn_insurance"),
    ("/?attr=year&value=2022", "gz_workshop"),
    ("/?q=防贫保险", "hn_insurance"),
    ("/cases/jx_park", "扶贫产业园"),
    ("/cases/jx_park?q=产业", "m-hit"),
    ("/keywords", "新型经营主体"),
    ("/keywords", "领域停用词从 10 个案例起才建议"),  # four cases: none proposed, and the page says why
    ("/keywords?status=added", "扶贫车间"),
    ("/normalise", "核心关键词"),
    ("/codebook", "落实防贫保障"),
    ("/stats", "case_frequency"),
    ("/stats?province=江西", "case_frequency"),
    ("/agreement", "ann"),
    ("/agreement?coders=ann&coders=bob", "防贫预警"),
])
def test_web_pages_render(alice, path, expected):
    response = alice.get(path)
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)


def test_web_cases_filter_by_code(alice, project_dir):
    html = alice.get(f"/?code={code_id(project_dir, '防贫预警')}").get_data(as_text=True)
    assert "hn_insurance" in html and "evil" in html and "jx_park" not in html


def test_web_case_page_highlights_keywords_and_codings(alice, project_dir):
    html = alice.get("/cases/hn_insurance").get_data(as_text=True)
    assert 'class="m-kw"' in html
    assert "m-coding" in html and "m-multi" in html  # ann's and bob's codings overlap
    assert 'data-color="#' in html


def test_web_case_text_segments_are_exact_original_offsets(alice, project_dir):
    """The reader's segments rebuild the original text, \\r included (offsets the browser relies on)."""
    import html as htmllib

    with Project.open(project_dir) as p:
        from caseminer.pipeline.corpus import get_case
        original = get_case(p, "gz_workshop").original_text
    page = alice.get("/cases/gz_workshop").get_data(as_text=True)
    body = re.search(r'<div id="casetext"[^>]*>(.*?)</div>', page, re.S).group(1)
    rebuilt = {}
    for start, cr, text in re.findall(r'<span data-o="(\d+)"( data-cr="1")?[^>]*>([^<]*)</span>', body):
        rebuilt[int(start)] = "\r" if cr else htmllib.unescape(text)
    text = "".join(rebuilt[k] for k in sorted(rebuilt))
    assert text == original
    assert all(original.startswith(v, k) for k, v in rebuilt.items())


def test_web_codebook_page_of_a_code_lists_its_passages(alice, project_dir):
    html = alice.get(f"/codebook/{code_id(project_dir, '防贫预警')}").get_data(as_text=True)
    assert "防贫预警机制" in html and "bob" in html


def test_web_language_switch(app):
    client = app.test_client()
    assert "案例" in client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert ">Cases<" in english
    assert ">Cases<" in client.get("/").get_data(as_text=True)  # kept in a cookie


def test_web_asks_for_the_coder_name_once(make_coder):
    client = make_coder(None)
    assert 'id="ask-name"' in client.get("/").get_data(as_text=True)
    assert_error(client.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject",
                                                      "keyword": "产业扶贫"}), 400)
    response = client.post("/api/coder", {"name": "卡门"})
    assert response.get_json() == {"ok": True, "coder": "卡门"}
    page = client.get("/").get_data(as_text=True)
    assert 'id="ask-name"' not in page and "卡门" in page
    assert client.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject",
                                                "keyword": "产业扶贫"}).get_json()["ok"]


@pytest.mark.parametrize("name", ["", " ", "x" * 41, "<b>", 'a"b'])
def test_web_refuses_bad_coder_names(alice, name):
    assert_error(alice.post("/api/coder", {"name": name}), 400)


# -- JSON reads --------------------------------------------------------------------


@pytest.mark.parametrize("path, key", [
    ("/api/cases", "cases"), ("/api/cases?province=江西", "cases"), ("/api/cases?q=产业扶贫", "cases"),
    ("/api/cases/jx_park", "case"), ("/api/codebook", "codes"), ("/api/codings", "codings"),
    ("/api/codings?case=hn_insurance", "codings"), ("/api/keywords", "keywords"),
    ("/api/keywords?case=jx_park", "keywords"), ("/api/kwic?term=产业扶贫", "lines"),
    ("/api/suggestions", "suggestions"), ("/api/memos", "memos"), ("/api/stopwords", "proposals"),
])
def test_web_api_reads(alice, path, key):
    body = alice.get(path).get_json()
    assert body["ok"] is True and key in body


def test_web_api_cases_filters(alice):
    assert [c["id"] for c in alice.get("/api/cases?province=江西").get_json()["cases"]] == ["evil", "jx_park"]
    hits = alice.get("/api/cases?q=防贫保险").get_json()["cases"]
    assert [c["id"] for c in hits] == ["hn_insurance"] and len(hits[0]["hits"]) == 3


def test_web_api_kwic(alice):
    lines = alice.get("/api/kwic?term=扶贫车间").get_json()["lines"]
    assert len(lines) == 3 and all(line["term"] == "扶贫车间" for line in lines)


def test_web_discovery_pages_after_discover(alice, project_dir):
    from caseminer.pipeline.discover import discover_words

    with Project.open(project_dir) as p:
        discover_words(p, overrides={"min_freq": 2})
    candidates = alice.get("/api/candidates?top=50").get_json()["candidates"]
    assert candidates and {"word", "pos", "weight", "freq", "docfreq", "in_lexicon"} <= set(candidates[0])
    assert alice.get("/api/candidates?case=jx_park&new_only=1").get_json()["ok"]
    html = alice.get("/keywords").get_data(as_text=True)
    assert 'id="candidates-table"' in html and candidates[0]["word"] in html
    # stop-words are proposed among the words the segmentation gives, which has not run here
    assert "请先分词（caseminer segment）" in html and alice.get("/api/stopwords").get_json()["proposals"] == []
    assert '<p class="words">' in alice.get("/cases/jx_park").get_data(as_text=True)
    assert alice.get("/api/stopwords").get_json()["ok"]
    # why a word has its weight, as `caseminer discover --explain` says it
    assert f'class="explain-button" data-word="{candidates[0]["word"]}"' in html
    why = alice.get("/api/explain?word=" + candidates[0]["word"]).get_json()
    assert why["ok"] and why["listed"] and why["rank"] == 1 and why["lines"][0].startswith(candidates[0]["word"])
    assert alice.get("/api/explain?word=扶贫车间&case=jx_park").get_json()["scope"] == "jx_park"
    assert_error(alice.get("/api/explain"), 400)
    assert_error(alice.get("/api/explain?word=扶贫&case=nope"), 404, "E305")
    # why a word is not listed, its steps traced again (`discover --explain WORD --trace`)
    assert 'id="why-not-form"' in html
    listed = {c["word"] for c in alice.get("/api/candidates?top=100000").get_json()["candidates"]}
    texts = [alice.get("/api/cases/" + c["id"]).get_json()["case"]["text"]
             for c in alice.get("/api/cases").get_json()["cases"]]
    unlisted = next(w for t in texts for w in (t[i:i + 3] for i in range(len(t) - 3))
                    if all("\u4e00" <= ch <= "\u9fff" for ch in w) and w not in listed
                    and sum(x.count(w) for x in texts) >= 2 and not any(w in x for x in listed))
    traced = alice.get("/api/explain?trace=1&word=" + unlisted).get_json()
    assert traced["ok"] and traced["trace"]["step"] in ("step 2", "step 3", "step 5 fragment", "step 5 piece",
                                                        "step 5 headless")
    assert any(line.startswith(("Traced again", "按上一次运行的设置重新追踪")) for line in traced["lines"])
    assert "trace" not in alice.get("/api/explain?word=" + unlisted).get_json()
    in_case = alice.get("/api/explain?trace=1&word=" + unlisted + "&case=jx_park").get_json()
    assert in_case["ok"] and in_case["scope"] == "jx_park"


def test_web_keyword_lists_a_page_at_a_time_and_by_keyword_or_case(alice, monkeypatch):
    # the template project: seven keywords added in four cases; pages of two rows
    from caseminer.web.views import keywords as page

    monkeypatch.setattr(page, "KEYWORD_ROWS", 2)
    first = alice.get("/keywords").get_data(as_text=True)
    assert "第 1–2 行，共 7 行" in first and "page=2" in first and "上一页" not in first.split("keyword-lists")[-1]
    last = alice.get("/keywords?page=4").get_data(as_text=True)
    assert "第 7–7 行，共 7 行" in last and "page=3" in last and "下一页" not in last.split("keyword-lists")[-1]
    assert "第 7–7 行" in alice.get("/keywords?page=99").get_data(as_text=True)  # past the end: the last page
    found = alice.get("/keywords?q=防贫").get_data(as_text=True)  # two keywords of hn_insurance
    rows = found.split('id="keyword-lists-table"')[1]
    assert rows.count("<tr class=\"st-") == 2 and "防贫保险" in rows and "扶贫车间" not in rows
    assert 'name="q" value="防贫"' in found and 'class="pager"' not in found
    by_case = alice.get("/keywords?q=jx_park").get_data(as_text=True).split('id="keyword-lists-table"')[1]
    assert by_case.count("<tr class=\"st-") == 2 and "新型经营主体" in by_case  # page 1 of jx_park's three
    assert alice.get("/keywords?page=two").status_code == 400


def test_web_cases_list_a_page_at_a_time_keeping_the_filter(alice, monkeypatch):
    # the template project: four cases, three of them with 防贫; pages of two rows
    from caseminer.web.views import cases as page

    monkeypatch.setattr(page, "CASE_ROWS", 2)
    first = alice.get("/").get_data(as_text=True)

    def body(html):
        return html.split("<tbody>")[1].split("</tbody>")[0]

    assert "<small>4 / 4 个案例</small>" in first and body(first).count("<tr>") == 2
    assert "第 1–2 行，共 4 行" in first and "page=2" in first and "上一页" not in first
    second = alice.get("/?page=2").get_data(as_text=True)
    assert "第 3–4 行，共 4 行" in second and "page=1" in second and "下一页" not in second
    shown = {re.search(r'href="/cases/([^"?]+)', row).group(1)
             for html in (first, second) for row in body(html).split("<tr>")[1:]}
    assert shown == {"jx_park", "hn_insurance", "gz_workshop", "evil"}  # every case once
    assert "第 3–4 行" in alice.get("/?page=99").get_data(as_text=True)  # past the end: the last page
    search = alice.get("/?q=防贫&page=2").get_data(as_text=True)  # the filter goes with the pages
    assert "<small>3 / 4 个案例</small>" in search and "第 3–3 行，共 3 行" in search
    assert "q=%E9%98%B2%E8%B4%AB&amp;lang=zh&amp;page=1" in search
    assert 'class="pager"' not in alice.get("/?q=防贫保险").get_data(as_text=True)  # one page, no pager
    assert alice.get("/?page=two").status_code == 400


def test_web_keyword_explain_after_extraction(alice, project_dir):
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import extract_case_keywords
    from caseminer.pipeline.segment import segment_cases

    assert_error(alice.get("/api/keyword-explain?case=jx_park&term=扶贫车间"), 409, "E302")
    with Project.open(project_dir) as p:
        segment_cases(p)
        discover_words(p, overrides={"min_freq": 2})
        extract_case_keywords(p)
    first = alice.get("/api/keywords?case=jx_park").get_json()["keywords"][0]
    html = alice.get("/keywords").get_data(as_text=True)
    assert f'class="explain-keyword-button" data-term="{first["keyword"]}" data-case="jx_park"' in html
    why = alice.get(f"/api/keyword-explain?case=jx_park&term={first['keyword']}").get_json()
    assert why["ok"] and why["keyword"] == 1 and why["case_id"] == "jx_park"
    assert why["score"] == pytest.approx(first["weight"], rel=1e-5) and why["lines"][0].startswith(first["keyword"])
    assert_error(alice.get("/api/keyword-explain?case=jx_park"), 400)
    assert_error(alice.get("/api/keyword-explain?term=扶贫车间"), 400)
    assert_error(alice.get("/api/keyword-explain?case=nope&term=扶贫车间"), 404, "E305")


def test_web_explain_before_discovery_says_what_to_run(alice):
    body = assert_error(alice.get("/api/explain?word=扶贫"), 409, "E302")
    assert "caseminer discover" in body["error"]


# -- the error shape ---------------------------------------------------------------


def test_web_error_shape_not_found(alice):
    body = assert_error(alice.get("/api/cases/nope"), 404, "E305")
    assert "nope" in body["error"]


def test_web_error_shape_unknown_route_and_method(alice):
    assert_error(alice.get("/api/nothing-here"), 404, None)
    assert_error(alice.get("/api/codes/undo"), 405, None)


def test_web_error_shape_stage_not_run(alice):
    assert_error(alice.get("/api/candidates"), 409, "E302")


def test_web_error_shape_invalid_input(alice):
    assert_error(alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "add",
                                                     "keyword": "不在文中的词"}), 400)
    assert_error(alice.post("/api/codes/merge", {"source": "x"}), 400)
    assert_error(alice.get("/api/kwic"), 400)


def test_web_add_says_the_keyword_as_the_case_writes_it(alice):
    # typed or pasted in traditional characters: stored, and answered, as the case writes it
    answer = alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "add", "keyword": "利益聯結機制"})
    assert answer.get_json()["ok"] and answer.get_json()["keyword"] == "利益联结机制"


def test_web_html_pages_show_errors_in_a_banner(alice):
    response = alice.get("/cases/nope")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'id="error-message"' in html and "nope" in html


def test_web_form_post_without_javascript_redirects_with_banner(alice):
    headers = {"Accept": "text/html"}
    ok = alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject", "keyword": "产业扶贫",
                                             "next": "/cases/jx_park"}, headers=headers)
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/cases/jx_park")
    bad = alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject", "keyword": "无此词",
                                              "next": "//evil.example/"}, headers=headers)
    assert bad.status_code == 302 and bad.headers["Location"] == "/"
    assert "无此词" in alice.get("/").get_data(as_text=True)


# -- CSRF --------------------------------------------------------------------------


def test_web_csrf_missing_token_is_refused(alice, project_dir):
    before = version(project_dir, code_id(project_dir, "防贫预警"))
    response = alice.post("/api/codes/undo", token=False)
    assert_error(response, 403, None)
    assert version(project_dir, code_id(project_dir, "防贫预警")) == before


def test_web_csrf_wrong_token_is_refused(alice):
    assert_error(alice.post("/api/codes", {"name": "x"}, headers={"X-CSRF-Token": "forged"}), 403)


def test_web_csrf_other_client_token_is_refused(alice, bob):
    assert_error(alice.post("/api/codes", {"name": "x"}, headers={"X-CSRF-Token": bob.token}), 403)


@pytest.mark.parametrize("header", [{"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"},
                                    {"Origin": "null"}])
def test_web_csrf_foreign_origin_is_refused(alice, header):
    assert_error(alice.post("/api/codes", {"name": "x"}, headers=header), 403)


def test_web_csrf_token_in_form_field_and_same_origin_is_accepted(alice):
    response = alice.post("/api/codes", {"name": "新编码", "csrf_token": alice.token}, token=False,
                          headers={"Origin": "http://localhost"})
    assert response.get_json()["ok"] is True


# -- escaping ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/?q=alert", "/cases/evil", "/keywords", "/agreement?coders=ann&coders=bob"])
def test_web_hostile_case_text_is_escaped(alice, project_dir, path):
    if path.startswith("/codebook"):
        path = path.format(code_id(project_dir, "防贫预警"))
    html = alice.get(path).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert re.search(r"<[^>]*onerror", html) is None


def test_web_hostile_text_shown_as_text_in_reader_and_codebook(alice, project_dir):
    reader = alice.get("/cases/evil").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reader
    assert "&lt;img src=x onerror=alert(1)&gt;" in reader
    codebook_page = alice.get(f"/codebook/{code_id(project_dir, '防贫预警')}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in codebook_page and "<script>alert" not in codebook_page


def test_web_hostile_code_name_and_memo_are_escaped(alice):
    alice.post("/api/codes", {"name": "<img src=y onerror=alert(2)>"})
    alice.post("/api/memos", {"target_kind": "case", "target_id": "jx_park", "text": "</textarea><script>x()</script>"})
    for path in ("/codebook", "/cases/jx_park"):
        html = alice.get(path).get_data(as_text=True)
        assert "<img src=y" not in html and "<script>x()" not in html


def test_web_pages_forbid_inline_script(alice):
    response = alice.get("/cases/evil")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*(?:src=|type=\"application/json\"))", html) == []


# -- keyword review ----------------------------------------------------------------


def keyword_status(client, case_id, keyword):
    rows = client.get(f"/api/keywords?case={case_id}").get_json()["keywords"]
    return next(r for r in rows if r["keyword"] == keyword)


def test_web_keyword_accept_reject_add_undo(alice):
    seen = alice.get("/api/keywords").get_json()["seen"]
    assert alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject", "keyword": "产业扶贫",
                                               "seen": seen}).get_json()["ok"]
    row = keyword_status(alice, "jx_park", "产业扶贫")
    assert row["status"] == "rejected" and row["decided_by"] == "alice"
    seen = alice.get("/api/keywords").get_json()["seen"]
    alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "add", "keyword": "产业扶贫", "seen": seen})
    assert keyword_status(alice, "jx_park", "产业扶贫")["status"] == "added"
    assert alice.post("/api/keywords/undo").get_json()["ok"]
    assert keyword_status(alice, "jx_park", "产业扶贫")["status"] == "rejected"


def test_web_keyword_add_by_selected_span(alice):
    case = alice.get("/api/cases/jx_park").get_json()["case"]
    start = case["text"].index("利益联结机制")
    body = alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "add", "start": start,
                                               "end": start + 6}).get_json()
    assert body["ok"] and body["keyword"] == "利益联结机制"
    assert keyword_status(alice, "jx_park", "利益联结机制")["status"] == "added"
    assert_error(alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "add", "start": 5,
                                                     "end": 99999}), 400)


def test_web_keyword_concurrent_decisions_conflict(alice, bob):
    seen_a = alice.get("/api/keywords").get_json()["seen"]
    seen_b = bob.get("/api/keywords").get_json()["seen"]
    assert alice.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject", "keyword": "产业扶贫",
                                               "seen": seen_a}).get_json()["ok"]
    body = assert_error(bob.post("/api/keywords/decide", {"case_id": "jx_park", "action": "accept",
                                                          "keyword": "产业扶贫", "seen": seen_b}), 409)
    assert "alice" in body["error"]
    assert keyword_status(alice, "jx_park", "产业扶贫")["status"] == "rejected"
    # another keyword of the same case is not in conflict
    assert bob.post("/api/keywords/decide", {"case_id": "jx_park", "action": "accept", "keyword": "扶贫产业园",
                                             "seen": seen_b}).get_json()["ok"]


# -- lexicon, stop-words, normalisation --------------------------------------------


def test_web_lexicon_add_and_remove(alice):
    assert alice.post("/api/lexicon/add", {"words": "扶贫产业园"}).get_json()["added"] == ["扶贫产业园"]
    assert alice.post("/api/lexicon/remove", {"words": "扶贫产业园"}).get_json()["removed"] == ["扶贫产业园"]
    assert_error(alice.post("/api/lexicon/add", {"words": "带 空格"}), 400, "E201")


def test_web_stopword_decisions_and_conflict(alice, bob):
    seen = alice.get("/api/stopwords").get_json()["seen"]
    assert alice.post("/api/stopwords/decide", {"terms": "脱贫攻坚", "action": "confirm", "seen": seen}).get_json()["ok"]
    assert alice.get("/api/stopwords").get_json()["states"] == {"脱贫攻坚": "confirmed"}
    assert_error(bob.post("/api/stopwords/decide", {"terms": "脱贫攻坚", "action": "reject", "seen": seen}), 409)
    assert_error(bob.post("/api/stopwords/decide", {"terms": "脱贫攻坚", "action": "drop"}), 400)


def test_web_shows_the_starter_list_and_releases_a_word(alice):
    def row(page, term):
        table = page[page.index('id="starter-table"'):]
        return re.search(rf'<tr class="st-(\w+)"><td>{term}</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', table)

    page = alice.get("/keywords?lang=en").get_data(as_text=True)
    assert f"{len(load_starter_list())} words, 0 released" in page
    assert row(page, "两个一百年").groups() == ("boundary", "slogans of the political register", "boundary", "")
    seen = alice.get("/api/stopwords").get_json()["seen"]
    assert alice.post("/api/stopwords/decide", {"terms": "两个一百年", "action": "reject", "seen": seen}).get_json()["ok"]
    page = alice.get("/keywords?lang=en").get_data(as_text=True)
    assert row(page, "两个一百年").groups() == ("released", "slogans of the political register", "released", "alice")
    assert "1 released" in page and "Restore" in page
    assert "已放行" in alice.get("/keywords?lang=zh").get_data(as_text=True)


def test_web_normalise_states_the_evidence_in_the_page_language(alice, project_dir):
    from caseminer.pipeline import normalise, review

    with Project.open(project_dir) as p:
        review.decide(p, "jx_park", "add", "利益联结机制", coder="setup")
        review.decide(p, "jx_park", "add", "利益联结", coder="setup")
        normalise.suggest(p)
    suggestions = alice.get("/api/suggestions").get_json()["suggestions"]
    assert suggestions and all("shared characters" in s["why"] for s in suggestions)
    english = alice.get("/normalise?lang=en").get_data(as_text=True)
    chinese = alice.get("/normalise?lang=zh").get_data(as_text=True)
    assert unescape(suggestions[0]["why"]) in unescape(english) and "共有字" not in english
    assert "共有字" in chinese and "shared characters" not in chinese


def test_web_normalise_merge_reject_unmerge_and_conflict(alice, bob):
    seen = alice.get("/api/suggestions").get_json()["seen"]
    assert alice.post("/api/normalise/merge", {"variant": "扶贫产业园", "core": "产业扶贫", "seen": seen}).get_json()["ok"]
    assert alice.get("/api/suggestions").get_json()["thesaurus"] == {"扶贫产业园": "产业扶贫"}
    assert_error(bob.post("/api/normalise/merge", {"variant": "扶贫产业园", "core": "扶贫车间", "seen": seen}), 409)
    assert_error(alice.post("/api/normalise/merge", {"variant": "产业扶贫", "core": "扶贫产业园"}), 409)  # a cycle
    assert alice.post("/api/normalise/reject", {"variant": "防贫保险", "core": "防贫预警"}).get_json()["ok"]
    assert alice.post("/api/normalise/unmerge", {"variant": "扶贫产业园"}).get_json()["ok"]
    assert alice.get("/api/suggestions").get_json()["thesaurus"] == {}
    assert "产业扶贫" in alice.get("/normalise").get_data(as_text=True)


# -- codebook ----------------------------------------------------------------------


def test_web_code_create_rename_move_merge_delete_undo(alice, project_dir):
    parent = code_id(project_dir, "实施动态监测")
    created = alice.post("/api/codes", {"name": "网格监测", "parent": parent}).get_json()["code"]
    assert created["level"] == "open" and created["parent_id"] == parent
    renamed = alice.post(f"/api/codes/{created['id']}/rename", {"name": "网格化监测",
                                                                "version": created["version"]}).get_json()["code"]
    assert renamed["name"] == "网格化监测"
    target = code_id(project_dir, "落实政策保障")
    moved = alice.post(f"/api/codes/{created['id']}/move", {"parent": target,
                                                            "version": renamed["version"]}).get_json()["code"]
    assert moved["parent_id"] == target
    top = alice.post(f"/api/codes/{created['id']}/move", {"parent": "", "version": moved["version"]}).get_json()
    assert top["code"]["parent_id"] is None
    alice.post(f"/api/codes/{created['id']}/move", {"parent": target})
    result = alice.post("/api/codes/merge", {"source": created["id"], "target": code_id(project_dir, "动态帮扶")})
    assert result.get_json() == {"ok": True, "codings_moved": 0, "codings_dropped": 0}
    assert "网格化监测" not in {c.name for c in codebook(project_dir)}
    assert alice.post("/api/codes/undo").get_json()["ok"]
    assert "网格化监测" in {c.name for c in codebook(project_dir)}
    doomed = code_id(project_dir, "网格化监测")
    assert alice.post(f"/api/codes/{doomed}/delete", {"version": version(project_dir, doomed)}).get_json()["ok"]
    assert "网格化监测" not in {c.name for c in codebook(project_dir)}


def test_web_code_changes_are_recorded_with_the_coder(alice, project_dir):
    alice.post("/api/codes", {"name": "新编码甲"})
    with Project.open(project_dir) as p:
        from caseminer.pipeline.events import history
        event = history(p, "code.", limit=1)[0]
    assert event.kind == "code.create" and event.coder == "alice"


def test_web_code_concurrent_rename_and_move_conflict(alice, bob, project_dir):
    cid = code_id(project_dir, "分级预警")
    seen = version(project_dir, cid)
    assert alice.post(f"/api/codes/{cid}/rename", {"name": "三色预警", "version": seen}).get_json()["ok"]
    body = assert_error(bob.post(f"/api/codes/{cid}/move", {"parent": code_id(project_dir, "落实政策保障"),
                                                            "version": seen}), 409)
    assert body["error"] == "你打开页面之后，别人修改了这个编码（版本 2，你看到的是 1）。请刷新查看修改，再重试。"
    assert_error(bob.post(f"/api/codes/{cid}/rename", {"name": "红黄绿", "version": seen}), 409)
    assert_error(bob.post(f"/api/codes/{cid}/delete", {"version": seen}), 409)
    assert codebook(project_dir).get(cid).name == "三色预警"


def test_web_undo_refuses_a_change_the_page_did_not_show(alice, bob, project_dir):
    seen = alice.get("/api/keywords").get_json()["seen"]
    bob.post("/api/keywords/decide", {"case_id": "jx_park", "action": "reject", "keyword": "产业扶贫"})
    assert_error(alice.post("/api/keywords/undo", {"seen": seen}), 409)
    assert keyword_status(alice, "jx_park", "产业扶贫")["status"] == "rejected"  # bob's decision stays
    html = alice.get("/codebook").get_data(as_text=True)
    seen = int(re.search(r'action="/api/codes/undo".*?name="seen" value="(\d+)"', html, re.S).group(1))
    bob.post("/api/codes", {"name": "鲍勃的编码"})
    assert_error(alice.post("/api/codes/undo", {"seen": seen}), 409)
    assert "鲍勃的编码" in {c.name for c in codebook(project_dir)}
    seen = int(re.search(r'action="/api/codes/undo".*?name="seen" value="(\d+)"',
                         alice.get("/codebook").get_data(as_text=True), re.S).group(1))
    assert alice.post("/api/codes/undo", {"seen": seen}).get_json()["ok"]
    assert "鲍勃的编码" not in {c.name for c in codebook(project_dir)}


def test_web_code_invalid_move_is_refused(alice, project_dir):
    root = code_id(project_dir, "落实防贫保障")
    child = code_id(project_dir, "实施动态监测")
    assert_error(alice.post(f"/api/codes/{root}/move", {"parent": child}), 400)
    assert_error(alice.post("/api/codes/NOPE/rename", {"name": "x"}), 404)


# -- codings and memos -------------------------------------------------------------


def test_web_coding_add_memo_delete(alice, project_dir):
    cid = code_id(project_dir, "防贫保险")
    case = alice.get("/api/cases/hn_insurance").get_json()["case"]
    start = case["text"].index("防贫保险由财政出资")
    coding = alice.post("/api/codings", {"case_id": "hn_insurance", "code_id": cid, "start": start,
                                         "end": start + 9}).get_json()["coding"]
    row = next(r for r in codings(project_dir, case_id="hn_insurance") if r.id == coding)
    assert row.text == "防贫保险由财政出资" and row.coder == "alice"
    assert_error(alice.post("/api/codings", {"case_id": "hn_insurance", "code_id": cid, "start": start,
                                             "end": start + 9}), 409)  # the same coding twice
    assert alice.post(f"/api/codings/{coding}/memo", {"memo": "财政兜底", "version": row.version}).get_json()["ok"]
    assert "财政兜底" in alice.get("/cases/hn_insurance").get_data(as_text=True)
    row = next(r for r in codings(project_dir, case_id="hn_insurance") if r.id == coding)
    assert alice.post(f"/api/codings/{coding}/delete", {"version": row.version}).get_json()["ok"]
    assert coding not in {r.id for r in codings(project_dir)}


def test_web_coding_whole_case_and_bad_spans(alice, project_dir):
    cid = code_id(project_dir, "防贫保险")
    assert alice.post("/api/codings", {"case_id": "jx_park", "code_id": cid, "whole_case": "1"}).get_json()["ok"]
    assert_error(alice.post("/api/codings", {"case_id": "jx_park", "code_id": cid}), 400)
    assert_error(alice.post("/api/codings", {"case_id": "jx_park", "code_id": cid, "start": 3, "end": 2}), 400)
    assert_error(alice.post("/api/codings", {"case_id": "jx_park", "code_id": cid, "start": "a", "end": 2}), 400)
    assert_error(alice.post("/api/codings", {"case_id": "nope", "code_id": cid, "start": 0, "end": 2}), 404)


def test_web_coding_concurrent_memo_and_delete_conflict(alice, bob, project_dir):
    row = codings(project_dir, case_id="hn_insurance", coder="ann")[0]
    assert alice.post(f"/api/codings/{row.id}/memo", {"memo": "A", "version": row.version}).get_json()["ok"]
    assert_error(bob.post(f"/api/codings/{row.id}/memo", {"memo": "B", "version": row.version}), 409)
    assert_error(bob.post(f"/api/codings/{row.id}/delete", {"version": row.version}), 409)
    assert codings(project_dir, case_id="hn_insurance", coder="ann")[0].memo == "A"


def test_web_memos_add_update_and_conflict(alice, bob):
    memo = alice.post("/api/memos", {"target_kind": "case", "target_id": "jx_park", "text": "产业园是重点"}).get_json()
    memos = alice.get("/api/memos?kind=case&target=jx_park").get_json()["memos"]
    assert [m["text"] for m in memos] == ["产业园是重点"] and memos[0]["coder"] == "alice"
    first = memos[0]["version"]
    assert alice.post(f"/api/memos/{memo['memo']}", {"text": "产业园是重点；另见利益联结", "version": first}).get_json()["ok"]
    body = assert_error(bob.post(f"/api/memos/{memo['memo']}", {"text": "覆盖", "version": first}), 409)
    assert "alice" in body["error"]
    assert_error(alice.post("/api/memos", {"target_kind": "planet", "target_id": "x", "text": "x"}), 400)
    assert_error(alice.post("/api/memos/9999", {"text": "x"}), 404)


# -- figures, static files and paths ----------------------------------------------


def test_web_stats_figures_are_served_by_generated_names(alice):
    html = alice.get("/stats?figures=1").get_data(as_text=True)
    urls = re.findall(r'<img src="(/figures/[0-9a-f]{16}/[a-z0-9_]+\.png)"', html)
    assert urls
    response = alice.get(urls[0])
    assert response.status_code == 200 and response.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_web_stats_says_why_there_is_no_comparison(alice, project_dir):
    assert 'id="no-comparison"' not in alice.get("/stats").get_data(as_text=True)  # 21 provinces
    with Project.open(project_dir) as project, project.transaction() as conn:
        conn.execute("UPDATE case_attributes SET value='2021' WHERE name='year'")
    html = unescape(alice.get("/stats?by=year").get_data(as_text=True))
    assert 'id="no-comparison"' in html and "无法按“year”分组比较：所有案例同属“2021”。" in html
    assert "'caseminer stats --by province'" in html  # an attribute that groups the cases


def test_web_stats_compares_by_region_read_from_the_provinces(alice):
    html = unescape(alice.get("/stats?by=region").get_data(as_text=True))
    assert re.search(r"<option selected>region</option>", html)
    assert 'id="no-comparison"' not in html and "西部" in html and "中部" in html


def test_web_stats_groups_years_into_periods(alice):
    html = unescape(alice.get("/stats?by=year&periods=2019-2021,2022-").get_data(as_text=True))
    assert 'value="2019-2021,2022-"' in html and "2019–2021" in html and "2022–" in html
    response = alice.get("/stats?by=year&periods=2021-2019")
    assert response.status_code == 400
    assert "The period &#39;2021-2019&#39; ends before it starts." in response.get_data(as_text=True)


def test_web_framework_figure(alice):
    html = alice.get("/codebook?figure=1").get_data(as_text=True)
    assert re.search(r'<img src="/figures/[0-9a-f]{16}/framework\.png"', html)


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fproject.py",
    "/static//etc/passwd", "/figures/../../etc/passwd", "/figures/0123456789abcdef/..%2f..%2fcaseminer.sqlite",
    "/figures/0123456789abcdef/../x.png", "/figures/0123456789ABCDEF/top_terms.png",
    "/figures/0123456789abcdef/top_terms.py", "/figures/..%2f..%2f/top_terms.png", "/caseminer.sqlite",
    "/static/", "/font/../caseminer.sqlite",
])
def test_web_no_path_reaches_the_file_system_unchecked(alice, path):
    response = alice.get(path, follow_redirects=True)  # werkzeug redirects // to / first
    assert response.status_code == 404
    assert b"SQLite format" not in response.data and b"def make_app" not in response.data


def test_web_static_assets_are_served_locally(alice):
    html = alice.get("/").get_data(as_text=True)
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert alice.get("/static/app.js").status_code == 200
    assert alice.get("/static/app.css").status_code == 200
    font = alice.get("/font/sans.otf")
    assert font.status_code == 200 and font.mimetype == "font/otf"


# -- the CLI and the code rules ----------------------------------------------------


def test_web_serve_get_prints_one_response(project_dir):
    from click.testing import CliRunner

    from caseminer.cli import cli

    result = CliRunner().invoke(cli, ["-p", str(project_dir), "serve", "--get", "/api/cases/jx_park"])
    assert result.exit_code == 0, result.output
    assert '"id":"jx_park"' in result.output
    result = CliRunner().invoke(cli, ["-p", str(project_dir), "serve", "--get", "/api/cases/nope"])
    assert result.exit_code == 1 and '"status":404' in result.output


def test_web_serve_on_a_port_in_use_says_which_port_to_take(project_dir):
    import socket

    from click.testing import CliRunner

    from caseminer.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["-p", str(project_dir), "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert (f"Port {port} is in use, perhaps by another 'caseminer serve' (open http://127.0.0.1:{port}/ to see). "
            f"Start this one on another port: caseminer serve --port {port + 1}") in result.output


def test_web_serve_loopback_rule():
    from caseminer.cli.web_cmds import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")


def test_web_trusted_hosts_refuse_other_host_names(project_dir):
    """caseminer serve on loopback passes the loopback names: a rebound DNS name gets 400."""
    from caseminer.web.app import make_app

    client = make_app(project_dir, trusted_hosts=["127.0.0.1", "localhost"]).test_client()
    assert_error(client.get("/api/cases", headers={"Host": "evil.example"}), 400)
    assert client.get("/api/cases", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_web_make_app_needs_a_project(tmp_path):
    from caseminer.errors import ProjectNotFound
    from caseminer.web.app import make_app

    with pytest.raises(ProjectNotFound):
        make_app(tmp_path)


def test_web_every_template_string_has_a_chinese_translation():
    from caseminer.web.i18n import ZH

    wanted = set()
    for path in (WEB / "templates").glob("*.html"):
        wanted.update(re.findall(r"""_\(\s*'([^']+)'\s*\)""", path.read_text(encoding="utf-8")))
    wanted.update(f"{level} code" for level in ("selective", "axial", "open", "free"))
    wanted.update(("unit: case", "unit: span"))
    wanted.update(("proposed", "accepted", "rejected", "added", "renamed", "confirmed", "open", "merged"))
    wanted.update(("boundary", "released"))  # how the starter list applies a word
    from caseminer.pipeline import STAGES

    wanted.update(("not run", "up to date", "out of date", "run: done", "run: failed", "run: running"))
    wanted.update(f"stage: {stage.name}" for stage in STAGES)
    for path in (WEB / "views").glob("*.py"):
        wanted.update(re.findall(r"""\bt\(\s*"([^"]+)"\s*\)""", path.read_text(encoding="utf-8")))
    from caseminer.web.views.base import JS_STRINGS
    wanted.update(JS_STRINGS)
    from caseminer.web.views.files import DOWNLOADS, UPLOADS  # labels the template translates
    wanted.update(item.label for item in (*DOWNLOADS.values(), *UPLOADS.values()))
    assert sorted(wanted - set(ZH)) == []


def test_web_layer_has_no_sql():
    offenders = [str(p) for p in WEB.rglob("*.py") if re.search(r"\.execute\(|SELECT |INSERT |UPDATE ",
                                                                 p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_web_pipeline_shows_each_stage_and_the_runs_with_their_settings(alice, project_dir):
    with Project.open(project_dir) as p:
        with pytest.raises(RuntimeError):
            with p.attempt("segment", {"hmm": False}):
                raise RuntimeError("<script>alert('run')</script> worker died")
    page = alice.get("/pipeline?lang=en").get_data(as_text=True)
    stages = page[page.index('id="stages-table"'):page.index("</table>")]
    assert re.search(r"<td>import</td>\s*<td>up to date</td>", stages)
    assert re.search(r"<td>segment</td>\s*<td>not run</td>", stages)
    assert "Last attempt failed" in stages and "worker died" in stages
    runs = page[page.index('id="runs-table"'):]
    assert re.search(r'<tr id="run-\d+" class="run-failed">', runs) and "imported=4" in runs
    assert '"simplify": false' in unescape(runs)  # the import's settings, for a reader of the method
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    chinese = alice.get("/pipeline?lang=zh").get_data(as_text=True)
    assert "<td>导入</td>" in chinese and "<td>最新</td>" in chinese and "<td>失败</td>" in chinese
    assert "Made by caseminer build" not in stages and caseminer_build() in unescape(runs)
    with Project.open(project_dir) as p, p.transaction() as conn:  # a result of another build says so
        conn.execute("UPDATE runs SET versions = json_set(versions, '$.\"caseminer build\"', 'abcdefabcdef')")
    page = alice.get("/pipeline?lang=en").get_data(as_text=True)
    assert f"Made by caseminer build abcdefabcdef (installed: {caseminer_build()})" in page
    # a stage out of date says why, in the page's language
    with Project.open(project_dir) as p:
        with p.run("segment", {}):
            pass
        with p.run("import", {}):
            pass
    assert re.search(r"<td>segment</td>\s*<td>out of date</td>.*?<td>import ran after it", alice.get(
        "/pipeline?lang=en").get_data(as_text=True), re.S)
    assert re.search(r"<td>分词</td>\s*<td>已过时</td>.*?<td>导入在其后又运行过", alice.get(
        "/pipeline?lang=zh").get_data(as_text=True), re.S)


def test_reader_greys_what_import_left_out(project_dir, app, alice):
    # A paper's reference list stays in the text a researcher reads and codes, shown as not analysed.
    from caseminer.pipeline.corpus import import_cases

    folder = project_dir.parent / "papers"
    folder.mkdir()
    (folder / "paper.md").write_text("搬迁群众的就业靠扶贫车间。\n\n参考文献\n[1] 王某.易地搬迁[J].农村经济,2019.\n"
                                      "[2] 张某.后续帮扶[M].2021.\n", encoding="utf-8")
    with Project.open(project_dir) as p:
        import_cases(p, [folder])
    html = alice.get("/cases/paper").get_data(as_text=True)
    greyed = re.findall(r'<span data-o="(\d+)" class="m-out" title="([^"]*)">([^<]*)</span>', html)
    assert [(int(o), unescape(text)) for o, _title, text in greyed] == [
        (15, "参考文献\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.")]
    assert '<span class="m-out">未分析</span>' in html and greyed[0][1] == "未分析：参考文献、页码、页眉页脚或排版标记"
    assert "m-out" not in alice.get("/cases/jx_park").get_data(as_text=True)
