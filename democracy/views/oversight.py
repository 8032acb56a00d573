"""The oversight boards (Law 10/2022/QH15, art. 36–40): their public pages, their members and terms
(the commune Front committee and the officers), the board's own queue (its members and the Front), the
commune's answers to the recommendations (the officers) and the province's overdue list (DoHA).

Every write is done by democracy.services.boards; a refusal (DemocracyError) or a wrong input shows the
form again with the message, and nothing changes. Create forms carry a token, so a double submit
creates one record.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communes.rules import MANAGE_COMMUNE
from core import clock
from core.files import pdf_response
from core.permissions import commune_permission_required, object_permission_required, province_permission_required
from core.submissions import first_submission, forget_submission
from democracy.forms import boards as forms
from democracy.models import Board, BoardDocument, BoardMember, Recommendation, RecommendationStatus
from democracy.rules import (
    ANSWER_RECOMMENDATION,
    FOLLOW_DEMOCRACY,
    MANAGE_BOARDS,
    VIEW_OVERDUE_RECOMMENDATIONS,
    WORK_AS_BOARD,
)
from democracy.selectors import boards as selectors
from democracy.selectors.execution import reports_for_board
from democracy.services import boards as services
from democracy.services.errors import DemocracyError
from democracy.views.common import show_error

PAGE_SIZE = 50
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _filename(title: str) -> str:
    return (_UNSAFE_FILENAME.sub(" ", title).strip()[:150] or "document") + ".pdf"


# --- Loaders (names unique in the project: tests/portal/test_post_matrix.py finds objects by them) --------


def _board(pk: int, **kwargs):
    board = get_object_or_404(
        Board.objects.select_related("commune__province", "commune__district", "elected_by"), pk=pk
    )
    return board, {"board": board, **kwargs}


def _board_member(pk: int, **kwargs):
    member = get_object_or_404(
        BoardMember.objects.select_related(
            "board__commune__province", "board__commune__district", "village", "account"
        ),
        pk=pk,
    )
    return member, {"member": member, **kwargs}


def _recommendation(pk: int, **kwargs):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(
            "board__commune__province", "board__commune__district", "report", "answered_by", "created_by"
        ),
        pk=pk,
    )
    return recommendation, {"recommendation": recommendation, **kwargs}


def board_permission_required(perm: str):
    """The view receives ``board`` instead of ``pk``."""
    return object_permission_required(perm, _board)


def member_permission_required(perm: str):
    return object_permission_required(perm, _board_member)


def recommendation_permission_required(perm: str):
    return object_permission_required(perm, _recommendation)


# --- What the pages share ----------------------------------------------------------------------------------


def _render(request, template: str, *, commune, title: str, crumbs=(), status: int = 200, **context):
    """A back-office page about a commune's boards. The commune's officers get its navigation; the Front
    committee and the board's members, who do not keep the commune's other pages, get the page alone."""
    frame = {"unit": commune, "page_title": title, "crumbs": list(crumbs)}
    if request.user.has_perm(MANAGE_COMMUNE, commune):
        frame |= {"commune": commune, "section": "boards", "can_manage": True}
    return render(request, template, {**frame, **context}, status=status)


def _boards_url(commune) -> str:
    return reverse("democracy:manage_boards", kwargs={"pk": commune.pk})


def _board_crumbs(request, board, *, including_board: bool = True) -> list[tuple[str, str]]:
    """The boards' list and the board's page, for who manages boards; none for a board member."""
    if not request.user.has_perm(MANAGE_BOARDS, board):
        return []
    crumbs = [(_("Oversight boards"), _boards_url(board.commune))]
    if including_board:
        crumbs.append((str(board), reverse("democracy:manage_board", kwargs={"pk": board.pk})))
    return crumbs


def _submit(request, form, *, save, already: str, already_url: str):
    """Run a sent form: None to show the page (a GET, or errors on the form); else the redirect. ``save``
    takes the cleaned data and returns (url, message); its DemocracyError goes on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    token = data.get("submission", "")
    if not first_submission(request, token):
        messages.info(request, already)
        return redirect(already_url)
    try:
        url, message = save(data)
    except DemocracyError as error:
        forget_submission(request, token)
        show_error(form, error)
        return None
    messages.success(request, message)
    return redirect(url)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- Public ------------------------------------------------------------------------------------------------


