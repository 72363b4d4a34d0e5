"""Figures for the statistics (issue 5): PNG at 300 dpi and SVG, Chinese labels included.

Chinese labels must render on a fresh machine with nothing but ``pip install``:
no system font is assumed. The CJK font comes from the PyPI package
``pylopdf-fonts-zh-cn``, which ships Noto Sans SC (SIL Open Font License 1.1,
simplified Chinese, one 8 MB OpenType file; a 17 MB wheel against mplfonts'
107 MB). :func:`cjk_font` registers it with matplotlib's font manager. If it is
not installed, drawing fails with :class:`BackendMissing` and the pip command,
never silently with tofu boxes. Any other font file can be given with ``font=``.

Every figure function writes ``<path_stem>.png`` (300 dpi) and
``<path_stem>.svg`` and returns both paths. Output is deterministic: the Agg
backend, fixed layout seeds, a fixed SVG hash salt and no creation date in the
metadata, so the same input gives byte-identical files. SVG text is drawn as
paths, so the SVG needs no font on the viewer's machine either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, NamedTuple

import numpy as np

from ..errors import BackendMissing, InvalidInput, InvalidSetting
from .network_layout import packed_layout, place_labels

__all__ = [
    "FONT_PACKAGE",
    "FigurePaths",
    "cjk_font",
    "plot_group_comparison",
    "plot_heatmap",
    "plot_network",
    "plot_top_terms",
    "plot_trend",
]

#: The PyPI package that ships the default CJK font.
FONT_PACKAGE = "pylopdf-fonts-zh-cn"

_registered: dict[str, str] = {}


class FigurePaths(NamedTuple):
    png: Path
    svg: Path


def _matplotlib():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise BackendMissing(
            "Drawing figures needs the package 'matplotlib', which is not installed. "
            "Install it with: pip install matplotlib"
        ) from exc
    return matplotlib


def _default_font_file() -> Path:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as exc:
        raise BackendMissing(
            f"Chinese labels in figures need the font package {FONT_PACKAGE!r}, which is "
            f"not installed. Install it with: pip install {FONT_PACKAGE} "
            "(or pass font='path/to/a/CJK/font.otf')."
        ) from exc
    return Path(pylopdf_fonts_zh_cn.sans_path())


def _font_file(font: str | Path | None) -> Path:
    return Path(font) if font is not None else _default_font_file()


_charmaps: dict[str, frozenset[int]] = {}


def _charmap(path: Path) -> frozenset[int]:
    key = str(path)
    if key not in _charmaps:
        from matplotlib.ft2font import FT2Font

        _charmaps[key] = frozenset(FT2Font(key).get_charmap())
    return _charmaps[key]


def _check_glyphs(texts: Iterable[str], font: str | Path | None) -> None:
    """Refuse to draw labels the fonts cannot render (no silent tofu boxes).

    Matplotlib only warns about a missing glyph and draws a box; a report figure
    with boxes for a Tibetan or Uyghur place name would mislead, so this fails
    first and names the characters.
    """
    import matplotlib

    path = _font_file(font)
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    covered = _charmap(path) | _charmap(dejavu)
    missing: dict[str, str] = {}
    for text in texts:
        for ch in str(text):
            if ch.isprintable() and not ch.isspace() and ord(ch) not in covered:
                missing.setdefault(ch, str(text))
    if missing:
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X}) in {t!r}" for ch, t in
                          list(missing.items())[:5])
        raise InvalidInput(
            f"The figure font {cjk_font(font)!r} ({path}) cannot draw "
            f"{len(missing)} character(s) of the labels: {shown}. Pass font= a font "
            "file that covers them, or rename the term or group."
        )


def cjk_font(font: str | Path | None = None) -> str:
    """Register a CJK font with matplotlib and return its family name.

    Args:
        font: a ``.otf``/``.ttf`` file; None uses Noto Sans SC from the
            ``pylopdf-fonts-zh-cn`` package.

    Raises:
        BackendMissing: the font package is not installed (with the pip command).
        InvalidInput: ``font`` is not a readable font file.

    Example:
        >>> cjk_font()
        'Noto Sans SC'
    """
    path = _font_file(font)
    key = str(path)
    if key in _registered:
        return _registered[key]
    _matplotlib()
    from matplotlib import font_manager

    if not path.is_file():
        raise InvalidInput(
            f"{path}: the font file does not exist. Give the path of a .otf or .ttf "
            f"font with Chinese glyphs, or install {FONT_PACKAGE}."
        )
    try:
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInput(
            f"{path}: cannot read the font ({exc}). Give a .otf or .ttf font file."
        ) from exc
    _registered[key] = name
    return name


@contextmanager
def _style(font: str | Path | None, texts: Iterable[str] = ()):
    """Apply the figure style (CJK font first, deterministic SVG) to this figure only.

    ``texts`` are the labels to be drawn; they are checked for glyph coverage.
    """
    mpl = _matplotlib()
    family = cjk_font(font)
    _check_glyphs(texts, font)
    rc = {
        "font.family": "sans-serif",
        # DejaVu Sans stays as a per-glyph fallback for symbols the CJK font lacks.
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "caseminer",
        "svg.fonttype": "path",
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with mpl.rc_context(rc):
        yield


def _figure(figsize: tuple[float, float]):
    # A bare Figure (no pyplot): no global figure registry to leak into, no GUI
    # backend chosen behind the caller's back; savefig renders with Agg.
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def _save(fig, path_stem: str | Path) -> FigurePaths:
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    png = stem.with_name(stem.name + ".png")
    svg = stem.with_name(stem.name + ".svg")
    fig.savefig(png, dpi=300, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return FigurePaths(png, svg)


def _need(items: Sequence[Any], what: str) -> None:
    if len(items) == 0:
        raise InvalidInput(f"Nothing to plot: {what} is empty. Run the statistics first.")


def plot_top_terms(
    freq_rows: Iterable[Sequence[Any]],
    path_stem: str | Path,
    *,
    top: int = 30,
    title: str | None = "Top keywords by number of cases",
    font: str | Path | None = None,
) -> FigurePaths:
    """Horizontal bar chart of the ``top`` terms by case frequency.

    Args:
        freq_rows: ``(term, n_cases, ...)`` rows, e.g. from ``case_frequency``
            (re-sorted here by n_cases, then term).
        path_stem: output path without suffix.
    """
    rows = sorted(((str(r[0]), int(r[1])) for r in freq_rows), key=lambda r: (-r[1], r[0]))
    rows = rows[:top]
    _need(rows, "the case-frequency list")
    with _style(font, [t for t, _ in rows] + [title or ""]):
        fig = _figure((6.0, 0.8 + 0.26 * len(rows)))
        ax = fig.subplots()
        labels = [t for t, _ in rows][::-1]
        values = [n for _, n in rows][::-1]
        bars = ax.barh(range(len(rows)), values, color="#3b6ea5")
        ax.set_yticks(range(len(rows)), labels)
        ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_xlabel("Number of cases")
        ax.margins(x=0.08)
        if title:
            ax.set_title(title)
        return _save(fig, path_stem)


def _top_rows(table, top: int | None, terms: Sequence[str] | None, columns: Sequence[int] | None = None) -> list[int]:
    """The rows to draw: ``terms`` as given, else the ``top`` terms by their total over
    ``columns`` (all groups if None; a term in none of the columns given is left out)."""
    if terms is not None:
        where = {t: i for i, t in enumerate(table.terms)}
        unknown = [t for t in terms if t not in where]
        if unknown:
            raise InvalidInput(
                f"{len(unknown)} term(s) are not in the table: "
                f"{', '.join(map(repr, unknown[:5]))}. Check the spelling."
            )
        return [where[t] for t in terms]
    values = np.asarray(table.values)
    totals = (values if columns is None else values[:, list(columns)]).sum(axis=1)
    kept = range(len(table.terms)) if columns is None else np.flatnonzero(totals).tolist()
    order = sorted(kept, key=lambda i: (-int(totals[i]), table.terms[i]))
    return order if top is None else order[:top]


def plot_heatmap(
    cross_table,
    path_stem: str | Path,
    *,
    value: str = "share",
    top: int | None = 30,
    terms: Sequence[str] | None = None,
    title: str | None = None,
    font: str | Path | None = None,
) -> FigurePaths:
    """Term x group heatmap of a ``CrossTable`` (e.g. keyword x province).

    Args:
        value: ``"share"`` (share of the group's cases with the term: comparable
            across groups of different size) or ``"count"``.
        top: the most frequent terms to show (None: all); ignored if ``terms``.
        terms: the terms to show, in this order.

    Cells are annotated with the case count when the table is small enough to
    read (at most 40 x 40); an empty cell is left blank (a column of 0s hides the
    few counts a sparse table has). Column labels carry the group size n.
    """
    if value not in ("share", "count"):
        raise InvalidSetting(
            f"The 'value' setting of plot_heatmap must be one of 'share', 'count'. "
            f"Got {value!r} instead."
        )
    rows = _top_rows(cross_table, top, terms)
    _need(rows, "the term x group table")
    _need(cross_table.groups, "the list of groups")
    counts = cross_table.values[rows]
    data = cross_table.shares()[rows] if value == "share" else counts.astype(float)
    n_rows, n_cols = data.shape
    labels = [cross_table.terms[i] for i in rows] + list(cross_table.groups) + [title or ""]
    with _style(font, labels):
        fig = _figure((min(2.0 + 0.42 * n_cols, 24.0), min(1.6 + 0.3 * n_rows, 30.0)))
        ax = fig.subplots()
        im = ax.imshow(data, aspect="auto", cmap="Blues", interpolation="nearest",
                       vmin=0.0, vmax=max(float(data.max()), 1e-9))
        ax.set_xticks(range(n_cols),
                      [f"{g}\n(n={s})" for g, s in zip(cross_table.groups,
                                                      cross_table.group_sizes)],
                      rotation=90, fontsize=8)
        ax.set_yticks(range(n_rows), [cross_table.terms[i] for i in rows], fontsize=8)
        ax.spines[:].set_visible(False)
        if n_rows <= 40 and n_cols <= 40:
            threshold = 0.6 * float(data.max())
            for i, j in zip(*np.nonzero(counts)):
                ax.text(j, i, str(int(counts[i, j])), ha="center", va="center", fontsize=6,
                        color="white" if data[i, j] > threshold else "#333333")
        cbar = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cbar.set_label("Share of the group's cases" if value == "share" else "Cases")
        if title:
            ax.set_title(title)
        return _save(fig, path_stem)


def plot_group_comparison(
    cross_table,
    path_stem: str | Path,
    *,
    top: int = 12,
    terms: Sequence[str] | None = None,
    ncols: int = 4,
    title: str | None = None,
    font: str | Path | None = None,
) -> FigurePaths:
    """Map-free comparison of groups: one small dot plot per term.

    Each panel shows, for one term, the share of each group's cases containing
    it (same group order and same x scale in every panel), with a dashed line
    at the overall share. Group labels carry the group size, so a share of 1.0
    from a group of 2 cases is seen for what it is.
    """
    rows = _top_rows(cross_table, top, terms)
    _need(rows, "the term x group table")
    groups = cross_table.groups
    _need(groups, "the list of groups")
    shares = cross_table.shares()
    sizes = np.asarray(cross_table.group_sizes, dtype=float)
    n_all = float(sizes.sum())
    xmax = max(float(shares[rows].max()), 0.05) * 1.08
    labels = [f"{g} (n={int(s)})" for g, s in zip(groups, sizes)]
    y = np.arange(len(groups))[::-1]

    def draw(ax, i: int) -> None:
        overall = float(cross_table.values[i].sum()) / n_all if n_all else 0.0
        ax.hlines(y, 0, shares[i], color="#c9d6e8", linewidth=1)
        ax.plot(shares[i], y, "o", color="#3b6ea5", markersize=3.5)
        ax.axvline(overall, color="#aa3333", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, xmax)
        ax.set_title(cross_table.terms[i], fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_yticks(y, labels, fontsize=7)

    return _panels(rows, path_stem, draw, texts=labels + [cross_table.terms[i] for i in rows], ncols=ncols,
                   size=lambda cols, nrows: (2.6 * cols + 1.2, (0.6 + 0.17 * len(groups)) * nrows + 0.6),
                   sharey=True, xlabel="Share of the group's cases (dashed: all cases)", title=title, font=font)


def plot_trend(
    cross_table,
    path_stem: str | Path,
    *,
    top: int = 12,
    terms: Sequence[str] | None = None,
    ncols: int = 4,
    title: str | None = None,
    font: str | Path | None = None,
) -> FigurePaths:
    """Terms along an ordered attribute (years): one small bar chart per term, the share of
    each year's cases holding it, on one time axis and one scale in every panel.

    Years are placed by their value, so a gap in the years is a gap on the axis. The
    ``(missing)`` group is left out; groups that are not all numbers are an error (see
    :func:`caseminer.analysis.trend.ordered_groups`).
    """
    from ..analysis.trend import ordered_groups

    positions = ordered_groups(cross_table)
    if not positions:
        raise InvalidInput("Nothing to plot along an order: the groups are not numbers (years), or fewer than "
                           "two. Compare by an attribute of years (--by year).")
    rows = _top_rows(cross_table, top, terms, columns=positions)  # not the terms only cases without a year hold
    _need(rows, "the term x group table")
    x = np.array([float(cross_table.groups[j]) for j in positions])
    shares = cross_table.shares()[:, positions]
    width = 0.8 * (float(np.min(np.diff(x))) if len(x) > 1 else 1.0)

    def draw(ax, i: int) -> None:
        ax.bar(x, shares[i], width=width, color="#3b6ea5")
        ax.set_ylim(0, 1.0)
        ax.set_title(cross_table.terms[i], fontsize=10)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)

    return _panels(rows, path_stem, draw, texts=[cross_table.terms[i] for i in rows], ncols=ncols,
                   size=lambda cols, nrows: (2.8 * cols + 0.8, 1.7 * nrows + 0.6), sharex=True, sharey=True,
                   ylabel="Share of the group's cases", title=title, font=font)


def _panels(rows: list[int], path_stem: str | Path, draw: Callable[[Any, int], None], *, texts: list[str],
            ncols: int, size: Callable[[int, int], tuple[float, float]], sharex: bool = False, sharey: bool = False,
            xlabel: str | None = None, ylabel: str | None = None, title: str | None, font) -> FigurePaths:
    """Small multiples: one panel per row of ``rows`` (``draw(ax, row)``), ``ncols`` to a
    line, the figure ``size(ncols, nrows)`` inches plus room for the title, one axis label
    for all panels; the group comparison and the trend figure."""
    ncols = max(1, min(ncols, len(rows)))
    nrows = math.ceil(len(rows) / ncols)
    with _style(font, texts + [title or ""]):
        title_room = 0.45 if title else 0.0  # inches: tight_layout leaves the suptitle out
        width, height = size(ncols, nrows)
        fig = _figure((width, height + title_room))
        axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k < len(rows):
                draw(ax, rows[k])
            else:
                ax.set_visible(False)
        if xlabel:
            fig.supxlabel(xlabel, fontsize=9)
        if ylabel:
            fig.supylabel(ylabel, fontsize=9)
        if title:
            fig.suptitle(title)
        fig.tight_layout(rect=(0, 0, 1, 1 - title_room / fig.get_figheight()))
        return _save(fig, path_stem)


def plot_network(
    pairs: Iterable[Sequence[Any]],
    node_freq: Mapping[str, int] | Iterable[Sequence[Any]],
    path_stem: str | Path,
    *,
    weight: str = "count",
    top_edges: int = 80,
    seed: int = 7,
    title: str | None = None,
    font: str | Path | None = None,
) -> FigurePaths:
    """Co-occurrence network: terms as nodes (size = case frequency), pairs as edges.

    Args:
        pairs: ``Pair`` rows from ``cooccurrence``.
        node_freq: ``{term: n_cases}`` or ``case_frequency`` rows.
        weight: the pair measure for edge width and edge selection:
            ``count``, ``jaccard``, ``pmi`` or ``npmi``.
        top_edges: draw the strongest edges only (a hairball helps nobody).
        seed: the seed of the layout's spring start (:mod:`.network_layout`: each
            component by Kamada-Kawai, packed under the largest; labels placed clear of
            each other); the same seed gives the same figure.
    """
    fields = ("count", "jaccard", "pmi", "npmi")
    if weight not in fields:
        raise InvalidSetting(
            f"The 'weight' setting of plot_network must be one of "
            f"{', '.join(map(repr, fields))}. Got {weight!r} instead."
        )
    w_at = 2 + fields.index(weight)
    chosen = sorted(pairs, key=lambda p: (-float(p[w_at]), p[0], p[1]))[:top_edges]
    _need(chosen, "the list of co-occurring pairs")
    sizes = (
        {str(k): int(v) for k, v in node_freq.items()}
        if isinstance(node_freq, Mapping)
        else {str(r[0]): int(r[1]) for r in node_freq}
    )
    nodes = sorted({p[0] for p in chosen} | {p[1] for p in chosen},
                   key=lambda t: (-sizes.get(t, 0), t))
    edges = [(p[0], p[1], max(float(p[w_at]), 1e-6)) for p in chosen]
    pos = packed_layout(nodes, edges, seed)
    w = np.array([e[2] for e in edges])
    widths = 0.4 + 3.0 * (w - w.min()) / (np.ptp(w) or 1.0)
    f = np.array([sizes.get(n, 1) for n in nodes], dtype=float)
    node_area = 40 + 600 * (f - f.min()) / (np.ptp(f) or 1.0)
    xy = np.array([pos[n] for n in nodes])
    span_x, span_y = np.ptp(xy[:, 0]) or 1.0, np.ptp(xy[:, 1]) or 1.0
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with _style(font, nodes + [title or ""]):
        # as tall as the packed components need at 8 inches wide, one unit as long both ways
        fig = _figure((8.0, min(12.0, max(4.0, 8.0 * span_y / span_x + 1.0))))
        ax = fig.subplots()
        for (a, b, _), lw in zip(edges, widths):
            ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#8aa4c8",
                    linewidth=lw, alpha=0.7, zorder=1)
        ax.scatter(xy[:, 0], xy[:, 1], s=node_area, color="#3b6ea5", alpha=0.85, zorder=2)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        ax.margins(0.08)
        if title:
            ax.set_title(title)
        radii = [math.sqrt(area) / 2 for area in node_area]  # scatter sizes are points²
        labels = [ax.annotate(n, (x, yy), xytext=(0, r + 2), textcoords="offset points", ha="center",
                              va="bottom", fontsize=8, zorder=3) for n, (x, yy), r in zip(nodes, xy, radii)]
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # the axes' final limits, so that the labels' places can be measured
        pixels = fig.dpi / 72
        markers = [(*ax.transData.transform((x, yy)), r * pixels) for (x, yy), r in zip(xy, radii)]
        place_labels(labels, radii, markers, canvas.get_renderer())
        return _save(fig, path_stem)
