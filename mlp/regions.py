"""Exact counting of the regions of one relu net on a segment (1-D) or a box (2-D).

params = [(W1, b1), ..., (W_{L+1}, b_{L+1})], z = W h + b, W of shape (K_l, K_{l-1}); hidden
layers relu, the last layer affine. A unit is on where z > 0.

* Activation region: a maximal piece of positive length (1-D) or area (2-D) with one
  activation pattern. Each pattern is one convex piece.
* Linear region: adjacent activation regions with the same output affine map, merged.

Tolerance (tol, default 1e-9, relative). For unit i and a piece (polygon, or segment piece
with its two endpoints as vertices) with vertex values z_v, a vertex with |z_v| <= tol * max_v |z_v| lies on the line z_i = 0; the piece is split only if
it has vertices beyond that on both sides. This keeps exact zeros of hand-built nets (folds,
breakpoints on earlier boundaries) from producing slivers. Two adjacent pieces have the same
output map when their output gradients differ by at most tol * (largest gradient norm over
the pieces); equal gradients suffice because the output is continuous across the boundary.
"""

from typing import NamedTuple

import numpy as np

TOL = 1e-9


def check_params(params, D: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validate the layers of ONE net (no ensemble axis) on D inputs; return float64 copies."""
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    if len(params) < 2:
        raise ValueError(f"need >= 1 hidden layer plus the output layer, got {len(params)} layer(s)")
    K_prev = D
    for l, (W, b) in enumerate(params, start=1):
        if W.ndim != 2 or b.ndim != 1:
            raise ValueError(
                f"layer {l}: one net needs W of shape (K_l, K_l-1) and b of shape (K_l,), "
                f"got W.shape={W.shape}, b.shape={b.shape} (ensemble axes are not allowed)"
            )
        if W.shape != (b.shape[0], K_prev):
            raise ValueError(f"layer {l}: W.shape={W.shape}, expected ({b.shape[0]}, {K_prev})")
        K_prev = b.shape[0]
    return params


def activation_pattern(params, x) -> np.ndarray:
    """Activation pattern (z > 0) of every hidden unit at points x (n, D) -> (n, N) bool."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n, D), got shape {x.shape}")
    h, bits = x, []
    for W, b in check_params(params, x.shape[1])[:-1]:
        z = h @ W.T + b  # (n, K_l)
        bits.append(z > 0)
        h = np.maximum(z, 0.0)
    return np.concatenate(bits, axis=1)


def _n_distinct(bits) -> int:
    """Number of distinct rows of a bool array (P, N)."""
    packed = np.ascontiguousarray(np.packbits(bits, axis=1))  # (P, ceil(N / 8))
    return len(np.unique(packed.view(np.dtype((np.void, packed.shape[1])))))


class Regions1D(NamedTuple):
    t: np.ndarray  # (P + 1,) piece boundaries on [0, 1]; piece p is [t[p], t[p + 1]]
    pattern: np.ndarray  # (P, N) bool activation pattern of each piece
    linear_id: np.ndarray  # (P,) linear region of each piece
    n_activation: int
    n_linear: int


