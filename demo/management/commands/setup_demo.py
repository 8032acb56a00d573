from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.models import User
from demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from demo.communes import communes_demo_ensure
from demo.democracy import democracy_demo_ensure, democracy_demo_summary
from demo.feedback import feedback_demo_ensure, feedback_demo_summary
from demo.participation import participation_demo_ensure, participation_demo_summary
from demo.scoring import scoring_demo_ensure, scoring_demo_summary
from demo.surveys import surveys_demo_ensure, surveys_demo_summary


class Command(BaseCommand):
    help = "Load Bắc Giang (pre-2025), Bắc Ninh (pre-2025 and current) and one demo account per role. Idempotent."

    def handle(self, *args, **options):
        call_command("load_units", province=["Bắc Giang"], period="legacy", stdout=self.stdout)
        # Both provinces that formed today's tỉnh Bắc Ninh, so that each of its 99 units has its predecessors.
        call_command("load_units", province=["Bắc Ninh"], period="all", stdout=self.stdout)
        accounts = demo_accounts_ensure(password=DEMO_PASSWORD)
        self.stdout.write(_("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for account in accounts:
            place = f" · {account.place}" if account.place else ""
            self.stdout.write(f"  {account.role_label:<34} {account.email:<32} {account.full_name}{place}")
        # Demo communes' records are the site administrator's in their history.
        site_admin = User.objects.get(email=next(a.email for a in accounts if a.role == "site_admin"))
        self.stdout.write(communes_demo_ensure(by=site_admin).summary)
        self.stdout.write(democracy_demo_summary(democracy_demo_ensure(by=site_admin)))
        made = participation_demo_ensure(by=site_admin, password=DEMO_PASSWORD)
        self.stdout.write(participation_demo_summary(made))
        self.stdout.write(feedback_demo_summary(feedback_demo_ensure(by=site_admin)))
        self.stdout.write(surveys_demo_summary(surveys_demo_ensure(by=site_admin)))
        self.stdout.write(scoring_demo_summary(scoring_demo_ensure(by=site_admin)))
        # The dashboards read monthly figures the hourly task keeps; the demo's go back to its first year.
        call_command("refresh_dashboards", since="2023-01", stdout=self.stdout)
