"""Frames to video: MP4 (H.264 through PyAV's FFmpeg) and GIF (Pillow), each written to a
hidden name beside the target and moved into place when complete."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from dressform.errors import RenderError
from dressform.files import atomic_path


def flatten(path: Path, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """An RGBA image file laid on a plain background (white: a cut-out on a page)."""
    rgba = Image.open(path).convert("RGBA")
    flat = Image.new("RGB", rgba.size, background)
    flat.paste(rgba, mask=rgba.split()[3])
    return flat


def check_output(output: str | os.PathLike[str], what: str = "a video") -> Path:
    """`output` as a path, if it names a video this module writes (.mp4 or .gif)."""
    out = Path(output)
    if out.suffix.lower() not in (".mp4", ".gif"):
        raise RenderError(f"{out.name}: write {what} as .mp4 or .gif")
    return out


def write_video(frames: Sequence[Path], output: str | os.PathLike[str], fps: float = 24.0
                ) -> Path:
    """`frames` (PNG files, one size) as an .mp4 or .gif, by `output`'s suffix."""
    out = check_output(output)
    suffix = out.suffix.lower()
    if not frames:
        raise RenderError("no frames to write")
    if not 1.0 <= fps <= 120.0:
        raise RenderError(f"frames per second must be in 1–120, not {fps}")
    with atomic_path(out) as partial:
        if suffix == ".gif":
            images = [flatten(p) for p in frames]
            images[0].save(partial, format="GIF", save_all=True, append_images=images[1:],
                           loop=0, duration=round(1000.0 / fps), optimize=True)
        else:
            _mp4([flatten(p) for p in frames], partial, fps)
    return out


def _mp4(images: list[Image.Image], path: Path, fps: float) -> None:
    import av

    width, height = images[0].size
    # H.264 in 4:2:0 needs even sides.
    width, height = width - width % 2, height - height % 2
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=round(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "20", "preset": "medium"}
        for image in images:
            arr = np.asarray(image)[:height, :width]
            for packet in stream.encode(av.VideoFrame.from_ndarray(arr, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
