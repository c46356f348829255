"""Rendering: fast headless previews (moderngl/EGL) now; photoreal stills and videos later."""

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
