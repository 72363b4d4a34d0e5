"""The HTML report (issue 7): one self-contained file that opens offline.

No scripts, no external styles, fonts or images: CSS is inlined, figures are inline
SVG (sanitised, see :func:`sanitize_svg`) or base64 PNG data URIs, and every piece of
text from the project is escaped with :func:`html.escape`. The stdlib is enough here;
a template engine would not make the ~200 lines of markup clearer.

Tables use the three-line style of Chinese academic papers and carry bilingual
headers (中文 above, English below). Tables longer than :data:`LONG_TABLE_ROWS`
rows, and every table of a section with more than :data:`MANY_TABLES` tables (the
per-case new words over hundreds of cases), sit in closed ``<details>`` blocks.
"""

from __future__ import annotations

import base64
import html
import logging
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from .. import __version__
from ..errors import InvalidInput
from .model import (
    Figure,
    Quote,
    Report,
    Section,
    Table,
    check_png,
    check_report,
    format_datetime,
    format_value,
    is_number,
    output_file,
    plain,
    rendered_sections,
)

__all__ = ["LONG_TABLE_ROWS", "MANY_TABLES", "sanitize_svg", "write_html"]

log = logging.getLogger(__name__)

#: Tables with more rows than this are collapsed into a <details> block.
LONG_TABLE_ROWS = 30
#: A section with more tables than this has all of them collapsed.
MANY_TABLES = 6

_CSS = """
:root{--fg:#1b1b1b;--muted:#5c5c5c;--rule:#cfcfcf;--accent:#2b4c7e;--bg-soft:#f6f6f3}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","caseminer CJK",
sans-serif;color:var(--fg);background:#fff;max-width:62rem;margin:0 auto;
padding:2rem 1.5rem 4rem;line-height:1.75;font-size:16px}
header.report{border-bottom:2px solid var(--fg);margin-bottom:1.5rem}
h1{font-size:1.9rem;line-height:1.3;margin:0 0 .3rem}
.subtitle{font-size:1.15rem;color:var(--muted);margin:0 0 .4rem}
.meta{font-size:.85rem;color:var(--muted)}
h2{font-size:1.4rem;border-bottom:1px solid var(--rule);padding-bottom:.2rem;margin-top:2.6rem}
h2 .en,caption .en,figcaption .en,summary .en{color:var(--muted);font-weight:normal}
.secno{color:var(--accent);margin-right:.4rem}
nav.toc{background:var(--bg-soft);padding:.8rem 1.2rem;border-radius:4px}
nav.toc h2{margin-top:0;border:0;font-size:1.1rem}
nav.toc ol{margin:.2rem 0;padding-left:1.4rem}
nav.toc ol ol{font-size:.85rem}
a{color:var(--accent)}
.table-wrap{overflow-x:auto;margin:1rem 0 1.5rem}
table{border-collapse:collapse;font-size:.9rem;border-top:2px solid var(--fg);
border-bottom:2px solid var(--fg)}
caption{caption-side:top;text-align:left;font-weight:600;padding:.2rem 0 .4rem}
thead th{border-bottom:1px solid var(--fg);text-align:left;vertical-align:bottom;
font-weight:600;line-height:1.35}
thead th .en{display:block;font-size:.8rem}
th,td{padding:.25rem .7rem}
td{vertical-align:top;border-top:1px solid #eee}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{font-size:.85rem;color:var(--muted);margin:.3rem 0 0}
figure{margin:1.8rem 0;text-align:center}
figure svg,figure img{max-width:100%;height:auto}
figcaption{font-size:.9rem;margin-top:.4rem}
blockquote.quote{margin:1rem 0 1rem 1rem;padding:.4rem 1rem;border-left:3px solid var(--accent);
background:var(--bg-soft)}
blockquote.quote p{margin:.2rem 0;white-space:pre-line}
blockquote.quote .source{font-size:.82rem;color:var(--muted)}
details{margin:.8rem 0}
summary{cursor:pointer;font-weight:600}
footer.report{margin-top:3rem;font-size:.8rem;color:var(--muted);border-top:1px solid var(--rule)}
@media print{
body{max-width:none;padding:0;font-size:10.5pt}
nav.toc{break-after:page}
h2{break-after:avoid}
figure,blockquote,tr{break-inside:avoid}
.table-wrap{overflow:visible}
details::details-content{content-visibility:visible;display:contents}
a{color:inherit;text-decoration:none}
}
"""


