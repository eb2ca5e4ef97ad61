"""Bad input: a catalogue of invalid configurations, each rejected before any job runs with a
message naming the key, the value and what is allowed.

The catalogue is checked in-process (a few ms per case) with the same `check` the Snakefile
calls (experiments/config.py, the only validation: it also rejects what JSON schema lets
through, such as NaN). Most cases are generated from the assembled schema (every family's
experiments/<family>/schema.yaml) and config.quick.yaml as they are when the test runs, so
every family's schema is covered as it is written; a hand-written list adds the typical
mistakes. Two real `snakemake` runs show that the rejection happens before any job.
"""

import copy
import math

import pytest
import yaml
from conftest import ROOT, smk
from jsonschema import Draft202012Validator

from experiments.config import ConfigError, check, key_path, messages, schema, show

SCHEMA = schema()
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
QUICK = yaml.load((ROOT / "config.quick.yaml").read_text(), Loader=LOADER)
DEFAULT = yaml.load((ROOT / "config.yaml").read_text(), Loader=LOADER)
MISSING = object()


def get(config, path):
    for p in path:
        config = config[p]
    return config


def mutate(config, path, value):
    """A deep copy of `config` with the key at `path` set to `value` (deleted for MISSING)."""
    new = copy.deepcopy(config)
    if not path:
        return value
    parent = get(new, path[:-1])
    if value is MISSING:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return new


# ------------------------------------------------------------------ generated from the schema


def _resolve(schema):
    ref = schema.get("$ref", "")
    if ref.startswith("#/"):
        return _resolve(get(SCHEMA, ref[2:].split("/")))
    return schema


def generated(schema, value, path):
    """(path, bad value, what the message must say is allowed) for the key at `path`."""
    s = _resolve(schema)
    if isinstance(value, dict):
        props = s.get("properties", {})
        if s.get("additionalProperties") is False:
            yield path + ["unknown_knob"], 1, f"allowed keys here: {', '.join(sorted(props)) or 'none'}"
        for k, v in value.items():
            if k in props:
                yield from generated(props[k], v, path + [k])
        return
    if isinstance(value, list):
        if s.get("minItems", 0) >= 1:
            yield path, [], f"must be a list of at least {s['minItems']} item"
        if "maxItems" in s and value:
            yield path, value + [value[0]] * (s["maxItems"] + 1 - len(value)), f"at most {s['maxItems']} items"
        if s.get("uniqueItems") and value and len(value) < s.get("maxItems", math.inf):
            yield path, value + [value[0]], "list items must be distinct"
        if value and "items" in s:
            yield from generated(s["items"], value[0], path + [0])
        return
    if "enum" in s:
        yield path, "no_such_name", "must be one of " + ", ".join(show(x) for x in s["enum"])
    kind = s.get("type")
    if kind == "integer":  # a fraction inside the range (else a string): only the type is wrong
        inside = [
            v + 0.5 for v in (value, value - 1) if s.get("minimum", -math.inf) <= v + 0.5 <= s.get("maximum", math.inf)
        ]
        yield path, (inside + ["3"])[0], "must be an integer"
    if kind == "number":
        yield path, "fast", "must be a number"
        yield path, float("nan"), "must be a finite number"
    if kind == "boolean":
        yield path, "yes", "must be true or false"
    if kind in ("integer", "number"):
        if "minimum" in s:
            yield path, s["minimum"] - 1, f"must be >= {s['minimum']}"
        if "exclusiveMinimum" in s:
            yield path, s["exclusiveMinimum"], f"must be > {s['exclusiveMinimum']}"
        if "maximum" in s:
            yield path, s["maximum"] + 1, f"must be <= {s['maximum']}"
        if "multipleOf" in s:
            step = s["multipleOf"]
            bad = value + step / 2 if value + step / 2 <= s.get("maximum", math.inf) else value - step / 2
            yield path, bad, f"must be a multiple of {step}"


GENERATED = [(tuple(p), v, a) for p, v, a in generated(SCHEMA, QUICK, [])]

# ------------------------------------------------------------------ hand-written catalogue

