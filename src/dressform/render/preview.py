"""Fast headless preview rasteriser (moderngl on an EGL context).

This is the quick path for looking at a clone (and, later, its garments): an OpenGL 3.3
rasteriser running headless through EGL (Mesa's llvmpipe on a machine with no GPU), with smooth
per-vertex normals, a soft studio light (key + fill + hemispheric ambient, a little wrap and a
rim), lighting computed in linear light and written as sRGB, and 4× multisampling for smooth
edges. It is not the photoreal renderer: it exists to make previews in well under a second.

Conventions (``docs/architecture.md``): metres, right-handed, Z up, front = −Y, the clone's
left = +X. The default camera looks from the front (from −Y towards +Y), so the clone's left (+X) is
on the image's right, and Z is up in the image.

One OpenGL context is created per process, on first use, and reused (creating it is the slow
part); framebuffers for a given size and the shader program are cached with it. Calls are
serialised with a lock, so the functions are safe to call from several threads.

Example::

    from dressform.body import BodySpec, build
    from dressform.render import render_body, save_png

    body = build(BodySpec(height_cm=168, weight_kg=62))
    save_png(render_body(body, view="front"), "front.png")
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PIL import Image, ImageDraw, ImageFont

from dressform.body.skin import srgb_to_linear
from dressform.errors import InvalidInputError, RenderError
from dressform.geometry.normals import vertex_normals as smooth_normals
from dressform.render.camera import VIEW_AZIMUTH_DEG, Camera, Projection, place_camera

if TYPE_CHECKING:  # imported lazily at run time: render may be used without building bodies
    from dressform.body.mesh import Body
    from dressform.render.wear import Wear

ViewName = Literal["front", "back", "side", "three-quarter"]
RGB = tuple[float, float, float]

#: Largest image side accepted (llvmpipe and most GPUs allow at least 8192).
MAX_IMAGE_SIDE = 8192
#: Neutral light grey used when a mesh has no colour of its own.
DEFAULT_MESH_COLOR: RGB = (0.72, 0.72, 0.72)


# --------------------------------------------------------------------------------------------
# Option records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lighting:
    """A soft studio light rig, fixed relative to the camera (so every view is lit alike).

    Directions are in camera space (x right, y up, z towards the camera) and point from the
    subject towards the light. Intensities are in linear light; the result is written as sRGB.

    Attributes:
        key_dir / key: the main light, high on the camera's left.
        fill_dir / fill: a weaker light from the camera's right, lifting the shadows.
        sky / ground: hemispheric ambient from above / below.
        rim: strength of a soft edge light on the silhouette (reads the figure against the
            background).
        wrap: how far (0–1) diffuse light wraps past the terminator — softens shading.
        specular: strength of a broad, dim highlight from the key light.
    """

    key_dir: RGB = (-0.65, 0.5, 0.6)
    key: float = 0.95
    fill_dir: RGB = (0.8, 0.1, 0.5)
    fill: float = 0.16
    sky: float = 0.14
    ground: float = 0.05
    rim: float = 0.15
    wrap: float = 0.2
    specular: float = 0.06

    def validate(self) -> None:
        """Raise `InvalidInputError` if a field is out of range."""
        for name in ("key", "fill", "sky", "ground", "rim", "specular"):
            v = getattr(self, name)
            if not (math.isfinite(v) and 0.0 <= v <= 10.0):
                raise InvalidInputError(f"lighting {name} must be in [0, 10], not {v}")
        if not (math.isfinite(self.wrap) and 0.0 <= self.wrap <= 1.0):
            raise InvalidInputError(f"lighting wrap must be in [0, 1], not {self.wrap}")
        for name in ("key_dir", "fill_dir"):
            d = np.asarray(getattr(self, name), float)
            if d.shape != (3,) or not np.all(np.isfinite(d)) or np.linalg.norm(d) < 1e-9:
                raise InvalidInputError(f"lighting {name} must be a non-zero (x, y, z) direction")


@dataclass(frozen=True, eq=False)
class PreviewMesh:
    """One triangle mesh to draw, with its colour.

    Attributes:
        vertices: (V, 3) positions in metres.
        faces: (F, 3) vertex indices, counter-clockwise seen from outside (both sides are lit,
            so open meshes such as garments render correctly too).
        color: one sRGB colour in 0–1 for the whole mesh, or (V, 3) per-vertex sRGB colours.
    """

    vertices: ArrayLike
    faces: ArrayLike
    color: ArrayLike = DEFAULT_MESH_COLOR
    name: str = field(default="mesh")


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _check_rgb(value: ArrayLike, what: str) -> RGB:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (3,) or not np.all(np.isfinite(arr)) or arr.min() < 0.0 or arr.max() > 1.0:
        raise InvalidInputError(
            f"{what} must be an (r, g, b) triple of numbers in 0–1, got {value!r}"
        )
    return (float(arr[0]), float(arr[1]), float(arr[2]))


def _check_size(width: int, height: int) -> None:
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise InvalidInputError(f"{name} must be a whole number of pixels, not {v!r}")
        if not 1 <= int(v) <= MAX_IMAGE_SIDE:
            raise InvalidInputError(f"{name} must be 1–{MAX_IMAGE_SIDE} pixels, not {v}")


def _prepare_mesh(
    mesh: PreviewMesh, index: int
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Validated (vertices, faces, linear per-vertex colours) of one mesh."""
    label = f"mesh {index} ({mesh.name})"
    v = np.asarray(mesh.vertices, dtype=np.float64)
    if v.ndim != 2 or v.shape[1] != 3 or len(v) == 0:
        raise InvalidInputError(
            f"{label}: vertices must be a non-empty (V, 3) array, got shape {v.shape}"
        )
    if not np.all(np.isfinite(v)):
        raise InvalidInputError(f"{label}: vertices contain NaN or infinite values")
    f = np.asarray(mesh.faces)
    if f.ndim != 2 or f.shape[1] != 3 or len(f) == 0:
        raise InvalidInputError(f"{label}: faces must be a non-empty (F, 3) array, got {f.shape}")
    if not np.issubdtype(f.dtype, np.integer):
        raise InvalidInputError(f"{label}: faces must hold integer vertex indices")
    f = f.astype(np.int64)
    if f.min() < 0 or f.max() >= len(v):
        raise InvalidInputError(
            f"{label}: face indices must be in 0–{len(v) - 1}, got {f.min()}–{f.max()}"
        )
    c = np.asarray(mesh.color, dtype=np.float64)
    if c.shape == (3,):
        c = np.broadcast_to(_check_rgb(c, f"{label}: color"), v.shape)
    elif c.shape == v.shape:
        if not np.all(np.isfinite(c)) or c.min() < 0.0 or c.max() > 1.0:
            raise InvalidInputError(f"{label}: per-vertex colours must be sRGB values in 0–1")
    else:
        raise InvalidInputError(
            f"{label}: color must be one (r, g, b) or a (V, 3) array, got shape {c.shape}"
        )
    return v, f, srgb_to_linear(c)


