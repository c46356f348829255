"""Garments as a dressed clone's file keeps them: one typed record per garment (its pattern,
fabric, spacing, outfit layer and what its drape warned of), written into the garment mesh's
glTF extras and read back here, and nowhere else.

A dressed clone is a GLB (`dressform.body.garment_files`): the body, then one mesh per garment. The
record is what it takes to simulate the garment again from the file alone (re-draping it into
a pose, assessing its fit), so every reader gets a `GarmentRecord`, never a raw dict.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from dressform.body.files import export_glb
from dressform.body.garment_files import ExtraMesh, load_garments
from dressform.body.mesh import Body
from dressform.drape.checks import check
from dressform.drape.cloth_mesh import mesh_pattern, triangle_strain
from dressform.drape.folding import fold_bands
from dressform.drape.outfit import Layering, Outfit
from dressform.drape.simulate import DrapedGarment, DrapeError
from dressform.drape.spacing import DRAPE_SPACING_MM, SEW_SPACING_MM
from dressform.garment.pattern import Pattern

Layer = Literal["inner", "outer"]
#: The fabric a garment saved without one is drawn and simulated in.
DEFAULT_FABRIC = "cotton_jersey"


@dataclass(frozen=True)
class GarmentRecord:
    """What a file keeps of a garment besides its mesh.

    pattern, fabric, spacing_mm: what it was draped from (a re-drape meshes the pattern the
    same way). outfit, layer: for one layer of an outfit, the layering ("tucked" / "over")
    and which layer it is ("inner" / "outer"); None for a garment worn alone. warnings: what
    its drape left unresolved (not at rest, cloth through cloth), for the user to see.
    """

    pattern: Pattern
    fabric: str = DEFAULT_FABRIC
    spacing_mm: float = DRAPE_SPACING_MM
    outfit: Layering | None = None
    layer: Layer | None = None
    warnings: tuple[str, ...] = ()

    @property
    def bands_fastened(self) -> bool:
        """Whether its waistbands and cuffs were closed at their laps when it was meshed: an
        outfit's outer layer leaves them open (`fold_bands`)."""
        return self.layer != "outer"

    def extras(self) -> dict[str, Any]:
        """The record as glTF extras (JSON)."""
        out: dict[str, Any] = {"pattern": self.pattern.model_dump_json(),
                               "fabric": self.fabric, "spacing_mm": self.spacing_mm}
        if self.outfit is not None:
            out |= {"outfit": self.outfit, "layer": self.layer}
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    @classmethod
    def from_extras(cls, extras: Mapping[str, Any] | None) -> GarmentRecord:
        """The record kept in a mesh's glTF extras; `DrapeError` saying what to do when the
        file holds none (written by an older dressform, or not by dressform)."""
        if not extras or "pattern" not in extras:
            if extras and "outfit" in extras:
                raise DrapeError("this outfit was saved without its patterns (by an older "
                                 "dressform), so it cannot be re-draped: dress the clone again "
                                 "with `dressform outfit`")
            raise DrapeError("this garment was saved without its pattern, so it cannot be "
                             "re-draped: drape it again with `dressform drape`")
        return cls(Pattern.model_validate_json(str(extras["pattern"])),
                   str(extras.get("fabric", DEFAULT_FABRIC)),
                   float(extras.get("spacing_mm", SEW_SPACING_MM)),
                   extras.get("outfit"), extras.get("layer"),
                   tuple(str(w) for w in extras.get("warnings", ())))


def rest_warnings(garment: DrapedGarment) -> tuple[str, ...]:
    """What a rest leaves for the user to know: not at rest, and the checks of a rest
    (`dressform.drape.checks`) it fails; for a garment meshed coarser than the default,
    the fix (a 20 mm T-shirt came to rest in none of the shoot poses it rests in at 12 mm:
    BENCHMARKS.md, "outfits in poses")."""
    what = [] if garment.at_rest else [f"did not come to rest ({garment.frames} solver steps)"]
    what += check(garment.vertices, garment.faces, garment.contact_m).failures()
    if what and garment.spacing_mm > DRAPE_SPACING_MM:
        what.append(f"its {garment.spacing_mm:g} mm mesh is too coarse to fold where the body "
                    f"bends: drape it at {DRAPE_SPACING_MM:g} mm (--spacing "
                    f"{DRAPE_SPACING_MM:g}, or drape: {{spacing_mm: {DRAPE_SPACING_MM:g}}} in a "
                    "campaign)")
    return tuple(what)


