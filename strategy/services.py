"""Use-cases for the strategy: versions, endorsements and amendment requests. Each checks its
rules, writes in one transaction, records who did it (history), and queues emails and documents
after commit."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from diz_portal.queue import enqueue
from partners.models import Organisation
from strategy.models import (
    ENDORSED_STATUSES,
    OUTCOME_STATUSES,
    PUBLIC_VERSION_STATUSES,
    AmendmentRequest,
    AmendmentStatus,
    Endorsement,
    Section,
    Standing,
    Strategy,
    StrategyVersion,
    VersionStatus,
    label_key,
)
from strategy.permissions import can_record_for, is_programme_manager


def _as(instance, by):
    instance._history_user = by
    return instance


# --- Text and versions -----------------------------------------------------------------------

HEADING = re.compile(r"^#\s+(.+?)\s*$")


def parse_sections(text: str) -> list[tuple[str, str]]:
    """A version's text as typed: each section starts with a line "# Heading". Text before the
    first heading becomes an "Introduction" section."""
    sections: list[tuple[str, list[str]]] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        match = HEADING.match(line)
        if match:
            sections.append((match.group(1), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip():
            sections.append(("Introduction", [line]))
    return [(heading, "\n".join(lines).strip()) for heading, lines in sections]


def sections_as_text(version: StrategyVersion) -> str:
    return "\n\n".join(f"# {s.heading}\n{s.text}" for s in version.sections.all())


def _check_sections(sections: list[tuple[str, str]]) -> None:
    if not sections:
        raise ValidationError({"text": "Enter the text, with each section starting “# ” and its heading."})
    headings = [h.casefold() for h, _ in sections]
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    if repeated:
        raise ValidationError({"text": f"Each heading is used once: “{repeated[0]}” is repeated."})


def _write_sections(version: StrategyVersion, sections: list[tuple[str, str]], by) -> None:
    # Rewritten whole: sections are matched across versions by heading, not by row.
    version.sections.all().delete()
    for position, (heading, text) in enumerate(sections, start=1):
        _as(Section(version=version, position=position, heading=heading[:200], text=text), by).save()


def check_pdf_upload(upload, *, field: str, what: str = "The file") -> None:
    """A PDF checked by its content (not its name), its size and whether it can be read. The
    error is about `field`, so forms show it beside the upload."""
    limit = settings.PAPER_MAX_BYTES
    problem = ""
    if upload.size > limit:
        problem = f"{what} is {upload.size / 1_000_000:.1f} MB: it can be at most {limit // 1_000_000} MB."
    elif upload.size == 0:
        problem = f"{what} is empty."
    else:
        upload.seek(0)
        kind = filetype.guess(upload.read(8192))
        upload.seek(0)
        if kind is None or kind.extension != "pdf":
            found = f" (its content is {kind.extension.upper()})" if kind else ""
            problem = f"{what} must be a PDF{found}."
        else:
            from diz_portal.pdf import inspect_pdf

            check = inspect_pdf(upload.read())
            upload.seek(0)
            if not check.ok:
                problem = f"{what} cannot be used: {check.reason}."
    if problem:
        raise ValidationError({field: problem})


def create_version(
    *,
    strategy: Strategy,
    label: str,
    text: str,
    summary_of_changes: str = "",
    is_material: bool = False,
    aims: list[int] | None = None,
    document=None,
    by,
) -> StrategyVersion:
    """A new draft. Refuses a label already used or not after the latest version's."""
    sections = parse_sections(text)
    version = StrategyVersion(
        strategy=strategy,
        label=label.strip(),
        summary_of_changes=summary_of_changes,
        is_material=is_material,
        aims=sorted(aims or []),
        created_by=by,
    )
    version.full_clean(exclude=["document"], validate_constraints=False)
    _check_sections(sections)
    if document is not None:
        check_pdf_upload(document, field="document", what="The document")
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)  # one new label at a time
        labels = list(strategy.versions.values_list("label", flat=True))
        if version.label in labels:
            raise ValidationError({"label": f"There is already a version {version.label}."})
        if labels and label_key(version.label) <= max(label_key(x) for x in labels):
            latest = max(labels, key=label_key)
            raise ValidationError({"label": f"The label must come after the latest version, {latest}."})
        if document is not None:
            version.document.save(document.name, document, save=False)
        _as(version, by).save()
        _write_sections(version, sections, by)
    return version


