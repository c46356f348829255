"""The Blender side of a photoreal render, run in its own process:
``python -m dressform.render.blender_worker JOB_DIR``.

It reads ``job.json`` and ``meshes.npz`` written by :mod:`dressform.render.photoreal`,
builds the scene in an empty Blender (meshes with Principled BSDF materials, area lights or a
procedural sky, a camera) and renders it with Cycles on the CPU to the job's output path.
Everything geometric (framing, light placement, the cyclorama's mesh) was worked out before;
this module only translates records into Blender data, so it holds no decisions to test
beyond "does Blender draw what it was given".

Why a separate process: a crash inside Blender (it is C++; a bad mesh or an out-of-memory
kills the process) must not take the caller down with it (the CLI, a batch runner, the web
service), and a hung render must be stoppable. Starting the process and importing ``bpy``
costs about 1 s (measured in the render benchmark), small beside a still's render time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def _material(bpy: Any, look: dict[str, Any], overlay: np.ndarray | None = None,
              subsurface: str = "BURLEY", tint: bool = False, rough: bool = False,
              space: bool = False, sewn: bool = False) -> Any:
    """A Principled BSDF material for `look`; with `tint` and `rough`, its colour and
    roughness from the mesh's per-vertex "tint" and "roughness" attributes; `overlay` an
    RGBA image on its UVs mixed over the colour by its alpha; with `space`, fine relief
    (pores) fixed to the mesh's "rest" attribute; with `sewn`, the look's finish (hems,
    seams, stitching) drawn from the mesh's construction attributes."""
    mat = bpy.data.materials.new(look["name"])
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    inputs = bsdf.inputs
    inputs["Base Color"].default_value = look["color"]
    inputs["Roughness"].default_value = look["roughness"]
    inputs["Sheen Weight"].default_value = look["sheen"]
    inputs["Sheen Roughness"].default_value = look["sheen_roughness"]
    inputs["Anisotropic"].default_value = look["anisotropic"]
    inputs["Specular IOR Level"].default_value = look["specular"]
    inputs["Coat Weight"].default_value = look["coat"]
    inputs["Transmission Weight"].default_value = look["transmission"]
    inputs["IOR"].default_value = look["ior"]
    if look["subsurface"] > 0:
        radius = look["subsurface_radius_m"]
        scale = max(radius)
        bsdf.subsurface_method = subsurface
        inputs["Subsurface Weight"].default_value = look["subsurface"]
        inputs["Subsurface Scale"].default_value = scale
        inputs["Subsurface Radius"].default_value = [r / scale for r in radius]
    uv = None
    if look["print_kind"] != "none" or look["weave"] > 0 or look["structure"] != "none":
        uv = nodes.new("ShaderNodeTexCoord").outputs["UV"]
    if look["print_kind"] != "none":
        inputs_color = _print(bpy, nodes, links, uv, look)
        links.new(inputs_color, inputs["Base Color"])
    under = None
    if tint:
        attr = nodes.new("ShaderNodeAttribute")
        attr.attribute_name = "tint"
        under = attr.outputs["Color"]
        links.new(under, inputs["Base Color"])
    if rough:
        attr = nodes.new("ShaderNodeAttribute")
        attr.attribute_name = "roughness"
        links.new(attr.outputs["Fac"], inputs["Roughness"])
    if overlay is not None:
        _overlay(bpy, nodes, links, overlay, look["name"], inputs["Base Color"], under)
    if look["transmission"] > 0:
        _shadows_pass(nodes, links, bsdf, look["transmission"])
    if space and look["pores"] > 0:
        _pores(nodes, links, inputs["Normal"], inputs["Base Color"], look["pores"])
    if look["structure"] != "none":
        _cloth(_Graph(mat.node_tree), bsdf, look, uv, sewn)
    elif look["weave"] > 0:
        wave = nodes.new("ShaderNodeTexWave")
        wave.wave_type, wave.bands_direction = "BANDS", "DIAGONAL"
        wave.inputs["Scale"].default_value = 1.0 / look["weave_period_m"]
        links.new(uv, wave.inputs["Vector"])
        bump = nodes.new("ShaderNodeBump")
        bump.inputs["Strength"].default_value = 0.25 * look["weave"]
        bump.inputs["Distance"].default_value = 0.0005
        links.new(wave.outputs["Fac"], bump.inputs["Height"])
        links.new(bump.outputs["Normal"], inputs["Normal"])
    return mat


