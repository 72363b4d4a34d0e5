/* caseminer workbench: plain JavaScript, served from the package (no CDN, no build).
 *
 * - forms with class "js-action" are posted with fetch (CSRF header, JSON answer);
 *   success reloads the page, an error is shown in the banner (409 = conflict);
 * - the case reader turns a text selection into original-text offsets;
 * - the codebook tree moves codes by HTML5 drag and drop;
 * - tables with class "sortable" sort by a click on a header.
 * Case text is only ever put into the page with textContent, never innerHTML.
 */
(function () {
  "use strict";

  var strings = {};
  try { strings = JSON.parse(document.getElementById("js-strings").textContent); } catch (e) { strings = {}; }
  function tr(s) { return strings[s] || s; }
  function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  function showBanner(message, kind) {
    var el = document.getElementById("banner");
    if (!el) { alert(message); return; }
    el.textContent = message;
    el.className = "banner " + (kind || "error");
    if (kind === "conflict") {  // the page shows a stale state: offer to reload it
      var again = document.createElement("button");
      again.type = "button";
      again.textContent = tr("Reload");
      again.addEventListener("click", function () { window.location.reload(); });
      el.appendChild(document.createTextNode(" "));
      el.appendChild(again);
    }
    el.scrollIntoView({ block: "nearest" });
  }

  function post(url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { if (data[k] !== undefined && data[k] !== null) body.append(k, data[k]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, error: response.statusText, status: response.status }; });
    }).then(function (answer) {
      if (!answer.ok) {
        var conflict = answer.status === 409;
        showBanner((conflict ? tr("Conflict") : tr("Error")) + " (" + answer.status + "): " + answer.error,
                   conflict ? "conflict" : "error");
        document.body.dataset.lastError = String(answer.status);
        throw answer;
      }
      return answer;
    });
  }
  window.caseminerPost = post;

  function reload() { window.location.reload(); }

  // -- forms ----------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-action")) { return; }
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
    var data = {};
    new FormData(form).forEach(function (value, key) { data[key] = value; });
    // getAttribute: a field named "action" (keyword decisions) shadows form.action.
    post(form.getAttribute("action"), data).then(reload, function () {});
  });

  // -- colours (set through the CSSOM: the page has no inline styles) ---------------------
  function applyColors(root) {
    (root || document).querySelectorAll("[data-color]").forEach(function (el) {
      if (/^#[0-9A-Fa-f]{6}$/.test(el.dataset.color)) { el.style.setProperty("--c", el.dataset.color); }
    });
  }

  // -- sortable tables ----------------------------------------------------------------------
  function cellValue(row, index) {
    var text = (row.cells[index] ? row.cells[index].textContent : "").trim();
    var number = parseFloat(text.replace(/,/g, ""));
    return (text !== "" && !isNaN(number) && /^-?[\d.,eE+-]+$/.test(text)) ? number : text;
  }
  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      th.addEventListener("click", function () {
        var ascending = !th.classList.contains("sorted-asc");
        Array.prototype.forEach.call(headers, function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // -- keyword in context --------------------------------------------------------------------
  function showKwic(term) {
    fetch("/api/kwic?term=" + encodeURIComponent(term), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (!answer.ok) { showBanner(answer.error); return; }
        var panel = document.getElementById("kwic-panel");
        document.getElementById("kwic-term").textContent = term + " (" + answer.lines.length + (answer.truncated ? "+" : "") + ")";
        var table = document.getElementById("kwic-lines");
        table.textContent = "";
        answer.lines.forEach(function (line) {
          var row = table.insertRow();
          var link = document.createElement("a");
          link.href = "/cases/" + encodeURIComponent(line.case_id) + "?q=" + encodeURIComponent(term);
          link.textContent = line.case_id;
          row.insertCell().appendChild(link);
          var left = row.insertCell(); left.className = "left"; left.textContent = line.left;
          var mid = row.insertCell(); mid.className = "term"; mid.textContent = line.term;
          row.insertCell().textContent = line.right;
        });
        panel.classList.remove("hidden");
      });
  }

  // Why a discovered word has its weight: the sentences of `caseminer discover --explain`;
  // why a term is a case's keyword: those of `caseminer keywords --explain` (title: the button's label).
  function showExplain(word, url, title) {
    fetch(url || "/api/explain?word=" + encodeURIComponent(word), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (!answer.ok) { showBanner(answer.error); return; }
        if (title) { document.getElementById("explain-title").textContent = title; }
        document.getElementById("explain-word").textContent = word;
        var list = document.getElementById("explain-lines");
        list.textContent = "";
        answer.lines.forEach(function (line) {
          var item = document.createElement("li");
          item.textContent = line;
          list.appendChild(item);
        });
        document.getElementById("explain-panel").classList.remove("hidden");
      });
  }

  // -- the case reader: selection -> original offsets ----------------------------------------
  function codePoints(s) { return Array.from(s).length; }

  function segmentOf(node) {
    while (node && !(node.nodeType === 1 && node.hasAttribute && node.hasAttribute("data-o"))) { node = node.parentNode; }
    return node;
  }
  function segmentLength(seg) { return seg.hasAttribute("data-cr") ? 1 : codePoints(seg.textContent); }

  // The original offset of a DOM boundary point inside #casetext.
  function pointOffset(container, node, offset) {
    if (node.nodeType === 3) {
      var seg = segmentOf(node);
      if (!seg) { return null; }
      return parseInt(seg.dataset.o, 10) + codePoints(node.data.slice(0, offset));
    }
    var seg2 = segmentOf(node);
    if (seg2 && seg2 !== container) {  // inside a segment element: before/after its text
      return parseInt(seg2.dataset.o, 10) + (offset > 0 ? segmentLength(seg2) : 0);
    }
    var segs = container.querySelectorAll("[data-o]");
    if (!segs.length) { return 0; }
    var child = node.childNodes[offset];
    if (child) {
      var first = child.nodeType === 1 && child.hasAttribute("data-o") ? child : (child.querySelector ? child.querySelector("[data-o]") : null);
      if (first) { return parseInt(first.dataset.o, 10); }
    }
    var last = segs[segs.length - 1];
    return parseInt(last.dataset.o, 10) + segmentLength(last);
  }

  function currentSelection(container) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) { return null; }
    var start = pointOffset(container, range.startContainer, range.startOffset);
    var end = pointOffset(container, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { return null; }
    return { start: start, end: end, text: sel.toString() };
  }

  function setupReader() {
    var text = document.getElementById("casetext");
    if (!text) { return; }
    var chosen = null;
    var choice = document.getElementById("code-choice");
    try {  // keep the last code chosen, for coding several passages in a row
      var last = window.sessionStorage.getItem("caseminer-code");
      if (last && choice.querySelector('option[value="' + CSS.escape(last) + '"]')) { choice.value = last; }
      choice.addEventListener("change", function () { window.sessionStorage.setItem("caseminer-code", choice.value); });
    } catch (e) { /* storage disabled: no memory, no harm */ }
    var shown = document.getElementById("sel-text");
    var span = document.getElementById("sel-span");
    function update() {
      var s = currentSelection(text);
      if (!s) { return; }
      chosen = s;
      shown.textContent = s.text.length > 80 ? s.text.slice(0, 80) + "…" : s.text;
      span.textContent = s.start + ":" + s.end;
    }
    document.addEventListener("selectionchange", update);
    text.addEventListener("mouseup", update);
    document.getElementById("code-button").addEventListener("click", function () {
      var code = choice.value;
      if (!chosen) { showBanner(tr("Select a passage first.")); return; }
      if (!code) { showBanner(tr("Choose a code first.")); return; }
      post("/api/codings", { case_id: text.dataset.case, code_id: code, start: chosen.start, end: chosen.end })
        .then(reload, function () {});
    });
    document.getElementById("keyword-button").addEventListener("click", function () {
      if (!chosen) { showBanner(tr("Select a passage first.")); return; }
      post("/api/keywords/decide", { case_id: text.dataset.case, action: "add", start: chosen.start, end: chosen.end,
                                     seen: text.dataset.seen }).then(reload, function () {});
    });
  }

  // -- the codebook tree: drag and drop -------------------------------------------------------
  function setupTree() {
    var tree = document.getElementById("code-tree");
    if (!tree) { return; }
    var dragged = null;
    tree.addEventListener("dragstart", function (event) {
      var li = event.target.closest ? event.target.closest("li.code") : null;
      if (!li) { return; }
      dragged = li;
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.id);
    });
    document.addEventListener("dragend", function () {
      tree.querySelectorAll(".dragging").forEach(function (el) { el.classList.remove("dragging"); });
      dragged = null;
      document.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
    });
    function target(event) { return event.target.closest ? event.target.closest("[data-drop]") : null; }
    document.addEventListener("dragover", function (event) {
      var zone = target(event);
      if (!zone || !dragged) { return; }
      if (zone.dataset.drop === dragged.dataset.id || dragged.contains(zone)) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      document.querySelectorAll(".drop-target").forEach(function (el) { if (el !== zone) { el.classList.remove("drop-target"); } });
      zone.classList.add("drop-target");
    });
    document.addEventListener("drop", function (event) {
      var zone = target(event);
      if (!zone || !dragged) { return; }
      event.preventDefault();
      var id = dragged.dataset.id, version = dragged.dataset.version;
      zone.classList.remove("drop-target");
      post("/api/codes/" + encodeURIComponent(id) + "/move", { parent: zone.dataset.drop, version: version })
        .then(reload, function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyColors(document);
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll(".kwic-button").forEach(function (b) {
      b.addEventListener("click", function () { showKwic(b.dataset.term); });
    });
    document.querySelectorAll(".explain-button").forEach(function (b) {
      b.addEventListener("click", function () { showExplain(b.dataset.word, null, b.textContent); });
    });
    var whyNot = document.getElementById("why-not-form");
    if (whyNot) {
      // why a word is not in the list: `caseminer discover --explain WORD --trace`
      whyNot.addEventListener("submit", function (e) {
        e.preventDefault();
        var word = document.getElementById("why-not-word").value.trim();
        if (word) {
          showExplain(word, "/api/explain?trace=1&word=" + encodeURIComponent(word),
                      whyNot.querySelector("button").textContent);
        }
      });
    }
    document.querySelectorAll(".explain-keyword-button").forEach(function (b) {
      b.addEventListener("click", function () {
        showExplain(b.dataset.term, "/api/keyword-explain?case=" + encodeURIComponent(b.dataset.case) +
                    "&term=" + encodeURIComponent(b.dataset.term), b.textContent);
      });
    });
    setupReader();
    setupTree();
    watchAnalysis();
  });

  // -- the analysis started from the pipeline page: its stage, until it ends ----------------
  function watchAnalysis() {
    var box = document.getElementById("analysis");
    if (!box || box.dataset.state !== "running") { return; }
    var timer = window.setInterval(function () {
      fetch("/pipeline/run", { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          var stage = document.getElementById("analysis-stage");
          if (stage && state.stage_label) { stage.textContent = state.stage_label; }
          if (state.state !== "running") { window.clearInterval(timer); reload(); }
        }).catch(function () {});
    }, 2000);
  }
})();
