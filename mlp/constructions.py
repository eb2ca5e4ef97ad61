"""Hand-built relu nets with many linear regions, as [(W1, b1), ..., (W_{L+1}, b_{L+1})]."""

from itertools import combinations

import numpy as np


def tent_map_net(L: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Width-2, depth-L net computing m^{oL} on [0, 1], m(x) = 2 relu(x) - 4 relu(x - 1/2).

    2^L linear pieces on [0, 1] (Telgarsky). Layer l + 1 reads m = (2, -4) . h^l.
    """
    if not isinstance(L, int) or L < 1:
        raise ValueError(f"L must be a positive int, got {L!r}")
    m = np.array([[2.0, -4.0]])  # (1, 2) readout of m from (relu(y), relu(y - 1/2))
    b = np.array([0.0, -0.5])
    W_in = np.ones((2, 1))  # (2, 1): both units read y
    return [(W_in, b)] + [(W_in @ m, b) for _ in range(L - 1)] + [(m, np.zeros(1))]


def _fold(D: int, K: int, p: int, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fold layer on s = scale * t in [0, p/2]^D: units relu(s_j), relu(2 s_j - k), k = 1..p-1.

    Returns S (K, D), the bias (K,) and the readout R (D, K) with t'_j = sum_k (-1)^k h_(j,k);
    spare units (K - D p of them) have weight 0 and bias -1, so they are always off.
    """
    S, bias, R = np.zeros((K, D)), np.full(K, -1.0), np.zeros((D, K))
    for j in range(D):
        for k in range(p):
            S[j * p + k, j] = scale if k == 0 else 2 * scale
            bias[j * p + k] = -k
            R[j, j * p + k] = (-1) ** k
    return S, bias, R


def _last_layer(D: int, K: int) -> tuple[np.ndarray, np.ndarray]:
    """K hyperplanes n_i . t + c_i = 0 in general position with all vertices in (0, 1/2)^D.

    Normals n_i = (-1)^i (1, a_i, ..., a_i^{D-1}) / norm, a_i = tan(pi ((i + 0.3)/K - 1/2) + 0.01 i/K)
    (generic, never axis-parallel for D = 2), offsets n_i . (t - 1/4) = rho (1 + i / (pi K)); the
    all-off cell {n_i . (t - 1/4) <= rho (1 + i/(pi K))} contains the centre 1/4 and is bounded
    (trap 1.4.1) when the alternating normals positively span R^D (K >= D + 1).
    rho is scaled so that every vertex lies within 0.2 of the centre.
    """
    i = np.arange(K)
    a = np.tan(np.pi * ((i + 0.3) / K - 0.5) + 0.01 * i / K)
    N = (-1.0) ** i[:, None] * a[:, None] ** np.arange(D)  # (K, D)
    N /= np.linalg.norm(N, axis=1, keepdims=True)
    r = 1 + i / (np.pi * K)  # (K,)
    reach = max(
        abs(np.linalg.lstsq(N[list(S)], r[list(S)], rcond=None)[0]).max() for S in combinations(range(K), min(K, D))
    )  # vertex offsets from the centre for rho = 1
    rho = 0.2 / reach
    return N, -(N @ np.full(D, 0.25) + rho * r)


def montufar_net(D: int, K, L: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Montufar et al.'s folding net with D inputs and L hidden layers of widths K (int or L ints).

    Layers 1..L-1 fold each coordinate p_l = floor(K_l / D) times onto [0, 1/2]; layer L places
    K_L hyperplanes in general position inside the folded cube (0, 1/2)^D; the output is a generic
    linear map. Returns (params, box), box (D, 2) = [0, p_1 / 2]^D (p_1 = 1 when L = 1), on which
    the net has prod_{l<L} p_l^D * sum_{j<=D} C(K_L, j) activation and linear regions.
    """
    if not isinstance(D, int) or D < 1 or not isinstance(L, int) or L < 1:
        raise ValueError(f"D and L must be positive ints, got D={D!r}, L={L!r}")
    widths = [K] * L if isinstance(K, int) else list(K)
    if len(widths) != L or any(not isinstance(k, int) or k < 1 for k in widths) or min(widths[:-1] + [D]) < D:
        raise ValueError(f"K must be an int or {L} ints with K_l >= D={D} for l < L, got {K!r}")
    params, R = [], np.eye(D)  # R (D, K_{l-1}): readout of the folded coordinates t
    for l, K_l in enumerate(widths[:-1]):  # layer 1 folds x in [0, p_1/2], later ones p_l t, t in [0, 1/2]
        S, bias, R_next = _fold(D, K_l, K_l // D, 1.0 if l == 0 else K_l // D)
        params.append((S @ R, bias))
        R = R_next
    N, c = _last_layer(D, widths[-1])
    params.append((N @ R, c))
    v = 1 + np.sqrt(np.arange(widths[-1]) + 2.0)  # generic output weights
    params.append((v[None], np.zeros(1)))
    p_1 = widths[0] // D if L > 1 else 1
    return params, np.tile([0.0, p_1 / 2], (D, 1))
