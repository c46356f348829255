"""Rendering: fast headless previews (moderngl/EGL, `preview`), and photoreal stills,
turntables and runway walks with Blender Cycles in a worker process (`photoreal`, `shoot`),
in studio presets (`studio`), with skin, fabric, hair and face looks (`looks`, `hair`,
`face`)."""

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
