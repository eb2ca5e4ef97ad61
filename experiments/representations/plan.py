"""The representations family's plan: what each step reads from the config block
`representations`, its sweep cells, the cross-field checks and what each job costs (imported
by the Snakefile: stdlib only).

Each `*_cells(block) -> {cell name: cfg}` is used by rules.smk (a job's params) and by the CLI
(`Step(cells=...)`), so a rule and `python -m experiments.representations STEP` run the same
thing. A `projection` cell is one spectrum with all its seeds; a `features` cell is one
Playground dataset with every model and seed. A cell's params hold only its own value and the
training knobs, so adding a spectrum or a dataset reruns only the new cell and the summary.
"""

from experiments.config import Cost

PROCESS_GB = 0.3  # a step's interpreter with numpy, scipy, pandas and matplotlib loaded
TRUTH_TABLE_ROWS = 4  # the XOR neuron's training set
N_POINTS = 500  # Playground's classification datasets
MODELS = 3  # raw unit, engineered unit, hidden layer: trained per seed in a features cell
PROJECTION_KNOBS = ("K", "points", "data_seed", "seeds", "init", "lr", "lr_decay_epochs", "batch_size", "epochs")
FEATURE_KNOBS = ("engineered", "width", "activation", "seeds", "epochs", "lr", "batch_size", "train_pct", "noise")
FEATURE_KNOBS += ("init", "map_seed", "map_points")


def only(block: dict, *keys: str) -> dict:
    """The entries `keys` of a block; a key the block lacks is left out (the CLI's --help lists
    what a step reads even from an empty block; a step run without it fails on the key)."""
    return {k: block[k] for k in keys if k in block}


def projection_cells(block: dict) -> dict[str, dict]:
    """One cell per named spectrum: the auto-encoder trained on its data, all seeds in one ensemble."""
    p = block.get("projection", {})
    knobs = only(p, *PROJECTION_KNOBS, "checkpoints")
    return {name: {"name": name, "spectrum": spectrum, **knobs} for name, spectrum in p.get("spectra", {}).items()}


def xor_neuron_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block.get("xor_neuron", {}), "seeds", "lr", "epochs", "batch_size", "init")}


def feature_cells(block: dict) -> dict[str, dict]:
    """One cell per Playground dataset: raw unit, engineered unit and hidden layer on the same draws."""
    f = block.get("features", {})
    knobs = only(f, *FEATURE_KNOBS)
    return {dataset: {"dataset": dataset, **knobs} for dataset in f.get("datasets", [])}


def summary_cfg(block: dict) -> dict[str, dict]:
    """The tolerances and bars of the verdicts, and what the cell tables must hold."""
    p, n, f = (block.get(k, {}) for k in ("projection", "xor_neuron", "features"))
    return {
        "": {
            "projection": only(p, "spectra", "K", "seeds", "epochs", "checkpoints", "stationary_change")
            | only(p, "angle_tol", "excess_tol"),
            "xor_neuron": only(n, "seeds", "stationary_change"),
            "features": only(
                f, "datasets", "solvable", "engineered", "width", "activation", "seeds", "stationary_change"
            )
            | only(f, "accuracy_bar", "map_seed", "map_points"),
        }
    }


def gap_at(spectrum: list, K: int) -> bool:
    """lambda_K > lambda_K+1 (1-based): the top-K subspace is unique."""
    return spectrum[K - 1] > spectrum[K]


def pair_tie_at(spectrum: list, K: int) -> bool:
    """lambda_K = lambda_K+1 and no other eigenvalue equal to them: a 2-D eigenspace split by the cut."""
    tied = spectrum[K - 1]
    return spectrum[K] == tied and spectrum.count(tied) == 2


def _bad(key: str, value, what: str) -> str:
    return f"config key 'representations.{key}': value {value!r} is not allowed: {what}"