def update_version(
    *,
    version: StrategyVersion,
    text: str,
    summary_of_changes: str,
    is_material: bool,
    aims: list[int],
    document=None,
    by,
) -> StrategyVersion:
    if not version.is_editable:
        raise ValidationError("A final version is what partners endorsed: it cannot be changed. Start a new version.")
    sections = parse_sections(text)
    _check_sections(sections)
    if document is not None:
        check_pdf_upload(document, field="document", what="The document")
    with transaction.atomic():
        version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
        if not version.is_editable:
            raise ValidationError("This version became final meanwhile: it cannot be changed.")
        version.summary_of_changes = summary_of_changes
        version.is_material = is_material
        version.aims = sorted(aims)
        fields = ["summary_of_changes", "is_material", "aims"]
        if document is not None:
            version.document.save(document.name, document, save=False)
            fields.append("document")
        _as(version, by).save(update_fields=fields)
        if [(s.heading, s.text) for s in version.sections.all()] != sections:
            _write_sections(version, sections, by)
    return version


def start_consultation(*, version: StrategyVersion, by) -> StrategyVersion:
    with transaction.atomic():
        version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise ValidationError("Only a draft goes out to consultation.")
        version.status = VersionStatus.CONSULTATION
        _as(version, by).save(update_fields=["status"])
    return version


def publish_version(*, version: StrategyVersion, by) -> StrategyVersion:
    """Make a draft or consultation version the final one; the final one before it is superseded.

    If the new version is material, every partner in the endorsement process gets a new row for it
    (not started, its deciding body carried over), and the representatives of partners that had
    endorsed are emailed what changed, once each (after commit). Locks the strategy, so two
    versions cannot become final at once."""
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=version.strategy_id)
        version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in {VersionStatus.DRAFT, VersionStatus.CONSULTATION}:
            raise ValidationError(f"Version {version.label} is {version.get_status_display().lower()} already.")
        if not version.sections.exists():
            raise ValidationError("A version needs its text before it can be final.")
        previous = strategy.versions.filter(status=VersionStatus.FINAL).first()
        if previous is not None and previous.sort_key >= version.sort_key:
            raise ValidationError(f"Version {version.label} comes before the final version {previous.label}.")
        if previous is not None:
            previous.status = VersionStatus.SUPERSEDED
            _as(previous, by).save(update_fields=["status"])
        version.status = VersionStatus.FINAL
        version.finalised_at = timezone.now()
        _as(version, by).save(update_fields=["status", "finalised_at"])
        asked = []
        if version.is_material and previous is not None:
            for organisation, latest, endorsed in _latest_rows(strategy):
                if latest.version_id == version.pk:
                    continue
                row = Endorsement(
                    organisation=organisation,
                    version=version,
                    deciding_body=latest.deciding_body,
                    re_endorsement=endorsed is not None,
                    previous=endorsed or latest,
                )
                _as(row, by).save()
                if endorsed is not None:
                    asked.append(organisation.pk)
        if asked:
            from strategy.tasks import send_re_endorsement_requests

            enqueue(send_re_endorsement_requests, version.pk)
    return version


def _latest_rows(strategy: Strategy):
    """(organisation, its latest row, its latest endorsed row or None) for every partner in the
    endorsement process."""
    rows = sorted(
        Endorsement.objects.filter(version__strategy=strategy).select_related("organisation", "version"),
        key=lambda e: e.version.sort_key,
    )
    latest: dict[int, Endorsement] = {}
    endorsed: dict[int, Endorsement] = {}
    for row in rows:
        latest[row.organisation_id] = row
        if row.status in ENDORSED_STATUSES:
            endorsed[row.organisation_id] = row
    return [(row.organisation, row, endorsed.get(pk)) for pk, row in latest.items()]


# --- Where every partner stands --------------------------------------------------------------