class _Graph:
    """Terse node arithmetic on one node tree: each call adds a node and returns its
    output socket; an argument is a socket or a number."""

    def __init__(self, tree: Any) -> None:
        self.nodes, self.links = tree.nodes, tree.links

    def _feed(self, socket: Any, value: Any) -> None:
        if isinstance(value, (int, float, tuple)):
            socket.default_value = value
        else:
            self.links.new(value, socket)

    def math(self, op: str, a: Any, b: Any = 0.0, c: Any = 0.0) -> Any:
        node = self.nodes.new("ShaderNodeMath")
        node.operation = op
        for k, value in enumerate((a, b, c)):
            self._feed(node.inputs[k], value)
        return node.outputs[0]

    def step(self, x: Any, lo: float, hi: float) -> Any:
        """0 below `lo`, 1 above `hi`, smooth between."""
        node = self.nodes.new("ShaderNodeMapRange")
        node.interpolation_type = "SMOOTHSTEP"
        node.inputs["From Min"].default_value, node.inputs["From Max"].default_value = lo, hi
        self._feed(node.inputs["Value"], x)
        return node.outputs["Result"]

    def attr(self, name: str) -> Any:
        node = self.nodes.new("ShaderNodeAttribute")
        node.attribute_name = name
        return node.outputs["Fac"]

    def vector(self, x: Any, y: Any, z: Any = 0.0) -> Any:
        node = self.nodes.new("ShaderNodeCombineXYZ")
        for k, value in enumerate((x, y, z)):
            self._feed(node.inputs[k], value)
        return node.outputs[0]

    def noise(self, vector: Any, detail: float = 2.0) -> Any:
        """Perlin noise (about 0.3–0.7) of `vector`, one feature per unit."""
        node = self.nodes.new("ShaderNodeTexNoise")
        node.inputs["Scale"].default_value = 1.0
        node.inputs["Detail"].default_value = detail
        self._feed(node.inputs["Vector"], vector)
        return node.outputs["Fac"]

    def mix(self, factor: Any, a: Any, b: Any, blend: str = "MIX") -> Any:
        """Colour `a` mixed towards `b` by `factor` (or blended by `blend`)."""
        node = self.nodes.new("ShaderNodeMix")
        node.data_type, node.blend_type = "RGBA", blend
        for name, value in (("Factor", factor), ("A", a), ("B", b)):
            self._feed(node.inputs[name], value)
        return node.outputs["Result"]

    def bump(self, height: Any, distance: float, normal: Any = None) -> Any:
        node = self.nodes.new("ShaderNodeBump")
        node.inputs["Distance"].default_value = distance
        self._feed(node.inputs["Height"], height)
        if normal is not None:
            self.links.new(normal, node.inputs["Normal"])
        return node.outputs["Normal"]

    def wave(self, x: Any) -> Any:
        """0.5 + 0.5 sin(2π x): one period per unit of `x`."""
        return self.math("MULTIPLY_ADD", self.math("SINE", self.math("MULTIPLY", x,
                                                                     2.0 * np.pi)), 0.5, 0.5)


def _cloth(g: _Graph, bsdf: Any, look: dict[str, Any], uv: Any, sewn: bool) -> None:
    """Cloth drawn yarn by yarn on its grain (`uv`, metres; the second axis the warp): the
    structure's relief as bump, scaled by how well the camera resolves it (`relief`), the
    cross yarns' colour, heather, slubs and faded folds into the base colour; a sheer
    weave's openings as transparency; satin's lustre along the grain; and, with `sewn`, its
    hems, seams and stitching (`_finish`)."""
    inputs = bsdf.inputs
    parts = g.nodes.new("ShaderNodeSeparateXYZ")
    g.links.new(uv, parts.inputs[0])
    u, v = parts.outputs[0], parts.outputs[1]
    p, kind = look["yarn_m"], look["structure"]
    tangent = g.nodes.new("ShaderNodeTangent")
    tangent.direction_type, tangent.uv_map = "UV_MAP", "uv"
    g.links.new(tangent.outputs["Tangent"], inputs["Tangent"])
    inputs["Anisotropic Rotation"].default_value = 0.25  # highlights stretched along the warp
    x, y = g.math("DIVIDE", u, p), g.math("DIVIDE", v, p)
    weft: Any = 0.0  # share of the cross yarn showing
    if kind == "jersey":
        height = _loops(g, x, y)
    elif kind == "plain":
        height = g.math("MULTIPLY_ADD", g.math("MULTIPLY", g.math("SINE", g.math(
            "MULTIPLY", x, np.pi)), g.math("SINE", g.math("MULTIPLY", y, np.pi))), 0.5, 0.5)
    elif kind == "twill":  # 3/1: the warp floats over three weft yarns, under one
        diagonal = g.math("FRACT", g.math("MULTIPLY_ADD", x, 2.0, y))
        weft = g.math("SUBTRACT", g.step(diagonal, 0.7, 0.78), g.step(diagonal, 0.94, 1.0))
        height = g.math("MULTIPLY_ADD", weft, -0.7, g.math("MULTIPLY_ADD", g.wave(
            g.math("MULTIPLY", x, 2.0)), 0.3, 0.7))
        # Where the camera cannot resolve the twill, its colours blend to their mean
        # rather than alias into blotches.
        weft = g.math("MULTIPLY_ADD", weft, look["relief"], _TWILL_WEFT * (1.0 - look["relief"]))
    elif kind == "satin":
        height = g.wave(x)
    else:  # sheer: yarns crossing round open holes
        height = g.math("MAXIMUM", g.math("POWER", g.math("ABSOLUTE", g.math(
            "COSINE", g.math("MULTIPLY", x, np.pi))), 6.0), g.math("POWER", g.math(
                "ABSOLUTE", g.math("COSINE", g.math("MULTIPLY", y, np.pi))), 6.0))
    finish = look["finish"]
    if sewn and finish is not None and finish["rib_mm"] > 0:  # knitted bands: a 1×1 rib
        band = g.attr("band")
        rib = g.math("MULTIPLY", g.math("POWER", g.wave(g.math("DIVIDE", u, finish[
            "rib_mm"] / 1000.0)), 0.7), g.math("MULTIPLY_ADD", _loops(g, x, y), 0.3, 0.7))
        height = g.math("MULTIPLY_ADD", band, g.math("SUBTRACT", rib, height), height)
    # Tone: heather fibre by fibre and over a few millimetres, slubs along the yarns.
    tone: Any = 1.0
    if look["heather"] > 0:
        fine = g.noise(g.vector(g.math("DIVIDE", u, 0.0004), g.math("DIVIDE", v, 0.0004)))
        fine = g.math("MULTIPLY_ADD", fine, look["relief"], 0.5 * (1.0 - look["relief"]))
        coarse = g.noise(g.vector(g.math("DIVIDE", u, 0.003), g.math("DIVIDE", v, 0.003)))
        spread = g.math("ADD", g.math("MULTIPLY", fine, 1.6), coarse)
        tone = g.math("MULTIPLY_ADD", g.math("SUBTRACT", spread, 1.3), 2.0 * look["heather"],
                      1.0)
    if look["slub"] > 0:  # plain weaves slub along the weft; twills (ring-spun) the warp
        along, across = (u, v) if kind == "plain" else (v, u)
        for length, width, weight in ((0.04, 0.0012, 0.5), (0.15, 0.004, 0.35)):
            streak = g.noise(g.vector(g.math("DIVIDE", along, length),
                                      g.math("DIVIDE", across, width)), 3.0)
            tone = g.math("MULTIPLY", tone, g.math("MULTIPLY_ADD", g.math(
                "SUBTRACT", streak, 0.5), weight * look["slub"], 1.0))
    base = inputs["Base Color"]
    color: Any = tuple(base.default_value)
    if base.links:  # a print
        color = base.links[0].from_socket
    if look["weft_color"] is not None:
        color = _crossed(g, color, weft, look)
    if look["fade"] > 0:  # raised folds worn paler (the mesh's "ridge", 0–1)
        worn = g.math("MULTIPLY", g.step(g.attr("ridge"), 0.3, 1.0), 0.3 * look["fade"])
        color = g.mix(worn, color, (*(look["weft_color"] or (1.0, 1.0, 1.0))[:3], 1.0))
    color = g.mix(1.0, color, g.vector(tone, tone, tone), "MULTIPLY")
    normal = g.bump(height, _RELIEF_M[kind] * look["relief"])
    roughness: Any = look["roughness"]
    if sewn and finish is not None:
        color, roughness, normal = _finish(g, finish, look, color, normal)
    g.links.new(color, base)
    if not isinstance(roughness, float):
        g.links.new(roughness, inputs["Roughness"])
    g.links.new(normal, inputs["Normal"])
    if kind == "sheer":  # light and what lies behind show through the open weave
        open_ = g.math("MULTIPLY", g.math("MULTIPLY_ADD", height, -1.2, 1.45), look["sheer"])
        if look["thickness_m"] > 0:  # drawn as two surfaces: each lets through its root
            open_ = g.math("SQRT", open_)
        clear = g.nodes.new("ShaderNodeBsdfTransparent")
        mix = g.nodes.new("ShaderNodeMixShader")
        g.links.new(g.math("MINIMUM", open_, 0.95), mix.inputs["Fac"])
        g.links.new(bsdf.outputs["BSDF"], mix.inputs[1])
        g.links.new(clear.outputs["BSDF"], mix.inputs[2])
        out = g.nodes["Material Output"]
        g.links.new(mix.outputs["Shader"], out.inputs["Surface"])


