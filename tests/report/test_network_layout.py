"""The co-occurrence network's layout: components apart, labels clear of each other."""

from __future__ import annotations

import itertools

from caseminer.report.network_layout import packed_layout, place_labels

# A network shaped like one of thousands of news stories: a core of the commonest keywords,
# every strong pair among them, and pairs and a triangle of their own.
CORE = ["精准扶贫", "乡村振兴", "特色产业", "易地扶贫搬迁", "乡村旅游", "产业扶贫", "一带一路", "扶贫车间"]
EDGES = ([(a, b, 30.0 - i) for i, (a, b) in enumerate(itertools.combinations(CORE, 2))]
         + [(CORE[i], f"术语{i}", 3.0) for i in range(len(CORE))]
         + [("健康扶贫", "健康扶贫工程", 12.0), ("农村公路", "四好农村路", 9.0), ("减贫", "消除贫困", 8.0),
            ("纪检监察机关", "专项治理", 7.0), ("专项治理", "作风建设", 6.0), ("作风建设", "纪检监察机关", 5.0)])
NODES = sorted({n for a, b, _ in EDGES for n in (a, b)})


def _boxes(pos, components):
    boxes = []
    for members in components:
        xs = [pos[n][0] for n in members]
        ys = [pos[n][1] for n in members]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def test_components_are_laid_out_apart_the_largest_on_top():
    pos = packed_layout(NODES, EDGES, seed=7)
    assert set(pos) == set(NODES)
    core = CORE + [f"术语{i}" for i in range(len(CORE))]
    others = [["健康扶贫", "健康扶贫工程"], ["农村公路", "四好农村路"], ["减贫", "消除贫困"],
              ["纪检监察机关", "专项治理", "作风建设"]]
    boxes = _boxes(pos, [core] + others)
    assert all(box[3] < boxes[0][1] for box in boxes[1:])  # every other component under the core
    for a, b in itertools.combinations(boxes, 2):  # no two components share room
        assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
    # the core's nodes are spread over its box, not drawn onto each other
    core_xy = [pos[n] for n in CORE]
    nearest = min(((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 for (x1, y1), (x2, y2) in itertools.combinations(core_xy, 2))
    assert nearest > 0.05 * (boxes[0][2] - boxes[0][0])
    assert packed_layout(NODES, EDGES, seed=7) == pos  # the same network, the same figure


def test_labels_go_where_they_overlap_no_other_label():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from caseminer.report.figures import cjk_font

    # three nodes in a row, close together: above each one the labels would overlap
    fig = Figure(figsize=(4, 4))
    canvas = FigureCanvasAgg(fig)
    ax = fig.subplots()
    xy = [(0.0, 0.0), (0.06, 0.0), (0.12, 0.0), (0.06, 0.5)]
    ax.scatter([x for x, _ in xy], [y for _, y in xy], s=40)
    ax.set_xlim(-0.5, 0.6)
    ax.set_ylim(-0.5, 0.6)
    labels = [ax.annotate(text, p, xytext=(0, 5), textcoords="offset points", ha="center", va="bottom",
                          fontfamily=cjk_font(None))
              for text, p in zip(["易地扶贫搬迁", "扶贫车间", "利益联结机制", "防贫预警"], xy)]
    canvas.draw()
    renderer = canvas.get_renderer()

    def boxes():
        return [(b.x0, b.y0, b.x1, b.y1) for b in (label.get_window_extent(renderer) for label in labels)]

    def overlapping(found):
        return [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(found), 2)
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])]

    assert overlapping(boxes())  # all above their nodes: on top of each other
    radius = 40 ** 0.5 / 2
    markers = [(*ax.transData.transform(p), radius * fig.dpi / 72) for p in xy]
    place_labels(labels, [radius] * len(labels), markers, renderer)
    assert overlapping(boxes()) == []
    assert labels[0].xyann == (0, radius + 2) and labels[3].xyann == (0, radius + 2)  # above where there is room
