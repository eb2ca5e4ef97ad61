"""Exact regions of a relu net with two inputs on a box: convex polygons cut layer by layer.

For each unit, all polygons crossing its line z = g . x + e = 0 are clipped in one vectorised
pass (padded vertex arrays). Each polygon carries the affine map h^{l-1}(x) = A x + c of the
layer's input, and its magnitude (A_m, c_m: the same recursion on |W|, |b|), so every vertex
value z has a magnitude m, the sum of the absolute values of its terms with |x| taken at the
box's largest coordinates (a vertex's position is itself only known to ~1e-16 of those), and
its sign is decided with the margin of mlp.decisions. The edges
shared by two polygons are carried through the cuts, and the linear regions are the connected
components of the graph of shared edges joining polygons with equal output maps.
"""

from typing import NamedTuple

import numpy as np

from mlp.decisions import NO_DECISIONS, Decisions, affine, n_distinct, same_map, side, tally


class Regions2D(NamedTuple):
    vertices: np.ndarray  # (P, M, 2) counter-clockwise vertices; only the first n_vertices[p] count
    n_vertices: np.ndarray  # (P,)
    pattern: np.ndarray  # (P, N) bool activation pattern; polygon p is activation region p
    linear_id: np.ndarray  # (P,) linear region of each polygon
    n_activation: int
    n_linear: int
    decisions: Decisions

    def polygons(self) -> list[np.ndarray]:
        """The polygons as a list of (n_p, 2) vertex arrays, e.g. for a region map."""
        return [v[:k] for v, k in zip(self.vertices, self.n_vertices, strict=True)]


class Pieces(NamedTuple):
    """The polygons during one layer, and the edges they share."""

    V: np.ndarray  # (P, M, 2) vertices, padded by repeating vertex 0
    n: np.ndarray  # (P,) vertex counts
    root: np.ndarray  # (P,) the polygon at the layer's start that each polygon lies in
    on: np.ndarray  # (P, K_l) the layer's activation pattern so far
    ea: np.ndarray  # (E,) polygon on one side of each shared edge
    eb: np.ndarray  # (E,) polygon on the other side
    seg: np.ndarray  # (E, 2, 2) the shared edge's end points


def _at(V, g, e):
    """g . x + e at the vertices V (P, M, 2) for lines g (P, 2), e (P,), in a fixed order -> (P, M)."""
    return V[..., 0] * g[:, :1] + V[..., 1] * g[:, 1:] + e[:, None]


def _clip(V, n, z, sign, g):
    """Split convex polygons V (m, M, 2) with n vertices by the line z = g . x + e = 0.

    z, sign (m, M): vertex values and their signs in {-1, 0, 1} (0 = on the line); g (m, 2).
    Returns (V+, n+), (V-, n-) with shapes (m, 2M, 2), (m,), padded with vertex 0, and the chords
    (m, 2, 2).
    """
    m, M = z.shape
    k = np.arange(M)
    valid = k < n[:, None]  # (m, M)
    nxt = np.where(k + 1 < n[:, None], k + 1, 0)  # (m, M) index of the edge's end vertex
    z_next, sign_next = np.take_along_axis(z, nxt, 1), np.take_along_axis(sign, nxt, 1)
    cross = valid & (sign * sign_next < 0)  # edges with a strict sign change
    lam = np.divide(z, z - z_next, out=np.zeros_like(z), where=cross)
    X = V + lam[..., None] * (np.take_along_axis(V, nxt[..., None], 1) - V)  # (m, M, 2) crossings
    pts = np.stack([V, X], axis=2).reshape(m, 2 * M, 2)  # vertex k, then the crossing on edge k

    def half(keep):
        mask = np.stack([keep & valid, cross], axis=2).reshape(m, 2 * M)
        order = np.argsort(~mask, axis=1, kind="stable")
        out, count = np.take_along_axis(pts, order[..., None], 1), mask.sum(1)
        return np.where((np.arange(2 * M) < count[:, None])[..., None], out, out[:, :1]), count  # pad: vertex 0

    on_line = np.stack([(sign == 0) & valid, cross], axis=2).reshape(m, 2 * M)
    return half(sign >= 0), half(sign <= 0), _chord(pts, on_line, g)


