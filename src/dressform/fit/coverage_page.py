"""The coverage report: charts (share each size fits, the size curve, the population over the
sizes, why the misfits do not fit) as a PNG, an HTML page with the tables, and a CSV with
every person's size or the reason there is none."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import numpy as np

from dressform.fit.coverage import CATEGORIES, CoverageReport


def write_coverage(report: CoverageReport, png: Path) -> tuple[Path, Path, Path]:
    """Write `png` (the charts), an HTML page and a per-person CSV beside it."""
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    _charts(report, png)
    page = png.with_suffix(".html")
    page.write_text(_html(report, png.name), encoding="utf-8")
    table = png.with_suffix(".csv")
    _people_csv(report, table)
    return png, page, table


def _charts(report: CoverageReport, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = report.labels
    x = np.arange(len(labels))
    fig, axes = plt.subplots(2, 2, figsize=(13, 9), dpi=100)
    fig.suptitle(f"{report.block} · {report.chart} chart · {report.intent} fit — "
                 f"{100 * report.share_fitted:.0f} % of {report.count} people fit some size",
                 fontsize=13)

    ax = axes[0, 0]
    ax.bar(x - 0.2, 100 * report.share_per_size, 0.4, label="people it fits", color="#3a7ca5")
    ax.bar(x + 0.2, 100 * report.size_curve, 0.4, label="size curve (production share)",
           color="#e09f3e")
    ax.set_xticks(x, labels)
    ax.set_ylabel("% of people")
    ax.set_title("share each size fits, and the size curve")
    ax.legend(fontsize=8)

    ax = axes[0, 1]
    _population_plot(ax, report)

    ax = axes[1, 0]
    counts = report.categories()
    values = [counts.get(c, 0) for c in CATEGORIES]
    ax.barh(range(len(CATEGORIES)), values, color="#b23a48")
    ax.set_yticks(range(len(CATEGORIES)), CATEGORIES, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15 * max(1, *values))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("people")
    ax.set_title(f"why no size fits ({sum(values)} people)")
    for k, v in enumerate(values):
        ax.text(v, k, f" {v}", va="center", fontsize=8)

    ax = axes[1, 1]
    ax.axis("off")
    ax.set_title("summary", loc="left")
    ax.text(0.0, 1.0, "\n".join(_wrapped(report.summary(), 80)), va="top", fontsize=8,
            family="monospace", transform=ax.transAxes)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)


def _population_plot(ax, report: CoverageReport) -> None:  # type: ignore[no-untyped-def]
    """The people over the first control girth and height (or the second girth), each
    coloured by their size, misfits as crosses; each size's fitting girths as a band."""
    import matplotlib.pyplot as plt

    pop = report.population
    idx = np.flatnonzero(report.judged)
    dim = report.sizes.dims[0]
    gx = pop.measurements[dim][idx]
    y_name = "height_cm" if "height_cm" in pop.measurements else \
        next((d for d in report.sizes.dims[1:]), dim)
    gy = pop.measurements[y_name][idx]
    pick = report.judgement.pick
    colours = plt.get_cmap("tab10" if len(report.labels) <= 10 else "tab20")
    bands = report.fitting_band_cm(0)
    if y_name == "height_cm" and np.isfinite(report.sizes.height_cm).all():
        from dressform.fit.coverage import HEIGHT_SLACK_CM

        ax.axhspan(report.sizes.height_cm[:, 0].min() - HEIGHT_SLACK_CM,
                   report.sizes.height_cm[:, 1].max() + HEIGHT_SLACK_CM, color="#888888",
                   alpha=0.12, label="sizes' heights")
    # Each size's band on its own rung at the foot, so overlapping sizes stay readable.
    foot = ax.get_xaxis_transform()
    for s, label in enumerate(report.labels):
        c = colours(s % colours.N)
        y = 0.015 + 0.012 * s
        ax.plot(bands[s], [y, y], color=c, lw=3, transform=foot, solid_capstyle="butt")
        sel = pick == s
        if sel.any():
            ax.scatter(gx[sel], gy[sel], s=8, color=c, label=label)
    miss = pick < 0
    if miss.any():
        ax.scatter(gx[miss], gy[miss], s=14, marker="x", color="black", label="no size")
    # Room under the people for the sizes' rungs.
    y_lo, y_hi = ax.get_ylim()
    ax.set_ylim(y_lo - 0.2 * (y_hi - y_lo), y_hi)
    ax.set_xlabel(f"{dim.removesuffix('_cm').replace('_', ' ')} (cm); bands: each size's fit")
    ax.set_ylabel(y_name.removesuffix("_cm").replace("_", " ") + " (cm)")
    ax.set_title("the population, by size")
    ax.legend(fontsize=7, markerscale=1.5, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _wrapped(lines: list[str], width: int) -> list[str]:
    import textwrap

    return [w for line in lines for w in textwrap.wrap(line, width) or [""]]


def _people_csv(report: CoverageReport, path: Path) -> None:
    pop = report.population
    row_of = {int(i): j for j, i in enumerate(report.people)}
    why = {i: (c, r) for i, c, r in report.misfits()}
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "sex", "size", "sizes_that_fit", "no_fit_category", "reason"])
        for i, name in enumerate(pop.names):
            if i in report.not_judged:
                w.writerow([name, pop.sex[i], "", "", "not judged", report.not_judged[i]])
                continue
            j = row_of[i]
            fits = [lab for lab, ok in zip(report.labels, report.judgement.fits[j],
                                           strict=True) if ok]
            p = int(report.judgement.pick[j])
            category, reason = why.get(i, ("", ""))
            w.writerow([name, pop.sex[i], report.labels[p] if p >= 0 else "", " ".join(fits),
                        category, reason])