def count_segment(params, xa, xb, tol: float = TOL) -> Regions1D:
    """Regions along x(t) = xa + t (xb - xa), t in [0, 1]; xa, xb of shape (D,).

    Unit by unit, every piece [t0, t1] whose z changes sign (beyond tol) is split at its root.
    """
    xa, xb = np.asarray(xa, dtype=float), np.asarray(xb, dtype=float)
    if xa.ndim != 1 or xa.shape != xb.shape:
        raise ValueError(f"xa and xb must both have shape (D,), got {xa.shape} and {xb.shape}")
    params = check_params(params, xa.size)
    t0, t1 = np.zeros(1), np.ones(1)  # (P,)
    alpha, beta = (xb - xa)[None], xa[None]  # h^0(t) = alpha t + beta, (P, D)
    bits = np.zeros((1, 0), dtype=bool)  # (P, N so far)
    for W, b in params[:-1]:
        za, zc = alpha @ W.T, beta @ W.T + b  # z(t) = za t + zc, (P, K_l)
        on = np.zeros(za.shape, dtype=bool)
        for i in range(W.shape[0]):
            z0, z1 = za[:, i] * t0 + zc[:, i], za[:, i] * t1 + zc[:, i]
            eps = tol * np.maximum(abs(z0), abs(z1))
            split = ((z0 > eps) & (z1 < -eps)) | ((z0 < -eps) & (z1 > eps))
            on[:, i] = z0 + z1 > 0
            if not split.any():
                continue
            s = np.flatnonzero(split)
            root = t0[s] + (t1[s] - t0[s]) * z0[s] / (z0[s] - z1[s])
            first = (np.cumsum(1 + split) - 1 - split)[s]  # new index of each split piece's left half
            idx = np.repeat(np.arange(t0.size), 1 + split)
            t0, t1, za, zc, on, bits = t0[idx], t1[idx], za[idx], zc[idx], on[idx], bits[idx]
            t1[first], t0[first + 1] = root, root
            on[first, i], on[first + 1, i] = z0[s] > 0, z1[s] > 0
        alpha, beta = on * za, on * zc  # h^l(t) = D (za t + zc)
        bits = np.concatenate([bits, on], axis=1)
    W_out = params[-1][0]
    slope = alpha @ W_out.T  # (P, K_out)
    same = np.all(abs(np.diff(slope, axis=0)) <= tol * abs(slope).max(), axis=1)
    linear_id = np.concatenate([[0], np.cumsum(~same)])
    return Regions1D(
        t=np.append(t0, t1[-1]),
        pattern=bits,
        linear_id=linear_id,
        n_activation=_n_distinct(bits),
        n_linear=int(linear_id[-1]) + 1,
    )


class Regions2D(NamedTuple):
    vertices: np.ndarray  # (P, M, 2) counter-clockwise vertices; only the first n_vertices[p] count
    n_vertices: np.ndarray  # (P,)
    pattern: np.ndarray  # (P, N) bool activation pattern; polygon p is activation region p
    linear_id: np.ndarray  # (P,) linear region of each polygon
    n_activation: int
    n_linear: int

    def polygons(self) -> list[np.ndarray]:
        """The polygons as a list of (n_p, 2) vertex arrays, e.g. for a region map."""
        return [v[:k] for v, k in zip(self.vertices, self.n_vertices, strict=True)]


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


def _split_edges(ea, eb, seg, split, side, child, g, e, eps):
    """Reassign shared edges (ea, eb, seg (E, 2, 2)) after the polygons in `split` were cut by z = g.x + e.

    side (P,): z > 0 side of each uncut polygon; child (P,): index of the z < 0 half (uncut: itself);
    the z > 0 half keeps the parent's index. An edge of a cut polygon goes to the half on its side,
    or is cut in two where it crosses the line.
    """
    hit = split[ea] | split[eb]
    a, b, sg = ea[hit], eb[hit], seg[hit]
    zs = (sg @ g[a][:, :, None])[..., 0] + e[a][:, None]  # (E, 2) z at the segment ends
    sigma = np.sign(zs) * (abs(zs) > np.maximum(eps[a], eps[b])[:, None])
    uncut_side = np.where(np.where(split[a], side[b], side[a]), 1.0, -1.0)  # if only one is cut
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

    ea = np.concatenate([ea[~hit], a[plus], child[a[minus]]])
    eb = np.concatenate([eb[~hit], b[plus], child[b[minus]]])
    seg = np.concatenate([seg[~hit], piece(s0 > 0)[plus], piece(s0 < 0)[minus]])
    return ea, eb, seg


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


