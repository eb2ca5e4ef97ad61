"""The README's two extension recipes, followed literally in a copy of the project and run
through Snakemake: a new activation (one function pair and one registry line in
mlp/activations.py, no other edit) is accepted by the config, trained, plotted, derivative- and
gradient-checked; a new family made by `python -m experiments.scaffold` has its row in the
claims table and its figure in the HTML report."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ENV, QUICK, ROOT, SMK
from test_paths import IGNORE

SOFTPLUS = """

# --- added by the README recipe "Add an activation": one function pair and one registry line
def _softplus(z, out=None):
    return np.logaddexp(0.0, z, out=out)


def _softplus_derivative(z, h, out=None):
    return expit(z, out=out)


ACTIVATIONS["softplus"] = elementwise(_softplus, _softplus_derivative)
"""
OVERRIDE = """# train the new activation in the logic family's XOR sweep
logic:
  xor_mlp:
    activations: [tanh, relu, softplus]
"""


def run(cmd, cwd, **kw):
    r = subprocess.run(cmd, cwd=cwd, env={**ENV, "PYTHONPATH": str(cwd)}, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{cmd} failed:\n{r.stderr[-4000:]}"
    return r


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """A copy of the project with softplus registered and a toy family scaffolded, run on the
    quick configuration: (copy, working directory)."""
    copy = tmp_path_factory.mktemp("extend") / "project"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    with open(copy / "mlp" / "activations.py", "a") as f:
        f.write(SOFTPLUS)
    run([sys.executable, "-m", "experiments.scaffold", "toy", "--claim", "C90", "--statement", "A toy claim."], copy)
    (copy / "extend.yaml").write_text(OVERRIDE)
    wd = copy.parent / "run"
    smk = [*SMK, "--cores", "2", "--configfile", str(QUICK), str(copy / "extend.yaml"), "--directory", str(wd)]
    run(smk, copy, timeout=1500)
    run([*smk, "--report", str(wd / "report.html")], copy, timeout=600)
    return copy, wd


@pytest.mark.timeout(1800)
def test_a_new_activation_is_trained_plotted_and_checked(extended):
    _, wd = extended
    derivatives = pd.read_csv(wd / "results/activations/derivative_check.csv")
    assert "softplus" in set(derivatives["activation"])
    ranges = pd.read_csv(wd / "results/activations/activation_ranges.csv")
    assert "softplus" in set(ranges["activation"])
    grads = pd.read_csv(wd / "results/activations/gradcheck.csv")
    soft = grads[grads["hidden"] == "softplus"]
    assert len(soft) > 0 and soft["passes"].all()
    xor = pd.read_csv(wd / "results/logic/xor_success.csv")
    assert set(xor["activation"]) == {"tanh", "relu", "softplus"}
    assert xor.loc[xor["activation"] == "softplus", "seeds"].min() > 0
    assert (wd / "figures/activations/activations.png").stat().st_size > 10_000


@pytest.mark.timeout(1800)
def test_a_scaffolded_family_has_its_row_and_its_figure(extended):
    copy, wd = extended
    claims = pd.read_csv(wd / "results/claims.csv", keep_default_na=False)
    row = claims[claims["claim"] == "C90"]
    assert len(row) == 1 and row["verdict"].iloc[0] == "reproduced" and row["statement"].iloc[0] == "A toy claim."
    html = (wd / "report.html").read_text()
    assert "measurements.png" in html and "C90" in html
    assert (copy / "tests/test_toy.py").exists()
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_toy.py"],
        cwd=copy,
        env={**ENV, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:]
