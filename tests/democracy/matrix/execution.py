"""The permission matrix's rows for oversight by residents and the Front (democracy/views/execution.py):
recording a recognised matter's execution, residents' reports to the People's Inspection Board, the
board's handling of them, the commune Front committee's notes and overview.

Reports are sent by any signed-in resident (anonymous visitors are sent to sign in); the execution's
documents answer whether or not a file is attached, so they are tested in tests/democracy/test_execution_views.py.
"""

from __future__ import annotations

import datetime
import functools
import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from core import clock
from democracy.models import Board, BoardKind, Category, Form, Proposer
from democracy.services import (
    decision_cosign,
    decision_send,
    matter_open,
    matter_propose,
    matter_recognise,
    meeting_record,
)
from democracy.services.execution import execution_record, report_submit, supervision_note_file
from tests.democracy.matrix.roles import BOARD, COMMUNE_FOLLOWERS, COMMUNE_FRONT, EVERYONE, KEEPERS
from tests.portal.factories import UserFactory

SIGNED_IN = EVERYONE - {"anonymous"}

ALLOWED: dict[str, set[str]] = {
    "manage_execution": KEEPERS,
    "manage_execution_update": KEEPERS,
    "manage_report": BOARD,
    "manage_front_overview": COMMUNE_FOLLOWERS,
    "manage_supervision_notes": COMMUNE_FOLLOWERS,
    "manage_supervision_note_create": COMMUNE_FRONT,
    "manage_supervision_note_document": COMMUNE_FOLLOWERS,
    # A resident's own: any signed-in user; an anonymous visitor is sent to sign in.
    "matter_report_create": SIGNED_IN,
    "board_report_create": SIGNED_IN,
    "my_reports": SIGNED_IN,
}
POST_ALLOWED: dict[str, set[str]] = {}
PUBLIC: set[str] = set()
OWN_RULES: set[str] = {"execution_document"}
PREFIXES: list[tuple[str, str]] = [
    ("matters/<int:pk>/report", "executed_matter"),
    ("manage/matters/<int:pk>/execution", "executed_matter"),
    ("boards/<int:pk>/report", "report_board"),
    ("manage/executions/", "execution_step"),
    ("manage/reports/", "board_report"),
    ("manage/supervision-notes/", "supervision_note"),
]


@functools.cache
def pdf_bytes() -> bytes:
    """A real one-page PDF, as the uploads' check (core.uploads.clean_pdf) accepts."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf(name: str = "document.pdf") -> ContentFile:
    return ContentFile(pdf_bytes(), name=name)


def uploaded_pdf(name: str = "bien-lai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def recognised_matter(village, by, *, title: str = "Đóng góp làm đường ngõ 2", recognised_on=None):
    """A contributions matter (item 1) decided at a meeting of ``village`` (whose households all came and
    agreed), co-signed, sent and recognised by the commune, through the services."""
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title=title,
        summary="Mỗi hộ đóng góp 200.000 đồng.",
        category=Category.CONTRIBUTIONS,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=by,
    )
    matter_open(matter=matter, starts_at=timezone.now() - datetime.timedelta(days=3), place="Nhà văn hoá thôn", by=by)
    decision = matter.decisions.get()
    households = decision.households_total
    decision = meeting_record(
        decision=decision,
        present=households,
        votes_for=households,
        votes_against=0,
        votes_abstain=0,
        minutes=pdf("minutes.pdf"),
        by=by,
    )
    decision_send(decision=decision_cosign(decision=decision, by=by), by=by)
    return matter_recognise(matter=matter, number="12/QĐ-UBND", on=recognised_on or clock.today(), by=by)


def inspection_board(commune) -> Board:
    today = clock.today()
    return Board.objects.create(
        commune=commune,
        kind=BoardKind.INSPECTION,
        term_starts_on=today - datetime.timedelta(days=365),
        term_ends_on=today + datetime.timedelta(days=365),
    )


def _records(commune, village, by, board) -> dict:
    matter = recognised_matter(village, by)
    step = execution_record(
        matter=matter,
        kind="collected",
        on=clock.today(),
        amount=800000,
        description="Thu tiền đóng góp của 4 hộ.",
        by=by,
    )
    report = report_submit(author=UserFactory(), text="Số tiền thu không khớp với danh sách.", matter=matter)
    note = supervision_note_file(
        commune=commune, title="Giám sát việc thu đóng góp", text="Đã kiểm tra sổ thu.", by=by, document=pdf()
    )
    return {
        "executed_matter": matter,
        "execution_step": step,
        "board_report": report,
        "supervision_note": note,
        "report_board": board,
    }


def build(places, officer) -> dict:
    return _records(places.commune, places.village, officer, places.board)


def post_scene(commune, village, by) -> dict[str, dict]:
    """For the project's POST matrix (tests/portal/test_post_matrix.py): this feature's records in
    ``commune``, as the URL arguments of its views' loaders, by the loaders' names."""
    records = _records(commune, village, by, inspection_board(commune))
    return {
        "_executed_matter": {"pk": records["executed_matter"].pk},
        "_execution_step": {"pk": records["execution_step"].pk},
        "_board_report": {"pk": records["board_report"].pk},
        "_supervision_note": {"pk": records["supervision_note"].pk},
    }
