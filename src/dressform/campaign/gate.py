"""The consent check at every point an image becomes a published output, and the one audit
event of each refusal.

The points: a shot dispatched (first try or retry), its image before it is recorded, an image
a killed run left unrecorded (recovered only with consent, else deleted), and each image put on
the contact sheet and in the lookbook. What is in force is `dressform.provenance.consent`'s
to say; this module asks the store and writes down every refusal with its reason.
"""

from __future__ import annotations

from datetime import date

from dressform.campaign.plan import Member
from dressform.campaign.spec import Campaign
from dressform.provenance.consent import Consent, ConsentError, check_use
from dressform.store.db import Store

#: Where a refusal happened, as its audit event says.
DISPATCH = "at dispatch"
RECORD = "before recording"
RECOVERY = "on recovery of an unrecorded image, deleted"
PROOFS = "left out of the contact sheet and lookbook"


def allowed(store: Store, campaign: Campaign, member: Member, today: date) -> Consent | None:
    """The consent that allows the campaign's use of `member`'s clone on `today` (None for a
    synthetic clone), else a `ConsentError` naming the consent that refuses it."""
    if member.synthetic:
        return None
    territories = tuple(campaign.territories)
    current = store.current_consent(member.clone_id, today, campaign.use, territories)
    check_use(current, False, campaign.use, territories, today, member.clone_id)
    return current


def audit_refusal(store: Store, campaign: Campaign, member: Member, output: str,
                  exc: ConsentError, point: str) -> None:
    """The one `consent.refused` event of a refusal: its reason, the image and the point."""
    store.audit("consent.refused", f"{exc.reason}: {exc} ({output}, {point})", campaign.name,
                member.clone_id, exc.consent_id)


def consent_ref(consent: Consent | None) -> str | None:
    """How a manifest and an output record name a consent (None: a synthetic clone)."""
    return None if consent is None else consent.id