@dataclass
class Adoption:
    """The strategy's adoption as one viewer may see it."""

    strategy: Strategy
    versions: list[StrategyVersion]
    current: StrategyVersion | None  # the latest final version
    target: StrategyVersion | None  # the version endorsements must be of (the last material one)
    standings: list[Standing] = field(default_factory=list)
    rows: dict[int, list[Endorsement]] = field(default_factory=dict)  # every row, by organisation

    @property
    def endorsed_count(self) -> int:
        return sum(1 for s in self.standings if s.counts)

    @property
    def total(self) -> int:
        return len(self.standings)

    @property
    def all_endorsed(self) -> bool:
        return self.total > 0 and self.endorsed_count == self.total

    @property
    def headline(self) -> str:
        if self.target is None:
            return "No version of the strategy is final yet."
        return f"{self.endorsed_count} of {self.total} partners have endorsed version {self.target.label}"

    def standing_of(self, organisation_id: int) -> Standing | None:
        return next((s for s in self.standings if s.organisation.pk == organisation_id), None)


def endorsement_target(versions: list[StrategyVersion]) -> StrategyVersion | None:
    """The version an endorsement must be of to count: the latest material version up to the
    current final one (or the first final one). A non-material version leaves earlier
    endorsements standing."""
    public = sorted((v for v in versions if v.status in PUBLIC_VERSION_STATUSES), key=lambda v: v.sort_key)
    if not public:
        return None
    target = public[0]
    for version in public[1:]:
        if version.is_material:
            target = version
    return target


def adoption(strategy: Strategy, *, statuses: set[str] | None = None) -> Adoption:
    """Where every partner stands, in two queries whatever the number of partners. `statuses`
    limits which versions' rows the viewer sees (the public sees rows of public versions only)."""
    rows = Endorsement.objects.filter(version__strategy=strategy).select_related("organisation")
    if statuses is not None:
        rows = rows.filter(version__status__in=statuses)
    return _adoption_from(strategy, list(strategy.versions.all()), rows)


def adoption_as_of(strategy: Strategy, when) -> Adoption:
    """Where every partner stood at `when`, from the records' history (what a meeting's published
    agenda showed, however things moved on since). Public versions' rows only, as on /strategy/."""
    versions = list(StrategyVersion.history.as_of(when).filter(strategy_id=strategy.pk))
    public = [v.pk for v in versions if v.status in PUBLIC_VERSION_STATUSES]
    rows = list(Endorsement.history.as_of(when).filter(version_id__in=public))
    organisations = Organisation.objects.in_bulk({row.organisation_id for row in rows})
    for row in rows:
        row.organisation = organisations[row.organisation_id]
    return _adoption_from(strategy, versions, rows)


def _adoption_from(strategy: Strategy, versions: list[StrategyVersion], rows) -> Adoption:
    versions = sorted(versions, key=lambda v: v.sort_key)
    by_pk = {v.pk: v for v in versions}
    current = next((v for v in reversed(versions) if v.status == VersionStatus.FINAL), None)
    target = endorsement_target(versions)
    counting = {
        v.pk for v in versions if v.status in PUBLIC_VERSION_STATUSES and target and v.sort_key >= target.sort_key
    }
    grouped: dict[int, list[Endorsement]] = {}
    for row in rows:
        row.version = by_pk[row.version_id]
        grouped.setdefault(row.organisation_id, []).append(row)
    standings = []
    for org_rows in grouped.values():
        org_rows.sort(key=lambda e: e.version.sort_key)
        endorsed = [r for r in org_rows if r.status in ENDORSED_STATUSES]
        counts = any(r.version_id in counting for r in endorsed)
        standings.append(
            Standing(
                organisation=org_rows[-1].organisation,
                endorsement=org_rows[-1],
                endorsed_version=endorsed[-1].version if endorsed else None,
                counts=counts,
            )
        )
    standings.sort(key=lambda s: s.organisation.name)
    return Adoption(
        strategy=strategy, versions=versions, current=current, target=target, standings=standings, rows=grouped
    )


# --- Recording an endorsement ----------------------------------------------------------------

RECORD_FIELDS = [
    "deciding_body",
    "scheduled_for",
    "status",
    "decision_date",
    "resolution",
    "amendments",
    "evidence_url",
]