#: The share of a 3/1 twill's face its weft shows (the mean of `_cloth`'s weft mask).
_TWILL_WEFT = 0.23


def _crossed(g: _Graph, color: Any, weft: Any, look: dict[str, Any]) -> Any:
    """The look's colour (or print, `color`) split into warp and weft yarns so that the
    cloth's mean stays that colour: the weft (`look["weft_color"]`, linear) shows where the
    `weft` mask says, as far as the colour allows (a dark indigo leaves little room for an
    undyed weft: it shows less), and the warp is dyed to make up the rest."""
    weft_rgb = np.array(look["weft_color"][:3])
    darkest = np.minimum(np.array(look["color"][:3]), np.array(look["print_color"][:3]) if
                         look["print_kind"] not in ("none", "image") else 1.0)
    share = float(min(_TWILL_WEFT, 0.8 * (darkest / np.maximum(weft_rgb, 1e-6)).min()))
    warp = g.mix(1.0, g.mix(1.0, color, (*(share * weft_rgb), 1.0), "SUBTRACT"),
                 (*([1.0 - share] * 3), 1.0), "DIVIDE")
    return g.mix(g.math("MULTIPLY", weft, share / _TWILL_WEFT), warp,
                 (*look["weft_color"][:3], 1.0))


#: Height (m) of each structure's relief where the camera resolves it.
_RELIEF_M = {"jersey": 0.00025, "plain": 0.0001, "twill": 0.0002, "satin": 0.00003,
             "sheer": 0.00005}


def _loops(g: _Graph, x: Any, y: Any) -> Any:
    """Knitted loops, 0–1: a column per wale (one per unit of `x`) of V-shaped loops, a
    course each 0.75 unit of `y`."""
    across = g.math("ABSOLUTE", g.math("MULTIPLY_ADD", g.math("FRACT", x), 2.0, -1.0))
    loop = g.wave(g.math("MULTIPLY_ADD", across, 0.5, g.math("DIVIDE", y, 0.75)))
    column = g.math("SQRT", g.math("SUBTRACT", 1.0, across))
    return g.math("MULTIPLY", column, g.math("MULTIPLY_ADD", loop, 0.45, 0.55))