@require_safe
def board_detail(request, pk: int):
    try:
        page = selectors.board_for_public_page(pk=pk)
    except Board.DoesNotExist as error:
        raise Http404 from error
    board = page.board
    return render(
        request,
        "democracy/public/board_detail.html",
        {
            "page": page,
            "board": board,
            "commune": board.commune,
            "can_work": request.user.is_authenticated and request.user.has_perm(WORK_AS_BOARD, board),
        },
    )


@require_safe
def board_document_file(request, pk: int):
    try:
        document = selectors.document_for_download(pk=pk)
        handle = document.file.open("rb")
    except (BoardDocument.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(document.title))


@require_safe
def recommendation_detail(request, pk: int):
    """Public once the commune has answered; before, the board and the commune work on it: 404."""
    try:
        recommendation, board = selectors.recommendation_for_public_page(pk=pk)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "democracy/public/recommendation_detail.html",
        {"recommendation": recommendation, "board": board, "commune": board.commune},
    )


@require_safe
def recommendation_answer_file(request, pk: int):
    try:
        recommendation = selectors.answer_for_download(pk=pk)
        handle = recommendation.answer_document.open("rb")
    except (Recommendation.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(recommendation.title))


# --- Boards and members (the Front committee and the officers) ----------------------------------------------


@commune_permission_required(MANAGE_BOARDS)
@require_safe
def manage_boards(request, commune):
    return _render(
        request,
        "democracy/manage/board_list.html",
        commune=commune,
        title=_("Oversight boards"),
        boards=selectors.boards_of_commune(commune=commune),
        can_follow=request.user.has_perm(FOLLOW_DEMOCRACY, commune),
        min_members=services.INSPECTION_BOARD_MIN_MEMBERS,
    )


@commune_permission_required(MANAGE_BOARDS)
def board_create(request, commune):
    form = forms.BoardForm(request.POST or None, commune=commune)

    def save(data):
        board = services.board_create(
            commune=commune,
            kind=data["kind"],
            subject=data["subject"],
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
            elected_by=data["elected_by"],
            by=request.user,
        )
        url = reverse("democracy:manage_board", kwargs={"pk": board.pk})
        return url, _("The board is recorded. Add its members.")

    done = _submit(
        request,
        form,
        save=save,
        already=_("This form was already sent: the board was recorded once."),
        already_url=_boards_url(commune),
    )
    return done or _render(
        request,
        "democracy/manage/board_form.html",
        commune=commune,
        title=_("Record an oversight board"),
        crumbs=[(_("Oversight boards"), _boards_url(commune))],
        form=form,
        cancel_url=_boards_url(commune),
        status=_status(form),
    )


def _board_page(request, board, *, failed: tuple = (), status: int = 200):
    """The board's management page; ``failed`` is (member id, bound leave form) shown with its errors."""
    members = selectors.members_for_back_office(board=board)
    current = [member for member in members if member.left_on is None]
    leave_forms = {member.pk: forms.LeaveForm(prefix=f"m{member.pk}") for member in current}
    if failed:
        leave_forms[failed[0]] = failed[1]
    return _render(
        request,
        "democracy/manage/board_detail.html",
        commune=board.commune,
        title=str(board),
        crumbs=_board_crumbs(request, board, including_board=False),
        board=board,
        rows=[(member, leave_forms.get(member.pk)) for member in members],
        too_few=selectors.too_few_members(board, len(current)),
        min_members=services.INSPECTION_BOARD_MIN_MEMBERS,
        history=selectors.board_history(board=board),
        can_work=request.user.has_perm(WORK_AS_BOARD, board),
        status=status,
    )


@board_permission_required(MANAGE_BOARDS)
@require_safe
def manage_board(request, board):
    return _board_page(request, board)


@board_permission_required(MANAGE_BOARDS)
def board_update(request, board):
    initial = {
        "subject": board.subject,
        "term_starts_on": board.term_starts_on,
        "term_ends_on": board.term_ends_on,
        "elected_by": board.elected_by_id,
    }
    form = forms.BoardUpdateForm(request.POST or None, board=board, initial=initial)
    board_url = reverse("democracy:manage_board", kwargs={"pk": board.pk})

    def save(data):
        services.board_update(
            board=board,
            subject=data.get("subject", ""),
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
            elected_by=data["elected_by"],
            by=request.user,
        )
        return board_url, _("The board is corrected.")

    done = _submit(request, form, save=save, already="", already_url=board_url)
    return done or _render(
        request,
        "democracy/manage/board_form.html",
        commune=board.commune,
        title=_("Correct the board"),
        crumbs=_board_crumbs(request, board),
        form=form,
        cancel_url=board_url,
        status=_status(form),
    )