def record_endorsement(
    *,
    organisation: Organisation,
    version: StrategyVersion,
    by,
    status: str,
    deciding_body: str = "",
    scheduled_for=None,
    decision_date=None,
    resolution: str = "",
    amendments: str = "",
    evidence_url: str = "",
    evidence_file=None,
) -> Endorsement:
    """Record where `organisation` stands with `version`. Recording again updates the one row
    (history keeps each change).

    Refuses (PermissionDenied) anyone who does not work for or represent the organisation (the
    programme manager may record for any, with evidence for an outcome); refuses (ValidationError,
    nothing written) a draft or superseded version, a future date for an endorsement, "endorsed with
    amendments" without them, evidence that is not a PDF or a web link. When this makes every
    partner endorsed, the programme manager is told and the launch proposed (once per version)."""
    if not can_record_for(by, organisation):
        raise PermissionDenied("You can record endorsements only for an organisation you work for or represent.")
    if evidence_file is not None:
        check_pdf_upload(evidence_file, field="evidence_file", what="The evidence")
    with transaction.atomic():
        # The version's row is the lock: two people recording for one partner at once take turns,
        # so the second updates the row the first created instead of failing on the unique key.
        version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
        if not version.can_be_endorsed:
            raise ValidationError(
                {
                    "version": f"Version {version.label} is {version.get_status_display().lower()}: "
                    "only a consultation or final version can be endorsed."
                }
            )
        endorsement = Endorsement.objects.filter(organisation=organisation, version=version).first()
        endorsement = endorsement or Endorsement(organisation=organisation, version=version)
        values = {
            "deciding_body": deciding_body.strip(),
            "scheduled_for": scheduled_for,
            "status": status,
            "decision_date": decision_date,
            "resolution": resolution.strip(),
            "amendments": amendments.strip(),
            "evidence_url": evidence_url.strip(),
        }
        for name, value in values.items():
            setattr(endorsement, name, value)
        endorsement.full_clean(exclude=["evidence_file", "previous"], validate_unique=False, validate_constraints=False)
        has_evidence = bool(endorsement.evidence_url or evidence_file is not None or endorsement.evidence_file)
        if (
            status in OUTCOME_STATUSES
            and is_programme_manager(by)
            and organisation.pk != getattr(by, "organisation_id", None)
            and not has_evidence
        ):
            raise ValidationError(
                {"evidence_url": "Recording for a partner, give its published decision: a link or a PDF extract."}
            )
        endorsement.recorded_by = by
        endorsement.recorded_at = timezone.now()
        if evidence_file is not None:
            endorsement.evidence_file.save(evidence_file.name, evidence_file, save=False)
        try:
            _as(endorsement, by).save()
        except Exception:
            if evidence_file is not None:
                endorsement.evidence_file.delete(save=False)
            raise
        _note_if_all_endorsed(version.strategy_id, by)
    return endorsement


def _note_if_all_endorsed(strategy_id: int, by) -> None:
    strategy = Strategy.objects.select_for_update().get(pk=strategy_id)
    state = adoption(strategy)
    if state.all_endorsed and state.target and strategy.all_endorsed_version_id != state.target.pk:
        strategy.all_endorsed_version = state.target
        strategy.all_endorsed_at = timezone.now()
        _as(strategy, by).save(update_fields=["all_endorsed_version", "all_endorsed_at"])
        from strategy.delivery import propose_launch_milestone
        from strategy.tasks import tell_managers_all_endorsed

        propose_launch_milestone(strategy=strategy, by=by)
        enqueue(tell_managers_all_endorsed, strategy.pk, state.target.pk)


def add_partner(*, strategy: Strategy, organisation: Organisation, deciding_body: str, by) -> Endorsement:
    """Bring a partner into the endorsement process, for the version it is to endorse."""
    state = adoption(strategy)
    version = state.target or max(
        (v for v in state.versions if v.can_be_endorsed), key=lambda v: v.sort_key, default=None
    )
    if version is None:
        raise ValidationError("There is no consultation or final version for partners to endorse yet.")
    if state.standing_of(organisation.pk) is not None:
        raise ValidationError({"organisation": f"{organisation.name} is in the endorsement process already."})
    if not deciding_body.strip():
        raise ValidationError({"deciding_body": "Enter the body that decides, for example Cabinet or Trust Board."})
    row = Endorsement(organisation=organisation, version=version, deciding_body=deciding_body.strip())
    _as(row, by).save()
    return row


# --- Amendment requests ----------------------------------------------------------------------


