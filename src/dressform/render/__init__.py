"""Rendering: draws what it is given, never simulates. Fast headless previews
(moderngl/EGL, `preview`), and photoreal stills, turntables and animations with Blender
Cycles in a worker process (`photoreal`), in studio presets (`studio`), with skin, fabric,
hair and face looks (`looks`, `hair`, `face`). `dressform.shoot` puts a dressed clone in
front of it."""

from dressform.render.preview import (
    Camera,
    Lighting,
    PreviewMesh,
    body_mesh,
    contact_sheet,
    render_body,
    render_mesh,
    render_meshes,
    renderer_info,
    save_png,
    vertex_normals,
)

__all__ = [
    "Camera",
    "Lighting",
    "PreviewMesh",
    "body_mesh",
    "contact_sheet",
    "render_body",
    "render_mesh",
    "render_meshes",
    "renderer_info",
    "save_png",
    "vertex_normals",
]
