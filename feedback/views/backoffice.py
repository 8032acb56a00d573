"""The staff side of feedback: a commune's queue, one item with its actions, the overdue list and a
province's categories.

Every view loads its object from the URL and checks a permission on it before running (see
``permission_required``); an item's photos are served here too, so hidden ones and the files of an
item never leave the portal without that check. Writes are POSTs that call feedback.services and
end in a redirect; a refused action shows the item again with the form as it was sent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune, Province
from communes.rules import MANAGE_COMMUNE
from core import clock
from core.permissions import (
    commune_permission_required,
    object_permission_required,
    province_permission_required,
)
from core.spreadsheets import xlsx_response
from core.web import workspace_trail
from feedback.forms.staff import (
    CategoryFormSet,
    QueueFilterForm,
    action_form,
    category_initial,
)
from feedback.models import Feedback, Photo
from feedback.resources import feedback_sheet
from feedback.rules import (
    MANAGE_CATEGORIES,
    VIEW_CONTACT,
    VIEW_FEEDBACK_PRIVATE,
    VIEW_ORIGINAL,
    VIEW_OVERDUE,
    WORK_FEEDBACK,
    actions_allowed,
    can_view_photo,
    photo_access,
)
from feedback.selectors.staff import (
    DISPUTED_LIMIT,
    categories_for_provinces,
    categories_of_province,
    disputed_for_user,
    due_state,
    feedback_for_staff,
    feedback_queue,
    feedback_timeline,
    item_photos,
    overdue_for_user,
    queue_units,
)
from feedback.services import (
    FeedbackError,
    feedback_accept,
    feedback_close_unresolved,
    feedback_extend,
    feedback_forward,
    feedback_redact,
    feedback_refuse,
    feedback_resolve,
    feedback_start,
    format_code,
    normalise_code,
)
from feedback.services.categories import CategoryError, categories_save
from feedback.views.photos import photo_file_response

QUEUE_PAGE_SIZE = 25
OVERDUE_PAGE_SIZE = 100

# Each action's heading on the item's page and its button; in the order the page shows them.
ACTION_LABELS = {
    "accept": (gettext_lazy("Accept"), gettext_lazy("Accept the feedback")),
    "start": (gettext_lazy("Start the work"), gettext_lazy("Start")),
    "resolve": (gettext_lazy("Publish the official answer"), gettext_lazy("Publish the answer")),
    "forward": (gettext_lazy("Forward to the competent unit"), gettext_lazy("Forward")),
    "refuse": (gettext_lazy("Refuse"), gettext_lazy("Refuse the feedback")),
    "close": (gettext_lazy("Close unresolved"), gettext_lazy("Close unresolved")),
    "extend": (gettext_lazy("Extend the time limit"), gettext_lazy("Extend")),
    "redact": (gettext_lazy("Moderate the public version"), gettext_lazy("Save the public version")),
}


# --- Access -----------------------------------------------------------------------------------------


def _feedback(code: str, **kwargs):
    # A code typed or pasted as printed ('abcd-2345') finds the item too.
    feedback = get_object_or_404(feedback_for_staff(), code=normalise_code(code))
    return feedback, {"feedback": feedback, **kwargs}


# --- Shared pieces ----------------------------------------------------------------------------------


def _crumbs(commune: Commune | None = None, *, queue: bool = False) -> list[tuple[str, str]]:
    crumbs = workspace_trail(commune)
    if commune is not None and queue:
        crumbs.append((_("Citizen feedback"), reverse("feedback:queue", kwargs={"pk": commune.pk})))
    return crumbs


def _render(request, template: str, *, page_title: str, commune: Commune | None = None, **context):
    if commune is not None:
        context.update(
            commune=commune,
            section="feedback",
            can_manage=request.user.has_perm(MANAGE_COMMUNE, commune),
        )
    return render(request, template, {"page_title": page_title, **context})


def _short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --- The queue --------------------------------------------------------------------------------------


def _queue(request, commune: Commune, today):
    """The queue's filter form, whether it filters, and the items it keeps."""
    units = queue_units(commune=commune)
    form = QueueFilterForm(request.GET or None, categories=categories_for_provinces(province_ids=units.province_ids))
    filters = form.filters() if form.is_bound else {}
    items = feedback_queue(
        commune_ids=units.commune_ids,
        today=today,
        search_original=request.user.has_perm(VIEW_ORIGINAL, commune),
        **filters,
    )
    return units, form, filters, items