def write_html(report: Report, path: str | Path) -> Path:
    """Write ``report`` as one self-contained HTML file and return its path.

    Args:
        report: the report to render (see :mod:`caseminer.report.model`).
        path: the file to write; missing folders are created, an existing file is
            replaced only once the new one is complete.

    Returns:
        ``Path(path)``.

    Raises:
        InvalidInput: the report is inconsistent (duplicate ids, a figure without
            its PNG file and SVG) or an SVG cannot be read.
        ExchangeError: the file cannot be written.

    Example:
        >>> write_html(report, "out/report.html")  # doctest: +SKIP
        PosixPath('out/report.html')
    """
    path = Path(path)
    check_report(report, path)
    text = _Renderer(report, path).render()
    # The Chinese glyphs the page uses, embedded: no installed font is assumed.
    from .fonts import embedded_font_css

    text = text.replace("<style>", f"<style>{embedded_font_css(text)}\n", 1)
    with output_file(path, "HTML report") as tmp:
        tmp.write_text(text, encoding="utf-8")
    log.info("wrote %s (%d bytes)", path, len(text.encode("utf-8")))
    return path


_NUM = ' class="num"'


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _e(value: Any) -> str:
    """Escaped text for element content and attribute values; control chars removed."""
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


def _attr_id(value: str) -> str:
    """An HTML id from a report id: keep it readable, replace anything odd."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", value)


class _Renderer:
    def __init__(self, report: Report, path: Path):
        self.report = report
        self.path = path
        self.sections = rendered_sections(report)
        self.table_no: dict[str, int] = {}
        self.figure_no: dict[str, int] = {}
        for section in self.sections:
            for table in section.tables:
                self.table_no[table.id] = len(self.table_no) + 1
            for figure in section.figures:
                self.figure_no[figure.id] = len(self.figure_no) + 1

    def render(self) -> str:
        r = self.report
        out = [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="caseminer {_e(__version__)}">',
            f"<title>{_e(r.title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            '<header class="report">',
            f"<h1>{_e(r.title)}</h1>",
        ]
        if r.subtitle:
            out.append(f'<p class="subtitle">{_e(r.subtitle)}</p>')
        out.append(
            f'<p class="meta">生成时间 Generated: {_e(format_datetime(r.generated_at))}'
            f" · caseminer {_e(__version__)}</p>"
        )
        out.append("</header>")
        out.append(self.toc())
        out.append("<main>")
        for number, section in enumerate(self.sections, 1):
            out.append(self.section(number, section))
        out.append("</main>")
        out.append(
            f'<footer class="report"><p>由 caseminer {_e(__version__)} 生成。'
            f"Generated by caseminer {_e(__version__)}.</p></footer>"
        )
        out.append("</body>\n</html>\n")
        return "\n".join(out)

    # -- table of contents
    def toc(self) -> str:
        items = []
        for number, section in enumerate(self.sections, 1):
            sub = [
                f'<li><a href="#table-{_e(_attr_id(t.id))}">表 {self.table_no[t.id]} '
                f"{_e(t.title_zh)}</a></li>"
                for t in section.tables
            ] + [
                f'<li><a href="#figure-{_e(_attr_id(f.id))}">图 {self.figure_no[f.id]} '
                f"{_e(f.caption_zh)}</a></li>"
                for f in section.figures
            ]
            nested = f"<ol>{''.join(sub)}</ol>" if sub and len(sub) <= MANY_TABLES else ""
            items.append(
                f'<li><a href="#{_e(_attr_id(section.id))}">{_e(section.title_zh)} '
                f'<span class="en">{_e(section.title_en)}</span></a>{nested}</li>'
            )
        return (
            '<nav class="toc" id="toc"><h2>目录 <span class="en">Contents</span></h2>'
            f"<ol>{''.join(items)}</ol></nav>"
        )

    # -- sections
    def section(self, number: int, section: Section) -> str:
        out = [
            f'<section id="{_e(_attr_id(section.id))}" data-section="{_e(section.id)}">',
            f'<h2><span class="secno">{number}</span>{_e(section.title_zh)} '
            f'<span class="en">{_e(section.title_en)}</span></h2>',
        ]
        out += [f"<p>{_e(p)}</p>" for p in section.paragraphs]
        collapse_all = len(section.tables) > MANY_TABLES
        for table in section.tables:
            out.append(self.table(table, collapse_all or len(table.rows) > LONG_TABLE_ROWS))
        for figure in section.figures:
            out.append(self.figure(figure))
        out += [self.quote(q) for q in section.quotes]
        out.append("</section>")
        return "\n".join(out)

    def table(self, table: Table, collapsed: bool) -> str:
        number = self.table_no[table.id]
        label = (f"表 {number} {_e(table.title_zh)}"
                 f'<span class="en"> / Table {number} {_e(table.title_en)}</span>')
        numeric = [
            any(is_number(plain(row.get(c.key))) for row in table.rows) for c in table.columns
        ]
        head = "".join(
            f'<th scope="col"{_NUM if num else ""}>{_e(c.zh)}'
            f'<span class="en">{_e(c.en)}</span></th>'
            for c, num in zip(table.columns, numeric, strict=True)
        )
        body = []
        for row in table.rows:
            cells = []
            for c in table.columns:
                value = row.get(c.key)
                cls = _NUM if is_number(plain(value)) else ""
                cells.append(f"<td{cls}>{_e(format_value(value, c))}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        markup = (
            f'<div class="table-wrap"><table id="table-{_e(_attr_id(table.id))}" '
            f'data-table="{_e(table.id)}"><caption>{label}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
        if table.note:
            markup += f'<p class="note">注 Note: {_e(table.note)}</p>'
        markup += "</div>"
        if collapsed:
            return (
                f"<details><summary>{label} "
                f'<span class="en">({len(table.rows)} 行 rows)</span></summary>{markup}</details>'
            )
        return markup

    def figure(self, figure: Figure) -> str:
        number = self.figure_no[figure.id]
        fid = _attr_id(figure.id)
        caption = (f"图 {number} {_e(figure.caption_zh)}"
                   f'<span class="en"> / Figure {number} {_e(figure.caption_en)}</span>')
        label = f"{figure.caption_zh} / {figure.caption_en}"
        if figure.svg is not None and Path(figure.svg).is_file():
            try:
                svg_text = Path(figure.svg).read_bytes()
                body = sanitize_svg(svg_text, id_prefix=f"{fid}-", label=label)
            except ValueError as exc:
                raise _bad(self.path, f"the SVG file {figure.svg} of figure {figure.id!r} "
                           f"cannot be read ({exc})",
                           "Draw the figure again, or give only its PNG file.") from exc
        else:
            if figure.svg is not None:
                raise _bad(self.path, f"the figure {figure.id!r} names an SVG file "
                           f"{figure.svg} that does not exist",
                           "Draw the figure again, or set its svg to None to use the PNG.")
            png = check_png(figure, self.path)
            data = png.read_bytes()
            if not data.startswith(b"\x89PNG\r\n\x1a\n"):
                raise _bad(self.path, f"the file {png} of figure {figure.id!r} is not a PNG",
                           "Save the figure as PNG.")
            b64 = base64.b64encode(data).decode("ascii")
            body = f'<img src="data:image/png;base64,{b64}" alt="{_e(label)}">'
        return (f'<figure id="figure-{_e(fid)}" data-figure="{_e(figure.id)}">{body}'
                f"<figcaption>{caption}</figcaption></figure>")

    @staticmethod
    def quote(quote: Quote) -> str:
        source = " · ".join(
            part for part in (
                f"案例 Case {_e(quote.case_id)}",
                _e(quote.province) if quote.province else "",
                f"编码 Code {_e(quote.code)}" if quote.code else "",
                f"字符 chars {_e(quote.start)}–{_e(quote.end)}",
            ) if part
        )
        return (f'<blockquote class="quote" data-case="{_e(quote.case_id)}">'
                f"<p>{_e(quote.text)}</p>"
                f'<p class="source">{source}</p></blockquote>')


def _bad(path: Path, what: str, fix: str) -> InvalidInput:
    return InvalidInput.from_catalogue("E501", path=path, what=what, fix=fix)


# ------------------------------------------------------------------ SVG sanitising

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"

# Elements kept (with their children); everything else, including script,
# foreignObject, metadata, animation elements (which can rewrite href) and any
# element outside the SVG namespace, is dropped with its subtree.
_SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "clipPath", "mask", "pattern",
    "linearGradient", "radialGradient", "stop", "image", "style", "title", "desc",
    "marker", "filter", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feFlood", "feGaussianBlur", "feMerge", "feMergeNode", "feOffset",
    "feFuncA", "feFuncR", "feFuncG", "feFuncB",
}
_SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_URL_REF = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DANGEROUS = re.compile(r"javascript:|vbscript:|expression\s*\(|@import|behavior\s*:", re.I)


def sanitize_svg(svg: str | bytes, *, id_prefix: str = "", label: str = "") -> str:
    """Return SVG markup that is safe and self-contained to inline in HTML.

    Parses with defusedxml (no entity expansion, no network), then re-serialises
    only SVG elements from an allow-list. Drops ``<script>``, ``<foreignObject>``,
    ``<metadata>``, animation elements, every ``on*`` attribute, ``<a>`` wrappers
    (their content is kept), and every link or
    ``url(...)`` that does not point inside the figure (``#id``) or to an inline
    raster image (``data:image/png|jpeg|gif|webp;base64``). Prefixes every id (and
    the references to it) with ``id_prefix`` so that several figures can share one
    page, gives the ``<svg>`` the id ``<id_prefix>svg`` and limits its ``<style>``
    rules to it (a style sheet in inline SVG would otherwise apply to the whole page).
    Namespace declarations are dropped (HTML5 knows ``svg`` and ``xlink:href``).

    Args:
        svg: the SVG document (text or bytes).
        id_prefix: prepended to every id, e.g. ``"heatmap-"``.
        label: the accessible name (``aria-label``) of the figure.

    Raises:
        ValueError: the text is not well-formed SVG.

    Example:
        >>> sanitize_svg('<svg xmlns="http://www.w3.org/2000/svg" onload="x()">'
        ...              '<script>x()</script><rect id="a" width="1"/></svg>', id_prefix="f-")
        '<svg id="f-svg" role="img"><rect id="f-a" width="1" /></svg>'
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    if _local(root.tag) != "svg" or _namespace(root.tag) not in ("", _SVG_NS):
        raise ValueError(f"the root element is <{_local(root.tag)}>, not <svg>")
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    out: list[str] = []
    scope = f"{id_prefix}svg"
    while scope in ids:
        scope = "_" + scope
    _serialise(root, out, ids, id_prefix, root_label=label, scope=scope)
    return "".join(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _rewrite_urls(value: str, ids: set[str | None], prefix: str) -> str | None:
    """Prefix ``url(#id)`` references; None if the value refers to anything outside."""
    ok = True

    def repl(match: re.Match[str]) -> str:
        nonlocal ok
        target = match.group(2).strip()
        if target.startswith("#"):
            name = target[1:]
            return f"url(#{prefix}{name})" if name in ids else match.group(0)
        ok = False
        return ""

    value = _URL_REF.sub(repl, value)
    if not ok or _DANGEROUS.search(value):
        return None
    return value


def _scope_css(css: str, scope: str) -> str | None:
    """Limit a style sheet to one figure: a <style> inside inline SVG applies to the
    whole page, so ``*{...}`` becomes ``#scope *{...}``. Only plain rules are kept;
    a sheet with at-rules or anything unparsable is dropped (None)."""
    rules = []
    rest = _CSS_RULE.sub(lambda m: rules.append((m.group(1), m.group(2))) or "", css)
    if rest.strip() or "@" in css or "<" in css:
        return None
    return "".join(
        ",".join(f"#{scope} {sel.strip()}" for sel in selectors.split(",")) + "{" + body + "}"
        for selectors, body in rules
    )


def _serialise(el: Element, out: list[str], ids: set[str | None], prefix: str,
               root_label: str | None = None, scope: str = "") -> None:
    if not isinstance(el.tag, str):  # comments and processing instructions
        return
    if _namespace(el.tag) not in ("", _SVG_NS):
        return
    name = _local(el.tag)
    if name == "a":  # links are unwrapped: the content stays, the link goes
        _serialise_content(el, out, ids, prefix, scope)
        return
    if name not in _SVG_ELEMENTS:
        return
    if name == "style":
        css = _rewrite_urls(el.text or "", ids, prefix)
        css = _scope_css(css, scope) if css is not None and scope else None
        if css:
            out.append(f"<style>{html.escape(css, quote=False)}</style>")
        return
    attrs: list[tuple[str, str]] = []
    for key, value in el.attrib.items():
        ns, local = _namespace(key), _local(key)
        if local.lower().startswith("on"):
            continue
        if ns == _XLINK_NS and local == "href" or ns == "" and local == "href":
            target = value.strip()
            if target.startswith("#"):
                name_ = target[1:]
                value = f"#{prefix}{name_}" if name_ in ids else target
            elif not _SAFE_DATA_URI.match(target):
                continue
            attrs.append(("xlink:href" if ns else "href", value))
            continue
        if ns == _XML_NS and local == "space":
            attrs.append(("xml:space", value))
            continue
        if ns:  # other namespaced attributes (inkscape:, sodipodi:, ...)
            continue
        if local == "id":
            attrs.append(("id", f"{prefix}{value}"))
            continue
        rewritten = _rewrite_urls(value, ids, prefix)
        if rewritten is None:
            continue
        attrs.append((local, rewritten))
    if root_label is not None:  # the <svg> element itself
        attrs = [(k, v) for k, v in attrs if k not in ("id", "role", "aria-label")]
        attrs.insert(0, ("id", scope))
        attrs.append(("role", "img"))
        if root_label:
            attrs.append(("aria-label", root_label))
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    children = [c for c in el if isinstance(c.tag, str)]
    if not children and not (el.text or "").strip():
        out.append(f"<{name}{rendered} />")
    else:
        out.append(f"<{name}{rendered}>")
        _serialise_content(el, out, ids, prefix, scope)
        out.append(f"</{name}>")


def _serialise_content(el: Element, out: list[str], ids: set[str | None], prefix: str, scope: str) -> None:
    """The text and children of ``el`` (each child followed by its tail text)."""
    if el.text:
        out.append(html.escape(el.text, quote=False))
    for child in el:
        _serialise(child, out, ids, prefix, scope=scope)
        if child.tail:
            out.append(html.escape(child.tail, quote=False))
