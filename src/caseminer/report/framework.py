"""The framework figure (the selective codes and their roles, drawn from the
codebook) and the saturation figure, with Chinese labels."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from .figures import FigurePaths, _figure, _need, _save, _style


def framework_figure(framework_rows: Sequence[dict], path_stem: str | Path, *, title: str | None = "分析框架 Framework",
                     font: str | Path | None = None) -> FigurePaths:
    """The selective codes as a ring around the study's centre, each box with its
    role, name, axial codes and case count (the study's "six-in-one" figure).

    ``framework_rows`` come from :func:`caseminer.coding.framework.framework`.
    """
    rows = list(framework_rows)
    _need(rows, "the codebook's selective codes")
    from matplotlib.patches import FancyBboxPatch

    n = len(rows)
    with _style(font):
        fig = _figure((9.0, 8.0))
        ax = fig.add_subplot(1, 1, 1)
        ax.set_xlim(-1.8, 1.8)
        ax.set_ylim(-1.5, 1.5)
        ax.set_aspect("equal")
        ax.axis("off")
        centre = FancyBboxPatch((-0.34, -0.14), 0.68, 0.28, boxstyle="round,pad=0.02", fc="#F4F6F7", ec="#34495E",
                                lw=1.5, zorder=2)
        ax.add_patch(centre)
        ax.text(0, 0.02, f"{n} 个核心范畴", ha="center", va="center", fontsize=12, zorder=3)
        ax.text(0, -0.07, f"{n} selective codes", ha="center", va="center", fontsize=8, color="#555", zorder=3)
        for i, row in enumerate(rows):
            angle = math.pi / 2 - 2 * math.pi * i / n
            x, y = 1.25 * math.cos(angle), 1.12 * math.sin(angle)
            colour = row.get("color") or "#5D6D7E"
            ax.plot([0, x], [0, y], color=colour, lw=1.4, zorder=0)
            box = FancyBboxPatch((x - 0.5, y - 0.26), 1.0, 0.52, boxstyle="round,pad=0.02", fc="white", ec=colour,
                                 lw=2.0, zorder=2)
            ax.add_patch(box)
            role = row.get("role") or ""
            ax.text(x, y + 0.17, f"{role}" if role else "", ha="center", va="center", fontsize=9, color=colour, zorder=3)
            ax.text(x, y + 0.05, row["code"], ha="center", va="center", fontsize=12, zorder=3)
            axial = row.get("axial") or []
            lines = [" · ".join(axial[k:k + 2]) for k in range(0, min(len(axial), 4), 2)]
            if len(axial) > 4:
                lines[-1] += " …"
            ax.text(x, y - 0.12, "\n".join(lines), ha="center", va="center", fontsize=6.5, color="#333",
                    linespacing=1.3, zorder=3)
            if row.get("cases"):
                ax.text(x + 0.46, y - 0.23, f"n={row['cases']}", ha="right", va="bottom", fontsize=7, color="#777", zorder=3)
        if title:
            ax.set_title(title, fontsize=13)
        return _save(fig, path_stem)


def saturation_figure(saturation: dict, path_stem: str | Path, *, font: str | Path | None = None) -> FigurePaths:
    """Cumulative number of codes as cases are added: the given order, and the mean
    and range over random orders; the held-back check in the caption."""
    rows = saturation["curve"]
    _need(rows, "the saturation curve")
    steps = [r["step"] for r in rows]
    with _style(font):
        fig = _figure((6.4, 4.0))
        ax = fig.add_subplot(1, 1, 1)
        ax.fill_between(steps, [r["min_cumulative_random"] for r in rows], [r["max_cumulative_random"] for r in rows],
                        color="#AED6F1", alpha=0.6, label="随机顺序范围 random orders (range)")
        ax.plot(steps, [r["mean_cumulative_random"] for r in rows], color="#2471A3", lw=1.5,
                label="随机顺序均值 random orders (mean)")
        ax.plot(steps, [r["cumulative"] for r in rows], color="#C0392B", lw=1.8, label="导入顺序 given order")
        new = [r["new_codes"] for r in rows]
        ax.bar(steps, new, color="#F5B041", alpha=0.7, label="新增编码 new codes")
        ax.set_xlabel("案例数 cases coded")
        ax.set_ylabel(f"{saturation['level']} 编码数 codes")
        held = saturation["heldback"]
        verdict = "饱和 saturated" if held["saturated"] else "未饱和 not saturated"
        ax.set_title(f"理论饱和度 Saturation: 预留检验 held-back {len(held['cases'])} 案例, "
                     f"新编码 {len(held['new_codes'])} ({verdict})", fontsize=9)
        ax.legend(fontsize=7, frameon=False, loc="lower right")
        return _save(fig, path_stem)
