"""Length checks: where the hem, the sleeve ends, the trouser legs and the crotch seam come to
rest against the body's landmarks.

Each check gives the garment end's distance past its landmark (cm; + = below the landmark, or
further down the arm) and a verdict only where the garment is clearly off what any block of
its kind intends:

* hem of a top, dress or skirt above the waist: too short;
* sleeves reaching past the elbow (long sleeves): past the wrist by more than 2 cm too long,
  more than 5 cm short of it too short;
* trouser legs: more than 3 cm below the ankle bone too long (they pile on the foot), more than
  8 cm above it too short;
* rise: the trousers' crotch seam hanging more than 6 cm below the body's crotch is too long.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dressform.body.mesh import Body
from dressform.body.tape import Tape
from dressform.fit.ease import body_tapes
from dressform.fit.regions import body_levels
from dressform.fit.verdict import Verdict


@dataclass(frozen=True)
class LengthCheck:
    name: str  # "hem", "sleeve", "leg", "rise"
    past_cm: float  # how far the garment end is past the landmark (+ = below / further down)
    landmark: str
    verdict: Verdict | None

    def describe(self) -> str:
        where = "below" if self.past_cm >= 0 else "above"
        if self.name == "sleeve":
            where = "past" if self.past_cm >= 0 else "short of"
        text = f"{self.name} {abs(self.past_cm):.1f} cm {where} the {self.landmark}"
        return text + (f": {self.verdict}" if self.verdict else "")


#: The panels of trouser legs: only these are judged against the ankle (a hood's or a
#: pocket's left and right halves are not legs).
LEG_PANELS = ("front_l", "front_r", "back_l", "back_r")

#: The tapes the landmarks are read from.
LANDMARK_TAPES = ("waist_height_cm", "inseam_cm", "hip_girth_cm")


def body_landmarks(body: Body, tapes: dict[str, Tape] | None = None) -> dict[str, float]:
    """Heights (m) of the landmarks lengths are read against (from the body's tapes if
    already found)."""
    tapes = body_tapes(body, LANDMARK_TAPES) if tapes is None else tapes
    x = np.vstack([body.vertices, body.skeleton.heads])
    heads = dict(zip(body.skeleton.names, body.skeleton.heads, strict=True))
    return {
        "waist": tapes["waist_height_cm"].value_cm(x) / 100.0,
        "hip": body_levels(body, tapes)["hip"],
        "crotch": tapes["inseam_cm"].value_cm(x) / 100.0,
        "knee": float(heads["lowerleg01.L"][2]),
        "ankle bone": float(heads["foot.L"][2]),
    }


def length_checks(vertices: np.ndarray, panel: np.ndarray, panel_names: tuple[str, ...],
                  body: Body, marks: dict[str, float] | None = None
                  ) -> tuple[LengthCheck, ...]:
    """The checks that apply to this garment (from its panels' names), against the body's
    landmarks (:func:`body_landmarks`, found here if not given)."""
    marks = body_landmarks(body) if marks is None else marks
    names = np.asarray(panel_names)[panel]
    sleeve = np.char.startswith(names, "sleeve")
    leg = np.isin(names, LEG_PANELS)
    torso = np.isin(names, ["front", "back"])
    out = []
    if torso.any():
        hem = float(vertices[torso, 2].min())
        landmark = min(marks, key=lambda k: abs(marks[k] - hem))
        out.append(LengthCheck("hem", 100.0 * (marks[landmark] - hem), landmark,
                               "too short" if hem > marks["waist"] else None))
    left_sleeve = np.char.endswith(names, "_l") & sleeve
    if left_sleeve.any():
        out.append(_sleeve_check(vertices[left_sleeve], body))
    left_leg = leg & np.char.endswith(names, "_l")
    if left_leg.any():
        hem = float(vertices[left_leg, 2].min())
        past = 100.0 * (marks["ankle bone"] - hem)
        out.append(LengthCheck("leg", past, "ankle bone",
                               "too long" if past > 3.0 else "too short" if past < -8.0
                               else None))
        # The crotch seam: the lowest cloth near the body's midline, between the legs.
        mid = leg & (np.abs(vertices[:, 0]) < 0.02) & (vertices[:, 2] > marks["knee"])
        if mid.any():
            rise = 100.0 * (marks["crotch"] - float(vertices[mid, 2].min()))
            out.append(LengthCheck("rise", rise, "crotch", "too long" if rise > 6.0 else None))
    return tuple(out)


def _sleeve_check(sleeve: np.ndarray, body: Body) -> LengthCheck:
    heads = dict(zip(body.skeleton.names, body.skeleton.heads, strict=True))
    sh, el, wr = heads["upperarm01.L"], heads["lowerarm01.L"], heads["wrist.L"]
    upper, fore = np.linalg.norm(el - sh), np.linalg.norm(wr - el)
    # How far down the arm (m, from the shoulder joint) each sleeve vertex reaches.
    down = np.where((sleeve - el) @ (el - sh) > 0,
                    upper + (sleeve - el) @ (wr - el) / fore,
                    (sleeve - sh) @ (el - sh) / upper)
    end = float(down.max())
    if end <= upper:
        return LengthCheck("sleeve", 100.0 * (end - upper), "elbow", None)
    past = 100.0 * (end - upper - fore)
    return LengthCheck("sleeve", past, "wrist",
                       "too long" if past > 2.0 else "too short" if past < -5.0 else None)
