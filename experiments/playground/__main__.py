"""Steps of the playground family: `train` (one configuration per job), `summarise` (seed
distributions and claim rows), `plots` (figures)."""

from experiments.cli import Step, cli
from experiments.io import write_figure, write_table
from experiments.playground import figures, plan
from experiments.playground.plan import config_name
from experiments.playground.port import map_epoch, record_epochs, seeds_of, train_config
from experiments.playground.runs import (
    config_specs,
    curve_table,
    load_runs,
    nets_table,
    pick_seeds,
    seed_table,
)
from experiments.playground.summary import (
    LECTURE,
    depth_table,
    paired_table,
    reference_table,
    slide_name,
    summary_table,
)
from experiments.playground.verdicts import claim_rows


def train(cfg: dict, results, figures_dir) -> None:
    """One configuration (cfg["run"], cfg["config"]) -> runs/<name>_{curve,seeds,nets}.csv."""
    spec, name = cfg["config"], cfg["run"]
    if config_name(spec) != name:
        raise ValueError(f"run {name!r} does not match its configuration {config_name(spec)!r}")
    history, theta, diverged = train_config(cfg, spec)
    _, per_seed = record_epochs(cfg)
    seeds_df = seed_table(history, per_seed, diverged)
    e = map_epoch(cfg, spec)
    runs = results / "runs"
    write_table(curve_table(history), runs / f"{name}_curve.csv")
    write_table(seeds_df, runs / f"{name}_seeds.csv")
    write_table(
        nets_table(theta, seeds_of(cfg, spec), pick_seeds(seeds_df, e), e),
        runs / f"{name}_nets.csv",
        float_format="%.17g",
    )


def summarise(cfg: dict, results, figures_dir) -> None:
    """Seed-distribution tables and the claim rows."""
    specs, seeds = config_specs(cfg), load_runs(cfg, results, "seeds")
    summary = summary_table(seeds, specs, cfg)
    refs = reference_table(seeds, specs, cfg)
    paired = paired_table(seeds, specs, cfg)
    write_table(summary, results / "summary.csv")
    write_table(refs, results / "reference_percentiles.csv")
    write_table(paired, results / "paired_relu_tanh.csv")
    depth = depth_table(seeds, specs, cfg)
    write_table(depth, results / "depth_relu.csv")
    write_table(claim_rows(summary, refs, paired, depth, specs, cfg), results / "claims.csv")


def plots(cfg: dict, results, figures_dir) -> None:
    """Every figure."""
    specs = config_specs(cfg)
    curves, seeds = load_runs(cfg, results, "curve"), load_runs(cfg, results, "seeds")
    nets = load_runs(cfg, results, "nets")
    refs = reference_table(seeds, specs, cfg)
    write_figure(figures.plot_loss_curves(curves, specs, cfg), figures_dir / "loss_curves.png")
    write_figure(figures.plot_lecture_percentiles(seeds, refs, specs, cfg), figures_dir / "lecture_percentiles.png")
    slide = [n for n in (slide_name(specs, a) for a in LECTURE) if n]
    write_figure(
        figures.plot_decision_maps(nets, seeds, specs, cfg, slide or list(specs)[:1]),
        figures_dir / "decision_maps.png",
    )
    write_figure(figures.plot_all_maps(nets, seeds, specs, cfg), figures_dir / "decision_maps_all.png")
    unit_net = slide_name(specs, "tanh") or list(specs)[0]
    write_figure(figures.plot_hidden_units(nets[unit_net], specs[unit_net], cfg), figures_dir / "hidden_units.png")


STEPS = {"train": Step(train, plan.train_cells), "summarise": summarise, "plots": plots}

if __name__ == "__main__":
    cli(STEPS)
