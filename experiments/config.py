"""The configuration: `config.yaml` (plus a user's partial override file), checked before any
job runs against the schema that each family declares beside its code.

`load_config` names the file, line and column of a YAML error. `schema()` assembles
`experiments/<family>/schema.yaml` into one JSON schema whose `$defs` list the names the core's
registries know (activations, losses, initialisations, datasets, features, 1-D targets), so
a new registry entry is accepted without a schema edit. `check` reports every invalid key in
one line each, e.g.

    config key 'logic.xor_mlp.widths[1]': value 0 is not allowed: must be >= 1

(jsonschema's own messages do not name the key path), then the families' cross-field checks
and cost estimates (`experiments/<family>/plan.py`). Non-finite numbers (.nan, .inf) are
rejected everywhere: a JSON-schema `minimum` or `maximum` does not catch NaN.
"""

import json
import math
from pathlib import Path
from typing import NamedTuple

import yaml
from jsonschema import Draft202012Validator

from mlp.activations import ACTIVATIONS, elementwise_names
from mlp.data import FEATURES, PLAYGROUND, PLAYGROUND_ACTIVATIONS, REGRESSION, TARGETS_1D
from mlp.losses import LOSSES
from mlp.network import INITS

ROOT = Path(__file__).resolve().parents[1]  # the checkout: Snakefile, config.yaml, experiments/
FAMILIES_DIR = ROOT / "experiments"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's loader when available: 10x faster
LIMITS_SCHEMA = {  # config.yaml's `limits`: what one job may cost (checked unless enforce_limits is false)
    "type": "object",
    "additionalProperties": False,
    "required": ["job_memory_gb", "job_model_steps"],
    "properties": {
        "job_memory_gb": {"type": "number", "exclusiveMinimum": 0},
        "job_model_steps": {"type": "number", "exclusiveMinimum": 0},
    },
}


def ensemble_gb(members: int, sizes, batch: int) -> float:
    """Estimated peak memory (GB) of training `members` nets of layer sizes [D, K_1, ..., C] on
    batches of `batch` points: parameters, gradients and optimiser buffers (4 x weights),
    activations and their gradients (6 x units per point), and the largest per-layer product
    slab of the fixed-order engine (K_l x K_{l-1} per point), in float64."""
    weights = [a * b for a, b in zip(sizes[1:], sizes[:-1])]
    per_member = 4 * sum(weights) + batch * (6 * sum(sizes) + max(weights))
    return 8e-9 * members * per_member


class Cost(NamedTuple):
    """A job's estimated peak memory and work (model-steps: ensemble members x optimisation
    steps, or the equivalent count of forward/backward passes), from its config."""

    job: str
    key: str  # the config key (under the family) that drives it
    memory_gb: float
    model_steps: float


TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "null",
}


class ConfigError(ValueError):
    """The configuration violates the schema; the message lists every violation."""


def key_path(path) -> str:
    """'logic.widths[2]' for the path ('logic', 'widths', 2); '<top level>' for ()."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def show(value) -> str:
    """A short, readable rendering of a config value."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"  # YAML's spelling
    text = repr(value) if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _types(t) -> str:
    return " or ".join(TYPE_WORDS.get(x, x) for x in ([t] if isinstance(t, str) else t))


def allowed(error) -> str:
    """What the schema allows at the failing key, in words."""
    v, s = error.validator, error.validator_value
    simple = {
        "type": lambda: f"must be {_types(s)}",
        "enum": lambda: f"must be one of {', '.join(show(x) for x in s)}",
        "const": lambda: f"must be {show(s)}",
        "minimum": lambda: f"must be >= {s}",
        "maximum": lambda: f"must be <= {s}",
        "exclusiveMinimum": lambda: f"must be > {s}",
        "exclusiveMaximum": lambda: f"must be < {s}",
        "multipleOf": lambda: f"must be a multiple of {s}",
        "minItems": lambda: f"must be a list of at least {s} item{'s' if s != 1 else ''}",
        "maxItems": lambda: f"must be a list of at most {s} items",
        "uniqueItems": lambda: "list items must be distinct",
        "minLength": lambda: f"must be a string of at least {s} characters",
        "maxLength": lambda: f"must be a string of at most {s} characters",
        "pattern": lambda: f"must match the pattern {s!r}",
        "minProperties": lambda: f"must have at least {s} key{'s' if s != 1 else ''}",
    }
    if v in simple:
        return simple[v]()
    if v in ("anyOf", "oneOf"):
        options = []
        for i, _ in enumerate(s):
            subs = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == i]
            options.append("; ".join(allowed(e) for e in subs) or "the alternative")
        return " or ".join(sorted(set(options), key=options.index))
    return error.message


