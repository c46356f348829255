"""Consent records: every way a use can be refused, and records that cannot exist."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from dressform.provenance.consent import Consent, ConsentError, check_use


def _consent(**kw) -> Consent:
    fields = {"id": "consent-1", "clone_id": "ada", "person": "Ada", "uses": ("campaign",),
              "territories": ("EU",), "starts": date(2026, 1, 1), "expires": date(2026, 12, 31),
              "licence_ref": "LIC-1"} | kw
    return Consent(**fields)


@pytest.mark.parametrize(("consent", "use", "where", "on", "reason"), [
    (None, "campaign", ["EU"], date(2026, 6, 1), "no-consent"),
    (_consent(), "campaign", ["EU"], date(2025, 12, 31), "not-yet-valid"),
    (_consent(), "campaign", ["EU"], date(2027, 1, 1), "expired"),
    (_consent(revoked_at=datetime(2026, 3, 1, tzinfo=UTC)), "campaign", ["EU"],
     date(2026, 6, 1), "revoked"),
    (_consent(), "social", ["EU"], date(2026, 6, 1), "use-not-granted"),
    (_consent(), "campaign", ["EU", "US"], date(2026, 6, 1), "territory-not-granted"),
])
def test_each_refusal_names_its_reason(consent, use, where, on, reason):
    with pytest.raises(ConsentError) as info:
        check_use(consent, False, use, where, on, "ada")
    assert info.value.reason == reason


def test_allowed_uses_pass_and_synthetic_clones_need_none():
    check_use(_consent(), False, "campaign", ["eu"], date(2026, 12, 31), "ada")
    check_use(_consent(territories=("worldwide",)), False, "campaign", ["JP"],
              date(2026, 6, 1), "ada")
    check_use(None, True, "runway-video", ["US"], date(2030, 1, 1), "model-1")


def test_impossible_consents_are_refused():
    with pytest.raises(ValidationError, match="unknown use"):
        _consent(uses=("billboards",))
    with pytest.raises(ValidationError, match="before starts"):
        _consent(starts=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="at least one territory"):
        _consent(territories=())


def test_errors_cross_a_process_boundary_intact():
    """A campaign worker's error reaches the runner pickled: same type, message, fields."""
    import pickle

    from dressform.campaign.spec import CampaignError
    from dressform.errors import PatternError, UnknownNameError

    for exc in (PatternError(["panel 'front': the outline crosses itself", "seam 3 open"]),
                CampaignError(["c.yaml:1:1: name: bad"]), UnknownNameError("no size 'XXL'"),
                ConsentError("expired", "Ada's consent expired on 2026-01-01")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and str(back) == str(exc)
        assert getattr(back, "problems", None) == getattr(exc, "problems", None)
        assert getattr(back, "reason", None) == getattr(exc, "reason", None)
