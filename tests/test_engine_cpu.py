"""Training gives the same bits whichever SIMD code NumPy dispatches to: small nets trained in
a subprocess with NumPy's AVX-512 paths disabled (as on an AVX2 machine) end with exactly
the parameters and losses of a normal run."""

import json
import os
import subprocess
import sys

import pytest

NO_AVX512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"

SCRIPT = """
import hashlib, json, sys
import numpy as np
from mlp.activations import ACTIVATIONS
from mlp.data import Split
from mlp.network import Net, init, predict
from mlp.seeding import rngs
from mlp.train import train

CASES = [  # (sizes, hidden, output, loss, init)
    ((2, 4, 2, 1), "tanh", "tanh", "squared", "playground"),
    ((2, 8, 8, 1), "relu", "linear", "squared", "he"),
    ((2, 3, 1), "sigmoid", "sigmoid", "binary_cross_entropy", "glorot"),
    ((2, 6, 3), "tanh", "softmax", "cross_entropy", "glorot"),
    ((2, 16, 3), "relu", "softmax", "cross_entropy", "he"),
]
if sys.argv[1:] == ["np.exp softmax"]:  # the defect of the sabotage test: softmax through np.exp
    from scipy.special import softmax
    ACTIVATIONS["softmax"] = ACTIVATIONS["softmax"]._replace(g=lambda z: softmax(z, axis=-1))
r = np.random.default_rng(0)
X = r.uniform(-3, 3, (60, 2))
labels = (np.sin(2 * X[:, 0]) * X[:, 1] > 0).astype(int) + (X[:, 0] > 1)
digest = {}
for sizes, hidden, output, loss, scheme in CASES:
    C = sizes[-1]
    Y = np.eye(C)[labels % C] if loss == "cross_entropy" else (labels[:, None] % 2).astype(float)
    if output == "tanh":
        Y = 2 * Y - 1
    net = Net(sizes, hidden=hidden, output=output, loss=loss)
    seeds = range(8)
    res = train(net, init(net, scheme, rngs(seeds, "init")), Split(X, Y, X, Y), lr=0.1, batch_size=7, epochs=150,
                shuffle_rngs=rngs(seeds, "shuffle"), l2=1e-4)
    h = hashlib.sha256()
    for W, b in res.params:
        h.update(W.tobytes()); h.update(b.tobytes())
    h.update(res.history["train_loss"].tobytes())
    h.update(predict(net, res.params, X).tobytes())
    digest["-".join(map(str, sizes)) + " " + hidden + " " + loss] = h.hexdigest()
z = np.linspace(-20, 20, 10001)
digest["np.exp (a control: differs without AVX-512)"] = hashlib.sha256(np.exp(z).tobytes()).hexdigest()
print(json.dumps(digest))
"""


def run(env_extra: dict, *args) -> dict:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def avx512_dispatch() -> bool:
    from numpy._core._multiarray_umath import __cpu_features__

    return bool(__cpu_features__.get("AVX512F"))


@pytest.mark.skipif(not avx512_dispatch(), reason="NumPy dispatches no AVX-512 code on this CPU: nothing to disable")
def test_training_is_the_same_bits_without_avx512():
    normal, no_avx512 = run({}), run({"NPY_DISABLE_CPU_FEATURES": NO_AVX512})
    control = "np.exp (a control: differs without AVX-512)"
    assert normal.pop(control) != no_avx512.pop(control)  # the setting took effect: np.exp changed its bits
    assert normal == no_avx512


@pytest.mark.skipif(not avx512_dispatch(), reason="NumPy dispatches no AVX-512 code on this CPU: nothing to disable")
def test_sabotage_softmax_through_np_exp_is_caught():
    """The comparison can fail: with softmax computed through np.exp (scipy's softmax), the
    cross-entropy nets end with other bits without AVX-512; the others stay equal."""
    normal, no_avx512 = run({}, "np.exp softmax"), run({"NPY_DISABLE_CPU_FEATURES": NO_AVX512}, "np.exp softmax")
    changed = {k for k in normal if normal[k] != no_avx512[k]}
    softmax_nets = {k for k in normal if k.endswith(" cross_entropy")}
    assert len(softmax_nets) == 2 and changed == softmax_nets | {"np.exp (a control: differs without AVX-512)"}
