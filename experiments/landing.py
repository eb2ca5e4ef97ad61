"""The first page of the HTML report (`snakemake --report report.html`): the claims table,
verdicts colour-coded, each claim linking to its figures in the report; then what a partial
run has not made yet.

Snakemake renders the page from reStructuredText; the table goes in as raw HTML so that
verdicts can carry colours and links open the report's own view of a figure
(`app.showResultInfo(path)`, the call Snakemake's report app makes itself). The page's style
lets the table use the full width and start at the top (the report centres its landing text,
which cuts off the top of a long page).
"""

import html
from pathlib import Path
from urllib.parse import quote

import pandas as pd

VERDICT_COLOURS = {  # Okabe-Ito: green, orange, vermillion, grey
    "reproduced": "#009E73",
    "partly": "#E69F00",
    "not reproduced": "#D55E00",
    "not checked": "#999999",
}
STYLE = """<style>
div.justify-center:has(table.claims) {align-items: flex-start; justify-content: flex-start;}
div.prose:has(table.claims) {max-width: none;}
table.claims {border-collapse: collapse; font-size: 13px; margin: 1em 0; width: 100%;}
table.claims th, table.claims td {border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left;}
table.claims th {background: #f2f2f2;}
table.claims tr.claim td {background: #f7f7f7; padding-top: 8px;}
table.claims td.verdict {font-weight: bold; color: white; white-space: nowrap;}
table.claims td.measured {min-width: 30em;}
table.claims a {color: #0072B2;}
</style>"""


def _figure_links(evidence: str, in_report: set[str]) -> str:
    """The evidence paths of a row that the report holds, as links to their report view."""
    links = []
    for path in (p.strip() for p in evidence.split(";")):
        if path in in_report:
            links.append(
                f"<a href=\"javascript:app.showResultInfo('{quote(path)}')\">{html.escape(Path(path).name)}</a>"
            )
    return "<br>".join(links)


def claims_html(claims: pd.DataFrame, in_report: set[str]) -> str:
    """The claims table as an HTML table: a heading row per claim (id and statement), then one
    row per measurement: kind, verdict (coloured), what was measured, the criterion, and links
    to the figures in the report."""
    rows, previous = [], None
    for r in claims.itertuples():
        if r.claim != previous:
            rows.append(f'<tr class="claim"><td colspan="5"><b>{r.claim}</b> {html.escape(r.statement)}</td></tr>')
            previous = r.claim
        colour = VERDICT_COLOURS.get(r.verdict, "#999999")
        rows += [
            "<tr>",
            f'<td>{html.escape(r.kind)}</td><td class="verdict" style="background:{colour}">{html.escape(r.verdict)}</td>',
            f'<td class="measured">{html.escape(r.measured)}</td>',
            f"<td>{html.escape(r.criterion)}</td>",
            f"<td>{_figure_links(r.evidence, in_report)}</td>",
            "</tr>",
        ]
    head = "<tr><th>kind</th><th>verdict</th><th>measured</th><th>criterion</th><th>figures</th></tr>"
    return "\n".join([*STYLE.splitlines(), '<table class="claims">', head, *rows, "</table>"])


def landing_rst(intro: str, claims_csv: Path, in_report: set[str], missing: list[str]) -> str:
    """The report's first page: `intro` (reStructuredText), the claims table (or a note that it
    has not been made yet), and the outputs a partial run has not made."""
    parts = [intro.rstrip(), ""]
    claims = pd.read_csv(claims_csv, keep_default_na=False) if claims_csv.exists() else None
    if claims is None:
        parts += ["**The claims table has not been made yet**: run ``snakemake --cores 2`` first.", ""]
    else:
        parts += [".. raw:: html", "", *("   " + line for line in claims_html(claims, in_report).splitlines()), ""]
    if missing:
        parts += [f"**Not made yet** ({len(missing)} outputs; this report shows what exists):", ""]
        parts += [f"- ``{m}``" for m in missing] + [""]
    return "\n".join(parts) + "\n"
