"""The suite as a whole: its families' plans and the check of a configuration before any job.

The Snakefile calls `check_config(config)`; `python -m experiments.suite [FILE ...]` runs the
same check on config.yaml with override files merged in (as `--configfile FILE` would), and
names the file and line of a YAML error in any of them (Snakemake's own loading of a
`--configfile` does not).
"""

import argparse
import sys
from importlib import import_module

from experiments.config import ROOT, ConfigError, check, families, load_config, load_yaml, merge


def plans() -> dict:
    """family -> its plan module (experiments/<family>/plan.py), for the families that have one."""
    return {
        f: import_module(f"experiments.{f}.plan") for f in families() if (ROOT / "experiments" / f / "plan.py").exists()
    }


def check_config(config: dict) -> None:
    """Schema, cross-field checks and cost limits of every family; ConfigError lists all problems."""
    check(config, plans=plans())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.suite", description=__doc__.splitlines()[0])
    parser.add_argument("overrides", nargs="*", help="config files merged into config.yaml, in order")
    args = parser.parse_args(argv)
    try:
        config = load_config(ROOT / "config.yaml")
        for path in args.overrides:
            config = merge(config, load_yaml(path))
        check_config(config)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"configuration ok ({', '.join(['config.yaml', *args.overrides])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