def vertex_normals(vertices: ArrayLike, faces: ArrayLike) -> NDArray[np.float32]:
    """Smooth unit normals (float32, for the GPU); see `dressform.geometry.vertex_normals`."""
    return smooth_normals(vertices, faces).astype(np.float32)


# --------------------------------------------------------------------------------------------
# Camera maths
# --------------------------------------------------------------------------------------------


def _matrices(
    camera: Camera, lo: NDArray[np.float64], hi: NDArray[np.float64], aspect: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """(view, projection) 4×4 matrices (row-major, numpy) framing the box [lo, hi]."""
    at = place_camera(camera, lo, hi, aspect)
    near, far = at.near, at.far
    if at.orthographic:
        proj = np.array(
            [
                [1.0 / at.half_width, 0, 0, 0],
                [0, 1.0 / at.half_height, 0, 0],
                [0, 0, -2.0 / (far - near), -(far + near) / (far - near)],
                [0, 0, 0, 1.0],
            ]
        )
    else:
        proj = np.array(
            [
                [1.0 / at.half_width, 0, 0, 0],
                [0, 1.0 / at.half_height, 0, 0],
                [0, 0, -(far + near) / (far - near), -2.0 * far * near / (far - near)],
                [0, 0, -1.0, 0],
            ]
        )
    view = np.eye(4)
    view[0, :3], view[1, :3], view[2, :3] = at.right, at.up, at.back
    view[:3, 3] = -view[:3, :3] @ at.eye
    return view.astype(np.float32), proj.astype(np.float32)


# --------------------------------------------------------------------------------------------
# The OpenGL context (one per process)
# --------------------------------------------------------------------------------------------

_VERTEX_SHADER = """
#version 330
uniform mat4 u_view;
uniform mat4 u_mvp;
in vec3 in_pos;
in vec3 in_normal;
in vec3 in_color;
out vec3 v_normal;
out vec3 v_pos;
out vec3 v_color;
void main() {
    vec4 p = vec4(in_pos, 1.0);
    gl_Position = u_mvp * p;
    v_pos = (u_view * p).xyz;
    v_normal = mat3(u_view) * in_normal;
    v_color = in_color;
}
"""

_FRAGMENT_SHADER = """
#version 330
uniform vec3 u_key_dir;
uniform vec3 u_fill_dir;
uniform float u_key;
uniform float u_fill;
uniform float u_sky;
uniform float u_ground;
uniform float u_rim;
uniform float u_wrap;
uniform float u_specular;
uniform bool u_ortho;
in vec3 v_normal;
in vec3 v_pos;
in vec3 v_color;
out vec4 f_color;

vec3 linear_to_srgb(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    vec3 lo = c * 12.92;
    vec3 hi = 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055;
    return mix(lo, hi, step(vec3(0.0031308), c));
}

float wrapped(vec3 n, vec3 l) {
    return max((dot(n, l) + u_wrap) / (1.0 + u_wrap), 0.0);
}

void main() {
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) n = -n;            // open meshes (garments): light the inside too
    vec3 v = u_ortho ? vec3(0.0, 0.0, 1.0) : normalize(-v_pos);
    float ndv = max(dot(n, v), 0.0);
    float hemi = 0.5 + 0.5 * n.y;            // camera-space up ≈ world up for level cameras
    vec3 albedo = v_color;
    float diffuse = u_key * wrapped(n, u_key_dir) + u_fill * wrapped(n, u_fill_dir)
                  + mix(u_ground, u_sky, hemi);
    float rim = u_rim * pow(1.0 - ndv, 3.0);
    vec3 h = normalize(u_key_dir + v);
    float spec = u_specular * pow(max(dot(n, h), 0.0), 24.0) * step(0.0, dot(n, u_key_dir));
    vec3 c = albedo * diffuse + (0.35 * albedo + 0.65) * rim + vec3(spec);
    c = c / (1.0 + 0.15 * max(max(c.r, c.g), c.b));   // gentle shoulder instead of a hard clip
    f_color = vec4(linear_to_srgb(c), 1.0);
}
"""


class _GL:
    """The process's OpenGL context, its shader program and cached framebuffers."""

    def __init__(self) -> None:
        try:
            import moderngl
        except ImportError as exc:  # pragma: no cover - moderngl is a dependency
            raise RenderError(
                "the preview renderer needs the 'moderngl' package (pip install moderngl)"
            ) from exc
        errors: list[str] = []
        ctx = None
        for kwargs in ({"backend": "egl"}, {}):
            try:
                ctx = moderngl.create_standalone_context(require=330, **kwargs)
                break
            except Exception as exc:  # any failure: try the next backend
                errors.append(f"{kwargs.get('backend', 'default')}: {exc}")
        if ctx is None:
            raise RenderError(
                "could not create an OpenGL 3.3 context for previews "
                f"({'; '.join(errors)}). Install Mesa's EGL (Debian: libegl1 libegl-mesa0 "
                "libgl1-mesa-dri) or run where a GPU driver is available."
            )
        self.ctx = ctx
        self.pid = os.getpid()
        self.samples = min(4, int(ctx.max_samples))
        self.program = ctx.program(vertex_shader=_VERTEX_SHADER, fragment_shader=_FRAGMENT_SHADER)
        self._framebuffers: dict[tuple[int, int], tuple[Any, Any]] = {}

    @property
    def renderer(self) -> str:
        return str(self.ctx.info.get("GL_RENDERER", "unknown"))

    def framebuffers(self, width: int, height: int) -> tuple[Any, Any]:
        """(multisampled target, resolved single-sample target) of this size, cached."""
        key = (width, height)
        if key not in self._framebuffers:
            if len(self._framebuffers) >= 4:  # keep memory bounded: drop the oldest size
                old_key = next(iter(self._framebuffers))
                for fbo in self._framebuffers.pop(old_key):
                    for att in (*fbo.color_attachments, fbo.depth_attachment):
                        if att is not None:
                            att.release()
                    fbo.release()
            ctx = self.ctx
            ms = ctx.framebuffer(
                color_attachments=[ctx.renderbuffer((width, height), 4, samples=self.samples)],
                depth_attachment=ctx.depth_renderbuffer((width, height), samples=self.samples),
            )
            resolved = ctx.framebuffer(color_attachments=[ctx.renderbuffer((width, height), 4)])
            self._framebuffers[key] = (ms, resolved)
        return self._framebuffers[key]


_gl: _GL | None = None
_gl_lock = threading.RLock()


def _get_gl() -> _GL:
    global _gl
    if _gl is None or _gl.pid != os.getpid():  # a forked child must not reuse the parent's
        _gl = _GL()
    return _gl


def renderer_info() -> str:
    """The OpenGL renderer string of the preview context (creating it if needed)."""
    with _gl_lock:
        return _get_gl().renderer


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def render_meshes(
    meshes: Sequence[PreviewMesh],
    *,
    width: int = 512,
    height: int = 768,
    camera: Camera | None = None,
    background: ArrayLike = (1.0, 1.0, 1.0),
    lighting: Lighting | None = None,
) -> Image.Image:
    """Rasterise several meshes, each with its own colour, into one RGB image.

    The camera (default: front view, 85 mm) frames the union of all meshes' bounding boxes
    (or `camera.frame_min`/`frame_max`) with its margin, so everything is in the picture.

    Args:
        meshes: the meshes to draw (a body, garments, props...), at least one.
        width, height: image size in pixels, 1–8192.
        camera: view and framing; `Camera.for_view("side")` etc.
        background: sRGB colour in 0–1.
        lighting: the light rig (default: soft studio key + fill + ambient + rim).

    Returns:
        An RGB `PIL.Image.Image` of `width` × `height`.

    Raises:
        InvalidInputError: a mesh, colour, size or camera setting is invalid.
        RenderError: no OpenGL context could be created or drawing failed.
    """
    _check_size(width, height)
    bg = _check_rgb(background, "background")
    camera = camera or Camera()
    camera.validate()
    lighting = lighting or Lighting()
    lighting.validate()
    if isinstance(meshes, PreviewMesh):
        meshes = [meshes]
    if len(meshes) == 0:
        raise InvalidInputError("render_meshes needs at least one mesh")

    positions, normals, colors, indices = [], [], [], []
    offset = 0
    for i, mesh in enumerate(meshes):
        if not isinstance(mesh, PreviewMesh):
            raise InvalidInputError(f"mesh {i} must be a PreviewMesh, not {type(mesh).__name__}")
        v, f, c = _prepare_mesh(mesh, i)
        positions.append(v)
        normals.append(vertex_normals(v, f))
        colors.append(c)
        indices.append(f + offset)
        offset += len(v)
    pos = np.concatenate(positions)
    center, view_c, mvp = _framing(camera, pos, width, height)
    vertex_data = np.hstack(
        [(pos - center).astype(np.float32), np.concatenate(normals),
         np.concatenate(colors).astype(np.float32)]
    )
    index_data = np.concatenate(indices).astype(np.uint32)

    with _gl_lock:
        gl = _get_gl()
        ctx = gl.ctx
        try:
            with ctx:
                return _draw(gl, vertex_data, index_data, view_c, mvp, width, height, bg,
                             lighting, camera.projection == "orthographic")
        except RenderError:
            raise
        except Exception as exc:
            raise RenderError(f"preview rendering failed: {exc}") from exc


def _draw(
    gl: _GL,
    vertex_data: NDArray[np.float32],
    index_data: NDArray[np.uint32],
    view: NDArray[np.float32],
    mvp: NDArray[np.float32],
    width: int,
    height: int,
    bg: RGB,
    lighting: Lighting,
    ortho: bool,
) -> Image.Image:
    import moderngl

    ctx, prog = gl.ctx, gl.program
    ms_fbo, out_fbo = gl.framebuffers(width, height)
    # GLSL matrices are column-major: numpy row-major → transpose.
    prog["u_view"].write(np.ascontiguousarray(view.T).tobytes())
    prog["u_mvp"].write(np.ascontiguousarray(mvp.T).tobytes())
    for name, d in (("u_key_dir", lighting.key_dir), ("u_fill_dir", lighting.fill_dir)):
        vec = np.asarray(d, float)
        prog[name].value = tuple(float(x) for x in vec / np.linalg.norm(vec))
    for name in ("key", "fill", "sky", "ground", "rim", "wrap", "specular"):
        prog[f"u_{name}"].value = float(getattr(lighting, name))
    prog["u_ortho"].value = bool(ortho)

    vbo = ctx.buffer(vertex_data.tobytes())
    ibo = ctx.buffer(index_data.tobytes())
    vao = ctx.vertex_array(
        prog, [(vbo, "3f 3f 3f", "in_pos", "in_normal", "in_color")], index_buffer=ibo,
        index_element_size=4,
    )
    try:
        ms_fbo.use()
        ctx.viewport = (0, 0, width, height)
        ctx.enable(moderngl.DEPTH_TEST)
        ctx.disable(moderngl.CULL_FACE)
        ctx.clear(bg[0], bg[1], bg[2], 1.0, depth=1.0)
        vao.render(moderngl.TRIANGLES)
        ctx.copy_framebuffer(out_fbo, ms_fbo)  # resolves the multisampling
        data = out_fbo.read(components=3, alignment=1)
    finally:
        vao.release()
        ibo.release()
        vbo.release()
    img = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
    return Image.fromarray(np.ascontiguousarray(img[::-1]), mode="RGB")  # GL rows are bottom-up


_MASK_VERTEX_SHADER = """
#version 330
uniform mat4 u_mvp;
in vec3 in_pos;
in float in_class;
flat out int v_class;
void main() {
    gl_Position = u_mvp * vec4(in_pos, 1.0);
    v_class = int(in_class + 0.5);
}
"""

_MASK_FRAGMENT_SHADER = """
#version 330
flat in int v_class;
out vec4 f_color;
void main() {
    f_color = vec4(float(v_class) / 255.0, 0.0, 0.0, 1.0);
}
"""


def _framing(camera: Camera, pos: np.ndarray, width: int, height: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The frame's centre, and the float32 view and model-view-projection of `camera` on
    points `pos` (its own frame box, else theirs), for positions shifted by minus that
    centre before going to float32 (keeps precision). The picture and its mask share it,
    so they align."""
    if camera.frame_min is not None and camera.frame_max is not None:
        lo, hi = np.asarray(camera.frame_min, float), np.asarray(camera.frame_max, float)
    else:
        lo, hi = pos.min(axis=0), pos.max(axis=0)
    view, proj = _matrices(camera, lo, hi, width / height)
    center = 0.5 * (lo + hi)
    shift = np.eye(4, dtype=np.float32)
    shift[:3, 3] = center
    view_c = (view.astype(np.float64) @ shift).astype(np.float32)
    return center, view_c, (proj.astype(np.float64) @ view_c).astype(np.float32)


def render_mask(
    meshes: Sequence[PreviewMesh],
    classes: Sequence[ArrayLike],
    *,
    width: int = 512,
    height: int = 768,
    camera: Camera | None = None,
) -> NDArray[np.uint8]:
    """The class mask of what `render_meshes` draws of `meshes` with the same size and
    camera: (height, width) uint8, each pixel the class (0–255) of the face covering its
    centre — `classes[i]` is mesh i's, one index or (F,) per face — and 0 where none does.
    Flat, unlit and without multisampling, so it is exact where the picture blends."""
    _check_size(width, height)
    camera = camera or Camera()
    camera.validate()
    if len(meshes) == 0 or len(classes) != len(meshes):
        raise InvalidInputError("render_mask needs meshes and one class (or per-face classes) "
                                "for each")
    positions, corner_classes = [], []
    for i, (mesh, cls) in enumerate(zip(meshes, classes, strict=True)):
        v, f, _ = _prepare_mesh(mesh, i)
        c = np.broadcast_to(np.asarray(cls), (len(f),))
        if not np.issubdtype(c.dtype, np.integer) or (c.size and (c.min() < 0 or c.max() > 255)):
            raise InvalidInputError(f"mesh {i} ({mesh.name}): classes are whole numbers 0–255, "
                                    "one or one per face")
        positions.append(v)
        corner_classes.append((v[f].reshape(-1, 3), np.repeat(c, 3)))
    pos = np.concatenate(positions)
    center, _, mvp = _framing(camera, pos, width, height)  # as `render_meshes` frames it
    # Each face's own three corners (unshared), so that every corner carries its face's class.
    corners = np.concatenate([p for p, _ in corner_classes])
    data = np.hstack([(corners - center).astype(np.float32),
                      np.concatenate([c for _, c in corner_classes]).astype(np.float32)[:, None]])
    with _gl_lock:
        gl = _get_gl()
        try:
            with gl.ctx:
                return _draw_mask(gl, data, mvp, width, height)
        except RenderError:
            raise
        except Exception as exc:
            raise RenderError(f"preview mask rendering failed: {exc}") from exc


def _draw_mask(gl: _GL, data: NDArray[np.float32], mvp: NDArray[np.float32], width: int,
               height: int) -> NDArray[np.uint8]:
    import moderngl

    ctx = gl.ctx
    if not hasattr(gl, "mask_program"):
        gl.mask_program = ctx.program(vertex_shader=_MASK_VERTEX_SHADER,  # type: ignore[attr-defined]
                                      fragment_shader=_MASK_FRAGMENT_SHADER)
    prog = gl.mask_program  # type: ignore[attr-defined]
    prog["u_mvp"].write(np.ascontiguousarray(mvp.T).tobytes())
    color = ctx.renderbuffer((width, height), 4)
    depth = ctx.depth_renderbuffer((width, height))
    fbo = ctx.framebuffer(color_attachments=[color], depth_attachment=depth)
    vbo = ctx.buffer(np.ascontiguousarray(data).tobytes())
    vao = ctx.vertex_array(prog, [(vbo, "3f 1f", "in_pos", "in_class")])
    try:
        fbo.use()
        ctx.viewport = (0, 0, width, height)
        ctx.enable(moderngl.DEPTH_TEST)
        ctx.disable(moderngl.CULL_FACE)
        ctx.clear(0.0, 0.0, 0.0, 1.0, depth=1.0)
        vao.render(moderngl.TRIANGLES)
        raw = fbo.read(components=1, alignment=1)
    finally:
        for thing in (vao, vbo, fbo, color, depth):
            thing.release()
    img = np.frombuffer(raw, dtype=np.uint8).reshape(height, width)
    return np.ascontiguousarray(img[::-1])  # GL rows are bottom-up


def render_mesh(
    vertices: ArrayLike,
    faces: ArrayLike,
    color: ArrayLike = DEFAULT_MESH_COLOR,
    *,
    width: int = 512,
    height: int = 768,
    camera: Camera | None = None,
    background: ArrayLike = (1.0, 1.0, 1.0),
    lighting: Lighting | None = None,
) -> Image.Image:
    """Rasterise one mesh. `color` is one sRGB (r, g, b) in 0–1 or (V, 3) per-vertex colours.

    See :func:`render_meshes` for the other arguments and for drawing several meshes at once.
    """
    return render_meshes(
        [PreviewMesh(vertices, faces, color)],
        width=width, height=height, camera=camera, background=background, lighting=lighting,
    )


def body_mesh(body: Body, color: ArrayLike | None = None) -> PreviewMesh:
    """A body as a `PreviewMesh`, coloured with its Monk skin tone unless `color` is given."""
    if color is None:
        from dressform.body.skin_optics import tone_rgb

        color = tone_rgb(int(body.spec.skin_tone))
    return PreviewMesh(body.vertices, body.faces, color, name="body")


def worn_meshes(body: Body, wear: Wear | None = None, color: ArrayLike | None = None,
                under: Sequence[PreviewMesh] = ()) -> list[PreviewMesh]:
    """A clone at its rest pose in its base layer and shoes (`wear`, default
    `dressform.render.wear.DEFAULT_WEAR`), standing in them: the body (in `color`, default
    its skin tone), the garments `under` (rested on the body; lifted with it) and the
    pieces, as preview meshes."""
    from dressform.render.wear import DEFAULT_WEAR, dressing, lifted

    dressed = dressing(body, wear or DEFAULT_WEAR)
    posed, dz = dressed.posed(body, "a-pose")
    cloth = [PreviewMesh(lifted(np.asarray(m.vertices), dz), m.faces, m.color, name=m.name)
             for m in under]
    pieces = dressed.pieces(posed, [(np.asarray(m.vertices), np.asarray(m.faces))
                                    for m in cloth])
    return [body_mesh(posed, color), *cloth,
            *(PreviewMesh(p.vertices, p.faces, dressed.look(p).color, name=p.name)
              for p in pieces)]


def render_body(
    body: Body,
    *,
    width: int = 512,
    height: int = 768,
    view: ViewName = "front",
    background: ArrayLike = (1.0, 1.0, 1.0),
    color: ArrayLike | None = None,
    camera: Camera | None = None,
    lighting: Lighting | None = None,
    wear: Wear | None = None,
) -> Image.Image:
    """A quick lit preview of a clone.

    Args:
        body: a built `dressform.body.Body`.
        width, height: image size in pixels (default 512 × 768, portrait).
        view: "front" (camera on −Y: the clone's left is on the image's right), "back",
            "side" (the clone's left side) or "three-quarter" (35° towards the clone's left).
        background: sRGB colour in 0–1.
        color: sRGB skin colour in 0–1; default: the body's Monk skin tone.
        camera: overrides `view` when given (e.g. another azimuth, orthographic, fixed framing).
        lighting: the light rig (default: soft studio light).
        wear: its base layer and shoes (default: `dressform.render.wear.DEFAULT_WEAR`;
            `UNDRESSED` for the body alone).

    Returns:
        An RGB `PIL.Image.Image`, the whole body framed with a margin.
    """
    cam = camera if camera is not None else Camera.for_view(view)
    return render_meshes(
        worn_meshes(body, wear, color),
        width=width, height=height, camera=cam, background=background, lighting=lighting,
    )


# --------------------------------------------------------------------------------------------
# Sheets and files
# --------------------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no size argument
        return ImageFont.load_default()


def contact_sheet(
    images: Sequence[Image.Image],
    labels: Sequence[str],
    columns: int,
    *,
    tile_size: tuple[int, int] | None = None,
    padding: int = 12,
    label_height: int | None = None,
    font_size: int | None = None,
    background: ArrayLike = (1.0, 1.0, 1.0),
    text_color: ArrayLike = (0.1, 0.1, 0.1),
) -> Image.Image:
    """Lay images out in a grid, each with a text label centred under it.

    Each image is scaled (keeping its aspect ratio) to fit a tile of `tile_size` (default: the
    largest image's width and height) and centred in it. The sheet is::

        width  = columns · tile_w + (columns + 1) · padding
        height = rows · (tile_h + label_height) + (rows + 1) · padding

    with ``rows = ceil(len(images) / columns)`` (columns is capped at the number of images) and
    `label_height` defaulting to 1.6 × the font size (font size default: tile_w / 16, 10–48 px).

    Raises:
        InvalidInputError: no images, a label count that does not match, columns < 1, or a bad
            size.
    """
    if len(images) == 0:
        raise InvalidInputError("contact_sheet needs at least one image")
    if len(labels) != len(images):
        raise InvalidInputError(
            f"contact_sheet needs one label per image: {len(images)} images, {len(labels)} labels"
        )
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise InvalidInputError(f"columns must be a whole number ≥ 1, not {columns!r}")
    if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
        raise InvalidInputError(f"padding must be a whole number of pixels ≥ 0, not {padding!r}")
    for i, im in enumerate(images):
        if not isinstance(im, Image.Image):
            raise InvalidInputError(f"image {i} must be a PIL image, not {type(im).__name__}")
    bg = tuple(round(255 * c) for c in _check_rgb(background, "background"))
    fg = tuple(round(255 * c) for c in _check_rgb(text_color, "text_color"))

    if tile_size is None:
        tile_w = max(im.width for im in images)
        tile_h = max(im.height for im in images)
    else:
        tile_w, tile_h = (int(s) for s in tile_size)
        _check_size(tile_w, tile_h)
    if font_size is None:
        font_size = int(min(48, max(10, tile_w // 16)))
    if label_height is None:
        label_height = math.ceil(1.6 * font_size)
    if label_height < 0:
        raise InvalidInputError(f"label_height must be ≥ 0 pixels, not {label_height}")
    font = _font(font_size)

    columns = min(columns, len(images))
    rows = math.ceil(len(images) / columns)
    sheet_w = columns * tile_w + (columns + 1) * padding
    sheet_h = rows * (tile_h + label_height) + (rows + 1) * padding
    sheet = Image.new("RGB", (sheet_w, sheet_h), bg)
    draw = ImageDraw.Draw(sheet)
    for i, (im, label) in enumerate(zip(images, labels, strict=True)):
        r, c = divmod(i, columns)
        x0 = padding + c * (tile_w + padding)
        y0 = padding + r * (tile_h + label_height + padding)
        tile = im.convert("RGB")
        if tile.size != (tile_w, tile_h):
            scale = min(tile_w / tile.width, tile_h / tile.height)
            new_size = (max(1, round(tile.width * scale)), max(1, round(tile.height * scale)))
            tile = tile.resize(new_size, Image.Resampling.LANCZOS)
        sheet.paste(tile, (x0 + (tile_w - tile.width) // 2, y0 + (tile_h - tile.height) // 2))
        if label_height > 0 and label:
            text = str(label)
            # Shorten labels that do not fit the tile width.
            while len(text) > 1 and draw.textlength(text, font=font) > tile_w:
                text = text[:-2] + "…"
            draw.text(
                (x0 + tile_w / 2, y0 + tile_h + label_height / 2), text, fill=fg, font=font,
                anchor="mm",
            )
    return sheet


def save_png(image: Image.Image, path: str | os.PathLike[str]) -> Path:
    """Write `image` as a PNG atomically: a temporary file in the same folder, then a rename.

    A reader never sees a half-written file, and an interrupted save leaves the old file (if
    any) untouched. The folder is created if missing. Returns the path written.
    """
    if not isinstance(image, Image.Image):
        raise InvalidInputError(f"save_png needs a PIL image, not {type(image).__name__}")
    from dressform.files import atomic_path

    target = Path(path)
    with atomic_path(target) as tmp:
        image.save(tmp, format="PNG")
    return target


__all__ = [
    "DEFAULT_MESH_COLOR",
    "MAX_IMAGE_SIDE",
    "VIEW_AZIMUTH_DEG",
    "Camera",
    "Lighting",
    "PreviewMesh",
    "Projection",
    "ViewName",
    "body_mesh",
    "contact_sheet",
    "render_body",
    "render_mask",
    "render_mesh",
    "render_meshes",
    "renderer_info",
    "save_png",
    "vertex_normals",
    "worn_meshes",
]
