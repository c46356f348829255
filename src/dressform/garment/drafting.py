"""Body measurements for drafting: what a block needs, completed from what was given.

A block reads girths (bust, waist, hip...), lengths (back waist length, arm length...) and
levels (waist height, hip depth...). People and size charts give only some of them; the rest
follow from height and bust by proportional rules — the fractions below match the middle sizes
of published drafting charts (e.g. Aldrich's) to a centimetre or two, and say so where used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from dressform.errors import InvalidInputError, UnknownNameError

REQUIRED = ("bust_girth_cm", "waist_girth_cm", "hip_girth_cm")
#: FreeSewing measurements a block uses that the clone does not (mm in, cm here).
FREESEWING_EXTRAS = {"waistToSeat": "hip_depth_cm", "waistToArmpit": "waist_to_armpit_cm",
                     "head": "head_girth_cm"}


@dataclass(frozen=True)
class DraftMeasurements:
    """Everything a block drafts from, in cm (given or completed by rule)."""

    bust_girth_cm: float
    waist_girth_cm: float
    hip_girth_cm: float
    height_cm: float
    waist_height_cm: float
    back_waist_length_cm: float
    neck_base_girth_cm: float
    shoulder_width_cm: float
    arm_length_cm: float
    upper_arm_girth_cm: float
    wrist_girth_cm: float
    thigh_girth_cm: float
    knee_girth_cm: float
    ankle_girth_cm: float
    inseam_cm: float
    hip_depth_cm: float  # waist level down to hip level
    armhole_depth_cm: float  # HPS level down to the armpit level
    head_girth_cm: float
    completed: tuple[str, ...] = ()  # names filled in by rule, not given

    def as_dict(self) -> dict[str, float]:
        d = asdict(self)
        d.pop("completed")
        return d

    # Levels (mm above the floor) every block shares.
    @property
    def waist_y(self) -> float:
        return 10.0 * self.waist_height_cm

    @property
    def hip_y(self) -> float:
        return self.waist_y - 10.0 * self.hip_depth_cm

    @property
    def hps_y(self) -> float:
        return self.waist_y + 10.0 * self.back_waist_length_cm

    @property
    def armpit_y(self) -> float:
        return self.hps_y - 10.0 * self.armhole_depth_cm

    @property
    def bust_y(self) -> float:
        # The bust line lies a little under the armpit: a third of the way down to the waist.
        return self.armpit_y - (self.armpit_y - self.waist_y) / 3.0

    @property
    def crotch_y(self) -> float:
        return 10.0 * self.inseam_cm

    @property
    def knee_y(self) -> float:
        return 0.6 * self.crotch_y


def draft_measurements(given: Mapping[str, float]) -> DraftMeasurements:
    """Drafting measurements from dressform names (cm) or FreeSewing's (mm).

    Bust (chest), waist and hip are required; anything else missing is completed by rule.
    Raises `InvalidInputError` for missing or implausible values, `UnknownNameError` for
    names neither scheme knows.
    """
    from dressform.body.names import (
        FREESEWING_TO_DRESSFORM,
        normalise_measurements,
        positive_number,
    )

    extras: dict[str, float] = {}
    plain: dict[str, float] = {}
    own_extras = set(FREESEWING_EXTRAS.values()) | {"armhole_depth_cm"}
    for name, value in given.items():
        if name in FREESEWING_EXTRAS:
            extras[FREESEWING_EXTRAS[name]] = positive_number(name, value) / 10.0
        elif name in own_extras:
            extras[name] = positive_number(name, value)
        else:
            plain[name] = value
    try:
        m, _ = normalise_measurements(plain)
    except UnknownNameError as e:
        raise UnknownNameError(f"{e} (drafting also takes {', '.join(sorted(own_extras))})"
                               ) from None
    missing = [k for k in REQUIRED if k not in m]
    if missing:
        fs = {v: k for k, v in FREESEWING_TO_DRESSFORM.items()}
        raise InvalidInputError(
            "drafting needs " + ", ".join(f"{k} (FreeSewing {fs[k]!r})" for k in missing))
    m.update(extras)
    done: list[str] = []

    def get(name: str, rule) -> float:
        if name not in m:
            m[name] = float(rule())
            done.append(name)
        return m[name]

    bust, hip = m["bust_girth_cm"], m["hip_girth_cm"]
    height = get("height_cm", lambda: m["waist_height_cm"] / 0.62 if "waist_height_cm" in m
                 else m["inseam_cm"] / 0.46 if "inseam_cm" in m else 168.0)
    waist_h = get("waist_height_cm", lambda: 0.62 * height)
    back = get("back_waist_length_cm", lambda: 0.245 * height)
    get("neck_base_girth_cm", lambda: 0.385 * bust)
    get("shoulder_width_cm", lambda: 0.27 * bust + 17.0)
    get("arm_length_cm", lambda: 0.35 * height)
    get("upper_arm_girth_cm", lambda: 0.31 * bust)
    get("wrist_girth_cm", lambda: 0.075 * height + 0.03 * bust)
    get("thigh_girth_cm", lambda: 0.56 * hip)
    get("knee_girth_cm", lambda: 0.17 * height + 0.1 * hip)
    get("ankle_girth_cm", lambda: 0.115 * height + 0.04 * hip)
    inseam = get("inseam_cm", lambda: 0.46 * height)
    get("hip_depth_cm", lambda: 0.7 * (waist_h - inseam))
    if "waist_to_armpit_cm" in m:
        m.setdefault("armhole_depth_cm", back - m.pop("waist_to_armpit_cm"))
    get("armhole_depth_cm", lambda: bust / 8.0 + 10.5)
    get("head_girth_cm", lambda: 0.335 * height)
    if not 0.0 < m["hip_depth_cm"] < waist_h - inseam + 5.0:
        raise InvalidInputError(
            f"hip depth {m['hip_depth_cm']:.1f} cm does not fit between the waist "
            f"({waist_h:.1f} cm up) and the crotch ({inseam:.1f} cm up)")
    if not 10.0 < m["armhole_depth_cm"] < back:
        raise InvalidInputError(
            f"armhole depth {m['armhole_depth_cm']:.1f} cm must lie between 10 cm and the back "
            f"waist length ({back:.1f} cm)")
    fields = DraftMeasurements.__dataclass_fields__
    return DraftMeasurements(**{k: m[k] for k in fields if k != "completed"},
                             completed=tuple(done))