def _html(report: CoverageReport, image: str) -> str:
    e = html.escape
    rows = []
    for s, label in enumerate(report.labels):
        girths = ", ".join(f"{d.removesuffix('_girth_cm')} "
                           f"{report.sizes.girth_cm[s, k] * report.ratio[k]:.1f}"
                           for k, d in enumerate(report.sizes.dims))
        rows.append(f"<tr><td>{e(label)}</td><td>{e(girths)}</td>"
                    f"<td>{100 * report.share_per_size[s]:.1f} %</td>"
                    f"<td>{100 * report.size_curve[s]:.1f} %</td></tr>")
    sample = "".join(
        f"<tr><td>{e(f.name)}</td><td>{e(f.size)}</td><td>{e(f.summary)}</td></tr>"
        for f in report.sample)
    misfits = report.misfits()
    names = report.population.names
    miss = "".join(f"<tr><td>{e(names[i])}</td><td>{e(c)}</td><td>{e(r)}</td></tr>"
                   for i, c, r in misfits[:200])
    more = f"<p>… and {len(misfits) - 200} more in the CSV.</p>" if len(misfits) > 200 else ""
    skipped = "".join(f"<li>{e(report.population.names[i])}: {e(why)}</li>"
                      for i, why in list(report.not_judged.items())[:50])
    summary = "".join(f"<li>{e(line)}</li>" for line in report.summary())
    title = f"coverage: {report.block} in the {report.chart} chart"
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body {{ font-family: sans-serif; margin: 2em; }} td, th {{ padding: 2px 10px;
text-align: left; }} table {{ border-collapse: collapse; }} tr:nth-child(even) {{
background: #f2f2f2; }}</style></head>
<body><h1>{e(title)}</h1><ul>{summary}</ul>
<img src="{e(image)}" alt="coverage charts" style="max-width: 100%">
<h2>sizes</h2><table><tr><th>size</th><th>finished girths (cm, as draped)</th>
<th>people it fits</th><th>size curve</th></tr>{"".join(rows)}</table>
<h2>drape sample</h2><table><tr><th>person</th><th>size</th><th>fitting</th></tr>{sample}
</table>
<h2>people no size fits ({len(misfits)})</h2><table><tr><th>person</th><th>why</th>
<th>nearest size's problems</th></tr>{miss}</table>{more}
<h2>not judged ({len(report.not_judged)})</h2><ul>{skipped}</ul>
</body></html>
"""