@board_permission_required(MANAGE_BOARDS)
def board_member_create(request, board):
    form = forms.MemberForm(request.POST or None, board=board)
    board_url = reverse("democracy:manage_board", kwargs={"pk": board.pk})

    def save(data):
        member = services.board_member_add(
            board=board,
            full_name=data["full_name"],
            position=data["position"],
            village=data["village"],
            email=data["email"],
            by=request.user,
        )
        return board_url, _("%(name)s is recorded as a member.") % {"name": member.full_name}

    done = _submit(
        request,
        form,
        save=save,
        already=_("This form was already sent: the member was recorded once."),
        already_url=board_url,
    )
    return done or _render(
        request,
        "democracy/manage/board_form.html",
        commune=board.commune,
        title=_("Add a member"),
        crumbs=_board_crumbs(request, board),
        form=form,
        cancel_url=board_url,
        status=_status(form),
    )


@member_permission_required(MANAGE_BOARDS)
def board_member_update(request, member):
    board = member.board
    initial = {
        "full_name": member.full_name,
        "position": member.position,
        "village": member.village_id,
        "email": member.account.email if member.account_id else "",
    }
    form = forms.MemberForm(request.POST or None, board=board, initial=initial)
    board_url = reverse("democracy:manage_board", kwargs={"pk": board.pk})

    def save(data):
        services.board_member_update(
            member=member,
            full_name=data["full_name"],
            position=data["position"],
            village=data["village"],
            email=data["email"],
            by=request.user,
        )
        return board_url, _("The member's record is corrected.")

    done = _submit(request, form, save=save, already="", already_url=board_url)
    return done or _render(
        request,
        "democracy/manage/board_form.html",
        commune=board.commune,
        title=_("Correct the member's record: %(name)s") % {"name": member.full_name},
        crumbs=_board_crumbs(request, board),
        form=form,
        cancel_url=board_url,
        status=_status(form),
    )


@member_permission_required(MANAGE_BOARDS)
@require_POST
def board_member_leave(request, member):
    board = member.board
    form = forms.LeaveForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            services.board_member_leave(member=member, on=form.cleaned_data["on"], by=request.user)
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(name)s has left the board.") % {"name": member.full_name})
            return redirect("democracy:manage_board", pk=board.pk)
    return _board_page(request, board, failed=(member.pk, form), status=400)


# --- The board's own queue (its members and the Front committee) -------------------------------------------


@board_permission_required(WORK_AS_BOARD)
@require_safe
def board_queue(request, board):
    queue = selectors.board_queue(board=board)
    return _render(
        request,
        "democracy/manage/board_queue.html",
        commune=board.commune,
        title=_("Queue of the %(board)s") % {"board": board},
        crumbs=_board_crumbs(request, board),
        board=board,
        queue=queue,
        reports=reports_for_board(board=board),
        min_members=services.INSPECTION_BOARD_MIN_MEMBERS,
        can_manage_board=request.user.has_perm(MANAGE_BOARDS, board),
    )


def _queue_url(board) -> str:
    return reverse("democracy:manage_board_queue", kwargs={"pk": board.pk})


def _queue_crumbs(request, board) -> list[tuple[str, str]]:
    return [*_board_crumbs(request, board), (_("The board's queue"), _queue_url(board))]


@board_permission_required(WORK_AS_BOARD)
def board_document_create(request, board):
    form = forms.DocumentForm(request.POST or None, request.FILES or None)

    def save(data):
        document = services.board_document_add(
            board=board,
            kind=data["kind"],
            period=data["period"],
            title=data["title"],
            dated=data["dated"],
            text=data["text"],
            file=data["file"] or None,
            by=request.user,
        )
        return _queue_url(board), _("“%(title)s” is published on the board's page.") % {"title": document.title}

    done = _submit(
        request,
        form,
        save=save,
        already=_("This form was already sent: the document was added once."),
        already_url=_queue_url(board),
    )
    return done or _render(
        request,
        "democracy/manage/board_form.html",
        commune=board.commune,
        title=_("Add a plan or a report"),
        crumbs=_queue_crumbs(request, board),
        form=form,
        multipart=True,
        cancel_url=_queue_url(board),
        status=_status(form),
    )


