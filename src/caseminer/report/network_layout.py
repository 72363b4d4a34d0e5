"""Where the co-occurrence network puts its nodes and their labels.

A spring layout of a whole co-occurrence network works on a study's 30 cases and fails
on thousands: the strongest pairs then form one dense core of the commonest keywords and
a few pairs apart from it, and the layout pushes the pairs to the edges of the figure and
draws the core, with every label on top of the next, in the middle tenth of it. So:

- each connected component is laid out on its own with Kamada-Kawai (nodes at their
  graph distances, the most even spacing for the labels), scaled by the square root of
  its size against the largest one, and the components are packed in rows under the
  largest (:func:`packed_layout`);
- each label goes where it overlaps no label placed before it and no node, trying above
  the node first, then below, right, left and the corners, the labels of the largest
  nodes first (:func:`place_labels`).

Both are deterministic: the same network gives the same figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..errors import BackendMissing

#: Room between two components, and the least width and height of one (a single node or a
#: pair still needs room for its labels), in units of the largest component's half-width.
GAP = 0.25
LEAST_WIDTH = 0.5
LEAST_HEIGHT = 0.3


def packed_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]],
                  seed: int) -> dict[str, tuple[float, float]]:
    """Positions of ``nodes``: the components of the graph of ``edges``, each laid out on
    its own, the largest on top and the others in rows below it, largest first."""
    try:
        import networkx as nx  # a declared dependency: the layout never changes silently
    except ImportError as exc:
        raise BackendMissing(
            "The co-occurrence network figure needs the package 'networkx', which is not "
            "installed. Install it with: pip install networkx"
        ) from exc

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    order = {n: i for i, n in enumerate(nodes)}
    components = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), order[c[0]]))
    largest = len(components[0])
    boxes = [_component(graph.subgraph(c), c, math.sqrt(len(c) / largest), seed) for c in components]
    # rows as wide as the largest component, or wider where the others would stack into a
    # tower (a study's network: a dozen small components, none dominant): about square
    width = max(boxes[0][1], 2.0, math.sqrt(sum((w + GAP) * (h + GAP) for _, w, h in boxes)))
    pos = {n: (x, y) for n, (x, y) in boxes[0][0].items()}
    top = -boxes[0][2] / 2 - GAP  # under the largest component
    x, row_height = -width / 2, 0.0
    for layout, w, h in boxes[1:]:
        if x + w > width / 2 and x > -width / 2:  # the row is full: start the next one
            top -= row_height + GAP
            x, row_height = -width / 2, 0.0
        row_height = max(row_height, h)
        for n, (px, py) in layout.items():
            pos[n] = (x + w / 2 + px, top - h / 2 + py)
        x += w + GAP
    return pos


def _component(graph, members: list[str], scale: float, seed: int):
    """One component's layout centred on 0, its larger side 2 x ``scale``, and its box."""
    import networkx as nx

    if len(members) == 1:
        layout = {members[0]: (0.0, 0.0)}
    elif len(members) == 2:
        layout = {members[0]: (-1.0, 0.0), members[1]: (1.0, 0.0)}
    else:
        # Kamada-Kawai from a seeded spring start: deterministic, and it keeps the nodes of
        # a dense core apart where a spring layout of counts draws them onto each other
        start = nx.spring_layout(graph, seed=seed, weight=None)
        layout = {n: (float(p[0]), float(p[1])) for n, p in nx.kamada_kawai_layout(graph, pos=start).items()}
    xs = [p[0] for p in layout.values()]
    ys = [p[1] for p in layout.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    layout = {n: ((x - cx) / half * scale, (y - cy) / half * scale) for n, (x, y) in layout.items()}
    width = max((max(xs) - min(xs)) / half * scale, LEAST_WIDTH)
    height = max((max(ys) - min(ys)) / half * scale, LEAST_HEIGHT)
    return layout, width, height


def place_labels(annotations, radii: Sequence[float], markers: Sequence[tuple[float, float, float]],
                 renderer) -> None:
    """Move each of ``annotations`` (matplotlib annotations of the nodes, most important
    first, with offsets in points) to the first place around its node, ``radii[i]`` points
    in radius, where it overlaps no label placed before it and no other node's marker
    (``markers[i]``: display x, y and radius in pixels); where there is none, to the place
    of least overlap."""
    taken = []  # boxes of the labels placed: (x0, y0, x1, y1) in display pixels
    nodes = [(x - r, y - r, x + r, y + r) for x, y, r in markers]
    for i, (annotation, radius) in enumerate(zip(annotations, radii)):
        gap, slant = radius + 2, (radius + 2) * 0.7
        best, least = None, math.inf
        for dx, dy, ha, va in ((0, gap, "center", "bottom"), (0, -gap, "center", "top"),
                               (gap, 0, "left", "center"), (-gap, 0, "right", "center"),
                               (slant, slant, "left", "bottom"), (-slant, slant, "right", "bottom"),
                               (slant, -slant, "left", "top"), (-slant, -slant, "right", "top")):
            _move(annotation, dx, dy, ha, va)
            extent = annotation.get_window_extent(renderer)
            box = (extent.x0, extent.y0, extent.x1, extent.y1)
            overlap = (sum(_overlap(box, other) for other in taken)
                       + sum(_overlap(box, node) for j, node in enumerate(nodes) if j != i))
            if overlap < least:
                best, least = (dx, dy, ha, va, box), overlap
            if overlap == 0:
                break
        dx, dy, ha, va, box = best
        _move(annotation, dx, dy, ha, va)
        taken.append(box)


def _move(annotation, dx: float, dy: float, ha: str, va: str) -> None:
    annotation.xyann = (dx, dy)
    annotation.set_horizontalalignment(ha)
    annotation.set_verticalalignment(va)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
