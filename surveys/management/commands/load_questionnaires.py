from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from surveys.services import questionnaires_load


class Command(BaseCommand):
    help = "Load the survey questionnaires of surveys/data/questionnaires.json (idempotent)."

    def handle(self, *args, **options):
        created, kept = questionnaires_load()
        self.stdout.write(_("Questionnaires: %(created)d created, %(kept)d kept.") % {"created": created, "kept": kept})
