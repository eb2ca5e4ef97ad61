"""The HTML report in a real headless browser (Debian's Chromium driven by Playwright): it
opens on the claims table, rendered as a table with coloured verdicts and links to the
figures, makes no network request, and builds after a partial run with a note of what is
missing. Where Chromium or Playwright is absent the tests skip, saying how to install them;
in CI (NN_CI=1, set by .ci/run, which installs both) a missing browser is a failure."""

import os
import shutil
import time
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from conftest import ok, smk

from experiments.landing import VERDICT_COLOURS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [  # no background traffic: the machine's network is closed and the page must not need it
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW = "install them with `apt-get install chromium` and `pip install -e '.[test]'`"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("NN_CI"):
            pytest.fail(f"playwright is not installed ({HOW})")
        pytest.skip(f"playwright is not installed: {HOW}")
    if not Path(CHROMIUM).exists():
        if os.environ.get("NN_CI"):
            pytest.fail(f"chromium is not installed ({HOW})")
        pytest.skip(f"chromium is not installed: {HOW}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_report(browser, report: Path):
    """The report loaded in a new page, with every request and page error recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_selector("#app > *", timeout=60_000)
    return page


def external(urls) -> list[str]:
    return [u for u in urls if not u.startswith(("file:", "data:", "blob:", "about:", "javascript:"))]


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])


@pytest.mark.timeout(600)
def test_report_opens_on_the_claims_table(quick_run, browser, tmp_path):
    report = quick_run / "report.html"
    ok(smk(quick_run, "--report", str(report)))
    claims = pd.read_csv(quick_run / "results/claims.csv", keep_default_na=False)
    page = open_report(browser, report)
    table = page.locator("table.claims")
    table.wait_for(timeout=30_000)
    # visible without clicking: the table starts inside the first screen
    box = table.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000, box
    assert page.locator("table.claims tr.claim").count() == claims["claim"].nunique()
    assert page.locator("table.claims td.verdict").count() == len(claims)
    verdicts = page.locator("table.claims td.verdict").all_inner_texts()
    assert verdicts == list(claims["verdict"])
    colours = page.locator("table.claims td.verdict").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).backgroundColor)"
    )
    want = [f"rgb({', '.join(map(str, rgb(VERDICT_COLOURS[v])))})" for v in claims["verdict"]]
    assert colours == want
    # the screenshot shows the coloured verdicts (a pixel test of what a reader sees)
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot))
    pixels = (mpimg.imread(shot)[..., :3] * 255).round().astype(int).reshape(-1, 3)
    seen = {v for v in set(claims["verdict"]) if (np.abs(pixels - rgb(VERDICT_COLOURS[v])).max(1) <= 2).sum() > 200}
    assert seen and seen <= set(VERDICT_COLOURS)
    # a claim's figure link opens the report's own view of that figure
    link = page.locator("table.claims a").first
    target = link.inner_text()
    link.evaluate("a => a.click()")
    page.wait_for_function(f"() => document.body.innerText.includes({target!r})", timeout=10_000)
    time.sleep(0.5)
    assert page.errors == []
    assert external(page.requests) == [], "the report made a network request"
    # every figure of the run is in the report
    html = report.read_text()
    assert [p.name for p in (quick_run / "figures").rglob("*.png") if p.name not in html] == []


@pytest.mark.timeout(600)
def test_report_after_a_partial_run_lists_what_is_missing(browser, tmp_path):
    wd = tmp_path / "partial"
    ok(smk(wd, "--cores", "1", "results/lecture_tables/claims.csv"))
    report = wd / "report.html"
    r = ok(smk(wd, "--report", str(report)))
    assert "Report created" in r.stderr + r.stdout
    page = open_report(browser, report)
    text = page.inner_text("body")
    assert "The claims table has not been made yet" in text
    assert "Not made yet" in text and "figures/logic/xor_success.png" in text
    assert external(page.requests) == [] and page.errors == []
