"""Steps of the playground family: `train` (one configuration per job), `summarise` (seed
distributions and claim rows), `plots` (figures)."""

from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.playground import figures, maps, plan
from experiments.playground.budgets import candidates_table, depth_table
from experiments.playground.parity import parity_table
from experiments.playground.plan import config_name, map_epoch, runs, seed_epochs, seeds_of
from experiments.playground.port import train_config
from experiments.playground.reference import LECTURE
from experiments.playground.runs import curve_table, end_table, nets_table, pick_seeds, read_runs, run_path, seed_table
from experiments.playground.summary import (
    final_table,
    paired_table,
    reference_table,
    slide_name,
    stationarity,
    stationarity_table,
    summary_table,
)
from experiments.playground.verdicts import claim_rows


def train(cfg: dict, results, figures_dir) -> None:
    """One run (cfg["run"], cfg["config"]) -> runs/<name>_{curve,seeds,end,nets}.csv."""
    spec, name = cfg["config"], cfg["run"]
    if config_name(spec) != name:
        raise ValueError(f"run {name!r} does not match its configuration {config_name(spec)!r}")
    run, seeds = train_config(cfg, spec), seeds_of(cfg, spec)
    seeds_df = seed_table(run.history, seed_epochs(cfg), run.diverged_at)
    e = map_epoch(cfg, spec)
    write_table(curve_table(run.history), run_path(results, name, "curve"))
    write_table(seeds_df, run_path(results, name, "seeds"))
    write_table(end_table(run, spec, seeds, cfg["epochs"]), run_path(results, name, "end"))
    write_table(
        nets_table(run.paused, seeds, pick_seeds(seeds_df, e), e), run_path(results, name, "nets"), float_format="%.17g"
    )


def parity(cfg: dict, results, figures_dir) -> None:
    """Our port on Playground's deterministic scenario -> parity.csv."""
    write_table(parity_table(), results / "parity.csv", float_format="%.17g")


def summary_tables(cfg: dict, results) -> dict:
    """Every summary table from the run tables (each checked against the config)."""
    specs, seeds, ends = runs(cfg), read_runs(cfg, results, "seeds"), read_runs(cfg, results, "end")
    conv = {name: stationarity(df, cfg) for name, df in seeds.items()}
    cands = candidates_table(ends, conv, cfg)
    return {
        "seeds": {n: df.merge(conv[n], on="seed") for n, df in seeds.items()},
        "summary": summary_table(seeds, specs, cfg),
        "final": final_table(seeds, conv, specs, cfg),
        "stationarity": stationarity_table(seeds, specs, cfg),
        "references": reference_table(seeds, specs, cfg),
        "paired": paired_table(seeds, specs, cfg),
        "candidates": cands,
        "depth": depth_table(cands, ends, conv),
        "parity": read_table(results / "parity.csv", ["activation", "batch_size", "epoch", "split", "abs_diff"]),
    }


SUMMARY_FILES = {
    "summary": "summary",
    "final": "final",
    "stationarity": "stationarity",
    "references": "reference_percentiles",
    "paired": "paired_relu_tanh",
    "candidates": "budget_candidates",
    "depth": "depth_comparisons",
}


def summarise(cfg: dict, results, figures_dir) -> None:
    """Seed-distribution tables and the claim rows."""
    t = summary_tables(cfg, results)
    for key, file in SUMMARY_FILES.items():
        write_table(t[key], results / f"{file}.csv")
    write_table(claim_rows(t, runs(cfg), cfg), results / "claims.csv")


def plots(cfg: dict, results, figures_dir) -> None:
    """Every figure, from the run tables and the summary tables of `summarise`."""
    specs = runs(cfg)
    curves, nets, seeds = (read_runs(cfg, results, kind) for kind in ("curve", "nets", "seeds"))
    refs = read_table(results / "reference_percentiles.csv", ["source", "config", "epoch", "split", "percentile"])
    cands = read_table(
        results / "budget_candidates.csv",
        ["budget", "config", "chosen", "heldout_acc_median"],
        rows=sum(len(b["candidates"]) for b in cfg["budgets"]),
    )
    write_figure(figures.plot_loss_curves(curves, specs, cands, cfg), figures_dir / "loss_curves.png")
    write_figure(figures.plot_lecture_percentiles(seeds, refs, specs, cfg), figures_dir / "lecture_percentiles.png")
    write_figure(figures.plot_budgets(cands, cfg), figures_dir / "budgets.png")
    slide = [n for n in (slide_name(specs, a) for a in LECTURE) if n] or list(specs)[:1]
    write_figure(maps.plot_decision_maps(nets, seeds, specs, cfg, slide), figures_dir / "decision_maps.png")
    write_figure(maps.plot_all_maps(nets, seeds, specs, cfg), figures_dir / "decision_maps_all.png")
    unit_net = slide_name(specs, "tanh") or list(specs)[0]
    write_figure(maps.plot_hidden_units(nets[unit_net], specs[unit_net], cfg), figures_dir / "hidden_units.png")


STEPS = {
    "train": Step(train, plan.train_cells),
    "parity": Step(parity, lambda block: {"": {}}),
    "summarise": summarise,
    "plots": plots,
}

if __name__ == "__main__":
    cli(STEPS)