def request_amendment(
    *, version: StrategyVersion, organisation: Organisation, section: Section, proposed_text: str, reason: str, by
) -> AmendmentRequest:
    if not can_record_for(by, organisation):
        raise PermissionDenied("You can ask for amendments only for an organisation you work for or represent.")
    if version.status not in {VersionStatus.CONSULTATION, VersionStatus.FINAL}:
        raise ValidationError({"version": "Amendments are asked of a consultation or final version."})
    if section.version_id != version.pk:
        raise ValidationError({"section": "Choose a section of this version."})
    errors = {}
    if not proposed_text.strip():
        errors["proposed_text"] = "Enter the text you propose."
    if not reason.strip():
        errors["reason"] = "Say why the change is needed."
    if errors:
        raise ValidationError(errors)
    amendment = AmendmentRequest(
        version=version,
        organisation=organisation,
        section=section,
        section_heading=section.heading,
        proposed_text=proposed_text.strip(),
        reason=reason.strip(),
        requested_by=by,
    )
    _as(amendment, by).save()
    return amendment


def answer_amendment(
    *, amendment: AmendmentRequest, accepted: bool, into: StrategyVersion | None, response: str, by
) -> AmendmentRequest:
    """The programme manager's answer; the requester is emailed it (once)."""
    with transaction.atomic():
        amendment = AmendmentRequest.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status != AmendmentStatus.OPEN:
            raise ValidationError("This request has been answered already.")
        amendment.status = AmendmentStatus.ACCEPTED if accepted else AmendmentStatus.NOT_ACCEPTED
        amendment.accepted_into = into if accepted else None
        amendment.response = response.strip()
        if (
            accepted
            and into is not None
            and (into.strategy_id != amendment.version.strategy_id or not into.is_editable)
        ):
            raise ValidationError({"accepted_into": "Choose a draft or consultation version of the strategy."})
        amendment.full_clean(exclude=["section", "requested_by", "answered_by"])
        amendment.answered_by = by
        amendment.answered_at = timezone.now()
        _as(amendment, by).save()
        from strategy.tasks import tell_requester_of_answer

        enqueue(tell_requester_of_answer, amendment.pk)
    return amendment


# --- What changed between two versions -------------------------------------------------------


@dataclass
class SectionChange:
    heading: str
    change: str  # "added", "removed", "changed" or "unchanged"
    chunks: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)
    anchor: str = ""  # the page's link target, for changed sections

    @property
    def words_added(self) -> int:
        return sum(len(text.split()) for op, text in self.chunks if op == "insert")

    @property
    def words_removed(self) -> int:
        return sum(len(text.split()) for op, text in self.chunks if op == "delete")


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    # Words carry the space after them, so a changed phrase reads as one change, not word by word.
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    chunks: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            chunks.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                chunks.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                chunks.append(("insert", "".join(b[j1:j2])))
    return [(op, text) for op, text in chunks if text]


def compare_sections(old: list[Section], new: list[Section]) -> list[SectionChange]:
    """Section by section, matched by heading, in the newer version's order (a removed section
    where it stood)."""
    old_keys = [s.heading.casefold() for s in old]
    new_keys = [s.heading.casefold() for s in new]
    changes: list[SectionChange] = []
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                kind = "unchanged" if before.text == after.text else "changed"
                changes.append(SectionChange(after.heading, kind, _word_diff(before.text, after.text)))
            continue
        # A heading in both versions but out of step (a moved section) is compared where it now stands.
        for before in old[i1:i2]:
            if before.heading.casefold() not in new_keys:
                changes.append(SectionChange(before.heading, "removed", [("delete", before.text)]))
        for after in new[j1:j2]:
            key = after.heading.casefold()
            if key in old_keys:
                before = old[old_keys.index(key)]
                kind = "unchanged" if before.text == after.text else "changed"
                changes.append(SectionChange(after.heading, kind, _word_diff(before.text, after.text)))
            else:
                changes.append(SectionChange(after.heading, "added", [("insert", after.text)]))
    return changes


def diff_summary(changes: list[SectionChange]) -> str:
    """One line per changed section, for emails: "Changed: Connectivity (12 words added, 3 removed)"."""
    lines = []
    for change in changes:
        if change.change == "added":
            lines.append(f"Added: {change.heading}")
        elif change.change == "removed":
            lines.append(f"Removed: {change.heading}")
        elif change.change == "changed":
            lines.append(
                f"Changed: {change.heading} ({change.words_added} words added, {change.words_removed} removed)"
            )
    return "\n".join(lines) or "No change to the text."