def record(pattern: Pattern, fabric: str, garment: DrapedGarment) -> GarmentRecord:
    """The record of `garment`, draped alone from `pattern` in `fabric`."""
    return GarmentRecord(pattern, fabric, garment.spacing_mm, warnings=rest_warnings(garment))


def outfit_records(outfit: Outfit, patterns: tuple[Pattern, Pattern],
                   fabrics: tuple[str, str]) -> list[GarmentRecord]:
    """The records of an outfit's top and bottom, each marked with the layering and its
    layer, so that they are re-draped together (`redrape_layers`)."""
    return [GarmentRecord(p, f, g.spacing_mm, outfit.layering,
                          "inner" if g is outfit.inner else "outer", rest_warnings(g))
            for g, p, f in zip((outfit.top, outfit.bottom), patterns, fabrics, strict=True)]


def restore(vertices: np.ndarray, rec: GarmentRecord) -> DrapedGarment:
    """The garment of `rec` at rest at `vertices` (read back from a file), ready to re-drape.
    `DrapeError` if the pattern does not mesh to that many vertices."""
    cloth = mesh_pattern(fold_bands(rec.pattern, fasten=rec.bands_fastened), rec.spacing_mm)
    if cloth.vertex_count != len(vertices):
        raise DrapeError(f"the saved garment has {len(vertices)} vertices but its pattern "
                         f"meshes to {cloth.vertex_count}: the file was changed, or saved "
                         "by an older dressform that meshed it differently (an outfit's "
                         "outer band kept its lap): drape it again")
    rep = cloth.representative()
    q = np.asarray(vertices, dtype=np.float64)
    return DrapedGarment(q, cloth.faces, cloth.uv[rep], cloth.panel[rep], cloth.panel_names,
                         np.zeros(len(q)), 0, 0.0, True, triangle_strain(cloth, q),
                         rec.spacing_mm, bands_fastened=rec.bands_fastened)


@dataclass(frozen=True)
class WornGarment:
    """A garment of a dressed clone's file: its mesh as drawn (name, vertices, faces, UVs,
    colour) and its record, or None with the reason when the file keeps none."""

    mesh: ExtraMesh
    record: GarmentRecord | None
    missing: str = ""

    @property
    def name(self) -> str:
        return self.mesh.name

    @property
    def fabric(self) -> str:
        return self.record.fabric if self.record else DEFAULT_FABRIC

    @property
    def outfit(self) -> Layering | None:
        return self.record.outfit if self.record else None

    def recorded(self) -> GarmentRecord:
        """The record, or `DrapeError` saying why the file holds none."""
        if self.record is None:
            raise DrapeError(self.missing)
        return self.record

    def restored(self, vertices: np.ndarray | None = None) -> DrapedGarment:
        """The garment at rest (at `vertices` if given, else as saved), ready to re-drape."""
        return restore(self.mesh.vertices if vertices is None else vertices, self.recorded())


def worn_mesh(name: str, garment: DrapedGarment, color: tuple[float, float, float],
              rec: GarmentRecord | None = None,
              vertex_colors: np.ndarray | None = None) -> ExtraMesh:
    """`garment` as a mesh to write beside its body, with its record in the glTF extras."""
    return ExtraMesh(name, garment.vertices, garment.faces, garment.uv, color,
                     extras={} if rec is None else rec.extras(), vertex_colors=vertex_colors)


def save_dressed(body: Body, path: str | os.PathLike[str], garments: Sequence[ExtraMesh]
                 ) -> Path:
    """Write the dressed clone (`worn_mesh`es beside `body`) as GLB; the path written."""
    return export_glb(body, path, garments)


def load_worn(path: str | os.PathLike[str]) -> list[WornGarment]:
    """The garments of the dressed clone in `path`, each with its record; [] for an
    undressed clone or a body file that is not a GLB. Its base layer and shoes, if the file
    shows them, are not garments (`load_garments` leaves them out)."""
    if Path(path).suffix.lower() != ".glb":
        return []
    out = []
    for mesh in load_garments(path):
        try:
            out.append(WornGarment(mesh, GarmentRecord.from_extras(mesh.extras)))
        except DrapeError as err:
            out.append(WornGarment(mesh, None, str(err)))
    return out