def messages(config, schema: dict) -> list[str]:
    """One line per invalid key (all its violations joined), sorted by key path."""
    out = []  # (path, line)
    rules = {}  # key path -> (value, [what is allowed, ...]) for invalid values
    for err in Draft202012Validator(schema).iter_errors(config):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = set(err.schema.get("properties", {}))
            names = ", ".join(sorted(known)) or "none"
            for key in sorted(set(err.instance) - known, key=str):
                where = key_path(path + [key])
                line = (
                    f"config key '{where}': unknown key (value {show(err.instance[key])}); allowed keys here: {names}"
                )
                out.append((path + [key], line))
        elif err.validator == "required" and isinstance(err.instance, dict):
            for key in err.validator_value:
                if key not in err.instance:
                    where = key_path(path + [key])
                    required = ", ".join(err.validator_value)
                    out.append(
                        (path + [key], f"config key '{where}': missing, but required (required keys here: {required})")
                    )
        else:
            rules.setdefault(tuple(path), (err.instance, []))[1].append(allowed(err) + _string_number(err))
    for path, value, what in _non_finite(config, []):
        rules.setdefault(tuple(path), (value, []))[1].append(what)
    for path, (value, what) in rules.items():
        what = "; ".join(dict.fromkeys(what))
        out.append((list(path), f"config key '{key_path(path)}': value {show(value)} is not allowed: {what}"))
    out.sort(key=lambda item: [str(p) for p in item[0]])
    return list(dict.fromkeys(line for _, line in out))


def _non_finite(value, path) -> list:
    if isinstance(value, float) and not math.isfinite(value):
        return [(path, value, "must be a finite number")]
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _non_finite(v, path + [k])]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in _non_finite(v, path + [i])]
    return []


def _string_number(error) -> str:
    """A hint when YAML read a number as a string (PyYAML wants 1.0e+6, not 1.0e6 or 1e6)."""
    text = error.instance
    if error.validator != "type" or not isinstance(text, str):
        return ""
    try:
        value = float(text)
    except ValueError:
        return ""
    fix = f"{value:.1e}".replace("e+0", "e+").replace("e-0", "e-") if "e" in text.lower() else repr(value)
    return f" (YAML read {text!r} as a string, not a number: write it as {fix})"


def load_yaml(path) -> dict:
    """A YAML mapping; a syntax error names the file, line and column."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(), Loader=LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: YAML syntax error: {err.problem or err.context}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of keys to values, got {type(data).__name__}")
    return data


def merge(base: dict, override: dict) -> dict:
    """`override` on top of `base`: mappings merge key by key, lists and values replace."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_config(path=ROOT / "config.yaml", overrides: dict | None = None) -> dict:
    """The default configuration with a partial override (e.g. `--configfile my.yaml`) merged in."""
    return merge(load_yaml(path), overrides or {})


def families() -> list[str]:
    """Every experiment family: a folder experiments/<family>/ with its config schema."""
    return sorted(p.parent.name for p in FAMILIES_DIR.glob("*/schema.yaml"))


def registry_names() -> dict[str, list]:
    """The names the core's registries accept, as the schema's $defs (read now, so an entry
    registered at run time is included)."""
    return {
        "hidden": elementwise_names(),  # hidden activations g
        "output": sorted(ACTIVATIONS),  # output maps o
        "loss": sorted(LOSSES),
        "init": sorted(INITS),
        "dataset": sorted(PLAYGROUND),
        "classification_dataset": sorted(set(PLAYGROUND) - set(REGRESSION)),
        "feature": list(FEATURES),
        "playground_activation": list(PLAYGROUND_ACTIVATIONS),
        "target_1d": sorted(TARGETS_1D),
    }


def schema(names: list[str] | None = None) -> dict:
    """One JSON schema for the whole configuration: each family's schema.yaml under its key,
    the registries' names under $defs, and the top-level limits."""
    names = families() if names is None else names
    props = {f: load_yaml(FAMILIES_DIR / f / "schema.yaml") for f in names}
    props["limits"] = LIMITS_SCHEMA
    props["enforce_limits"] = {"type": "boolean"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "required": sorted(props),
        "properties": props,
        "$defs": {name: {"enum": values} for name, values in registry_names().items()},
    }


def check(config, spec: dict | None = None, plans: dict | None = None) -> None:
    """Raise ConfigError naming every invalid key, its value and what is allowed; then the
    families' cross-field checks and cost limits (`plans`: family -> its plan module)."""
    spec = schema() if spec is None else spec
    problems = messages(config, spec)
    if not problems and plans:
        problems = [line for family, plan in sorted(plans.items()) for line in plan.check(config[family])]
        # checks that need other families' blocks (e.g. the conclusion judges what they record)
        problems += [
            line
            for _, plan in sorted(plans.items())
            if hasattr(plan, "cross_check")
            for line in plan.cross_check(config)
        ]
        if not problems:
            problems = over_limits(config, plans)
    if problems:
        raise ConfigError(
            f"invalid configuration ({len(problems)} problem{'s' if len(problems) > 1 else ''}; "
            f"schemas: experiments/<family>/schema.yaml):\n  " + "\n  ".join(problems) + "\n"
        )


def over_limits(config, plans) -> list[str]:
    """One line per job whose estimated memory or work exceeds `limits` (unless enforce_limits
    is false): the family's key that drives it, the estimate and the limit."""
    limits = config["limits"]
    if not config["enforce_limits"]:
        return []
    out = []
    for family, plan in sorted(plans.items()):
        for cost in plan.cost(config[family]):
            for what, value, limit in (
                ("memory", cost.memory_gb, limits["job_memory_gb"]),
                ("work", cost.model_steps, limits["job_model_steps"]),
            ):
                if value > limit:
                    unit = "GB" if what == "memory" else "model-steps"
                    out.append(
                        f"config key '{family}.{cost.key}': job {cost.job} needs an estimated {value:.3g} {unit} of "
                        f"{what}, over limits.job_{'memory_gb' if what == 'memory' else 'model_steps'} = {limit:.3g} "
                        "(raise it, or run with --config enforce_limits=False)"
                    )
    return out