def _chord(pts, on_line, g):
    """Extreme points (m, 2, 2) of pts (m, Q, 2) where on_line, along the direction normal to g (m, 2)."""
    proj = pts[..., 1] * g[:, :1] - pts[..., 0] * g[:, 1:]  # (m, Q)
    lo = np.where(on_line, proj, np.inf).argmin(1)
    hi = np.where(on_line, proj, -np.inf).argmax(1)
    rows = np.arange(len(pts))
    return np.stack([pts[rows, lo], pts[rows, hi]], axis=1)


def _split_edges(p: Pieces, split, up, child, line, scale):
    """Reassign the shared edges after the polygons in `split` were cut by their line.

    up (P,): whether each uncut polygon lies on the z > 0 side; child (P,): index of the z < 0
    half (uncut: itself), the z > 0 half keeps the parent's index; line = (g, e, g_m, e_m) per
    polygon; scale (2,): the box's largest |x|. An edge of a cut polygon goes to the half on its
    side, or is cut in two where it crosses the line; an uncut neighbour stays on its own side.
    """
    g, e, g_m, e_m = line
    hit = split[p.ea] | split[p.eb]
    a, b, sg = p.ea[hit], p.eb[hit], p.seg[hit]
    zs = _at(sg, g[a], e[a])  # (E, 2) z at the segment ends
    ms = np.broadcast_to(_at(scale[None, None], g_m[a], e_m[a]), zs.shape)  # their magnitudes
    sigma = side(zs, ms)
    uncut_side = np.where(np.where(split[a], up[b], up[a]), 1, -1)  # if only one is cut
    sigma = np.where((split[a] & split[b])[:, None], sigma, uncut_side[:, None])
    s0, s1 = sigma[:, 0], sigma[:, 1]
    straddle = s0 * s1 < 0
    lam = np.divide(zs[:, 0], zs[:, 0] - zs[:, 1], out=np.zeros(len(a)), where=straddle)
    cut = sg[:, 0] + lam[:, None] * (sg[:, 1] - sg[:, 0])  # (E, 2)
    plus = (s0 > 0) | (s1 > 0) | ((s0 == 0) & (s1 == 0))
    minus = (s0 < 0) | (s1 < 0)

    def piece(end_first):  # the part of each segment on one side: whole, or (end, cut) if straddling
        end = np.where(end_first[:, None], sg[:, 0], sg[:, 1])
        return np.where(straddle[:, None, None], np.stack([end, cut], axis=1), sg)

    ea = np.concatenate([p.ea[~hit], a[plus], child[a[minus]]])
    eb = np.concatenate([p.eb[~hit], b[plus], child[b[minus]]])
    seg = np.concatenate([p.seg[~hit], piece(s0 > 0)[plus], piece(s0 < 0)[minus]])
    return ea, eb, seg


