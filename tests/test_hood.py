"""A hood worn down: pushed off the head onto the back, then at rest like any garment."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body.measure import measure
from dressform.drape.checks import self_intersections
from dressform.drape.hood import OVER_HEAD
from dressform.drape.simulate import drape
from dressform.errors import DressformError, UnknownNameError
from dressform.fit.advice import chart_name_for
from dressform.garment.blocks import draft_size, fitting_size
from dressform.garment.sizes import builtin_chart


def _hoodie(body):
    girths = measure(body).as_dict()
    size = fitting_size("hoodie", builtin_chart(chart_name_for(body.spec)), girths)
    return draft_size("hoodie", size, body.spec.height_cm, girths)


def test_a_hood_worn_down_lies_behind_the_neck_off_the_head(woman):
    hoodie = _hoodie(woman)
    down = drape(hoodie, woman, "cotton_jersey", hood="down")
    assert down.at_rest
    assert self_intersections(down.vertices, down.faces) == 0
    assert down.contact_m.min() > -0.001
    hood = np.isin(down.panel, [k for k, n in enumerate(down.panel_names)
                                if n.startswith("hood")])
    v, parts = np.asarray(woman.vertices), np.asarray(woman.part_ids)
    head, neck = (v[parts == woman.part_names.index(p)] for p in ("head", "neck"))
    chin, crown = head[:, 2].min(), head[:, 2].max()
    # Nothing of it over the skull, where a hood up is (its crown above the head's top).
    assert down.vertices[hood, 2].max() < chin + OVER_HEAD * (crown - chin)
    # Gathered behind the neck, not over the face or the chest.
    assert down.vertices[hood, 1].mean() > neck[:, 1].max()


def test_a_hood_is_worn_up_or_down_and_newton_wears_it_up(woman):
    hoodie = _hoodie(woman)
    with pytest.raises(UnknownNameError, match="did you mean 'down'"):
        drape(hoodie, woman, hood="dwn")
    with pytest.raises(DressformError, match="hood='up'"):
        drape(hoodie, woman, solver="newton", hood="down")
