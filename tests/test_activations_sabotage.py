"""Every evidence row of the activations family can fail: each test injects a named defect into
the row's computation at a small size and asserts the verdict drops from 'reproduced', and the
undamaged computation at the same size is 'reproduced' (test_undamaged_rows_are_reproduced)."""

import numpy as np
import pytest
from scipy.special import expit

import mlp.network
from experiments.activations import backprop, functions, losses, maps, sparsity
from experiments.activations import verdicts as v
from experiments.activations import verdicts_gradients as vg
from mlp.activations import ACTIVATIONS, Activation, elementwise
from mlp.losses import LOSSES, Loss

pytestmark = pytest.mark.filterwarnings("error")

NOT_REPRODUCED = {"partly", "not reproduced"}
TRAINED = {"dataset": "gauss", "hidden": [6, 6], "init": "playground", "lr": 0.03, "batch": 10, "epochs": 20}
NETS = ([1, 2], 3, 3, 3, 3)  # depths, width, inputs, classes, batch: every W square, so W and W^T both fit


# ---------------------------------------------------------------- the rows at a small size
def ranges() -> str:
    return v.row_ranges(functions.activation_ranges(1e4, 101))["verdict"]


def identity() -> str:
    return v.row_identity(functions.sigmoid_tanh_identity(1e4, 101))["verdict"]


def derivatives() -> str:
    return v.row_derivatives(functions.derivative_check(1e-5))["verdict"]


def init_sparsity() -> dict:
    init = sparsity.init_sparsity([16], ["he"], [0.0, 0.1], depth=2, inputs=4, batch=100, seeds=range(8))
    sym, biased = v.rows_init_sparsity(init, sparsity.init_summary(init), 0.25)
    return {"symmetric": sym["verdict"], "biased": biased["verdict"]}


def trained_sparsity(tol: float = 1.0) -> str:
    t = sparsity.trained_sparsity({**TRAINED, "seeds": 10, "seed": 0})
    summ = sparsity.trained_summary(t, sparsity.converged(t, tol))
    return v.row_trained_sparsity(summ, 0.25, tol)["verdict"]


def map_rows() -> dict:
    softmax, sparsemax = v.rows_maps(maps.map_support([0.1, 1, 1000], 5, 100, 0))
    return {"softmax": softmax["verdict"], "sparsemax": sparsemax["verdict"]}


def loss_gradients() -> str:
    return vg.row_loss_gradients(losses.loss_gradients(4, 3, 1e-6, 0))["verdict"]


def zero_one() -> str:
    return vg.row_zero_one(losses.zero_one_fd(200, 3, [1e-2, 1e-4], 0))["verdict"]


def param_gradients() -> str:
    return vg.row_param_gradients(backprop.gradcheck_table(*NETS, [0.0, 0.01], 1e-6, 0))["verdict"]


def layer_gradients() -> str:
    return vg.row_layer_gradients(backprop.layer_table(*NETS, 1e-6, 0))["verdict"]


def test_undamaged_rows_are_reproduced():
    assert ranges() == identity() == derivatives() == "reproduced"
    assert init_sparsity() == {"symmetric": "reproduced", "biased": "reproduced"}
    assert trained_sparsity() == "reproduced"
    assert map_rows() == {"softmax": "reproduced", "sparsemax": "reproduced"}
    assert loss_gradients() == zero_one() == param_gradients() == layer_gradients() == "reproduced"


# ---------------------------------------------------------------- defects
def replace(monkeypatch, name: str, g=None, derivative=None) -> None:
    """Register a damaged elementwise activation under `name` (value or derivative replaced)."""
    a = ACTIVATIONS[name]
    monkeypatch.setitem(ACTIVATIONS, name, elementwise(g or a.g, derivative or a.derivative))


def test_sabotage_relu_clipped_at_6(monkeypatch):
    replace(monkeypatch, "relu", g=lambda z, out=None: np.clip(z, 0.0, 6.0, out=out))  # relu6: bounded above
    assert ranges() in NOT_REPRODUCED


def test_sabotage_tanh_replaced_by_a_non_monotone_map(monkeypatch):
    replace(monkeypatch, "tanh", g=lambda z, out=None: np.multiply(0.9, np.sin(z), out=out))  # inside (-1, 1)
    assert ranges() in NOT_REPRODUCED


def test_sabotage_sigmoid_clipped_flat(monkeypatch):
    replace(monkeypatch, "sigmoid", g=lambda z, out=None: np.clip(expit(z), 0.01, 0.99, out=out))
    assert ranges() in NOT_REPRODUCED


def test_sabotage_sigmoid_with_the_wrong_scale(monkeypatch):
    replace(monkeypatch, "sigmoid", g=lambda z, out=None: expit(2 * z, out=out))  # 1 / (1 + e^-2z)
    assert identity() in NOT_REPRODUCED


def test_sabotage_sigmoid_in_single_precision(monkeypatch):
    replace(monkeypatch, "sigmoid", g=lambda z, out=None: expit(z.astype(np.float32)).astype(z.dtype))
    assert identity() in NOT_REPRODUCED


def test_sabotage_sigmoid_derivative_sigma_times_one_plus_sigma(monkeypatch):
    replace(monkeypatch, "sigmoid", derivative=lambda z, h, out=None: h * (1 + h))
    assert derivatives() in NOT_REPRODUCED


def test_sabotage_relu_derivative_one_everywhere(monkeypatch):
    replace(monkeypatch, "relu", derivative=lambda z, h, out=None: np.ones_like(z))
    assert derivatives() in NOT_REPRODUCED


