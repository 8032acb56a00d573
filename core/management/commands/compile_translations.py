from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Compile every .po under LOCALE_PATHS to .mo with Babel, so a set-up needs no GNU gettext."""

    help = "Compile the translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as mo_file:
                    # Fuzzy entries are guesses, not translations: leave them out as msgfmt does.
                    write_mo(mo_file, catalog, use_fuzzy=False)
                self.stdout.write(f"{po_path.relative_to(settings.BASE_DIR)} → {mo_path.name}")