@board_permission_required(WORK_AS_BOARD)
def recommendation_create(request, board):
    form = forms.RecommendationForm(request.POST or None, board=board)

    def save(data):
        recommendation = services.recommendation_create(
            board=board,
            title=data["title"],
            text=data["text"],
            received_on=data["received_on"],
            report=data["report"],
            by=request.user,
        )
        return _queue_url(board), _("The recommendation is recorded: the commune answers it by %(day)s.") % {
            "day": date_format(recommendation.due_on, "SHORT_DATE_FORMAT")
        }

    done = _submit(
        request,
        form,
        save=save,
        already=_("This form was already sent: the recommendation was recorded once."),
        already_url=_queue_url(board),
    )
    return done or _render(
        request,
        "democracy/manage/recommendation_form.html",
        commune=board.commune,
        title=_("Record a recommendation to the commune"),
        crumbs=_queue_crumbs(request, board),
        board=board,
        form=form,
        cancel_url=_queue_url(board),
        status=_status(form),
    )


# --- The commune's answers (the officers) ------------------------------------------------------------------


@commune_permission_required(FOLLOW_DEMOCRACY)
@require_safe
def manage_recommendations(request, commune):
    state = request.GET.get("state", "")
    state = state if state in selectors.STATES else ""
    page = Paginator(selectors.recommendations_of_commune(commune=commune, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "democracy/manage/recommendation_list.html",
        commune=commune,
        title=_("Recommendations of the boards"),
        page=page,
        rows=selectors.recommendation_rows(page.object_list),
        state=state,
        states=selectors.STATE_LABELS,
        can_answer=request.user.has_perm(ANSWER_RECOMMENDATION, commune),
        can_manage_boards=request.user.has_perm(MANAGE_BOARDS, commune),
    )


@recommendation_permission_required(ANSWER_RECOMMENDATION)
def recommendation_answer(request, recommendation):
    board = recommendation.board
    commune = board.commune
    answering = recommendation.status == RecommendationStatus.AWAITING
    form = forms.AnswerForm(request.POST or None, request.FILES or None) if answering else None
    page_url = reverse("democracy:manage_recommendation_answer", kwargs={"pk": recommendation.pk})
    if request.method == "POST" and form is None:
        messages.error(request, _("This recommendation is already answered: the answer no longer changes."))
        return redirect(page_url)

    def save(data):
        services.recommendation_answer(
            recommendation=recommendation,
            answer=data["answer"],
            answered_on=data["answered_on"],
            document=data["answer_document"] or None,
            by=request.user,
        )
        return page_url, _("The answer is recorded and published with the recommendation.")

    done = (
        _submit(
            request,
            form,
            save=save,
            already=_("This form was already sent: the answer was recorded once."),
            already_url=page_url,
        )
        if form is not None
        else None
    )
    if done:
        return done
    list_url = reverse("democracy:manage_recommendations", kwargs={"pk": commune.pk})
    state = recommendation.state(clock.today())
    return _render(
        request,
        "democracy/manage/recommendation_answer.html",
        commune=commune,
        title=recommendation.title,
        crumbs=[(_("Recommendations of the boards"), list_url)],
        recommendation=recommendation,
        board=board,
        state=state,
        state_label=selectors.STATE_LABELS[state],
        form=form,
        history=selectors.recommendation_history(recommendation=recommendation),
        status=_status(form) if form is not None else 200,
    )


# --- The province's Department of Home Affairs -------------------------------------------------------------


@province_permission_required(VIEW_OVERDUE_RECOMMENDATIONS)
@require_safe
def recommendations_overdue(request, province):
    page = Paginator(selectors.recommendations_overdue_for_province(province=province), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "democracy/manage/recommendation_overdue.html",
        {
            "province": province,
            "page_title": _("Recommendations the communes have not answered on time"),
            "crumbs": [
                (str(province), reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": province.pk}))
            ],
            "page": page,
            "rows": selectors.recommendation_rows(page.object_list),
        },
    )