def _finish(g: _Graph, finish: dict[str, Any], look: dict[str, Any], color: Any,
            normal: Any) -> tuple[Any, Any, Any]:
    """A garment's sewing on its construction attributes (metres): stitch rows in from each
    hem's turned raw edge, topstitching beside seams on their first side and along bands'
    edges, each a dashed thread; the turned hem's double layer raised, ending in a ridge;
    a pressed seam's valley. The colour, roughness and normal with them."""
    hem_d, hem_a, hem_s = g.attr("hem_distance"), g.attr("hem_allowance"), g.attr("hem_along")
    seam_d, seam_s = g.attr("seam_distance"), g.attr("seam_along")
    half, stitch = finish["thread_mm"] / 2000.0, finish["stitch_mm"] / 1000.0

    def row(distance: Any, at: Any, along: Any) -> Any:
        core = g.math("SUBTRACT", 1.0, g.step(g.math("ABSOLUTE", g.math(
            "SUBTRACT", distance, at)), 0.4 * half, half))
        dash = g.math("SUBTRACT", 1.0, g.step(g.math("FRACT", g.math("DIVIDE", along, stitch)),
                                              0.78, 0.86))
        return g.math("MULTIPLY", core, dash)

    thread: Any = 0.0
    for offset in finish["hem_rows_mm"]:
        at = g.math("SUBTRACT", hem_a, offset / 1000.0)
        on = g.math("GREATER_THAN", at, 0.0005)  # a hem deep enough for the row
        thread = g.math("MAXIMUM", thread, g.math("MULTIPLY", on, row(hem_d, at, hem_s)))
    for offset in finish["seam_rows_mm"]:
        thread = g.math("MAXIMUM", thread, g.math("MULTIPLY", g.attr("seam_first"), row(
            seam_d, offset / 1000.0, seam_s)))
    band = g.attr("band")
    for offset in finish["band_rows_mm"]:
        both = g.math("MAXIMUM", row(seam_d, offset / 1000.0, seam_s),
                      row(hem_d, offset / 1000.0, hem_s))
        thread = g.math("MAXIMUM", thread, g.math("MULTIPLY", band, both))
    # Heights in millimetres: the hem's second layer up to its raw edge (and a ridge there),
    # the seam's valley, the thread standing on the cloth.
    turned = g.math("MULTIPLY", g.math("GREATER_THAN", hem_a, 0.0), g.math(
        "SUBTRACT", 1.0, g.step(g.math("SUBTRACT", hem_d, hem_a), -0.0008, 0.0004)))
    height = g.math("MULTIPLY", turned, 1000.0 * look["thickness_m"] + 0.1)
    if finish["seam_valley_mm"] > 0:
        valley = g.math("SUBTRACT", 1.0, g.step(seam_d, 0.0, finish["seam_valley_mm"] / 1000.0))
        height = g.math("MULTIPLY_ADD", valley, -0.4, height)
    height = g.math("MULTIPLY_ADD", thread, 0.35, height)
    normal = g.bump(height, 0.001, normal)
    shade = finish["thread"]
    if shade is None:  # tone on tone: the cloth's colour, a shade darker
        thread_color = g.mix(1.0, color, (0.75, 0.75, 0.75, 1.0), "MULTIPLY")
    else:
        thread_color = (*shade, 1.0)
    color = g.mix(thread, color, thread_color)
    roughness = g.math("MULTIPLY_ADD", thread, 0.45 - look["roughness"], look["roughness"])
    return color, roughness, normal


#: Skin's relief and colour (m): pores this far apart (the cheek's and nose's visible pores,
#: 50–80 a square centimetre), crossed by a finer grain, over a gentle undulation; and the
#: blotchiness of real skin's colour (±`_MOTTLE`) at a few millimetres.
_PORE_SPACING, _GRAIN, _UNDULATION, _MOTTLE_SIZE, _MOTTLE = 0.0012, 0.0025, 0.006, 0.004, 0.06


def _pores(nodes: Any, links: Any, normal: Any, base_color: Any, strength: float) -> None:
    """Skin's fine relief on the "rest" points (metres): pits of pores (Voronoi cells'
    centres) over a finer grain of crossing lines and a gentle undulation (noise), bumping
    `normal`; and a faint mottle multiplied into whatever colour `base_color` has."""
    rest = nodes.new("ShaderNodeAttribute")
    rest.attribute_name = "rest"
    cells = nodes.new("ShaderNodeTexVoronoi")
    cells.inputs["Scale"].default_value = 1.0 / _PORE_SPACING
    links.new(rest.outputs["Vector"], cells.inputs["Vector"])
    pit = nodes.new("ShaderNodeMapRange")  # a pit within a quarter of a cell of its centre
    pit.inputs["From Min"].default_value, pit.inputs["From Max"].default_value = 0.0, 0.25
    links.new(cells.outputs["Distance"], pit.inputs["Value"])
    height = pit.outputs["Result"]
    for size, weight in ((_GRAIN, 0.5), (_UNDULATION, 0.6)):
        noise = nodes.new("ShaderNodeTexNoise")
        noise.inputs["Scale"].default_value = 1.0 / size
        noise.inputs["Detail"].default_value = 4.0
        links.new(rest.outputs["Vector"], noise.inputs["Vector"])
        add = nodes.new("ShaderNodeMath")
        add.operation = "MULTIPLY_ADD"
        links.new(noise.outputs["Fac"], add.inputs[0])
        add.inputs[1].default_value = weight
        links.new(height, add.inputs[2])
        height = add.outputs["Value"]
    bump = nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = strength
    bump.inputs["Distance"].default_value = 0.0002
    links.new(height, bump.inputs["Height"])
    links.new(bump.outputs["Normal"], normal)
    mottle = nodes.new("ShaderNodeTexNoise")
    mottle.inputs["Scale"].default_value = 1.0 / _MOTTLE_SIZE
    mottle.inputs["Detail"].default_value = 2.0
    links.new(rest.outputs["Vector"], mottle.inputs["Vector"])
    gain = nodes.new("ShaderNodeMapRange")  # noise 0.3–0.7 → 1 ∓ _MOTTLE
    gain.inputs["From Min"].default_value, gain.inputs["From Max"].default_value = 0.3, 0.7
    gain.inputs["To Min"].default_value = 1.0 - _MOTTLE
    gain.inputs["To Max"].default_value = 1.0 + _MOTTLE
    links.new(mottle.outputs["Fac"], gain.inputs["Value"])
    mix = nodes.new("ShaderNodeMix")
    mix.data_type, mix.blend_type = "RGBA", "MULTIPLY"
    mix.inputs["Factor"].default_value = 1.0
    mix.inputs["A"].default_value = base_color.default_value
    if base_color.links:  # a tint or an overlay; else the look's own colour
        links.new(base_color.links[0].from_socket, mix.inputs["A"])
    links.new(gain.outputs["Result"], mix.inputs["B"])
    links.new(mix.outputs["Result"], base_color)


