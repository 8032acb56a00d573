from django.db import migrations, models

from core.text import fold

# A copy of communes.models.units.search_tokens and search_former_names as they were when this
# migration was written: a migration keeps computing what it computed then.


def _tokens(text):
    spaced = "".join(c if c.isalnum() or c == "'" else " " for c in fold(text.replace("’", "'")))
    return [word for word in (token.strip("'") for token in spaced.split()) if word]


def _former(former_names):
    return "".join(
        f" {' '.join(_tokens(former.get('name', '')))} |" for former in former_names if isinstance(former, dict)
    )


def fill(apps, schema_editor):
    for name in ("Province", "District", "Commune"):
        model = apps.get_model("communes", name)
        rows = list(model.objects.exclude(former_names=[]).only("pk", "former_names"))
        for row in rows:
            row.search_former_names = _former(row.former_names)
        model.objects.bulk_update(rows, ["search_former_names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0004_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="search_former_names",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search former names"),
        ),
        migrations.AddField(
            model_name="district",
            name="search_former_names",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search former names"),
        ),
        migrations.AddField(
            model_name="province",
            name="search_former_names",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search former names"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
