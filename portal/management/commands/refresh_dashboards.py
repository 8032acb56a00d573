import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.dashboards.refresh import dashboard_refresh


class Command(BaseCommand):
    help = "Rebuild the dashboards' monthly figures (the hourly task does the last 14 months)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="First month to rebuild, as YYYY-MM (default: 14 months ago).")

    def handle(self, *args, since=None, **options):
        first = None
        if since:
            try:
                first = datetime.date.fromisoformat(f"{since}-01")
            except ValueError as error:
                raise CommandError(_("Give the month as YYYY-MM, e.g. 2025-01.")) from error
        rows = dashboard_refresh(since=first)
        self.stdout.write(_("Dashboards: %(rows)d monthly rows of communes rebuilt.") % {"rows": rows})
