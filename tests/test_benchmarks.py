"""The benchmark harness measures what it says: breakdowns time the engine's own operations,
the peers compute the same gradients as the core, ratios pair rounds, job logs parse."""

from pathlib import Path

import numpy as np
import pytest

from benchmarks import peers, probes, tables
from benchmarks.pipeline import job_figures
from benchmarks.workloads import SHAPES, SPIRAL, XOR, ensemble_data, net_params
from mlp.train import gradient


def test_a_breakdown_times_the_operations_of_the_engines_step():
    engine, Xb, _ = probes._engine_on_batch(XOR, 6, np.float64)
    labels = [label for label, _ in engine.operations(Xb.shape[1])]
    bd = probes.breakdown(XOR, 6, np.float64, repeats=1)
    assert list(bd["ops"]) == list(dict.fromkeys(labels)) and bd["engine"] == "SlabSGD"
    assert "update P -= lr G" in bd["ops"] and any("tree" in k for k in bd["ops"])


def test_sabotage_an_operation_added_to_the_step_is_timed(monkeypatch):
    """Change the step and the breakdown follows: an extra operation in the plan shows up."""
    from mlp.engine import Op, SlabSGD

    build = SlabSGD._build

    def with_extra(self, B):
        plan = build(self, B)
        plan.backward.append(Op("an extra pass", lambda: None))
        return plan

    monkeypatch.setattr(SlabSGD, "_build", with_extra)
    assert "an extra pass" in probes.breakdown(XOR, 3, np.float64, repeats=1)["ops"]


torch = peers.torch


@pytest.mark.skipif(torch is None, reason="torch is not installed (the bench extra)")
@pytest.mark.parametrize("ens", [XOR, SPIRAL])
def test_torch_ensemble_formulations_compute_the_cores_gradient(ens):
    M = 3
    net, params = net_params(*ens[1:5], M, np.float64, scheme="glorot" if ens is XOR else "playground")
    X, Y = (np.ascontiguousarray(a[:, : ens.batch]) for a in ensemble_data(ens, M, np.float64))
    core = [a for layer in gradient(net, params, X, Y) for a in layer]
    ps = [torch.tensor(np.ascontiguousarray(a)) for layer in params for a in layer]
    x, y = torch.tensor(X), torch.tensor(Y)
    kind = (ens.hidden, ens.loss)
    manual = peers._manual_grads(ps, x, y, *kind)
    auto = [p.clone().requires_grad_(True) for p in ps]
    peers._mean_loss_sum(auto, x, y, *kind).backward()
    vmapped = torch.func.vmap(torch.func.grad(peers._mean_loss_sum), in_dims=(0, 0, 0, None, None))(
        tuple(ps), x, y, *kind
    )
    for c, m, a, v in zip(core, manual, auto, vmapped):
        for got in (m, a.grad, v):
            np.testing.assert_allclose(got.numpy(), c, rtol=0, atol=1e-13)


def test_sklearn_keeps_float32():
    sklearn = pytest.importorskip("sklearn.neural_network")
    run, _ = peers.sklearn_runner(SHAPES[0], np.float32)
    seen = []
    fit = sklearn.MLPRegressor.fit

    def spy(self, X, y):
        out = fit(self, X, y)
        seen.append(self.coefs_[0].dtype)
        return out

    sklearn.MLPRegressor.fit = spy
    try:
        run(1)
    finally:
        sklearn.MLPRegressor.fit = fit
    assert seen == [np.dtype(np.float32)]


def test_round_ratios_pair_the_rounds():
    shapes = {1: {"core": [{"s": {"c": {"median": 1.0}}}, {"s": {"c": {"median": 4.0}}}]}}
    shapes[1]["torch"] = [{"s": {"t": {"median": 2.0}}}, {"s": {"t": {"median": 2.0}}}]
    assert tables.round_ratio(shapes, 1, ("core", "s", "c"), ("torch", "s", "t")) == pytest.approx((0.5 + 2.0) / 2)
    assert tables.round_ratio(shapes, 1, ("core", "s", "c"), ("sklearn", "s", "x")) is None


def test_job_logs_are_parsed(tmp_path: Path):
    log = tmp_path / "a.log"
    log.write_text(
        "noise\nregions train cell L2: done in 1.50 s\nregions train cell L3: done in 2.25 s\nprocess CPU time 3.10 s, peak memory 120 MB\n"
    )
    assert job_figures(log) == {"wall": 3.75, "cpu": 3.1, "mb": 120.0}
    (tmp_path / "b.log").write_text("a legacy CLI without timing lines\n")
    assert job_figures(tmp_path / "b.log") == {"wall": None, "cpu": None, "mb": None}


def test_benchmark_modules_stay_small():
    for path in Path(peers.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name
