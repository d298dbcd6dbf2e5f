from datetime import timedelta

from django.utils import timezone

from meetings import services


def test_the_sitemap_lists_public_pages_and_published_meetings_only(client, alice, board):
    starts = timezone.now() + timedelta(days=7)
    published = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice)
    services.publish_agenda(meeting=published, by=alice)
    later = starts + timedelta(days=30)
    draft = services.schedule_meeting(body=board, starts_at=later, ends_at=later + timedelta(hours=1), by=alice)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/meetings/{published.pk}/" in xml
    assert f"/meetings/{draft.pk}/" not in xml
    assert "/partners/harlow-district-council/" in xml
    assert "/manage/" not in xml