FAMILIES = [k for k in SCHEMA["required"] if SCHEMA["properties"][k].get("type") == "object"]
HAND = [
    # the whole file / the family blocks
    ((), ["logic"], "must be a mapping of keys to values"),
    (("typo_family",), {}, "allowed keys here: " + ", ".join(sorted(SCHEMA["properties"]))),
    *[((f,), MISSING, "required") for f in FAMILIES],
    *[((f,), [1, 2], "must be a mapping of keys to values") for f in FAMILIES],
    # the typical mistakes in the families that have schemas
    (("logic", "xor_mlp", "widths", 1), 0, "must be >= 1"),
    (("logic", "xor_mlp", "widths"), [], "must be a list of at least 2 items"),
    (("logic", "xor_mlp", "lr"), -0.1, "must be > 0"),
    (("logic", "neuron", "lr"), 0, "must be > 0"),
    (("logic", "neuron", "seeds"), 0, "must be >= 1"),
    (("logic", "neuron", "seeds"), 2.5, "must be an integer"),
    (("logic", "neuron", "seeds"), True, "must be an integer"),
    (("logic", "neuron", "init"), "xavier", "must be one of 'glorot', 'he', 'playground'"),
    (("logic", "xor_mlp", "activations", 0), "swish", "must be one of 'linear', 'relu', 'sigmoid', 'sign', 'tanh'"),
    (("logic", "xor_mlp", "width"), [2, 4], "allowed keys here: "),
    (("logic", "count_n", 0), 5, "must be <= 4"),
    (("activations", "seed"), -1, "must be >= 0"),
    (("activations", "functions", "fd_step"), 0.1, "must be <= 0.001"),
    (("activations", "maps", "classes"), 1, "must be >= 2"),
    (("playground", "configs"), [], "must be a list of at least 1 item"),
    (("playground", "configs", 0, "dataset"), "moons", "must be one of 'circle', 'gauss', 'spiral', 'xor'"),
    (("playground", "configs", 0, "activation"), "gelu", "must be one of 'tanh', 'relu', 'sigmoid', 'linear'"),
    (("playground", "configs", 0, "hidden"), [4] * 7, "must be a list of at most 6 items"),
    (("playground", "configs", 0, "hidden", 0), 9, "must be <= 8"),
    (("playground", "train_pct"), 55, "must be a multiple of 10"),
    (("playground", "lr"), "fast", "must be a number"),
    (("playground", "lr"), float("inf"), "must be a finite number"),
    (("playground", "noise"), float("nan"), "must be a finite number"),
    (("playground", "features", 0), "x3", "must be one of 'x1', 'x2'"),
    (("approximation", "width", "widths", 0), 0, "must be >= 1"),
    (("approximation", "width", "targets", 0), "cosine", "must be one of 'abs', 'bumps', 'kink', 'oscillating'"),
    (
        ("approximation", "width", "activations", 0),
        "softmax",
        "must be one of 'linear', 'relu', 'sigmoid', 'sign', 'tanh'",
    ),
    (("approximation", "width", "sgd", "schedule", 0, "lr"), -1.0, "must be > 0"),
    (("regions", "depth", "train", "dataset"), "moons", "must be one of 'circle', 'gauss', 'spiral', 'xor'"),
    (("regions", "depth", "train", "noise"), 0.9, "must be <= 0.5"),
    (("training", "l2", "lambdas"), [0, 0.1], "must be a list of at least 3 items"),
    (("training", "l2", "lambdas", 1), -0.01, "must be >= 0"),
    (("training", "l2", "activation"), "softplus", "must be one of 'linear', 'relu', 'sigmoid', 'sign', 'tanh'"),
    (("training", "sgd", "data_seed"), -3, "must be >= 0"),
    (("training", "sgd", "curve_lrs", 0), 0, "must be > 0"),
]
CATALOGUE = [("hand", *c) for c in HAND] + [("schema", *c) for c in GENERATED]


def is_unknown_key(path) -> bool:
    """Whether the last key of `path` is not a property of its (object) parent in the schema."""
    s = SCHEMA
    for p in path[:-1]:
        s = _resolve(s)
        s = s["items"] if isinstance(p, int) else s.get("properties", {}).get(p, {})
    s = _resolve(s)
    return isinstance(path[-1], str) and path[-1] not in s.get("properties", {})


