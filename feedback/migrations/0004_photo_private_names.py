# Feedback photos get random names under the private part of the media store (README, "Files").

from django.core.files.storage import default_storage
from django.db import migrations, models

import feedback.models.items


def move_to_private_names(apps, schema_editor):
    """Each photo stored under its former guessable name (feedback/<tracking code>/<sent name>) is copied
    to a random private name, and the old file removed once the row names the new one. A missing file
    is left as it is (its row already answered 404)."""
    Photo = apps.get_model("feedback", "Photo")
    prefix = feedback.models.items.PRIVATE_PHOTO_FOLDER + "/"
    for photo in Photo.objects.exclude(image="").exclude(image__startswith=prefix).iterator():
        old = photo.image.name
        if not default_storage.exists(old):
            continue
        with default_storage.open(old, "rb") as handle:
            new = default_storage.save(feedback.models.items.private_photo_name(photo, old), handle)
        Photo.objects.filter(pk=photo.pk).update(image=new)
        default_storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_verbose_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=models.ImageField(upload_to=feedback.models.items.private_photo_name, verbose_name="photo"),
        ),
        migrations.RunPython(move_to_private_names, migrations.RunPython.noop, elidable=False),
    ]