def _shadows_pass(nodes: Any, links: Any, bsdf: Any, transmission: float) -> None:
    """Let shadow rays through a transmissive surface in proportion to its transmission:
    Cycles finds light through clear glass only by caustics, which left what lies under a
    cornea (or a sheer fabric) black."""
    path = nodes.new("ShaderNodeLightPath")
    clear = nodes.new("ShaderNodeBsdfTransparent")
    amount = nodes.new("ShaderNodeMath")
    amount.operation = "MULTIPLY"
    amount.inputs[1].default_value = transmission
    links.new(path.outputs["Is Shadow Ray"], amount.inputs[0])
    mix = nodes.new("ShaderNodeMixShader")
    links.new(amount.outputs[0], mix.inputs["Fac"])
    links.new(bsdf.outputs["BSDF"], mix.inputs[1])
    links.new(clear.outputs["BSDF"], mix.inputs[2])
    links.new(mix.outputs["Shader"], nodes["Material Output"].inputs["Surface"])


def _overlay(bpy: Any, nodes: Any, links: Any, rgba: np.ndarray, name: str,
             base: Any, under: Any = None) -> None:
    """An RGBA image on the mesh's UVs mixed over the base colour (or the socket `under`)
    by its alpha."""
    h, w = rgba.shape[:2]
    image = bpy.data.images.new(f"{name} overlay", w, h, alpha=True)
    # Blender's pixel rows run bottom-up; sRGB bytes become floats in the image's sRGB space.
    image.pixels.foreach_set((rgba[::-1].astype(np.float32) / 255.0).ravel())
    image.pack()
    tex = nodes.new("ShaderNodeTexImage")
    tex.image = image
    mix = nodes.new("ShaderNodeMix")
    mix.data_type = "RGBA"
    mix.inputs["A"].default_value = base.default_value
    if under is not None:
        links.new(under, mix.inputs["A"])
    links.new(tex.outputs["Color"], mix.inputs["B"])
    links.new(tex.outputs["Alpha"], mix.inputs["Factor"])
    links.new(mix.outputs["Result"], base)


def _print(bpy: Any, nodes: Any, links: Any, uv: Any, look: dict[str, Any]) -> Any:
    """A colour socket: the base colour with a print laid on the flat pattern's coordinates
    (metres), one repeat per `print_period_m`."""
    scale = nodes.new("ShaderNodeVectorMath")
    scale.operation = "SCALE"
    scale.inputs["Scale"].default_value = 1.0 / look["print_period_m"]
    links.new(uv, scale.inputs[0])
    mix = nodes.new("ShaderNodeMix")
    mix.data_type = "RGBA"
    mix.inputs["A"].default_value = look["color"]
    mix.inputs["B"].default_value = look["print_color"]
    if look["print_kind"] == "image":
        tex = nodes.new("ShaderNodeTexImage")
        tex.image = bpy.data.images.load(look["print_image"])
        links.new(scale.outputs["Vector"], tex.inputs["Vector"])
        return tex.outputs["Color"]
    if look["print_kind"] == "dots":
        vor = nodes.new("ShaderNodeTexVoronoi")
        vor.inputs["Randomness"].default_value = 0.0
        vor.inputs["Scale"].default_value = 1.0
        links.new(scale.outputs["Vector"], vor.inputs["Vector"])
        less = nodes.new("ShaderNodeMath")
        less.operation = "LESS_THAN"
        less.inputs[1].default_value = 0.25
        links.new(vor.outputs["Distance"], less.inputs[0])
        fac = less.outputs[0]
    else:
        checker = nodes.new("ShaderNodeTexChecker")
        checker.inputs["Scale"].default_value = 2.0
        checker.inputs["Color1"].default_value = (1, 1, 1, 1)
        checker.inputs["Color2"].default_value = (0, 0, 0, 1)
        vec = scale.outputs["Vector"]
        if look["print_kind"] in ("stripes", "breton"):  # a checker of one row or column
            flat = nodes.new("ShaderNodeVectorMath")
            flat.operation = "MULTIPLY"
            flat.inputs[1].default_value = ((1.0, 0.0, 0.0) if look["print_kind"] == "stripes"
                                            else (0.0, 1.0, 0.0))
            links.new(vec, flat.inputs[0])
            vec = flat.outputs["Vector"]
        links.new(vec, checker.inputs["Vector"])
        fac = checker.outputs["Fac"]
    links.new(fac, mix.inputs["Factor"])
    return mix.outputs["Result"]