def test_sabotage_tanh_derivative_off_by_a_factor_2(monkeypatch):
    replace(monkeypatch, "tanh", derivative=lambda z, h, out=None: 2 * (1 - h**2))
    assert derivatives() in NOT_REPRODUCED
    assert param_gradients() in NOT_REPRODUCED and layer_gradients() in NOT_REPRODUCED


def test_sabotage_tanh_itself_off_by_a_percent(monkeypatch):
    replace(monkeypatch, "tanh", g=lambda z, out=None: np.tanh(1.01 * z, out=out))  # the lecture's tanh' misses it
    assert derivatives() == "not reproduced"


LEAKY = {
    "g": lambda z, out=None: np.maximum(z, 0.01 * z, out=out),
    "derivative": lambda z, h, out=None: np.where(z > 0, 1.0, 0.01),
}


def test_sabotage_relu_that_leaks_has_no_exact_zeros_at_init(monkeypatch):
    replace(monkeypatch, "relu", **LEAKY)
    assert init_sparsity()["biased"] == "not reproduced"


def test_sabotage_relu_that_leaks_has_no_exact_zeros_after_training(monkeypatch):
    replace(monkeypatch, "relu", **LEAKY)
    assert trained_sparsity() == "not reproduced"


def test_sabotage_unconverged_members_do_not_count():
    # a tolerance no member reaches within 20 epochs: nothing counts, so nothing is reproduced
    assert trained_sparsity(tol=1e-9) == "not reproduced"


def test_sabotage_sparsemax_replaced_by_softmax(monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "sparsemax", ACTIVATIONS["softmax"])
    assert map_rows() == {"softmax": "reproduced", "sparsemax": "not reproduced"}


def test_sabotage_softmax_clipped_to_zero_below_1e_300(monkeypatch):
    sm = ACTIVATIONS["softmax"]

    def clipped(z):
        p = sm.g(z)
        p = np.where(p < 1e-300, 0.0, p)
        return p / p.sum(-1, keepdims=True)

    monkeypatch.setitem(ACTIVATIONS, "softmax", Activation(clipped, sm.vjp, None))
    assert map_rows() == {"softmax": "not reproduced", "sparsemax": "reproduced"}


def test_sabotage_cross_entropy_gradient_doubled(monkeypatch):
    ce = LOSSES["cross_entropy"]

    def doubled(z, f, Y, out):
        value, grad = ce.value_and_grad(z, f, Y, out)
        return value, 2 * grad

    monkeypatch.setitem(LOSSES, "cross_entropy", ce._replace(value_and_grad=doubled))
    assert loss_gradients() == "not reproduced"


def test_sabotage_cross_entropy_of_a_wrong_softmax(monkeypatch):
    # value and gradient consistent with each other (FD agrees), but of softmax(2z)/2: only the
    # closed form written out in the experiment can tell
    def hot(z, f, Y, out):
        p = ACTIVATIONS["softmax"].g(2 * z)
        m = z.max(-1, keepdims=True)
        value = (m[..., 0] + np.log(np.exp(2 * (z - m)).sum(-1)) / 2) - (Y * z).sum(-1)
        return value, p - Y

    monkeypatch.setitem(LOSSES, "cross_entropy", Loss(hot, "softmax", True))
    assert loss_gradients() == "not reproduced"


def test_sabotage_zero_one_loss_as_the_expected_error(monkeypatch):
    # 1 - softmax_y(z), a smooth stand-in often mistaken for the 0/1 loss
    def expected(z, y):
        p = ACTIVATIONS["softmax"].g(z)
        return 1 - np.take_along_axis(p, np.broadcast_to(np.asarray(y)[..., None], p.shape[:-1] + (1,)), -1)[..., 0]

    monkeypatch.setattr(losses, "zero_one_loss", expected)
    assert zero_one() == "not reproduced"


def damaged_backward(defect: str):
    """The core's backward loop with one defect: 'skip_vjp' (layer 1 skips g'), 'W' (W instead of W^T)."""

    def backward(net, params, cache, grad_z):
        grads = [None] * len(params)
        vjp = ACTIVATIONS[net.hidden].vjp
        for l in range(len(params), 0, -1):
            W, _ = params[l - 1]
            grads[l - 1] = (grad_z.swapaxes(-1, -2) @ cache[l - 1][1], grad_z.sum(axis=-2))
            if l > 1:
                grad_h = grad_z @ (W.swapaxes(-1, -2) if defect == "W" else W)
                z, h = cache[l - 1]
                grad_z = grad_h if defect == "skip_vjp" and l == 2 else vjp(z, h, grad_h)
        return grads

    return backward


def test_sabotage_backward_skips_the_activation_vjp_in_one_layer(monkeypatch):
    monkeypatch.setattr(mlp.network, "backward", damaged_backward("skip_vjp"))
    assert param_gradients() in NOT_REPRODUCED and layer_gradients() in NOT_REPRODUCED


def test_sabotage_backward_uses_W_instead_of_W_transpose(monkeypatch):
    monkeypatch.setattr(mlp.network, "backward", damaged_backward("W"))
    assert param_gradients() in NOT_REPRODUCED and layer_gradients() in NOT_REPRODUCED


def test_damaged_backward_without_a_defect_is_faithful(monkeypatch):
    # the copy of the loop used above, with no defect, gives the undamaged verdicts
    monkeypatch.setattr(mlp.network, "backward", damaged_backward("none"))
    assert param_gradients() == layer_gradients() == "reproduced"
