"""Integer results and verdicts of the depth family do not depend on the CPU.

Another CPU gives other last bits for BLAS products and, with or without AVX-512, for some
NumPy ufuncs (the family's training uses tanh, expit, logaddexp and maximum, which do not
change; log10 of gradient norms may, in the last bit). What must not move:
- C22's counts: exact zeros that training meets are structural (an exact 0 input times any
  weight, plus an exact 0 bias), so they survive ulp changes of every weight and input, and the
  trained nets' statuses and bit-identity across conventions with them;
- C23's dead layers at initialisation (exact zeros again) and the slopes (real, to 1e-9);
- C23's verdicts. Single trained outcomes of chaotic members (tanh and relu nets of 20 and more
  layers at these learning rates) do move with the last bits of the start, as they move with
  another CPU's BLAS under main's engine; the verdicts, decided by intervals, must not.
"""

import numpy as np
import pandas as pd
import pytest
from lowered import needs_avx512, same_tables_without_avx512

from experiments.depth import cells, kink_runs, summary, task
from experiments.depth import verdicts_depth as vd
from mlp.data import Split

pytestmark = [pytest.mark.filterwarnings("error"), pytest.mark.usefixtures("restore_activations")]

TASK = {"dataset": "circle", "noise": 0.0, "width": 8, "batch": 25, "epochs": 40, "bar": 0.95, "seeds": 8}
KINK = {
    "seed": 0,
    "stationary_tol": 0.01,
    "count_every": 10,
    "task": TASK,
    "spiral": {"hidden": [4, 2], "lr": 0.03, "batch": 10, "epochs": 200, "seeds": 8},
    "deep": {"depth": 6, "init": "he", "lr": 0.03},
}
SMALL = {
    "seed": 0,
    "stationary_tol": 0.01,
    "task": {**TASK, "width": 6, "epochs": 30, "seeds": 6},
    "kink": {k: v for k, v in KINK.items() if k in ("count_every", "spiral", "deep")},
    "vanishing": {
        "activations": ["sigmoid", "tanh", "relu"],
        "inits": ["glorot", "he"],
        "depths": [2, 8],
        "lr": {"sigmoid": 1.0, "tanh": 0.1, "relu": 0.03},
        "grad_points": 30,
        "sparse_threshold": 0.25,
        "figure_depth": 8,
    },
}


def moved(a: np.ndarray, how: str, rng: np.random.Generator) -> np.ndarray:
    """Every non-zero entry moved by ulps (to the next float up or down, or scaled by 1 + k 2^-52
    with k in [-16, 16]); exact zeros stay (zero biases and the origin are part of the setup)."""
    if how == "up":
        return np.where(a != 0, np.nextafter(a, np.inf), a)
    if how == "down":
        return np.where(a != 0, np.nextafter(a, -np.inf), a)
    return a * (1 + rng.integers(-16, 17, a.shape) * 2.0**-52)


def kink_integers() -> tuple[pd.DataFrame, pd.DataFrame]:
    out = kink_runs.run_traces(KINK)
    zeros = kink_runs.zeros_table(out["traces"], out["origin"], 0)
    final = kink_runs.final_table(out["traces"], 0, KINK["stationary_tol"], TASK["bar"])
    return zeros, final[["run", "convention", "seed", "status", "identical"]]


@pytest.mark.parametrize("how", ["up", "down", "random"])
def test_kink_counts_survive_ulp_changes_of_weights_and_inputs(monkeypatch, how):
    zeros, final = kink_integers()
    assert zeros["zeros_init"].sum() > 0 and zeros["zeros_after"].sum() > 0  # there is something to move
    rng = np.random.default_rng(0)
    init, start, stack = kink_runs.init, kink_runs.start, kink_runs.stack_splits
    monkeypatch.setattr(kink_runs, "init", lambda *a: [(moved(W, how, rng), b) for W, b in init(*a)])
    monkeypatch.setattr(kink_runs, "start", lambda *a: [(moved(W, how, rng), b) for W, b in start(*a)])
    monkeypatch.setattr(kink_runs, "stack_splits", lambda s: Split(*(moved(x, how, rng) for x in stack(s))))
    zeros_moved, final_moved = kink_integers()
    pd.testing.assert_frame_equal(zeros, zeros_moved)
    pd.testing.assert_frame_equal(final, final_moved)


@pytest.mark.parametrize("how", ["up", "random"])
def test_dead_layers_and_slopes_at_init_survive_ulp_changes(how):
    """Relu nets of 50 layers (some dead at initialisation) and sigmoid nets: dead layers exactly,
    slopes to 1e-9."""
    data = task.task_data("circle", 0.0, 0)
    X, Y = data.X_train[:100], data.Y_train[:100]
    rng, dead = np.random.default_rng(1), 0
    for g, scheme in (("relu", "he"), ("relu", "glorot"), ("sigmoid", "glorot")):
        net = task.deep_net(g, 50, 8)
        params = task.start(net, scheme, range(16))
        delta, _ = cells.layer_norms(net, params, X, Y)
        other, _ = cells.layer_norms(net, [(moved(W, how, rng), b) for W, b in params], moved(X, how, rng), Y)
        assert np.array_equal(delta == 0, other == 0)
        a, b = cells.slopes(delta), cells.slopes(other)
        assert np.array_equal(np.isneginf(a), np.isneginf(b))
        np.testing.assert_allclose(a[np.isfinite(a)], b[np.isfinite(b)], rtol=1e-9)
        dead += int(np.isneginf(a).sum())
    assert dead > 0  # some relu nets are dead at initialisation: there is something to move


def trained_verdicts() -> list[str]:
    data = task.task_data("circle", 0.0, 0)
    members, layers = [], []
    for g, lr in SMALL["vanishing"]["lr"].items():
        cfg = {**TASK, "epochs": 100, "activation": g, "lr": lr, "seed": 0, "grad_points": 50, "stationary_tol": 0.01}
        for scheme in ("glorot", "he"):
            for L in (2, 5, 20):
                c = cells.train_cell(cfg, scheme, L, data)
                members.append(cells.members_frame(cfg, scheme, L, c))
                layers.append(cells.layers_frame(cfg, scheme, L, c))
    members, layers = pd.concat(members, ignore_index=True), pd.concat(layers, ignore_index=True)
    cfg = {"inits": ["glorot", "he"], "width": 8, "bar": TASK["bar"], "epochs": 100, "sparse_threshold": 0.25}
    return list(vd.depth_rows(summary.gradient_summary(members), summary.trainability(members), layers, cfg)["verdict"])


@pytest.mark.timeout(300)
def test_trained_verdicts_survive_an_ulp_change_of_the_start(monkeypatch):
    original = trained_verdicts()
    rng = np.random.default_rng(2)
    start = cells.start
    monkeypatch.setattr(cells, "start", lambda *a: [(moved(W, "random", rng), b) for W, b in start(*a)])
    assert trained_verdicts() == original


@pytest.mark.timeout(300)
@needs_avx512
def test_steps_give_the_same_tables_without_avx512(tmp_path):
    tables = same_tables_without_avx512("depth", SMALL, tmp_path, rtol=1e-9)
    assert len(tables) == 18
