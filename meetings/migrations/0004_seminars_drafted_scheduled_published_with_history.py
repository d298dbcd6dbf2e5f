import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def publish_existing_seminars(apps, schema_editor):
    # Every seminar was public before seminars had a state: they stay public, published from now.
    Seminar = apps.get_model("meetings", "Seminar")
    Seminar.objects.update(status="published", published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_clerk_attendance_late_items_supplements_interests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSeminar",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")], default="draft", max_length=20
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(
                        blank=True, help_text="Publishing with a time in the future schedules it.", null=True
                    ),
                ),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("title", models.CharField(max_length=200)),
                ("slug", models.SlugField(max_length=80)),
                ("held_on", models.DateField()),
                ("venue", models.CharField(max_length=200)),
                ("delegates", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "summary",
                    models.TextField(blank=True, help_text="A few sentences, shown in the list and in search."),
                ),
                (
                    "body",
                    models.TextField(
                        blank=True,
                        help_text="Markdown: what was said and agreed, shown on the seminar's page.",
                        verbose_name="report",
                    ),
                ),
                ("executive_report", models.TextField(blank=True, max_length=100)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical seminar",
                "verbose_name_plural": "historical seminars",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="seminar",
            name="body",
            field=models.TextField(
                blank=True,
                help_text="Markdown: what was said and agreed, shown on the seminar's page.",
                verbose_name="report",
            ),
        ),
        migrations.AddField(
            model_name="seminar",
            name="published_at",
            field=models.DateTimeField(
                blank=True, help_text="Publishing with a time in the future schedules it.", null=True
            ),
        ),
        migrations.AddField(
            model_name="seminar",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")], default="draft", max_length=20
            ),
        ),
        migrations.AddField(
            model_name="seminar",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(publish_existing_seminars, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="seminar",
            name="summary",
            field=models.TextField(blank=True, help_text="A few sentences, shown in the list and in search."),
        ),
        migrations.AddIndex(
            model_name="seminar",
            index=models.Index(fields=["status", "published_at"], name="meetings_se_status_1d6987_idx"),
        ),
        migrations.AddField(
            model_name="historicalseminar",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
    ]