def _check_projection(p: dict) -> list[str]:
    out = []
    K = p["K"]
    for name, spectrum in p["spectra"].items():
        key = f"projection.spectra.{name}"
        if any(a < b for a, b in zip(spectrum, spectrum[1:])):
            out.append(_bad(key, spectrum, "must be sorted in descending order (lambda_1 >= ... >= lambda_D)"))
        elif K >= len(spectrum):
            out.append(_bad(key, spectrum, f"must have more than K = {K} eigenvalues (the bottleneck K < D)"))
        elif not (gap_at(spectrum, K) or pair_tie_at(spectrum, K)):
            out.append(
                _bad(key, spectrum, f"must have a gap at K = {K} (lambda_K > lambda_K+1) or a tie of exactly two")
            )
        elif p["points"] <= len(spectrum):
            out.append(_bad("projection.points", p["points"], f"must exceed D = {len(spectrum)} (to whiten the data)"))
    spectra = [s for s in p["spectra"].values() if len(s) > K]
    if not any(gap_at(s, K) for s in spectra) or not any(pair_tie_at(s, K) for s in spectra):
        out.append(
            _bad("projection.spectra", p["spectra"], f"need one spectrum with a gap and one with a tie at K = {K}")
        )
    if p["points"] % p["batch_size"]:
        out.append(
            _bad(
                "projection.batch_size",
                p["batch_size"],
                f"must divide points = {p['points']} (training resumes at every checkpoint; no leftover batch)",
            )
        )
    if p["checkpoints"] > p["epochs"]:
        out.append(_bad("projection.checkpoints", p["checkpoints"], f"must be <= epochs = {p['epochs']}"))
    if p["seeds"] < 2:
        out.append(_bad("projection.seeds", p["seeds"], "must be >= 2 (the tie row compares seeds' subspaces)"))
    return out


def _check_features(f: dict) -> list[str]:
    out = []
    extra = [d for d in f["solvable"] if d not in f["datasets"]]
    if extra:
        out.append(_bad("features.solvable", f["solvable"], f"must be among features.datasets {f['datasets']}"))
    if "xor" not in f["solvable"]:
        out.append(_bad("features.solvable", f["solvable"], "must include xor (C24: XOR is solvable once transformed)"))
    n_train = N_POINTS * f["train_pct"] // 100
    if n_train % f["batch_size"]:
        out.append(
            _bad(
                "features.batch_size",
                f["batch_size"],
                f"must divide the {n_train} training points (the run is split at 90% of the budget for its "
                "shadow run: a leftover batch would not carry over)",
            )
        )
    if f["map_seed"] >= f["seeds"]:
        out.append(_bad("features.map_seed", f["map_seed"], f"must be < seeds = {f['seeds']} (a trained seed)"))
    return out


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    return _check_projection(block["projection"]) + _check_features(block["features"])


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory and model-steps (members x optimisation steps, the shadow runs' last
    10% included; LPs counted as one step each). The nets are tiny: memory is the interpreter's."""
    n = block["xor_neuron"]
    out = [
        Cost(
            f"representations_projection[{name}]",
            "projection.seeds",
            PROCESS_GB,
            cell["seeds"] * cell["epochs"] * (cell["points"] // cell["batch_size"]),
        )
        for name, cell in projection_cells(block).items()
    ]
    out.append(
        Cost(
            "representations_xor_neuron",
            "xor_neuron.seeds",
            PROCESS_GB,
            2 * n["seeds"] * n["epochs"] * (TRUTH_TABLE_ROWS // n["batch_size"]),
        )
    )
    for dataset, cell in feature_cells(block).items():
        steps = 1.1 * cell["epochs"] * (N_POINTS * cell["train_pct"] // 100 // cell["batch_size"])  # shadow: +10%
        out.append(
            Cost(
                f"representations_features[{dataset}]",
                "features.seeds",
                PROCESS_GB,
                MODELS * cell["seeds"] * steps + 2 * cell["seeds"],
            )
        )
    out.append(Cost("representations_summary", "projection.seeds", PROCESS_GB, 0))
    return out