def _mesh_object(bpy: Any, name: str, vertices: np.ndarray, faces: np.ndarray,
                 uv: np.ndarray | None, material: Any, smooth: bool,
                 corner_uv: np.ndarray | None = None, tint: np.ndarray | None = None,
                 rough: np.ndarray | None = None, space: np.ndarray | None = None,
                 corners: dict[str, np.ndarray] | None = None) -> Any:
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(vertices))
    mesh.vertices.foreach_set("co", vertices.astype(np.float32).ravel())
    mesh.loops.add(faces.size)
    mesh.loops.foreach_set("vertex_index", faces.astype(np.int32).ravel())
    mesh.polygons.add(len(faces))
    mesh.polygons.foreach_set("loop_start", np.arange(0, faces.size, 3, dtype=np.int32))
    mesh.polygons.foreach_set("loop_total", np.full(len(faces), 3, dtype=np.int32))
    if uv is not None:
        corner_uv = uv[faces.ravel()]
    if corner_uv is not None:
        layer = mesh.uv_layers.new(name="uv")
        layer.data.foreach_set("uv", corner_uv.astype(np.float32).ravel())
    if tint is not None:  # linear RGB per vertex
        colors = mesh.color_attributes.new("tint", "FLOAT_COLOR", "POINT")
        rgba = np.concatenate([tint, np.ones((len(tint), 1))], axis=1)
        colors.data.foreach_set("color", rgba.astype(np.float32).ravel())
    if rough is not None:
        values = mesh.attributes.new("roughness", "FLOAT", "POINT")
        values.data.foreach_set("value", rough.astype(np.float32))
    if space is not None:
        points = mesh.attributes.new("rest", "FLOAT_VECTOR", "POINT")
        points.data.foreach_set("vector", space.astype(np.float32).ravel())
    for key, values in (corners or {}).items():  # (F, 3): one value per face corner
        layer = mesh.attributes.new(key, "FLOAT", "CORNER")
        layer.data.foreach_set("value", values.astype(np.float32).ravel())
    mesh.update()
    mesh.validate()
    if smooth:
        mesh.shade_smooth()
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def _hair(bpy: Any, strands: np.ndarray, spec: dict[str, Any]) -> Any:
    """Strands (N, P, 3) as a hair-curves object with the Principled Hair BSDF (Chiang), its
    colour from melanin as real hair's is; strands taper from root to tip."""
    count, points = strands.shape[:2]
    curves = bpy.data.hair_curves.new("hair")
    curves.add_curves([points] * count)
    curves.position_data.foreach_set("vector", strands.astype(np.float32).ravel())
    radius = curves.attributes.new("radius", "FLOAT", "POINT")
    taper = np.linspace(1.0, 0.35, points, dtype=np.float32)
    radius.data.foreach_set("value", np.tile(taper * spec["radius_m"], count))
    mat = bpy.data.materials.new("hair")
    mat.use_nodes = True
    nodes = mat.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    bsdf = nodes.new("ShaderNodeBsdfHairPrincipled")
    bsdf.parametrization = "MELANIN"
    bsdf.inputs["Melanin"].default_value = spec["melanin"]
    bsdf.inputs["Melanin Redness"].default_value = spec["redness"]
    bsdf.inputs["Roughness"].default_value = spec["roughness"]
    bsdf.inputs["Random Color"].default_value = 0.15
    bsdf.inputs["Random Roughness"].default_value = 0.2
    mat.node_tree.links.new(bsdf.outputs[0], nodes["Material Output"].inputs["Surface"])
    curves.materials.append(mat)
    obj = bpy.data.objects.new("hair", curves)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def _studio_reflections(bpy: Any, world: Any, background: Any, strength: float) -> None:
    """A studio seen in reflections only: Blender's own CC0 studio HDRI (Poly Haven's
    studio_small_01) lights glossy rays at `strength`; every other ray keeps the even
    ambient, so exposure and skin are as before and the eyes, leather and satin reflect a
    room."""
    nodes, links = world.node_tree.nodes, world.node_tree.links
    texture = nodes.new("ShaderNodeTexEnvironment")
    # (system_resource finds folders, not files: the file is joined on.)
    folder = bpy.utils.system_resource("DATAFILES", path="studiolights")
    texture.image = bpy.data.images.load(os.path.join(folder, "world", "studio.exr"))
    studio = nodes.new("ShaderNodeBackground")
    studio.inputs["Strength"].default_value = strength
    links.new(texture.outputs["Color"], studio.inputs["Color"])
    ray = nodes.new("ShaderNodeLightPath")
    mix = nodes.new("ShaderNodeMixShader")
    links.new(ray.outputs["Is Glossy Ray"], mix.inputs["Fac"])
    links.new(background.outputs["Background"], mix.inputs[1])
    links.new(studio.outputs["Background"], mix.inputs[2])
    links.new(mix.outputs["Shader"], nodes["World Output"].inputs["Surface"])


def _wash(bpy: Any, wash: dict[str, Any], backdrop: list[Any]) -> None:
    """The backdrop's wash light, linked to light the backdrop and nothing else."""
    data = bpy.data.lights.new("backdrop wash", type="AREA")
    data.shape = "RECTANGLE"
    data.size, data.size_y = wash["size_m"]
    data.energy = wash["power_w"]
    obj = bpy.data.objects.new("backdrop wash", data)
    bpy.context.scene.collection.objects.link(obj)
    _placed(bpy, obj, wash["location"], wash["rotation"])
    receivers = bpy.data.collections.new("lit by the wash")
    for o in backdrop:
        receivers.objects.link(o)
    obj.light_linking.receiver_collection = receivers


