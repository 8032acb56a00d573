"""The citizens' side of feedback (phản ánh, kiến nghị): send it, keep the receipt, follow it, rate it.

Knowing an item's tracking code lets anyone follow it; rating or disputing it needs the private action
key given to the submitter (on the receipt, in the e-mail, and remembered in the submitter's session),
or being the signed-in submitter. The key's link has one purpose: opening it puts the key in the
session and sends the browser on to the same page without it, so the key is not left in the browser's
history, in later access-log lines or in a Referer; the forms and actions read it from the session only.
Public pages never receive personal data: the selectors hand them dataclasses without it.

A form that comes back with an error keeps the photos already accepted (feedback.services.pending_photos),
so the citizen does not choose them again. A unit that has ended takes no feedback: its form leads to
the unit of today that took it over, in one step, and that form says why in one line.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communes import selectors as commune_selectors
from communes.models import Commune
from core import pagecache
from core.counters import rate_limit_exceeded
from core.qr import qr_svg
from core.web import client_ip
from feedback import selectors
from feedback.forms.public import DisputeForm, LookupForm, RateForm, SubmitForm
from feedback.models import DISPUTE_WINDOW_DAYS, MAX_PHOTOS, Feedback, Photo, Status
from feedback.rules import action_key_valid, can_view_photo, may_act_as_submitter
from feedback.services import (
    FeedbackError,
    PendingKey,
    feedback_dispute,
    feedback_rate,
    feedback_submit,
    normalise_code,
    pending_key_new,
    pending_key_read,
    pending_photo_open,
    pending_photos_keep,
    pending_photos_list,
    pending_photos_remove,
)
from feedback.views.photos import photo_file_response, private_image_response

FEEDBACK_PER_PAGE = 20
QR_SCALE = 6
# The submitter's action keys, by tracking code, in their session; the oldest are dropped past the cap.
SESSION_KEYS = "feedback_action_keys"
SESSION_KEYS_MAX = 50
HONEYPOT = "website"
# The signed key of the photos kept between two posts of the form, and the "remove" boxes of each.
PHOTOS_KEY = "photos_key"
PHOTOS_REMOVE = "photos_remove"
# Light enough for a person, slow for guessing: codes have 30^8 values.
LOOKUPS_PER_MINUTE = 30

SUBMITTED = _("Thank you. Your feedback has been sent to the commune.")
NOT_FOUND = _("No feedback has this tracking code. Check the code on your receipt.")
TOO_MANY_LOOKUPS = _("Too many codes were looked up from your connection. Please wait a minute and try again.")
RATED = _("Thank you for your rating.")
DISPUTED = _("Your dispute has been recorded. The commune must look at the feedback again.")


# --- Helpers ----------------------------------------------------------------------------------------


def _commune_or_404(pk: int) -> Commune:
    try:
        return commune_selectors.commune_for_public_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error


def _canonical_redirect(request, code: str, view_name: str) -> HttpResponseRedirect | None:
    """A code typed in another form ('abcd-efgh') is sent to its stored form, query string kept."""
    normalised = normalise_code(code)
    if normalised == code:
        return None
    if not normalised:
        raise Http404
    url = reverse(view_name, kwargs={"code": normalised})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


def _public_or_404(code: str) -> tuple[selectors.PublicFeedback, selectors.Access]:
    try:
        return selectors.feedback_public(code=code)
    except Feedback.DoesNotExist as error:
        raise Http404 from error


def _session_key(request, code: str) -> str:
    keys = request.session.get(SESSION_KEYS)
    return keys.get(code, "") if isinstance(keys, dict) else ""


def _remember_key(request, code: str, action_key: str) -> None:
    keys = request.session.get(SESSION_KEYS)
    keys = dict(keys) if isinstance(keys, dict) else {}
    keys.pop(code, None)
    keys[code] = action_key
    request.session[SESSION_KEYS] = dict(list(keys.items())[-SESSION_KEYS_MAX:])


def _keys(request, code: str):
    """The action key the request holds for the item: the one its session remembers."""
    yield _session_key(request, code)


def _key_taken_from_link(request, code: str, access) -> HttpResponseRedirect | None:
    """A private link opened (``?key=``): remember the key in this browser if it fits the item, and send
    the browser to the same page without it, a wrong key as well (it is simply not remembered)."""
    if "key" not in request.GET:
        return None
    given = request.GET.get("key", "").strip()[:64]
    if action_key_valid(access, given):
        _remember_key(request, code, access.action_key)
    response = redirect(request.path)
    response["Cache-Control"] = "no-store"
    return response


def _track_url(code: str) -> str:
    return reverse("feedback:track", kwargs={"code": code})


def _lookup_allowed(request) -> bool:
    return not rate_limit_exceeded(scope="lookup", client_ip=client_ip(request), limit=LOOKUPS_PER_MINUTE, seconds=60)


# --- A commune's feedback -------------------------------------------------------------------------


@require_safe
def commune_feedback(request, pk: int):
    commune = _commune_or_404(pk)
    categories = selectors.categories_for_commune(commune=commune)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    category = request.GET.get("category", "")
    category_id = int(category) if category.isdigit() and int(category) in {c.pk for c in categories} else None
    paginator = Paginator(
        selectors.public_feedback_for_commune(commune=commune, status=status or None, category=category_id),
        FEEDBACK_PER_PAGE,
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    # An ended unit's list is its record; new feedback goes to the units that took it over.
    ended = None
    if not commune.is_current:
        gone = commune_selectors.unit_ended(commune)
        ended = {"name_then": gone.name_then, "ended_on": gone.ended_on, "choices": _choices(gone)}
    return render(
        request,
        "feedback/public/feedback_list.html",
        {
            "commune": commune,
            "ended": ended,
            "figures": selectors.feedback_figures_for_commune(commune=commune),
            "statuses": Status.choices,
            "status": status,
            "categories": categories,
            "category_id": category_id,
            "page_obj": page_obj,
            "items": page_obj.object_list,
        },
    )


# --- Sending feedback -----------------------------------------------------------------------------


def _choices(gone: commune_selectors.UnitEnded) -> list[tuple[Commune, str]]:
    """Each unit of today that took the ended one over, with its form (which says why, from ?from=)."""
    return [
        (unit, f"{reverse('feedback:submit', kwargs={'pk': unit.pk})}?{urlencode({'from': gone.unit.pk})}")
        for unit in gone.units_today
    ]


def _to_units_today(request, commune: Commune):
    """An ended unit takes no feedback: its form leads to today's unit in one step, or, when it was
    divided, offers the units that took it over."""
    gone = commune_selectors.unit_ended(commune)
    choices = _choices(gone)
    if gone.merged:
        return redirect(choices[0][1])
    return render(
        request,
        "feedback/public/feedback_successors.html",
        {"commune": commune, "name_then": gone.name_then, "ended_on": gone.ended_on, "choices": choices},
    )


def _takeover(request, commune: Commune) -> commune_selectors.UnitEnded | None:
    """The ended unit named by ``?from=``, when this commune is one that took it over: said in one line
    above the form (merged into this unit, or divided and this one of its parts)."""
    given = request.GET.get("from", "")
    if not given.isdigit() or len(given) > 12:
        return None
    try:
        ended = commune_selectors.commune_for_public_page(pk=int(given))
    except Commune.DoesNotExist:
        return None
    if ended.is_current:
        return None
    gone = commune_selectors.unit_ended(ended)
    if commune.pk not in {unit.pk for unit in gone.units_today}:
        return None
    return gone


def _kept_photos_context(pending: PendingKey, names: list[str]) -> list[dict]:
    return [
        {"name": name, "url": reverse("feedback:pending_photo", kwargs={"key": pending.key, "name": name})}
        for name in names
    ]


def _keep_new_photos(request, form: SubmitForm, pending: PendingKey) -> None:
    """After a post that made nothing: the new photos that passed the form's checks are kept, so the
    corrected form need not send them again."""
    photos = form.cleaned_data.get("photos") if not form.has_error("photos") else None
    if not photos:
        return
    try:
        pending_photos_keep(token=pending.token, photos=photos, client_ip=client_ip(request))
    except FeedbackError as error:
        if str(error) not in form.non_field_errors():  # the service said it already
            form.add_error("photos", str(error))


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, pk: int):
    commune = _commune_or_404(pk)
    if not commune.is_current:
        return _to_units_today(request, commune)
    categories = selectors.categories_open_for_commune(commune=commune)
    user = request.user if request.user.is_authenticated else None
    takeover = _takeover(request, commune)
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A robot filled the hidden field: it is told what a person would be, and nothing is made.
            messages.success(request, SUBMITTED)
            return redirect("feedback:commune_feedback", pk=commune.pk)
        # The photos kept from this form's earlier posts, less those the citizen ticked "remove".
        pending = pending_key_read(request.POST.get(PHOTOS_KEY)) or pending_key_new()
        pending_photos_remove(token=pending.token, names=request.POST.getlist(PHOTOS_REMOVE))
        kept = pending_photos_list(token=pending.token)
        form = SubmitForm(
            request.POST, request.FILES, categories=categories, kept_photos=len(kept), signed_in=user is not None
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback = feedback_submit(
                    commune=commune,
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    address=data["address"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photos=data["photos"],
                    pending_token=pending.token,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    consent=data["consent"],
                    submitter=user,
                    language=get_language() or settings.LANGUAGE_CODE,
                    submission_token=data["submission_token"],
                    client_ip=client_ip(request),
                )
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                # The session holds the key: the receipt's address need not (and must not) carry it.
                _remember_key(request, feedback.code, feedback.action_key)
                messages.success(request, SUBMITTED)
                return redirect("feedback:receipt", code=feedback.code)
        _keep_new_photos(request, form, pending)
        kept = pending_photos_list(token=pending.token)
    else:
        initial = {"contact_name": user.full_name, "contact_email": user.email} if user else {}
        form = SubmitForm(initial=initial, categories=categories, signed_in=user is not None)
        pending, kept = pending_key_new(), []
    action = reverse("feedback:submit", kwargs={"pk": commune.pk})
    context = {
        "commune": commune,
        "form": form,
        "form_action": f"{action}?{urlencode({'from': request.GET['from']})}" if takeover else action,
        "has_categories": categories.exists(),
        "takeover": takeover,
        "photos_key": pending.key,
        "kept_photos": _kept_photos_context(pending, kept),
        "photos_left": max(MAX_PHOTOS - len(kept), 0),
    }
    return render(request, "feedback/public/feedback_form.html", context)


@require_safe
def pending_photo(request, key: str, name: str):
    """A photo kept for a form that came back with an error, as its thumbnail: only for the page that
    holds the signed key (feedback.services.pending_photos)."""
    pending = pending_key_read(key)
    if pending is None:
        raise Http404
    # Kept for a form being corrected: the page may be reloaded several times within minutes.
    return private_image_response(name, lambda: pending_photo_open(token=pending.token, name=name), max_age=600)


# --- Following an item ----------------------------------------------------------------------------


@require_safe
def lookup(request):
    if "code" not in request.GET:
        return render(request, "feedback/public/feedback_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    status = 200
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if not _lookup_allowed(request):
            form.add_error(None, TOO_MANY_LOOKUPS)
            status = 429
        elif code and selectors.feedback_exists(code=code):
            return redirect("feedback:track", code=code)
        else:
            form.add_error("code", NOT_FOUND)
    return render(request, "feedback/public/feedback_lookup.html", {"form": form}, status=status)


def _track_page(request, code: str, *, rate_form=None, dispute_form=None):
    public, access = _public_or_404(code)
    if response := _key_taken_from_link(request, public.code, access):
        return response
    may_act = may_act_as_submitter(request.user, access, _keys(request, public.code))
    now = timezone.now()
    can_rate = may_act and public.can_be_rated
    can_dispute = may_act and public.can_be_disputed(now)
    if can_rate and rate_form is None:
        rate_form = RateForm(initial={"rating": public.rating})
    if can_dispute and dispute_form is None:
        dispute_form = DisputeForm()
    return render(
        request,
        "feedback/public/feedback_detail.html",
        {
            "item": public,
            "commune": public.commune,
            "may_act": may_act,
            "rate_form": rate_form if can_rate else None,
            "dispute_form": dispute_form if can_dispute else None,
        },
    )


@require_safe
def track(request, code: str):
    if response := _canonical_redirect(request, code, "feedback:track"):
        return response
    if "key" in request.GET or request.user.is_authenticated or _session_key(request, code):
        # A private link to take in, or perhaps the submitter, with a rating and a dispute to offer.
        return _track_page(request, code)
    return pagecache.cached_page(
        request,
        "feedback/public/feedback_detail.html",
        lambda: _visitor_context(code),
        scopes=["site", f"feedback:{code}"],
    )


def _visitor_context(code: str) -> dict:
    """The tracking page of anyone but the submitter: the item's public part and timeline."""
    public, _access = _public_or_404(code)
    return {"item": public, "commune": public.commune, "may_act": False, "rate_form": None, "dispute_form": None}


