"""Outfits: a top and a bottom layered on one body, neither passing through the other."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body.measure import measure
from dressform.drape.outfit import dress
from dressform.drape.simulate import collider
from dressform.errors import DressformError
from dressform.garment.blocks import draft
from dressform.garment.sizes import builtin_chart

TEE = builtin_chart("women").size("M").body_cm  # the chart size her bust picks


def test_a_top_over_trousers_stays_outside_them(woman):
    trousers = draft("trousers", measure(woman).as_dict())
    outfit = dress(woman, draft("tshirt", TEE), trousers, ("cotton_jersey", "cotton_jersey"),
                   "over", spacing_mm=30.0, max_frames=400)
    assert outfit.crossings == 0
    assert outfit.inner is outfit.bottom and outfit.outer is outfit.top
    # Draped over the trousers, the top's bands were left open at the lap.
    assert outfit.bottom.bands_fastened and not outfit.top.bands_fastened
    for g in (outfit.top, outfit.bottom):
        assert g.at_rest and g.contact_m.min() > -0.001
    # No vertex of the top inside the trousers: it hangs over their waistband.
    assert collider(woman, [outfit.bottom])(outfit.top.vertices).min() > -0.001
    band = outfit.bottom.vertices[outfit.bottom.panel ==
                                  outfit.bottom.panel_names.index("waistband"), 2]
    assert outfit.top.vertices[:, 2].min() < np.median(band)


def test_an_unknown_layering_is_refused(woman):
    with pytest.raises(DressformError, match="tucked or over"):
        dress(woman, draft("tshirt", TEE), draft("skirt", TEE), layering="sideways")  # type: ignore[arg-type]


def test_cli_tucks_a_top_into_a_skirt(woman, tmp_path, cli):
    from PIL import Image

    from dressform.body.files import export_glb

    me = export_glb(woman, tmp_path / "me.glb")
    out = tmp_path / "outfit.glb"
    r = cli("outfit", "--body", str(me), "--top", "tshirt", "--bottom", "skirt",
                "--layering", "tucked", "--size", "L", "--spacing", "12", "--max-frames",
                "250", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "no cloth through cloth" in r.stdout
    assert (tmp_path / "outfit_tshirt.obj").exists() and (tmp_path / "outfit_skirt.obj").exists()
    img = np.asarray(Image.open(tmp_path / "outfit.png").convert("RGB")).astype(int)
    blue = (img[..., 2] > img[..., 0] + 60).mean()
    red = (img[..., 0] > img[..., 2] + 60).mean()
    assert blue > 0.01 and red > 0.01  # both garments in the picture
    _repose_outfit(out)


def _repose_outfit(dressed) -> None:
    """The outfit in `dressed` re-drapes into a pose as one: the skirt settles over the
    tucked top, neither passing through the other nor into the body."""
    from dressform.body.files import load_body
    from dressform.body.pose import pose_body
    from dressform.drape.posed import posed_garments
    from dressform.drape.worn import load_worn
    from dressform.geometry.crossings import crossings
    from dressform.geometry.distance import BodyDistance

    body, garments = load_body(dressed), load_worn(dressed)
    assert {g.recorded().layer for g in garments} == {"inner", "outer"}
    # Read back, each layer is meshed as it was draped: the outer one's band open.
    for g in garments:
        assert g.restored().bands_fastened == (g.recorded().layer == "inner")
    posed = posed_garments(body, garments, "relaxed")
    after = pose_body(body, "relaxed")
    skin = BodyDistance(after.vertices, after.faces)
    (top, bottom) = ((posed[g.name], np.asarray(g.mesh.faces)) for g in garments)
    # The top's sleeves came down with the arms.
    assert np.abs(top[0] - garments[0].mesh.vertices).max() > 0.04
    assert skin(bottom[0]).min() > -0.001
    # Settled inside the skirt, the top slides where the arm comes down to its side: no
    # cloth in the body (held where the skirt covered it, it dipped 1.1 mm in).
    assert skin(top[0]).min() > -0.001
    # Re-draped apart, the top's tucked hem sprang out through the skirt (10 edges on a
    # 30 mm mesh); inside it, a crossing or two may remain where the top leaves the band
    # (the layers are settled one after the other, not together).
    assert crossings(top, bottom) <= 2
    _moves_as_one(body, garments)
    _carried_untangled(body, garments)


def _moves_as_one(body, garments) -> None:
    """Through a motion (the frames from the rest pose into the relaxed one, two solver
    steps each, as a walk's) the layers move together: on every frame the top stays inside
    the skirt and out of the body (followed one by one, each layer would pass through the
    other)."""
    from dressform.body.pose import pose_path
    from dressform.drape.redrape import follow_layers
    from dressform.geometry.crossings import crossings
    from dressform.geometry.distance import BodyDistance

    frames = pose_path(body, "relaxed")
    layers = [(g.restored(), g.recorded().pattern, g.fabric) for g in garments]
    top, bottom = follow_layers(layers, body, frames, tucked=True)
    assert len(top) == len(bottom) == len(frames)
    faces = [np.asarray(g.mesh.faces) for g in garments]
    for k, frame in enumerate(frames):
        skin = BodyDistance(frame.vertices, frame.faces)
        assert crossings((top[k], faces[0]), (bottom[k], faces[1])) <= 2, k
        # The tucked hem lies between the belly and the skirt, which keeps 4 mm off the skin:
        # two steps a frame cannot give it both 4 mm clearances there, so on the way it may
        # be pressed up to 2 mm in; in the pose it is out.
        assert min(skin(top[k]).min(), skin(bottom[k]).min()) > -0.002, k
    skin = BodyDistance(frames[-1].vertices, frames[-1].faces)
    assert min(skin(top[-1]).min(), skin(bottom[-1]).min()) > -0.001
    # The sleeves came down with the arms on the way.
    assert np.abs(top[-1] - garments[0].mesh.vertices).max() > 0.04


def _carried_untangled(body, garments) -> None:
    """On the way into a pose the layers keep to the skin they rested on: bound afresh to
    the nearest skin at each step, the skirt's side was taken by the hand coming down to the
    hip, and arrived on the next body through itself (~100 edges on a 12 mm mesh)."""
    from unittest import mock

    import dressform.drape.redrape as rd
    from dressform.body.pose import pose_path
    from dressform.drape.checks import self_intersections

    arrived: list[int] = []
    real = rd._onto

    def spy(cloth, physics, carried, *args, **kwargs):
        arrived.append(self_intersections(carried, cloth.faces))
        return real(cloth, physics, carried, *args, **kwargs)

    layers = [(g.restored(), g.recorded().pattern, g.fabric) for g in garments]
    *between, posed = pose_path(body, "hand-on-hip")
    with mock.patch.object(rd, "_onto", spy):
        # One solver step on each body: what arrives there is the carry's doing.
        rd.redrape_layers(layers, body, posed, through=between, frames_between=1,
                          max_frames=1, tucked=True)
    assert len(arrived) == 2 * (len(between) + 1)
    assert max(arrived[1::2]) == 0, arrived  # the skirt, over the top


def test_a_tucked_layer_is_kept_inside_the_garment_over_it(woman):
    """`collider(around=...)`: a garment a layer is tucked into is a wall from inside (its
    triangles turned inwards): cloth between it and the body is outside the collider, cloth
    beyond it inside, and so pushed back in."""
    from types import SimpleNamespace

    import trimesh

    v = np.asarray(woman.vertices)
    z = 1.0
    ring = v[np.abs(v[:, 2] - z) < 0.01]
    cx, cy = ring[:, 0].mean(), ring[:, 1].mean()
    tube = trimesh.creation.cylinder(radius=0.3, height=0.2, sections=48)
    walls = np.abs(tube.face_normals[:, 2]) < 0.5  # an open tube: no caps, as a skirt
    skirt = SimpleNamespace(vertices=tube.vertices + np.array([cx, cy, z]),
                            faces=tube.faces[walls])
    between, beyond = np.array([[cx, cy - 0.25, z], [cx, cy - 0.35, z]])
    around = collider(woman, [], around=[skirt])
    d_between, d_beyond = around(np.array([between, beyond]))
    assert d_between > 0.03 and d_beyond < -0.03
    assert collider(woman, [skirt])(beyond[None])[0] > 0.03  # worn under, the other way
