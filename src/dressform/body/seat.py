"""The stool a seated clone sits on: one solid box, floor to seat, under its hips.

The renderer draws it, and the re-drape collides cloth with it: a skirt's back is sat on,
held between the hips and the seat. (Drawn but not collided with, the stool had the back of
a skirt hanging 4 mm into it.)
"""

from __future__ import annotations

import numpy as np

from dressform.body.mesh import Body

#: How far the seat's top stands below the lowest point of the clone's hips (m): room for
#: the cloth sat on between skin and seat (the solver keeps it 4 mm off each), the depth a
#: cushion would give under the hips.
SEAT_GAP_M = 0.012
#: Half the stool's width and depth (m).
HALF_WIDTH_M = 0.2


def stool(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """The stool under a seated clone's hips: (8 corners (m), 12 outward-facing triangles)."""
    hips = np.asarray(body.vertices)[body.part_mask("hips")]
    seat = float(hips[:, 2].min()) - SEAT_GAP_M
    cx, cy = hips[:, :2].mean(axis=0)
    x0, x1 = cx - HALF_WIDTH_M, cx + HALF_WIDTH_M
    y0, y1 = cy - HALF_WIDTH_M, cy + HALF_WIDTH_M
    corners = np.array([[x, y, z] for z in (0.0, seat) for y in (y0, y1) for x in (x0, x1)])
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4),
             (1, 5, 7, 3)]
    return corners, np.array([t for a, b, c, d in quads for t in ((a, c, b), (a, d, c))])