def _absolute_track_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("feedback:track", kwargs={"code": code}))


@require_safe
def receipt(request, code: str):
    if response := _canonical_redirect(request, code, "feedback:receipt"):
        return response
    public, access = _public_or_404(code)
    if response := _key_taken_from_link(request, public.code, access):
        return response
    has_key = any(action_key_valid(access, key) for key in _keys(request, public.code))
    track_url = _absolute_track_url(request, public.code)
    return render(
        request,
        "feedback/public/feedback_receipt.html",
        {
            "item": public,
            "commune": public.commune,
            "track_url": track_url,
            "private_url": f"{track_url}?{urlencode({'key': access.action_key})}" if has_key else "",
            "dispute_days": DISPUTE_WINDOW_DAYS,
        },
    )


@require_safe
@cache_control(max_age=3600, public=True)
def qr(request, code: str):
    if not selectors.feedback_exists(code=code):
        raise Http404
    return HttpResponse(qr_svg(_absolute_track_url(request, code), scale=QR_SCALE), content_type="image/svg+xml")


# --- The submitter's rating and dispute -------------------------------------------------------------


def _feedback_for_submitter(request, code: str) -> Feedback:
    """The item, if the request comes from its submitter (403 otherwise): signed in as them, or in the
    browser the private link was opened in. A key posted with the form is not enough."""
    try:
        feedback = selectors.feedback_for_action(code=code)
    except Feedback.DoesNotExist as error:
        raise Http404 from error
    if not may_act_as_submitter(request.user, feedback, _keys(request, feedback.code)):
        raise PermissionDenied
    return feedback


@require_POST
def rate(request, code: str):
    feedback = _feedback_for_submitter(request, code)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _track_page(request, code, rate_form=form)
    try:
        feedback_rate(feedback=feedback, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, RATED)
    return redirect(_track_url(feedback.code))


@require_POST
def dispute(request, code: str):
    feedback = _feedback_for_submitter(request, code)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _track_page(request, code, dispute_form=form)
    try:
        feedback_dispute(feedback=feedback, reason=form.cleaned_data["reason"])
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DISPUTED)
    return redirect(_track_url(feedback.code))


# --- Photos -----------------------------------------------------------------------------------------


@require_safe
@cache_control(max_age=300, private=True)
def photo(request, photo_pk: int):
    try:
        shown = selectors.photo_to_serve(pk=photo_pk)
    except Photo.DoesNotExist as error:
        raise Http404 from error
    # Hidden photos, and those of an item not yet accepted, are "not found" to whoever the rule refuses.
    if not can_view_photo(request.user, shown):
        raise Http404
    return photo_file_response(shown)
