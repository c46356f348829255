"""The work of a campaign's jobs, run in worker processes (a local pool or Ray): pure inputs
in (picklable records), files and a result record out. Workers never touch the database: the
runner records what they return.

A drape is written once per look and clone and shared by every shot of that pair. A shot
renders its image and class mask, checks that the image shows nothing it must not
(`dressform.render.coverage`: a shot that does fails, its image never written), labels,
watermarks and signs it, and writes it in one step (a temporary name renamed into place),
so a killed worker leaves no corrupt output, only a stale temporary file that the next run
removes.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dressform.campaign.spec import GarmentItem
from dressform.files import scratch_dir
from dressform.provenance.keys import Credentials


@dataclass(frozen=True)
class DrapeTask:
    spec: dict[str, Any]
    garments: tuple[GarmentItem, ...]
    layering: str
    spacing_mm: float
    max_frames: int
    output: Path


@dataclass(frozen=True)
class PoseTask:
    """A drape's garments re-draped into a pose, shared by every shot in that pose."""

    dressed: Path
    pose: str
    output: Path


@dataclass(frozen=True)
class ShotTask:
    dressed: Path
    output: Path
    pose: str
    camera: str
    light: str
    backdrop: str
    expression: str
    quality: str
    renderer: str
    hair: str | None
    label: bool
    credentials: Credentials
    title: str
    manifest: dict[str, Any]
    watermark: bytes
    seed: int = 0
    #: The base layer and shoes (`dressform.render.wear.Wear` fields).
    wear: dict[str, Any] = field(default_factory=dict)
    size: tuple[int, int] | None = None
    #: The garments re-draped into `pose` (from `pose_look`); None in the A-pose.
    posed: Path | None = None


@dataclass(frozen=True)
class ShotResult:
    path: Path
    sha256: str
    width: int
    height: int
    seconds: float
    #: What the shot shows that the user should know of (a garment not at rest in the pose).
    notes: tuple[str, ...] = field(default=())


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def watermark_payload(key: str) -> bytes:
    """The bytes the invisible watermark carries: the start of the job's key, enough to find
    the job (and so the clone and campaign) from a copy of the image stripped of its manifest."""
    from dressform.provenance.watermark import PAYLOAD_BYTES

    return bytes.fromhex(key)[:PAYLOAD_BYTES]


def worker_init(parent: int, render_threads: int = 0) -> None:
    """Each worker: one torch thread (the 2-core rule in docs/architecture.md), its share of
    the cores for Cycles, and death with its parent, so a killed runner leaves no orphan
    rendering on. A runner killed while the worker was still starting died before the request
    could take effect: then exit at once."""
    from dressform.files import remove_live_scratch
    from dressform.processes import die_with_parent, exit_on_sigterm

    exit_on_sigterm(remove_live_scratch)  # first: the SIGTERM asked for next cleans up
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    if render_threads > 0:
        os.environ["DRESSFORM_RENDER_THREADS"] = str(render_threads)
    import torch

    torch.set_num_threads(1)


def _pattern(item: GarmentItem, body: Any) -> Any:
    """The garment's pattern for this body: a block in the clone's own size (`own`) or a
    named size of its chart, lengths drafted for the clone's height; or a pattern file."""
    if item.pattern is not None:
        from dressform.garment.io.files import read_pattern

        return read_pattern(item.pattern)
    from dressform.garment.blocks import draft_for

    assert item.block is not None
    return draft_for(item.block, body, item.size, item.chart, what=item.name)


