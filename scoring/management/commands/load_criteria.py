from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from communes.models import Province
from core.text import fold
from scoring.services import ScoringError, criteria_set_load, criteria_set_publish


class Command(BaseCommand):
    help = (
        "Load the project's criteria set (scoring/data/criteria.json) for a province in force and a year, "
        "as the year's next draft version; --publish publishes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Name (diacritics optional) or code.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--publish", action="store_true", help="Publish the set once loaded.")

    def handle(self, *args, province: str, year: int, publish: bool, **options):
        query = province.strip()
        place = Province.objects.current().filter(Q(code=query) | Q(search_name=fold(query))).first()
        if place is None:
            raise CommandError(_("No province in force is named or coded “%(query)s”.") % {"query": province})
        try:
            with transaction.atomic():  # a set that cannot be published is not left behind as a draft
                criteria_set = criteria_set_load(province=place, year=year)
                if publish:
                    criteria_set = criteria_set_publish(criteria_set=criteria_set, by=None)
        except ScoringError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(province)s, %(year)d: version %(version)d of the criteria set, %(status)s.")
            % {
                "province": place,
                "year": year,
                "version": criteria_set.version,
                "status": criteria_set.get_status_display(),
            }
        )