@commune_permission_required(VIEW_FEEDBACK_PRIVATE)
def queue(request, commune):
    """A commune's items, with those of the communes it replaced; reviewers and DoHA read it too."""
    today = clock.today()
    units, form, filters, items = _queue(request, commune, today)
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "feedback/manage/queue.html",
        page_title=_("Citizen feedback"),
        commune=commune,
        crumbs=_crumbs(commune),
        form=form,
        filtered=bool(filters),
        page=page,
        several_communes=units.several,
        can_work=request.user.has_perm(WORK_FEEDBACK, commune),
        can_manage_categories=request.user.has_perm(MANAGE_CATEGORIES, commune.province),
    )


@commune_permission_required(VIEW_FEEDBACK_PRIVATE)
def queue_export(request, commune):
    """The queue with its filters as an Excel workbook: every item the filters keep, not one page."""
    today = clock.today()
    _units, _form, _filters, items = _queue(request, commune, today)
    sheet = feedback_sheet(items, title=_("Citizen feedback"), today=today)
    return xlsx_response([sheet], filename=f"feedback-{commune.code}-{today:%Y-%m-%d}.xlsx")


# --- One item ---------------------------------------------------------------------------------------


def _photo(request, feedback: Feedback, photo_id: str) -> FileResponse:
    if not photo_id.isdigit():
        raise Http404
    photo = get_object_or_404(Photo, pk=photo_id, feedback=feedback)
    photo.feedback = feedback  # the rule reads the item, already loaded with its commune
    # A photo the viewer may not see is "not found", so a hidden photo's existence is not told either.
    if not can_view_photo(request.user, photo):
        raise Http404
    return photo_file_response(photo)


def _detail_page(request, feedback: Feedback, *, bound: dict | None = None):
    """The item's page; ``bound`` maps an action to the form as it was sent, shown with its errors."""
    user = request.user
    photos = item_photos(feedback=feedback, access=photo_access(user, feedback))
    can_work = user.has_perm(WORK_FEEDBACK, feedback)
    panels = []
    if can_work:
        actions = actions_allowed(feedback)
        for action, (title, button) in ACTION_LABELS.items():
            if bound and action in bound:
                form = bound[action]
            elif action in actions:
                form = action_form(action, feedback, photos=photos)
            else:
                continue
            panels.append({"action": action, "form": form, "title": title, "button": button})
    refused = next((panel for panel in panels if panel["form"].errors), None)
    return _render(
        request,
        "feedback/manage/detail.html",
        page_title=_("Feedback %(code)s") % {"code": format_code(feedback.code)},
        commune=feedback.commune,
        crumbs=_crumbs(feedback.commune, queue=True),
        feedback=feedback,
        photos=photos,
        events=feedback_timeline(feedback=feedback),
        due=due_state(feedback=feedback, today=clock.today()),
        can_work=can_work,
        can_view_original=user.has_perm(VIEW_ORIGINAL, feedback),
        can_view_contact=user.has_perm(VIEW_CONTACT, feedback),
        redacted=bool(feedback.public_title or feedback.public_description or any(p.hidden for p in photos)),
        actions=panels,
        refused=refused,
    )


@object_permission_required(VIEW_FEEDBACK_PRIVATE, _feedback)
def detail(request, feedback):
    """Everything about an item, its contact details included; ``?photo=<id>`` serves one of its photos."""
    photo_id = request.GET.get("photo")
    if photo_id is not None:
        return _photo(request, feedback, photo_id)
    return _detail_page(request, feedback)


# One call per action: the form's cleaned data to the service's arguments.
SERVICES: dict[str, Callable] = {
    "accept": lambda feedback, by, data: feedback_accept(feedback=feedback, by=by),
    "refuse": lambda feedback, by, data: feedback_refuse(
        feedback=feedback,
        by=by,
        reason=data["reason"],
        public_text=data["public_text"],
        duplicate_of=data["duplicate_of"],
    ),
    "start": lambda feedback, by, data: feedback_start(feedback=feedback, by=by, public_text=data["public_text"]),
    "forward": lambda feedback, by, data: feedback_forward(
        feedback=feedback, by=by, to_unit=data["to_unit"], public_text=data["public_text"]
    ),
    "extend": lambda feedback, by, data: feedback_extend(
        feedback=feedback, by=by, working_days=data["working_days"], reason=data["reason"]
    ),
    "resolve": lambda feedback, by, data: feedback_resolve(feedback=feedback, by=by, answer=data["answer"]),
    "close": lambda feedback, by, data: feedback_close_unresolved(feedback=feedback, by=by, reason=data["reason"]),
    "redact": lambda feedback, by, data: feedback_redact(
        feedback=feedback,
        by=by,
        public_title=data["public_title"],
        public_description=data["public_description"],
        hidden_photo_ids=tuple(data["hidden_photos"]),
    ),
}