def _placed(bpy: Any, obj: Any, location: list[float], rotation: list[list[float]]) -> None:
    from mathutils import Matrix

    m = Matrix(rotation).to_4x4()
    m.translation = location
    obj.matrix_world = m


def render(job_dir: Path) -> None:
    import bpy

    job = json.loads((job_dir / "job.json").read_text())
    arrays = np.load(job_dir / "meshes.npz")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    cycles = scene.cycles
    cycles.device = "CPU"
    cycles.samples = job["samples"]
    cycles.use_adaptive_sampling = job["noise_threshold"] > 0
    cycles.adaptive_threshold = max(job["noise_threshold"], 1e-4)
    cycles.use_denoising = job["denoise"]
    if job["denoise"]:
        cycles.denoiser = "OPENIMAGEDENOISE"
        cycles.denoising_quality = job["denoise_quality"]
        cycles.denoising_input_passes = "RGB_ALBEDO_NORMAL"
    cycles.max_bounces = job["max_bounces"]
    cycles.diffuse_bounces = min(job["max_bounces"], 3)
    cycles.glossy_bounces = min(job["max_bounces"], 2)
    cycles.transmission_bounces = job["max_bounces"]
    cycles.caustics_reflective = cycles.caustics_refractive = False
    cycles.seed = job["seed"]
    scene.cycles_curves.shape = "RIBBONS" if job["hair_ribbons"] else "THICK"
    scene.render.resolution_x, scene.render.resolution_y = job["width"], job["height"]
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = job["transparent"]
    # A campaign worker that shares the machine with others renders with its share of the
    # cores (DRESSFORM_RENDER_THREADS), not all of them: fewer threads fighting over caches.
    threads = int(os.environ.get("DRESSFORM_RENDER_THREADS", "0") or 0)
    scene.render.threads_mode = "FIXED" if threads > 0 else "AUTO"
    if threads > 0:
        scene.render.threads = threads
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGBA"
    scene.view_settings.view_transform = job["view"]
    scene.view_settings.exposure = job["exposure"]

    subjects, objects = [], []
    for spec in job["meshes"]:
        i = spec["index"]
        tint, rough, space = arrays.get(f"vc{i}"), arrays.get(f"vr{i}"), arrays.get(f"ts{i}")
        sewing = {name: arrays[f"sew{i}_{name}"] for name in spec["sewing"]}
        corners = {**sewing, **({"ridge": arrays[f"ridge{i}"]} if f"ridge{i}" in arrays else {})}
        obj = _mesh_object(bpy, spec["name"], arrays[f"v{i}"], arrays[f"f{i}"],
                           arrays.get(f"uv{i}"),
                           _material(bpy, spec["look"], arrays.get(f"tex{i}"),
                                     job["subsurface"], tint is not None, rough is not None,
                                     space is not None, bool(sewing)),
                           spec["smooth"], arrays.get(f"cuv{i}"), tint, rough, space, corners)
        if spec["look"]["thickness_m"] > 0:  # cloth as thick as it is, about its mid-surface
            solid = obj.modifiers.new("thickness", "SOLIDIFY")
            solid.thickness, solid.offset = spec["look"]["thickness_m"], 0.0
            # Not "even thickness": it divides by the cosine of a fold's half-angle, near
            # zero where cloth folds flat onto itself, and shot a hood's vertex out as a
            # spike a head long (its clamp did not stop it); under a millimetre, plain
            # offsets are even enough.
            solid.use_even_offset = False
        objects.append(obj)
        if spec["subject"]:
            subjects.append(obj)
    hair = None
    if job["hair"] is not None:
        hair = _hair(bpy, arrays["hair"], job["hair"])
        subjects.append(hair)

    for k, light in enumerate(job["lights"]):
        data = bpy.data.lights.new(f"light{k}", type="AREA")
        data.shape, data.size = "SQUARE", light["size_m"]
        data.energy = light["power_w"]
        data.color = light["color"]
        obj = bpy.data.objects.new(f"light{k}", data)
        scene.collection.objects.link(obj)
        _placed(bpy, obj, light["location"], light["rotation"])

    if job["backdrop_wash"] is not None:
        _wash(bpy, job["backdrop_wash"], [o for o in objects if o.name == "cyclorama"])

    world = bpy.data.worlds.new("world")
    scene.world = world
    world.use_nodes = True
    background = world.node_tree.nodes["Background"]
    if job["sky"]:
        sky = world.node_tree.nodes.new("ShaderNodeTexSky")
        sky.sky_type = "MULTIPLE_SCATTERING"
        sky.sun_elevation, sky.sun_rotation = job["sun_elevation"], job["sun_rotation"]
        # The sky lights the shadows; the sun itself is a sun lamp (crisp, and its strength
        # is set in W/m² like a real sun's, not through the sky's disc).
        sky.sun_disc = False
        world.node_tree.links.new(sky.outputs["Color"], background.inputs["Color"])
        background.inputs["Strength"].default_value = job["sky_strength"]
        sun = bpy.data.lights.new("sun", type="SUN")
        sun.energy, sun.color, sun.angle = job["sun_strength"], (1.0, 0.95, 0.88), 0.01
        obj = bpy.data.objects.new("sun", sun)
        scene.collection.objects.link(obj)
        _placed(bpy, obj, [0.0, 0.0, 10.0], job["sun_rotation_matrix"])
    else:
        background.inputs["Color"].default_value = (1.0, 1.0, 1.0, 1.0)
        background.inputs["Strength"].default_value = job["ambient"]
        world.cycles_visibility.glossy = not job["gloss_trap"]
        if job["reflections"] > 0:
            _studio_reflections(bpy, world, background, job["reflections"])

    cam = job["camera"]
    data = bpy.data.cameras.new("camera")
    data.lens, data.sensor_width, data.sensor_fit = cam["lens_mm"], cam["sensor_mm"], "AUTO"
    data.clip_start, data.clip_end = 0.05, 200.0
    obj = bpy.data.objects.new("camera", data)
    scene.collection.objects.link(obj)
    _placed(bpy, obj, cam["location"], cam["rotation"])
    scene.camera = obj

    # A turntable turns the subject on a pivot under it; camera, lights and backdrop stay,
    # as on a photographer's turntable.
    pivot = bpy.data.objects.new("turntable", None)
    scene.collection.objects.link(pivot)
    pivot.location = job["pivot"]
    # The pivot's world matrix is only brought up to date by the next scene update: its
    # inverse taken now was the identity, and every subject stood moved by the pivot's
    # offset (nothing for a still; a 5 s walk came 2.3 m nearer the camera than framed, and
    # walked out of the top and bottom of the picture).
    bpy.context.view_layer.update()
    for obj in subjects:
        obj.parent = pivot
        obj.matrix_parent_inverse = pivot.matrix_world.inverted()
    masks = job.get("masks")
    # The mask renders the same scene again: keep what Cycles built (its BVH) for them.
    scene.render.use_persistent_data = len(job["outputs"]) > 1 or bool(masks)

    def frame(k: int, turn: float) -> None:
        pivot.rotation_euler[2] = turn
        for i in job["moving"]:  # an animation: this frame's positions
            mesh = objects[i].data
            mesh.vertices.foreach_set("co", arrays[f"v{i}@{k}"].ravel())
            mesh.update()
        if job["hair_moves"] and hair is not None:
            hair.data.position_data.foreach_set("vector", arrays[f"hair@{k}"].ravel())
            hair.data.update_tag()

    for k, (turn, output) in enumerate(zip(job["turns"], job["outputs"], strict=True)):
        frame(k, turn)
        scene.render.filepath = output
        bpy.ops.render.render(write_still=True)
        print(f"dressform: wrote {output}", flush=True)
    if masks:
        started = time.perf_counter()
        _mask_scene(bpy, scene, masks, arrays, objects, hair)
        for k, (turn, output) in enumerate(zip(job["turns"], masks["outputs"], strict=True)):
            frame(k, turn)
            scene.render.filepath = output
            bpy.ops.render.render(write_still=True)
            print(f"dressform: wrote {output}", flush=True)
        (job_dir / "timing.json").write_text(json.dumps(
            {"masks_s": time.perf_counter() - started}))


