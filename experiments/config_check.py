"""Check a configuration against config.schema.yaml and say, for every problem, which key,
which value, and what is allowed.

The Snakefile calls `check(config, schema_path)` before any job is planned; each violation
becomes one line such as

    config key 'logic.widths[2]': value 0 is not allowed: must be >= 1

(jsonschema's own messages do not name the key path). Non-finite numbers (.nan, .inf) are
rejected everywhere: a JSON-schema `minimum` or `maximum` does not catch NaN.
"""

import json
import math
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

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
            rules.setdefault(tuple(path), (err.instance, []))[1].append(allowed(err))
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


def load_schema(schema_path) -> dict:
    """The schema file as a dict (libyaml's loader when available: 10x faster)."""
    return yaml.load(Path(schema_path).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def check(config, schema_path) -> None:
    """Raise ConfigError naming every invalid key, its value and what is allowed."""
    problems = messages(config, load_schema(schema_path))
    if problems:
        raise ConfigError(
            f"invalid configuration ({len(problems)} problem{'s' if len(problems) > 1 else ''}; "
            f"schema: {Path(schema_path).name}):\n  " + "\n  ".join(problems) + "\n"
        )
