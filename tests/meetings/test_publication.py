import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from diz_portal.models import DocumentStatus, SentEmail
from meetings import documents, services
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import pdf_upload


def text_of(document) -> str:
    document.refresh_from_db()
    reader = PdfReader(document.file.path)
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def agenda(meeting, alice, bob, carol, harlow):
    public = services.add_item(meeting=meeting, title="Digital inclusion update", presenter=bob, by=alice)
    services.add_paper(
        item=public,
        title="Inclusion report",
        purpose="To note progress",
        upload=pdf_upload(pages=2, text="Inclusion"),
        by=alice,
    )
    secret = services.add_item(
        meeting=meeting,
        title="Bid pricing",
        visibility="restricted",
        restriction_reason="Commercially sensitive until the bid is submitted",
        by=alice,
    )
    services.add_paper(
        item=secret, title="Pricing schedule", purpose="To agree prices", upload=pdf_upload(text="Pricing"), by=alice
    )
    return meeting


@pytest.fixture
def published(agenda, alice, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_agenda(meeting=agenda, by=alice)


def test_publishing_builds_every_document(published):
    docs = {d.kind: d for d in documents.documents_for(published)}
    assert set(docs) == set(documents.PUBLICATION_KINDS)
    assert {d.status for d in docs.values()} == {DocumentStatus.READY}


def test_the_public_pack_leaves_the_restricted_item_out(published):
    docs = {d.kind: d for d in documents.documents_for(published)}
    public = text_of(docs["pack:public"])
    assert "Digital inclusion update" in public and "Inclusion page 2" in public
    assert "Bid pricing" not in public and "Pricing page 1" not in public
    for kind in ("agenda:public", "pack:partners"):
        assert "Bid pricing" not in text_of(docs[kind])


def test_the_members_pack_has_the_restricted_item_with_its_reason(published):
    members = text_of({d.kind: d for d in documents.documents_for(published)}["pack:members"])
    assert "Bid pricing" in members
    assert "Commercially sensitive until the bid is submitted" in members
    assert "Pricing page 1" in members
    assert "Members' copy" in members


def test_members_are_emailed_once_even_if_the_pack_is_built_again(published, carol, mailoutbox):
    to_carol = [m for m in mailoutbox if m.to == ["carol@example.org"]]
    assert len(to_carol) == 1
    assert "because you sit on the Board" in to_carol[0].body
    pack = {d.kind: d for d in documents.documents_for(published)}["pack:members"]
    assert documents.build(document_id=pack.pk) == "unchanged"
    assert len([m for m in mailoutbox if m.to == ["carol@example.org"]]) == 1
    assert SentEmail.objects.filter(to="carol@example.org").count() == 1


def test_a_document_left_building_by_a_dead_worker_is_built_again(published):
    pack = {d.kind: d for d in documents.documents_for(published)}["pack:public"]
    type(pack).objects.filter(pk=pack.pk).update(status=DocumentStatus.BUILDING, fingerprint="")
    assert documents.build(document_id=pack.pk) == "built"
    pack.refresh_from_db()
    assert pack.status == DocumentStatus.READY and pack.version == 2


def test_a_damaged_paper_is_left_out_and_the_programme_manager_told(
    agenda, alice, django_capture_on_commit_callbacks, mailoutbox
):
    item = agenda.items.get(title="Digital inclusion update")
    damaged = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj garbage")
    services.add_paper(item=item, title="Broken annex", purpose="x", upload=damaged, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting=agenda, by=alice)
    pack = {d.kind: d for d in documents.documents_for(agenda)}["pack:public"]
    pack.refresh_from_db()
    assert pack.status == DocumentStatus.READY
    assert pack.problems and pack.problems[0]["title"] == "Broken annex"
    assert "Inclusion page 1" in text_of(pack)
    told = [m for m in mailoutbox if m.to == ["alice@example.org"]]
    assert told and "Broken annex" in told[0].body


def test_a_paper_replaced_after_publication_produces_a_supplement(published, alice, django_capture_on_commit_callbacks):
    paper = published.items.get(title="Digital inclusion update").papers.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=paper, upload=pdf_upload(text="Revised inclusion"), by=alice)
    docs = {d.kind: d for d in documents.documents_for(published)}
    supplement = text_of(docs["supplement:public"])
    assert "Revised inclusion page 1" in supplement
    assert "Pricing" not in supplement
    assert "Revised inclusion page 1" in text_of(docs["pack:public"])
    # Item numbers are kept: the item is still number 5.
    assert "5. Digital inclusion update" in text_of(docs["pack:members"])


def test_the_members_pack_shows_only_members_their_documents(published, bob, carol):
    dave = UserFactory()
    MembershipFactory(body=published.body, person=dave)
    assert [d.kind for d in documents.visible_documents(published, carol)] == [
        "agenda:members",
        "pack:members",
        "attendance:members",  # the printable attendance sheet
    ]
    assert [d.kind for d in documents.visible_documents(published, bob)] == ["agenda:public", "pack:partners"]