def _mask_scene(bpy: Any, scene: Any, masks: dict[str, Any], arrays: Any, objects: list[Any],
                hair: Any) -> None:
    """Turn the drawn scene into its class mask: every surface a flat emission of its
    class's colour, drawn raw (no view transform, exposure, dither or denoising) with one
    sample at each pixel's centre (a box filter 0.01 px wide) and no bounces, on the
    backdrop's colour with the lights off — so each pixel is exactly the colour of the class whose
    surface covers its centre. Hair keeps its geometry, so it hides what it hides."""
    colors = masks["colors"]
    table: dict[int, Any] = {}

    def material(c: int) -> Any:
        if c not in table:
            mat = bpy.data.materials.new(f"mask {masks['classes'][c]}")
            mat.use_nodes = True
            nodes = mat.node_tree.nodes
            for node in [n for n in nodes if n.type != "OUTPUT_MATERIAL"]:
                nodes.remove(node)
            emit = nodes.new("ShaderNodeEmission")
            emit.inputs["Color"].default_value = (*colors[c], 1.0)
            emit.inputs["Strength"].default_value = 1.0
            out = next(n for n in nodes if n.type == "OUTPUT_MATERIAL")
            mat.node_tree.links.new(emit.outputs[0], out.inputs["Surface"])
            table[c] = mat
        return table[c]

    for i, obj in enumerate(objects):
        classes = np.asarray(arrays[f"cls{i}"])
        present = np.unique(classes)
        mesh = obj.data
        mesh.materials.clear()
        for c in present:
            mesh.materials.append(material(int(c)))
        mesh.polygons.foreach_set("material_index",
                                  np.searchsorted(present, classes).astype(np.int32))
        mesh.update()
    if hair is not None and masks["hair"] is not None:
        hair.data.materials.clear()
        hair.data.materials.append(material(int(masks["hair"])))
    for obj in scene.objects:
        if obj.type == "LIGHT":
            obj.hide_render = True
    world = bpy.data.worlds.new("mask backdrop")
    world.use_nodes = True
    background = world.node_tree.nodes["Background"]
    background.inputs["Color"].default_value = (*colors[0], 1.0)
    background.inputs["Strength"].default_value = 1.0
    scene.world = world
    cycles = scene.cycles
    cycles.samples = 1
    cycles.use_adaptive_sampling = False
    cycles.use_denoising = False
    cycles.max_bounces = cycles.diffuse_bounces = cycles.glossy_bounces = 0
    cycles.transmission_bounces = cycles.transparent_max_bounces = 0
    cycles.pixel_filter_type = "BOX"
    cycles.filter_width = 0.01
    scene.render.film_transparent = False
    scene.render.dither_intensity = 0.0
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.color_depth = "8"
    scene.view_settings.view_transform = "Raw"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = 0.0
    scene.view_settings.gamma = 1.0


if __name__ == "__main__":
    from dressform.processes import die_with_parent

    die_with_parent()
    render(Path(sys.argv[1]))