def _count_box_2d(params, box: np.ndarray, tol: float) -> Regions2D:
    """Regions of a net with D = 2 inputs on the box [[x0, x1], [y0, y1]].

    Convex polygons are cut layer by layer, unit by unit, on the sign of z; for each unit all
    polygons crossing its line are clipped in one vectorised pass (padded vertex arrays). The
    edges shared by two polygons are carried through the cuts, and the linear regions are the
    components of the graph of shared edges joining polygons with equal output maps.
    """
    params = check_params(params, 2)
    (x0, x1), (y0, y1) = box
    V = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]])  # (P, M, 2)
    n = np.array([4])  # (P,) vertex counts
    A, c = np.eye(2)[None], np.zeros((1, 2))  # h^0(x) = A x + c, (P, K_0, 2), (P, K_0)
    bits = np.zeros((1, 0), dtype=bool)  # (P, N so far)
    ea, eb, seg = np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros((0, 2, 2))  # shared edges
    for W, b in params[:-1]:
        za, zc = W @ A, c @ W.T + b  # z = za x + zc, (P0, K_l, 2), (P0, K_l)
        root = np.arange(len(n))  # (P,) the polygon at the layer's start that each polygon lies in
        on = np.zeros(zc.shape, dtype=bool)  # (P, K_l)
        for i in range(len(b)):
            g, e = za[root, i], zc[root, i]  # (P, 2), (P,)
            z = V[..., 0] * g[:, :1] + V[..., 1] * g[:, 1:] + e[:, None]  # (P, M); padding repeats a vertex
            z_max, z_min = z.max(1), z.min(1)
            eps = tol * np.maximum(z_max, -z_min)
            split = (z_max > eps) & (z_min < -eps)
            on[:, i] = z_max > eps
            if not split.any():
                continue
            s, P = np.flatnonzero(split), len(n)
            sign = np.where(z[s] > eps[s, None], 1, np.where(z[s] < -eps[s, None], -1, 0))
            (V_plus, n_plus), (V_minus, n_minus), chord = _clip(V[s], n[s], z[s], sign, g[s])
            child = np.arange(P)
            child[s] = P + np.arange(len(s))  # the z < 0 halves go to the end
            ea, eb, seg = _split_edges(ea, eb, seg, split, on[:, i], child, g, e, eps)
            ea, eb, seg = np.append(ea, s), np.append(eb, child[s]), np.concatenate([seg, chord])
            M = max(V.shape[1], n_plus.max(), n_minus.max())
            V = np.concatenate([np.pad(V, ((0, 0), (0, M - V.shape[1]), (0, 0)), mode="edge"), V_minus[:, :M]])
            V[s], n = V_plus[:, :M], np.append(n, n_minus)
            n[s] = n_plus
            root, on = np.append(root, root[s]), np.concatenate([on, on[s]])
            on[s, i], on[P:, i] = True, False
        A, c = on[..., None] * za[root], on * zc[root]  # h^l = D (za x + zc)
        bits = np.concatenate([bits[root], on], axis=1)
    G = (params[-1][0] @ A).reshape(len(n), -1)  # output gradients (P, K_out * 2)
    same = np.linalg.norm(G[ea] - G[eb], axis=1) <= tol * np.linalg.norm(G, axis=1).max()
    linear_id = _components(len(n), ea[same], eb[same])
    return Regions2D(
        vertices=V,
        n_vertices=n,
        pattern=bits,
        linear_id=linear_id,
        n_activation=_n_distinct(bits),
        n_linear=int(linear_id.max()) + 1,
    )


def count_regions(params, box, tol: float = TOL) -> Regions1D | Regions2D:
    """Exact regions of a net with D = len(box) inputs, D in {1, 2}, on the box [[lo, hi], ...].

    D = 1: the interval [lo, hi] (a Regions1D, t in [0, 1] along it); D = 2: the rectangle
    (a Regions2D). For a segment through a higher-dimensional input space use count_segment.
    """
    box = np.asarray(box, dtype=float)
    if box.ndim != 2 or box.shape[0] not in (1, 2) or box.shape[1] != 2 or not np.all(box[:, 0] < box[:, 1]):
        raise ValueError(
            f"box must be [[lo, hi]] (D = 1) or [[x0, x1], [y0, y1]] (D = 2) with lo < hi, got {box.tolist()}"
        )
    if len(box) == 1:
        return count_segment(params, box[:, 0], box[:, 1], tol)
    return _count_box_2d(params, box, tol)


# ---- transition: the names the approximation family (experiments/approximation/depth.py) and
# ---- benchmarks/run.py still call; removed once they call count_regions / count_segment
count_regions_1d = count_segment


def count_regions_2d(params, box, tol: float = TOL) -> Regions2D:
    return count_regions(params, box, tol)
