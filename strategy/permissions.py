"""Who sees and records what in the strategy. One function per kind of record fetches *and*
authorises; whoever may not see a record gets the same 404 as for one that does not exist.

- Final and superseded versions, and endorsements recorded against them, are public.
- Consultation versions and amendment requests are for signed-in partners.
- Drafts are the programme manager's.
- An organisation's endorsement is recorded by its Board or Steering Group representatives, its
  partner officers (people who work for it), or the programme manager (with evidence). Nobody
  records for an organisation they do not work for.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from diz_portal import caching
from partners.models import Membership, Organisation
from partners.permissions import is_partner_officer, is_programme_manager
from strategy.models import (
    PUBLIC_VERSION_STATUSES,
    AmendmentRequest,
    Endorsement,
    Strategy,
    StrategyVersion,
    VersionStatus,
)


def is_partner(user) -> bool:
    """Signed in and working for a partner, or the programme manager."""
    return is_programme_manager(user) or is_partner_officer(user)


def version_statuses_for(user) -> set[str]:
    if is_programme_manager(user):
        return set(VersionStatus.values)
    if is_partner_officer(user):
        return PUBLIC_VERSION_STATUSES | {VersionStatus.CONSULTATION}
    return set(PUBLIC_VERSION_STATUSES)


def versions_for(user, strategy: Strategy):
    return strategy.versions.filter(status__in=version_statuses_for(user))


def represented_organisation_ids(user) -> set[int]:
    """Organisations `user` may record for: the one they work for and those whose seat they hold
    on a governing body now (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_diz_represented_org_ids", None)
    if cached is None:
        seats = Membership.objects.held_by(user)
        cached = set(seats.values_list("organisation_id", flat=True))
        if is_partner_officer(user):  # an active partner's officer; not an archived or former one's
            cached.add(user.organisation_id)
        user._diz_represented_org_ids = cached
    return cached


def can_record_for(user, organisation: Organisation) -> bool:
    if getattr(user, "organisation_id", None) == organisation.pk:
        return True  # works for it: no need to look at seats
    return is_programme_manager(user) or organisation.pk in represented_organisation_ids(user)


def can_manage_strategy(user) -> bool:
    return is_programme_manager(user)


def get_strategy(user=None) -> Strategy:
    strategy = Strategy.current()
    if strategy is None:
        raise Http404
    return strategy


def get_version_for_user(user, label: str) -> StrategyVersion:
    strategy = get_strategy(user)
    return get_object_or_404(versions_for(user, strategy).select_related("strategy"), label=label)


def versions_key(user, *labels: str):
    """What decides which of the named versions the viewer finds: the statuses they may see."""
    return ("strategy-versions", tuple(sorted(version_statuses_for(user))), labels)


def get_versions_for_user(user, *labels: str) -> list[StrategyVersion]:
    """The versions named, in the order named: 404 unless the viewer may see every one of them (a
    comparison of two versions). Kept in the cache, by the statuses the viewer may see, until a
    strategy record changes."""

    def load() -> dict:
        strategy = Strategy.current()
        if strategy is None:
            return {}
        versions = StrategyVersion.objects.filter(strategy=strategy, status__in=version_statuses_for(user))
        return {v.label: v for v in versions.select_related("strategy").filter(label__in=labels)}

    found = caching.cached_value(versions_key(user, *labels), ["strategy"], load)
    if any(label not in found for label in labels):
        raise Http404
    return [found[label] for label in labels]


def get_version_for_management(user, pk: int) -> StrategyVersion:
    if not can_manage_strategy(user):
        raise Http404
    return get_object_or_404(StrategyVersion.objects.select_related("strategy"), pk=pk)


def get_organisation_for_recording(user, slug: str) -> Organisation:
    """The organisation whose endorsement `user` records: 404 for anyone who may not record it."""
    organisation = get_object_or_404(Organisation.objects.filter(is_archived=False), slug=slug)
    if not can_record_for(user, organisation):
        raise Http404
    return organisation


def get_public_endorsement(user, pk: int) -> Endorsement:
    """An endorsement whose evidence the viewer may download: recorded against a public version,
    or (for partners) any version they may see."""
    endorsement = get_object_or_404(Endorsement.objects.select_related("version", "organisation"), pk=pk)
    if endorsement.version.status not in version_statuses_for(user):
        raise Http404
    return endorsement


def amendments_for(user, strategy: Strategy):
    if not is_partner(user):
        return AmendmentRequest.objects.none()
    return AmendmentRequest.objects.filter(version__strategy=strategy, version__status__in=version_statuses_for(user))


def get_amendment_for_management(user, pk: int) -> AmendmentRequest:
    if not can_manage_strategy(user):
        raise Http404
    return get_object_or_404(
        AmendmentRequest.objects.select_related("version", "organisation", "requested_by", "section"), pk=pk
    )


def get_endorsement_for_kit(user, pk: int) -> Endorsement:
    """The kit is for whoever records the organisation's endorsement."""
    endorsement = get_object_or_404(Endorsement.objects.select_related("version__strategy", "organisation"), pk=pk)
    if not can_record_for(user, endorsement.organisation):
        raise Http404
    return endorsement


# --- The delivery plan -----------------------------------------------------------------------

IDEA_SCORERS_GROUP = "Idea scorers"


def can_update_project(user, project) -> bool:
    """Progress and the RAID log: the lead organisation's officers, or the programme manager."""
    return is_programme_manager(user) or (
        getattr(user, "is_authenticated", False) and user.organisation_id == project.lead_organisation_id
    )


def can_score_ideas(user) -> bool:
    """The programme manager, or a named scorer (a member of the "Idea scorers" group)."""
    if is_programme_manager(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_diz_scores_ideas", None)
    if cached is None:
        cached = user._diz_scores_ideas = user.groups.filter(name=IDEA_SCORERS_GROUP).exists()
    return cached


def projects_for(user):
    from strategy.models import Project

    return Project.objects.visible_to(user)


def get_project_for_user(user, slug: str):
    """Public projects for everyone; partners-only projects for partners."""
    return get_object_or_404(
        projects_for(user).select_related("workstream", "lead_organisation", "lead_person"), slug=slug
    )


def get_project_for_update(user, slug: str):
    project = get_project_for_user(user, slug)
    if not can_update_project(user, project):
        raise Http404
    return project


def get_project_for_management(user, slug: str):
    from strategy.models import Project

    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(Project.objects.select_related("workstream", "lead_organisation"), slug=slug)


def get_milestone_for_management(user, pk: int):
    from strategy.models import Milestone

    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(Milestone.objects.select_related("project"), pk=pk)


def get_risk_for_update(user, pk: int):
    from strategy.models import Risk

    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    if not can_update_project(user, risk.project) or (not risk.project.is_public and not is_partner(user)):
        raise Http404
    return risk


def get_idea_for_user(user, pk: int):
    """Ideas are for partners signed in."""
    from strategy.models import Idea

    if not is_partner(user):
        raise Http404
    return get_object_or_404(Idea.objects.select_related("organisation", "proposed_by", "promoted_project"), pk=pk)
