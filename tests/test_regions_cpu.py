"""Integer results of the regions family do not depend on the CPU.

Another CPU gives other last bits for BLAS products (OpenBLAS kernels) and, with or without
AVX-512, for some NumPy ufuncs. The counter uses no BLAS and decides every sign with a margin
(mlp.decisions), so: counts do not move when every weight moves by a few ulps, nor when the
products are summed in another order (as another BLAS kernel would); and the quick steps give
the same integers with AVX-512 disabled. Trained nets are another matter (training multiplies
with BLAS and amplifies ulps): their verdict, not their single counts, must not move.
"""

import numpy as np
import pandas as pd
import pytest
from lowered import needs_avx512, same_tables_without_avx512

import mlp.polygons
import mlp.regions
from experiments.config import ROOT, load_config
from experiments.regions import depth
from experiments.regions.depth import cell_nets, count_cell, depth_summary, random_params
from experiments.regions.plan import depth_cells, widths_for
from experiments.regions.verdicts import depth_row
from mlp.constructions import montufar_net
from mlp.regions import count_regions, count_segment

DEFAULT = load_config(ROOT / "config.yaml")["regions"]
QUICK = load_config(ROOT / "config.yaml", load_config(ROOT / "config.quick.yaml"))["regions"]


def default_random_nets(seeds=None):
    """The random nets of the default config's depth sweep: (L, seed, params)."""
    d = DEFAULT["depth"]
    seeds = range(d["n_seeds"]) if seeds is None else seeds
    return [
        (L, seed, params)
        for L in d["depths"]
        for seed, params in zip(
            seeds, random_params(widths_for(d["n_neurons"], L), list(seeds), d["bias_std"], "depth", L)
        )
    ]


def counts(params) -> tuple[int, int, int, int]:
    box, seg = np.array(DEFAULT["depth"]["box"]), np.array(DEFAULT["depth"]["segment"])
    r2, r1 = count_regions(params, box), count_segment(params, seg[0], seg[1])
    return r2.n_activation, r2.n_linear, r1.n_activation, r1.n_linear


def perturbed(params, how: str, seed: int):
    """Every weight and bias moved by ulps: to the next float up or down, or scaled by 1 + k 2^-52
    with k a random integer in [-16, 16] per entry."""
    g = np.random.default_rng(seed)

    def move(a):
        if how == "up":
            return np.nextafter(a, np.inf)
        if how == "down":
            return np.nextafter(a, -np.inf)
        return a * (1 + g.integers(-16, 17, a.shape) * 2.0**-52)

    return [(move(W), move(b)) for W, b in params]


def reversed_affine(h, W, b=None):
    """h W^T (+ b) summed over j in the opposite order: what another summation order gives."""
    out = h[..., -1:] * W[:, -1]
    for j in range(W.shape[1] - 2, -1, -1):
        out = out + h[..., j : j + 1] * W[:, j]
    return out if b is None else out + b


def blas_affine(h, W, b=None):
    """h W^T (+ b) by BLAS (np.matmul), whose summation order depends on the CPU's kernel."""
    out = h @ W.T
    return out if b is None else out + b


@pytest.mark.timeout(300)
@pytest.mark.parametrize("how", ["up", "down", "scaled"])
def test_default_random_nets_counts_survive_ulp_perturbations(how):
    """The check that catches a count moving between CPUs (e.g. 591 -> 593): all 60 random nets
    of the default sweep, counted in the box and along the segment, every weight moved by ulps."""
    for L, seed, params in default_random_nets():
        assert counts(perturbed(params, how, seed)) == counts(params), (L, seed, how)


@pytest.mark.parametrize("affine", [reversed_affine, blas_affine], ids=["reversed", "blas"])
def test_counts_do_not_depend_on_the_summation_order(monkeypatch, affine):
    nets = [params for L, seed, params in default_random_nets(seeds=[0, 1]) if L in (1, 3, 6)]
    nets += [montufar_net(1, 5, 4)[0], montufar_net(2, 6, 2)[0]]
    boxes = [np.array(DEFAULT["depth"]["box"])] * 6 + [montufar_net(1, 5, 4)[1], montufar_net(2, 6, 2)[1]]
    before = [count_regions(p, box) for p, box in zip(nets, boxes, strict=True)]
    monkeypatch.setattr(mlp.regions, "affine", affine)
    monkeypatch.setattr(mlp.polygons, "affine", affine)
    for r, p, box in zip(before, nets, boxes, strict=True):
        after = count_regions(p, box)
        assert (after.n_activation, after.n_linear) == (r.n_activation, r.n_linear)
        np.testing.assert_array_equal(after.pattern, r.pattern)
        assert after.decisions.noise_band == r.decisions.noise_band == 0


@pytest.mark.parametrize(("D", "K", "L", "formula"), [(1, 4, 3, 80), (1, 5, 4, 750), (2, 4, 3, 176), (2, 6, 2, 198)])
def test_folding_constructions_survive_ulp_perturbations(D, K, L, formula):
    # formula: floor(K/D)^(D(L-1)) sum_{j<=D} C(K, j); e.g. D=1, K=5, L=4: 5^3 * 6 = 750
    params, box = montufar_net(D, K, L)
    for how in ("up", "down", "scaled"):
        r = count_regions(perturbed(params, how, 0), box)
        assert r.n_activation == r.n_linear == formula and r.decisions.noise_band == 0


@pytest.mark.timeout(300)
@needs_avx512
def test_quick_steps_give_the_same_tables_without_avx512(tmp_path):
    tables = same_tables_without_avx512("regions", QUICK, tmp_path, rtol=1e-9)
    assert len(tables) >= 9


@pytest.mark.timeout(300)
def test_trained_verdict_survives_an_ulp_change_of_the_start(monkeypatch):
    """Training amplifies ulps (another CPU's BLAS gives another trajectory), so single trained
    counts may move; the finding's verdict, decided by growth intervals, must not."""
    block = {**DEFAULT, "depth": {**DEFAULT["depth"], "n_neurons": 24, "depths": [1, 2, 3], "n_seeds": 6}}
    block["depth"]["train"] = {**DEFAULT["depth"]["train"], "epochs": 160, "settle_epochs": 40}
    p = {**block["depth"], "construction_max_regions": 0}

    def verdict():
        cells = pd.concat([count_cell(c, *cell_nets(c)) for c in depth_cells(block).values()], ignore_index=True)
        return depth_row(cells, depth_summary(cells, p), p)["verdict"]

    original = verdict()
    start = depth.random_params
    monkeypatch.setattr(depth, "random_params", lambda *a: [perturbed(n, "up", 0) for n in start(*a)])
    assert verdict() == original