def case_id(case):
    origin, path, value, _ = case
    shown = "missing" if value is MISSING else show(value)
    return f"{origin}:{key_path(path)}={shown}"[:90]


def test_check_raises_naming_every_problem():
    bad = mutate(mutate(QUICK, ["logic", "neuron", "lr"], -1), ["activations", "seed"], "zero")
    with pytest.raises(ConfigError) as exc:
        check(bad, SCHEMA)
    assert str(exc.value).splitlines() == [
        "invalid configuration (2 problems; schemas: experiments/<family>/schema.yaml):",
        "  config key 'activations.seed': value 'zero' is not allowed: must be an integer",
        "  config key 'logic.neuron.lr': value -1 is not allowed: must be > 0",
    ]


def test_shipped_configs_are_valid():
    assert messages(QUICK, SCHEMA) == []
    assert messages(DEFAULT, SCHEMA) == []
    check(QUICK, SCHEMA)


def test_catalogue_is_large_and_covers_every_family_with_a_schema():
    assert len(CATALOGUE) >= 20
    with_schema = [f for f in FAMILIES if SCHEMA["properties"][f].get("properties")]
    covered = {path[0] for _, path, _, _ in CATALOGUE if len(path) > 1}
    assert set(with_schema) <= covered, f"families with a schema but no generated case: {set(with_schema) - covered}"


@pytest.mark.parametrize("case", CATALOGUE, ids=case_id)
def test_invalid_config_is_rejected_with_key_value_and_allowed(case):
    origin, path, value, allowed = case
    if origin == "hand" and len(path) > 1:
        try:
            get(QUICK, path[:-1])
        except (KeyError, IndexError, TypeError):
            pytest.fail(f"catalogue case refers to {key_path(path)}, which config.quick.yaml no longer has: update it")
    bad = mutate(QUICK, list(path), value)
    text = "\n".join(["header", *messages(bad, SCHEMA)])  # what check() raises, without re-reading the schema
    key = key_path(path)
    lines = [line.strip() for line in text.splitlines() if f"config key '{key}'" in line]
    assert len(lines) == 1, f"no single line names key {key!r}:\n{text}"
    line = lines[0]
    if value is MISSING:
        assert "missing, but required" in line
    elif path and is_unknown_key(path):
        assert "unknown key" in line and show(value) in line
    else:
        assert f"value {show(value)} is not allowed" in line, line
    assert allowed in line, line
    # only the mutated key is reported: the rest of the configuration is fine
    other = [x for x in text.splitlines()[1:] if key not in x]
    assert other == [], other
    # plain JSON schema (Draft 2020-12) rejects it too, except non-finite numbers: minimum and
    # maximum let NaN through, which is why `check` looks for them itself
    non_finite = isinstance(value, float) and not math.isfinite(value)
    assert Draft202012Validator(SCHEMA).is_valid(bad) is non_finite


def write_config(tmp_path, config):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.mark.timeout(120)
def test_snakemake_dry_run_rejects_bad_config_before_planning(tmp_path):
    """`snakemake -n` with two mistakes: both named (key, value, allowed), no DAG is built."""
    bad = mutate(QUICK, ["logic", "xor_mlp", "widths", 1], 0)
    bad["extra_family"] = {}
    wd = tmp_path / "wd"
    r = smk(wd, "-n", configfile=write_config(tmp_path, bad))
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "invalid configuration (2 problems" in out
    assert "config key 'logic.xor_mlp.widths[1]': value 0 is not allowed: must be >= 1" in out
    assert "config key 'extra_family': unknown key" in out
    assert "Building DAG of jobs" not in out and "Job stats" not in out


@pytest.mark.timeout(120)
def test_snakemake_run_rejects_bad_config_before_any_job(tmp_path):
    """A real run (`--cores 1`) with an unknown activation writes nothing."""
    bad = mutate(QUICK, ["playground", "configs", 1, "activation"], "gelu")
    wd = tmp_path / "wd"
    r = smk(wd, "--cores", "1", configfile=write_config(tmp_path, bad))
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "config key 'playground.configs[1].activation': value 'gelu' is not allowed: must be one of" in out
    assert not any((wd / d).exists() for d in ("results", "figures", "logs"))
