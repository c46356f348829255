"""The one-page fit report: heat maps, the ease table, verdicts, lengths and advice, as a PNG
and as an HTML page beside it (same pictures, tables as text)."""

from __future__ import annotations

import html
from pathlib import Path

from PIL import Image, ImageDraw

from dressform.body.mesh import Body
from dressform.drape.simulate import DrapedGarment
from dressform.fit.maps import heat_map_image
from dressform.fit.report import FitReport

_INK = (20, 20, 20)
_VERDICT_RGB = {"tight": (190, 30, 30), "snug": (200, 120, 0), "regular": (30, 130, 60),
                "loose": (40, 90, 180), "too long": (190, 30, 30), "too short": (190, 30, 30),
                "jumps": (190, 30, 30)}


def report_lines(report: FitReport) -> list[tuple[str, str | None]]:
    """The report's text, line by line, each with its verdict (for colour) or None."""
    lines: list[tuple[str, str | None]] = [
        (f"fit intent: {report.intent}; fabric: {report.fabric.name} (stretch limit "
         f"{100 * report.fabric.max_stretch:.0f} %)", None), ("", None),
        ("ease (garment - body, measured along the cloth)", None)]
    for e in report.ease:
        lines.append((f"  {e.name.removesuffix('_girth_cm').replace('_', ' '):12s} body "
                      f"{e.body_cm:6.1f} cm  garment {e.garment_cm:6.1f} cm  ease "
                      f"{e.ease_cm:+6.1f} cm ({e.ease_pct:+.0f} %)", None))
    lines += [("", None), ("verdict per region", None)]
    for v in report.verdicts.values():
        lines.append((f"  {v.region:10s} {v.verdict:8s} {v.reason}", v.verdict))
    lines += [("", None), ("lengths", None)]
    lines += [(f"  {c.describe()}", c.verdict) for c in report.lengths]
    if report.prints is not None:
        lines += [("", None), (f"{report.prints.kind} across the seams (matched where the "
                               "pattern asks)", None)]
        shown = set(map(id, report.prints.visible))
        lines += [(f"  {j.seam:34s} jumps {j.jump_mm:4.0f} mm"
                   f"{'  (matched seam)' if j.matched else ''}",
                   "jumps" if id(j) in shown else None) for j in report.prints.jumps]
    return lines


def write_report(report: FitReport, body: Body, garment: DrapedGarment, png: Path,
                 title: str, advice: str | None = None) -> tuple[Path, Path]:
    """Write `png` (one page) and an HTML page beside it; returns both paths."""
    png = Path(png)
    heats = report.heat_maps()
    maps = [heat_map_image(body, garment.vertices, garment.faces, h) for h in heats]
    lines = report_lines(report)
    if advice:
        lines = [(f"size advice: {advice}", None), ("", None), *lines]
    line_h = 16
    width = max(m.width for m in maps)
    text_h = 40 + line_h * len(lines)
    page = Image.new("RGB", (width, sum(m.height for m in maps) + text_h), "white")
    draw = ImageDraw.Draw(page)
    draw.text((10, 10), title, fill=_INK)
    for k, (text, verdict) in enumerate(lines):
        draw.text((10, 34 + k * line_h), text, fill=_VERDICT_RGB.get(verdict or "", _INK))
    y = text_h
    for m in maps:
        page.paste(m, (0, y))
        y += m.height
    png.parent.mkdir(parents=True, exist_ok=True)
    page.save(png)
    names = []
    for m, h in zip(maps, heats, strict=True):
        name = png.with_name(f"{png.stem}_{h.title.replace(' ', '_')}.png")
        m.save(name)
        names.append(name.name)
    page_html = png.with_suffix(".html")
    page_html.write_text(_html(title, lines, names), encoding="utf-8")
    return png, page_html


def _html(title: str, lines: list[tuple[str, str | None]], images: list[str]) -> str:
    rows = "\n".join(
        f'<div style="color: rgb{_VERDICT_RGB.get(v or "", _INK)}">{html.escape(t) or "&nbsp;"}'
        "</div>" for t, v in lines)
    pictures = "\n".join(f'<img src="{html.escape(n)}" alt="{html.escape(n)}">' for n in images)
    return (f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}"
            "</title></head>\n<body style='font-family: monospace; white-space: pre'>\n"
            f"<h1 style='font-family: sans-serif'>{html.escape(title)}</h1>\n{rows}\n"
            f"{pictures}\n</body></html>\n")
