"""The preset gallery: one small JPEG per camera, light, backdrop, pose, hairstyle, skin tone
and fabric look, written to docs/gallery/ with an index (docs/gallery/README.md), so users
see what each preset gives before they pick one.

`python benchmarks/gallery.py` (about 50 minutes on two cores: preview quality, the sewing
close-ups at campaign sampling, and each pose re-drapes the outfit); `--only poses lights`
renders only those sections and puts them in the index in place of the old ones.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from bench_format import table
from clones import replace_section
from dressed import dressed_outfit, woman
from dressform.body import POSES, Body, BodySpec, build
from dressform.body.face import EXPRESSION_PRESETS
from dressform.body.shoes import SHOE_STYLES
from dressform.body.skin import skin_tone_hex
from dressform.body.underwear import BASE_STYLES
from dressform.drape.posed import posed_garments
from dressform.drape.spacing import DRAPE_SPACING_MM
from dressform.errors import DressformWarning
from dressform.render.coverage import CoverageCheck, check_coverage
from dressform.render.hair import grow_hair
from dressform.render.looks import FABRIC_TYPE, fabric_look
from dressform.render.mask import classed, read_mask
from dressform.render.photoreal import SceneMesh, render_still
from dressform.render.studio import BACKDROPS, CAMERAS, LIGHTS, Studio
from dressform.render.video import flatten
from dressform.render.wear import Wear
from dressform.shoot.scene import cloth_of, dressed_scene, garment_scene
from fabrics import GREY, SHOWN_IN, close_ups, in_fabric

OUT = Path(__file__).resolve().parents[1] / "docs" / "gallery"
SPEC = woman(6)
#: The outfit: (block, fabric, sRGB colour) of the top and of the skirt it is tucked into.
TOP = ("tshirt", "cotton_jersey", (0.9, 0.88, 0.84))
SKIRT = ("aline_skirt", "cotton_poplin", (0.62, 0.16, 0.2))
#: Base-layer styles shown on a man (the rest on the woman).
MENS = ("briefs", "trunks")
#: The hairstyles shown: each cut style on two hair types.
HAIRSTYLES = ("short/straight", "short/coily", "long/straight", "long/coily", "bun/straight",
              "bun/wavy", "curly/curly", "curly/coily", "afro/curly", "afro/coily", "buzz",
              "locs", "braids")
#: Gallery pictures are this tall (JPEG, quality 85): small enough to keep in the repository.
HEIGHT = 384


def _save(src: Path, name: str) -> str:
    flat = flatten(src)
    flat = flat.resize((HEIGHT * flat.width // flat.height, HEIGHT), Image.Resampling.LANCZOS)
    flat.save(OUT / f"{name}.jpg", quality=85)
    print(name, flush=True)
    return f"{name}.jpg"


def main(only: Sequence[str] = ()) -> None:
    """Render every section, or those whose key (the title's first word) is in `only`; the
    index keeps the other sections as they were rendered last."""
    def want(key: str) -> bool:
        return not only or key in only

    OUT.mkdir(parents=True, exist_ok=True)
    rest, outfit = dressed_outfit(SPEC, TOP, SKIRT)
    posed = posed_garments(rest, outfit, "relaxed")
    relaxed, body = dressed_scene(rest, outfit, "relaxed", posed=posed)
    over = cloth_of(relaxed, outfit)
    hair = grow_hair(body, "long", "dark-brown", over=over)
    sections: dict[str, list[tuple[str, str]]] = {}
    checks: dict[str, CoverageCheck] = {}
    notes: dict[str, list[str]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        def shot(meshes: list[SceneMesh], name: str, hair_=hair, on: Body = rest,
                 **studio: object) -> str:
            options = {"quality": "preview", **studio}
            path = Path(tmp) / f"{name}.png"
            # The mask tells the body's regions apart on the clone at rest (`on`).
            result = render_still(classed(meshes, on), Studio(**options),  # type: ignore
                                  path,
                                  hair=hair_, passes=True)
            assert result.mask is not None
            checks[name] = check_coverage(read_mask(result.mask))
            if not checks[name].passed:
                print(f"{name}: coverage check FAILS: {checks[name]}", flush=True)
            return _save(path, name)

        def portrait(tone: int) -> str:
            who = build(SPEC.model_copy(update={"skin_tone": tone}))
            scene, on = dressed_scene(who, outfit, "relaxed", posed=posed)
            return shot(scene, f"portrait-mst{tone}", camera="close-up", on=who,
                        hair_=grow_hair(on, "long", "black" if tone >= 7 else "dark-brown",
                                        over=cloth_of(scene, outfit)))

        if want("cameras"):
            sections["cameras"] = [(c, shot(relaxed, f"camera-{c}", camera=c)) for c in CAMERAS]
        if want("lights"):
            sections["lights"] = [(lt, shot(relaxed, f"light-{lt}", light=lt,
                                            camera="three-quarter")) for lt in LIGHTS]
        if want("backdrops"):
            sections["backdrops"] = [(b, shot(relaxed, f"backdrop-{b}", backdrop=b,
                                              camera="three-quarter")) for b in BACKDROPS]
        # Each style on two hair types (locs, braids and a buzz cut are their own).
        if want("hairstyles"):
            sections["hairstyles (each on two hair types)"] = [
                (h, shot(relaxed, f"hair-{h.replace('/', '-')}", hair_=grow_hair(
                    body, h, "dark-brown" if h.endswith(("straight", "wavy")) else "black",
                    over=over), camera="portrait")) for h in HAIRSTYLES]
        # The same clone and outfit in each tone (its shape does not change with it).
        if want("skin"):
            sections["skin tones (Monk Skin Tone)"] = [
                (f"MST-{t} {skin_tone_hex(t)}",
                 shot(dressed_scene(build(SPEC.model_copy(update={"skin_tone": t})), outfit,
                                    "relaxed", posed=posed)[0], f"skin-mst{t}", camera="portrait",
                      light="high-key")) for t in range(1, 11)]
        # A face close-up per tone: skin by region, eyes, lashes and brows at 105 mm.
        if want("portraits"):
            sections["portraits (close-up, Monk Skin Tone 1–10)"] = [
                (f"MST-{t}", portrait(t)) for t in range(1, 11)]
        # Each expression preset on the same clone and outfit (only the face changes).
        def expression_shot(expression: str) -> str:
            who = build(SPEC.model_copy(update={"expression": expression}))
            scene, on = dressed_scene(who, outfit, "relaxed", posed=posed)
            return shot(scene, f"expression-{expression.replace(' ', '-')}", on=who,
                        camera="portrait", hair_=grow_hair(on, "long", "dark-brown",
                                                           over=cloth_of(scene, outfit)))

        if want("expressions"):
            sections["expressions"] = [(e, expression_shot(e)) for e in EXPRESSION_PRESETS]
        # Each base layer on its own (a fit model's base), on the body it is cut for.
        man = build(BodySpec(sex="male", age_years=35, height_cm=180, weight_kg=78,
                             skin_tone=4))

        def base_shot(style: str) -> str:
            who = man if style in MENS else rest
            scene, on = dressed_scene(who, [], "relaxed", wear=Wear(base=style))
            return shot(scene, f"base-{style}", camera="front", on=who, hair_=grow_hair(
                on, "short" if who is man else "long", "dark-brown"))

        if want("base"):
            sections["base layers (on their own)"] = [(s, base_shot(s)) for s in BASE_STYLES]

        def shoe_shot(style: str) -> str:
            # Each pair lifts the clone by its own heel: the hair grows on the lifted head.
            scene, on = dressed_scene(rest, outfit, "relaxed", posed=posed,
                                      wear=Wear(shoes=style))
            return shot(scene, f"shoes-{style}", camera="three-quarter", hair_=grow_hair(
                on, "long", "dark-brown", over=cloth_of(scene, outfit)))

        if want("shoes"):
            sections["shoes"] = [(s, shoe_shot(s)) for s in SHOE_STYLES]
        # The skirt in each fabric preset: all in one mid-grey (only the cloth differs),
        # then each in a colour of its own; its sewing close up; prints cut to match.
        if want("fabric"):
            sections["fabric looks (each preset in mid-grey)"] = [
                (f, shot(in_fabric(relaxed, f, GREY), f"fabric-{f}-grey", camera="three-quarter"))
                for f in FABRIC_TYPE]
        if want("fabric"):
            sections["fabric looks (each preset in a colour of its own)"] = [
                (f"{f} ({SHOWN_IN[f] or 'its own wash'})",
                 shot(in_fabric(relaxed, f, SHOWN_IN[f]), f"fabric-{f}", camera="three-quarter"))
                for f in FABRIC_TYPE]
        if want("sewing"):
            sections["sewing close-ups (85 mm detail, campaign sampling)"] = [
                (name, shot(meshes, f"detail-{name}", camera="85mm", detail_at=tuple(point),
                            detail_m=0.12, quality="campaign", width=768, height=768))
                for name, meshes, point in close_ups(relaxed)]
        bottom = next(g for g in outfit if g.name == "bottom")
        skirt = next(m for m in relaxed if m.name == "bottom")

        def printed(kind: str) -> list[SceneMesh]:
            look = fabric_look("cotton_poplin", "navy", print_kind=kind,  # type: ignore[arg-type]
                               print_period_cm=6.0, name="bottom")
            return [garment_scene(bottom, skirt.vertices, look) if m is skirt else m
                    for m in relaxed]

        if want("prints"):
            sections["prints (cut to match at the side seams)"] = [
                (p, shot(printed(p), f"print-{p}", camera="three-quarter"))
                for p in ("stripes", "breton", "check", "dots")]
        poses = "poses (the outfit re-draped into each)"
        for p in POSES if want("poses") else ():
            sections.setdefault(poses, [])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DressformWarning)
                scene, posed_body = dressed_scene(rest, outfit, p)
            # What the re-drape warned of goes under the pictures: they show it as it is.
            notes[poses] += [f"{p}: {w.message}" for w in caught
                             if issubclass(w.category, DressformWarning)]
            sections[poses].append((p, shot(scene, f"pose-{p}", hair_=grow_hair(
                posed_body, "long", "dark-brown", over=cloth_of(scene, outfit)),
                camera="three-quarter")))
    lines = ["# Preset gallery", "",
             "Every preset of `dressform shoot`, rendered by `python benchmarks/gallery.py` "
             "at preview quality (Blender Cycles, 512×768, shown at 384 px tall). The clone: "
             "woman 168 cm / 62 kg, Monk Skin Tone 6, long dark-brown hair, a cotton-jersey "
             "T-shirt tucked into an A-line skirt in cotton poplin (sizes from the chart, "
             f"draped at {DRAPE_SPACING_MM:.0f} mm), relaxed pose, editorial light, white "
             "cyclorama, front camera, in a nude base layer and white trainers, unless the section "
             "changes it.", "",
             f"The coverage check (`dressform.render.coverage`) read each picture's class mask: "
             f"{sum(c.passed for c in checks.values())} of {len(checks)} pass"
             + "".join(f"; {n} fails: {c}" for n, c in checks.items() if not c.passed)
             + ".", ""]
    rendered: dict[str, list[str]] = {}
    for title, items in sections.items():
        rendered[title] = [f"## {title}", "",
                           " ".join(f"![{label}]({file})" for label, file in items), "",
                           " · ".join(f"`{label}`" for label, _ in items), ""]
        if notes[title]:
            rendered[title] += ["What the re-drape warned of, as the pictures show it:", "",
                                *(f"- {n}" for n in notes[title]), ""]
    if only:
        # Only these sections were rendered: put them in the index in place of their old
        # text, and leave its header and the coverage table as the full run wrote them.
        _replace_sections(OUT / "README.md", rendered)
        return
    for block in rendered.values():
        lines += block
    (OUT / "README.md").write_text("\n".join(lines))
    passed = sum(c.passed for c in checks.values())
    print(f"coverage check: {passed} of {len(checks)} gallery pictures pass", flush=True)
    replace_section(OUT.parents[1] / "BENCHMARKS.md", [
        "### coverage check: the gallery",
        "Every picture of the preset gallery (`docs/gallery/`, Cycles at preview quality), "
        "its class mask read by the coverage check: no visible skin of the breasts, "
        "genitals or buttocks, and no bare sole or toes unless the shoes leave them bare.", "",
        *table(("pictures", "pass", "fail", "what failed"),
               [(len(checks), passed, len(checks) - passed,
                 "; ".join(f"{n}: {c}" for n, c in checks.items() if not c.passed) or "—")])])


def _replace_sections(index: Path, rendered: dict[str, list[str]]) -> None:
    """`index` with each section of `rendered` (by its title) in place of the old one."""
    text = index.read_text()
    for title, block in rendered.items():
        head = f"## {title}\n"
        start = text.index(head)
        end = text.find("\n## ", start + len(head))
        text = text[:start] + "\n".join(block) + (text[end:] if end >= 0 else "\n")
    index.write_text(text)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=(), help="render only these sections (the "
                    "first word of each title: cameras, lights, poses, ...)")
    sys.exit(main(ap.parse_args().only))