def drape_look(task: DrapeTask) -> Path:
    """Dress the clone of `task.spec` in the look and write it as a dressed GLB (with what
    re-draping each garment into a pose needs)."""
    from dressform.body.bodies import build
    from dressform.body.spec import BodySpec
    from dressform.drape.worn import GarmentRecord, outfit_records, record, save_dressed, worn_mesh
    from dressform.render.looks import parse_color

    body = build(BodySpec(**task.spec))
    patterns = [_pattern(g, body) for g in task.garments]
    if len(patterns) == 1:
        from dressform.drape.simulate import drape

        draped = [drape(patterns[0], body, task.garments[0].fabric,
                        spacing_mm=task.spacing_mm, max_frames=task.max_frames)]
        records: list[GarmentRecord] = [record(patterns[0], task.garments[0].fabric,
                                               draped[0])]
    else:
        from dressform.drape.outfit import dress

        outfit = dress(body, patterns[0], patterns[1],
                       (task.garments[0].fabric, task.garments[1].fabric),
                       task.layering,  # type: ignore[arg-type]
                       spacing_mm=task.spacing_mm, max_frames=task.max_frames)
        draped = [outfit.top, outfit.bottom]
        records = outfit_records(outfit, (patterns[0], patterns[1]),
                                 (task.garments[0].fabric, task.garments[1].fabric))
    meshes = [worn_mesh(g.name, d, parse_color(g.color), r)
              for g, d, r in zip(task.garments, draped, records, strict=True)]
    task.output.parent.mkdir(parents=True, exist_ok=True)
    return save_dressed(body, task.output, meshes)


def pose_look(task: PoseTask) -> Path:
    """Re-drape a dressed clone's garments into a pose and keep them in the pose's cache
    file (`dressform.drape.posed.save_posed`), with what the re-drape warned of."""
    from dressform.body.files import load_body
    from dressform.drape.posed import save_posed
    from dressform.drape.worn import load_worn

    return save_posed(load_body(task.dressed), load_worn(task.dressed), task.pose,
                      task.output)


def _studio(task: ShotTask) -> Any:
    from dressform.render.studio import Studio

    w, h = task.size or (None, None)
    return Studio(light=task.light, backdrop=task.backdrop, camera=task.camera,
                  quality=task.quality, seed=task.seed, width=w, height=h)


def _wear(task: ShotTask) -> Any:
    from dressform.render.wear import Wear

    return Wear(**task.wear)


def _raster(task: ShotTask, posed: dict[str, Any] | None) -> tuple[Any, Any]:
    """The shot and its class mask from the preview rasteriser (proofs, tests): same scene,
    no Cycles."""
    from dressform.shoot.still import raster_proof_passes

    w, h = _studio(task).size
    return raster_proof_passes(task.dressed, camera=task.camera, backdrop=task.backdrop,
                               width=w, height=h, pose=task.pose, expression=task.expression,
                               posed=posed, wear=_wear(task))


def shoot_look(task: ShotTask) -> ShotResult:
    """Render the shot, label it (optional), watermark it, sign it and move it into place."""

    from dressform.provenance.disclosure import label_image
    from dressform.provenance.manifest import sign
    from dressform.provenance.watermark import embed
    from dressform.render.coverage import require_coverage
    from dressform.render.mask import read_mask

    start = time.perf_counter()
    from dressform.drape.posed import read_posed

    posed, notes = (None, ()) if task.posed is None else read_posed(task.posed)
    with scratch_dir("job") as tmp:
        if task.renderer == "raster":
            image, mask = _raster(task, posed)
            image = image.convert("RGB")
        else:
            from dressform.drape.styling import AS_IS
            from dressform.render.video import flatten
            from dressform.shoot.still import shoot

            studio = _studio(task)
            result = shoot(task.dressed, tmp / "render.png", pose=task.pose,
                           studio=studio, hair=task.hair, expression=task.expression,
                           posed=posed, wear=_wear(task), styling=AS_IS, passes=True)
            image = flatten(result.path)
            mask = read_mask(result.path)
        # Checked before it is labelled, signed or written: a picture that shows what it
        # must not never becomes an output (the shot fails with why, and is not retried: a
        # new render of the same shot would show the same).
        require_coverage(mask, task.output.name, bare_feet=_wear(task).bare_feet)
        if task.label:
            image = label_image(image)
        image = embed(image, task.watermark)
        unsigned = tmp / f"unsigned{task.output.suffix}"
        if task.output.suffix.lower() == ".png":
            image.save(unsigned, format="PNG")
        else:
            image.save(unsigned, format="JPEG", quality=92)
        task.output.parent.mkdir(parents=True, exist_ok=True)
        sign(unsigned, task.output, task.credentials, title=task.title,
             clone=task.manifest)
    return ShotResult(task.output, sha256_file(task.output), image.width, image.height,
                      time.perf_counter() - start, notes)


def call(fn_and_arg: tuple[Any, Any]) -> Any:
    """`fn(arg)`: the one entry point executors ship to their workers."""
    fn, arg = fn_and_arg
    return fn(arg)