def _cut(p: Pieces, i: int, za, zc, za_m, zc_m, scale) -> tuple[Pieces, Decisions]:
    """Cut every polygon that unit i's line crosses; record the unit's bit. scale (2,): the
    box's largest |x|, where the magnitudes of the vertex values are taken."""
    g, e, g_m, e_m = za[p.root, i], zc[p.root, i], za_m[p.root, i], zc_m[p.root, i]  # (P, 2), (P,)
    valid = np.arange(p.V.shape[1]) < p.n[:, None]  # (P, M): the padding repeats vertex 0
    z = _at(p.V, g, e)  # (P, M)
    m = np.broadcast_to(_at(scale[None, None], g_m, e_m), z.shape)
    sign = side(z, m) * valid
    decisions = tally(z[valid], m[valid])
    split = (sign > 0).any(1) & (sign < 0).any(1)
    on = p.on.copy()
    on[:, i] = (sign > 0).any(1)
    if not split.any():
        return p._replace(on=on), decisions
    s, P = np.flatnonzero(split), len(p.n)
    (V_plus, n_plus), (V_minus, n_minus), chord = _clip(p.V[s], p.n[s], z[s], sign[s], g[s])
    child = np.arange(P)
    child[s] = P + np.arange(len(s))  # the z < 0 halves go to the end
    ea, eb, seg = _split_edges(p, split, on[:, i], child, (g, e, g_m, e_m), scale)
    M = max(p.V.shape[1], n_plus.max(), n_minus.max())
    V = np.concatenate([np.pad(p.V, ((0, 0), (0, M - p.V.shape[1]), (0, 0)), mode="edge"), V_minus[:, :M]])
    V[s], n = V_plus[:, :M], np.append(p.n, n_minus)
    n[s] = n_plus
    on = np.concatenate([on, on[s]])
    on[s, i], on[P:, i] = True, False
    pieces = Pieces(
        V, n, np.append(p.root, p.root[s]), on, np.append(ea, s), np.append(eb, child[s]), np.concatenate([seg, chord])
    )
    return pieces, decisions


def _components(P: int, a, b) -> np.ndarray:
    """Labels 0, 1, ... (P,) of the connected components of the graph with edges (a, b), by union-find."""
    parent = list(range(P))

    def find(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for u, v in zip(a.tolist(), b.tolist(), strict=True):
        ru, rv = find(u), find(v)
        parent[max(ru, rv)] = min(ru, rv)
    return np.unique([find(u) for u in range(P)], return_inverse=True)[1]


def count_box_2d(params, box: np.ndarray) -> Regions2D:
    """Regions of a net (checked params, D = 2 inputs) on the box [[x0, x1], [y0, y1]]."""
    (x0, x1), (y0, y1) = box
    scale = abs(box).max(axis=1)  # (2,) the largest |x| per coordinate
    V = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]])  # (P, M, 2)
    A, c = np.eye(2)[None], np.zeros((1, 2))  # h^0(x) = A x + c, (P, K_0, 2), (P, K_0)
    A_m, c_m = A, c  # magnitudes
    bits, decisions = np.zeros((1, 0), dtype=bool), NO_DECISIONS  # (P, N so far)
    no_edges = (np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros((0, 2, 2)))
    p = Pieces(V, np.array([4]), np.zeros(1, dtype=int), np.zeros((1, 0), dtype=bool), *no_edges)
    for W, b in params[:-1]:
        # z = za x + zc on each polygon of the layer's start, (P0, K_l, 2), (P0, K_l)
        za, zc = affine(A.transpose(0, 2, 1), W).transpose(0, 2, 1), affine(c, W, b)
        za_m, zc_m = affine(A_m.transpose(0, 2, 1), abs(W)).transpose(0, 2, 1), affine(c_m, abs(W), abs(b))
        p = p._replace(root=np.arange(len(p.n)), on=np.zeros((len(p.n), len(b)), dtype=bool))
        for i in range(len(b)):
            p, d = _cut(p, i, za, zc, za_m, zc_m, scale)
            decisions += d
        mask = p.on[..., None]  # h^l = D (za x + zc)
        A, c, A_m, c_m = mask * za[p.root], p.on * zc[p.root], mask * za_m[p.root], p.on * zc_m[p.root]
        bits = np.concatenate([bits[p.root], p.on], axis=1)
    W_out = params[-1][0]
    P = len(p.n)
    G = affine(A.transpose(0, 2, 1), W_out).reshape(P, -1)  # output gradients (P, 2 K_out)
    G_m = affine(A_m.transpose(0, 2, 1), abs(W_out)).reshape(P, -1)
    same, merged = same_map(G, G_m, p.ea, p.eb)
    linear_id = _components(P, p.ea[same], p.eb[same])
    return Regions2D(
        vertices=p.V,
        n_vertices=p.n,
        pattern=bits,
        linear_id=linear_id,
        n_activation=n_distinct(bits),
        n_linear=int(linear_id.max()) + 1,
        decisions=decisions + merged,
    )