def _done_message(action: str, feedback: Feedback, data: dict) -> str:
    code = format_code(feedback.code)
    match action:
        case "accept":
            return _("Feedback %(code)s is accepted.") % {"code": code}
        case "refuse":
            return _("Feedback %(code)s is refused; the citizen sees the explanation.") % {"code": code}
        case "start":
            return _("Work on feedback %(code)s has started.") % {"code": code}
        case "forward":
            return _("Feedback %(code)s is forwarded to %(unit)s.") % {"code": code, "unit": data["to_unit"]}
        case "extend":
            return _("Feedback %(code)s is now due on %(day)s.") % {"code": code, "day": _short_date(feedback.due_date)}
        case "resolve":
            return _("The official answer to feedback %(code)s is published.") % {"code": code}
        case "close":
            return _("Feedback %(code)s is closed unresolved.") % {"code": code}
        case _:
            return _("The public version of feedback %(code)s is saved.") % {"code": code}


@object_permission_required(WORK_FEEDBACK, _feedback)
def act(request, feedback, action: str):
    """One step on an item: accept, refuse, start, forward, extend, resolve, close or redact."""
    if action not in SERVICES:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    photos = list(feedback.photos.all()) if action == "redact" else ()
    form = action_form(action, feedback, data=request.POST, photos=photos)
    if form.is_valid():
        try:
            SERVICES[action](feedback, request.user, form.cleaned_data)
        except FeedbackError as error:
            messages.error(request, str(error))
            form.add_error(None, str(error))
        else:
            messages.success(request, _done_message(action, feedback, form.cleaned_data))
            return redirect("feedback:detail", code=feedback.code)
    # What the page shows is what is stored, whatever a refused service did to the instance.
    feedback = get_object_or_404(feedback_for_staff(), pk=feedback.pk)
    form.feedback = feedback
    return _detail_page(request, feedback, bound={action: form})


# --- Overdue and disputed items ---------------------------------------------------------------------


@object_permission_required(VIEW_OVERDUE)
def overdue(request):
    """Open items past their due date and disputed items waiting for a step, in the user's scope;
    ``?province=<pk>`` keeps those of one province (and of the provinces it replaced)."""
    province = _province_filter(request)
    province_id = province.pk if province is not None else None
    page = Paginator(
        overdue_for_user(user=request.user, today=clock.today(), province_id=province_id), OVERDUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    disputed = list(disputed_for_user(user=request.user, province_id=province_id)[: DISPUTED_LIMIT + 1])
    return _render(
        request,
        "feedback/manage/overdue.html",
        page_title=_("Overdue feedback"),
        crumbs=_crumbs(),
        page=page,
        province=province,
        disputed=disputed[:DISPUTED_LIMIT],
        more_disputed=len(disputed) > DISPUTED_LIMIT,
    )


@object_permission_required(VIEW_OVERDUE)
def overdue_export(request):
    """Every overdue item of the user's scope (not one page) as an Excel workbook; ``?province=`` as
    on the list."""
    today = clock.today()
    province = _province_filter(request)
    items = overdue_for_user(user=request.user, today=today, province_id=province.pk if province else None)
    sheet = feedback_sheet(items, title=_("Overdue feedback"), today=today)
    return xlsx_response([sheet], filename=f"overdue-feedback-{today:%Y-%m-%d}.xlsx")


def _province_filter(request) -> Province | None:
    """The province asked for in ``?province=``; an unknown one is a 404, not the whole list."""
    value = request.GET.get("province", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Province, pk=value)


# --- Categories -------------------------------------------------------------------------------------


@province_permission_required(MANAGE_CATEGORIES)
def categories(request, province):
    """The province's categories of feedback with their time limits; new ones in the empty rows."""
    initial = [category_initial(category) for category in categories_of_province(province=province)]
    formset = CategoryFormSet(request.POST or None, initial=initial, prefix="categories")
    if request.method == "POST" and formset.is_valid():
        filled = [form for form in formset.forms if form.cleaned_data]
        try:
            categories_save(province=province, rows=[form.cleaned_data for form in filled], by=request.user)
        except CategoryError as error:
            row = filled[error.row]
            for field, field_messages in error.errors.items():
                for message in field_messages:
                    row.add_error(field if field in row.fields else None, message)
        else:
            messages.success(request, _("The feedback categories of %(province)s are saved.") % {"province": province})
            return redirect("feedback:categories", pk=province.pk)
    return _render(
        request,
        "feedback/manage/categories.html",
        page_title=_("Feedback categories"),
        crumbs=[
            *_crumbs(),
            (str(province), reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": province.pk})),
        ],
        province=province,
        formset=formset,
    )
