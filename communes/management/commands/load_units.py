from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communes.services import PERIODS, UnitsError, units_load


class Command(BaseCommand):
    help = "Load a province's administrative units from the vietnam-provinces package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            required=True,
            help="Name (diacritics optional) or code; repeat for several provinces.",
        )
        parser.add_argument(
            "--period",
            choices=PERIODS,
            default="all",
            help="legacy: the three-level units before 1 July 2025; current: today's; all: both that exist.",
        )

    def handle(self, *args, province: list[str], period: str, **options):
        for query in province:
            try:
                result = units_load(province=query, period=period)
            except UnitsError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _(
                    "%(provinces)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(links)d successor links added."
                )
                % {
                    "provinces": ", ".join(str(p) for p in result.provinces),
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "links": result.links_created,
                }
            )
