"""The democracy app's API routes in the permission matrix (see tests/api/matrix/__init__.py).

Every read is of a public page (democracy/views/public.py, consultations.py, conferences.py,
oversight.py), open to all, API keys included. Commenting on a consultation, and reading one's own
comments, needs a signed-in account, as the page's form does (any account: democracy.rules names no rule
for it).
"""

from __future__ import annotations

from tests.api.matrix import EVERYONE, PEOPLE, Route


def build(places) -> dict:
    """The records these routes address, by name (merged into places.objects): in the commune "here", a
    recognised matter, an open consultation, a held conference, an inspection board with an answered
    recommendation."""
    from democracy.services.boards import recommendation_answer, recommendation_create
    from tests.democracy.factories import village_with_households
    from tests.democracy.matrix.conferences import held_conference
    from tests.democracy.matrix.consultations import open_consultation
    from tests.democracy.matrix.execution import inspection_board, recognised_matter

    officer = places.users["officer_here"]
    village = village_with_households(2, commune=places.commune)
    board = inspection_board(places.commune)
    recommendation = recommendation_create(
        board=board, title="Công khai thu chi", text="Đề nghị công khai.", received_on=board.term_starts_on, by=officer
    )
    return {
        "democracy_matter": recognised_matter(village, officer),
        "democracy_consultation": open_consultation(places.commune, officer),
        "democracy_conference": held_conference(places.commune, officer)[0],
        "democracy_board": board,
        "democracy_recommendation": recommendation_answer(
            recommendation=recommendation, answer="UBND xã đã niêm yết.", by=officer
        ),
    }


def _pk(name: str):
    return lambda p: {"pk": p.objects[name].pk}


def _commune(p) -> dict:
    return {"pk": p.commune.pk}


ROUTES: list[Route] = [
    Route("api:democracy:commune-democracy", kwargs=_commune, get=EVERYONE),
    Route("api:democracy:commune-consultation-list", kwargs=_commune, get=EVERYONE),
    Route("api:democracy:commune-boards", kwargs=_commune, get=EVERYONE),
    Route("api:democracy:matter-detail", kwargs=_pk("democracy_matter"), get=EVERYONE),
    Route("api:democracy:consultation-detail", kwargs=_pk("democracy_consultation"), get=EVERYONE),
    Route(
        "api:democracy:consultation-comment-create",
        kwargs=_pk("democracy_consultation"),
        post=PEOPLE,
        body=lambda p: {"text": "Đề nghị niêm yết dự thảo tại nhà văn hoá thôn."},
    ),
    Route("api:democracy:consultation-comment-mine", kwargs=_pk("democracy_consultation"), get=PEOPLE),
    Route("api:democracy:conference-detail", kwargs=_pk("democracy_conference"), get=EVERYONE),
    Route("api:democracy:board-detail", kwargs=_pk("democracy_board"), get=EVERYONE),
    Route("api:democracy:recommendation-detail", kwargs=_pk("democracy_recommendation"), get=EVERYONE),
]
