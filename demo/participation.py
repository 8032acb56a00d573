"""The demo of residents being consulted and overseeing their commune (Law 10/2022/QH15, art. 13(2) and
25–40), on today's phường Vân Hà, after its villages and matters (demo/democracy.py): the quarterly lists
of disclosures, consultations, dialogue conferences, the oversight boards and their recommendations, the
execution of a decided matter. Each part is idempotent; the scoring demo's 2026 cycle computes criteria
G1.2–G1.5 from them, so it comes after."""

from __future__ import annotations

from django.utils.translation import gettext as _

from communes.models import DisclosureList
from demo.communes import disclosure_lists_demo_ensure
from demo.democracy import COMMUNE_CODE
from demo.democracy_boards import boards_demo_ensure
from demo.democracy_conferences import conferences_demo_ensure
from demo.democracy_consultations import consultations_demo_ensure
from demo.democracy_execution import execution_demo_ensure
from democracy.models import Board, Conference, Consultation, Execution, Recommendation


def participation_demo_ensure(*, by=None, password: str | None = None) -> int:
    """The records created (0 on a second call). The boards come before the execution, whose discrepancy
    report goes to the inspection board in office."""
    made = disclosure_lists_demo_ensure(by=by)
    made += consultations_demo_ensure(by=by)
    made += conferences_demo_ensure(by=by)
    made += boards_demo_ensure(by=by, password=password)
    made += execution_demo_ensure(by=by)
    return made


def participation_demo_summary(created: int) -> str:
    """One line for ``setup_demo``."""
    here = {"commune__code": COMMUNE_CODE, "commune__valid_until__isnull": True}
    return _(
        "Demo consultations and oversight: %(consultations)d consultations, %(conferences)d dialogue "
        "conferences, %(boards)d boards with %(recommendations)d recommendations, %(steps)d execution steps, "
        "%(lists)d quarterly lists of disclosures (%(created)d records created now)."
    ) % {
        "consultations": Consultation.objects.filter(**here).count(),
        "conferences": Conference.objects.filter(**here).count(),
        "boards": Board.objects.filter(**here).count(),
        "recommendations": Recommendation.objects.filter(**{f"board__{k}": v for k, v in here.items()}).count(),
        "steps": Execution.objects.filter(**{f"matter__{k}": v for k, v in here.items()}).count(),
        "lists": DisclosureList.objects.filter(**here).count(),
        "created": created,
    }
