"""What the API says about citizen feedback, and what it takes in.

Public outputs read the public selectors' dataclasses and the public list's columns only: no contact
detail, coordinate, account or action key can reach them. The staff output shows personal data only
under the flags the view sets from feedback.rules (VIEW_CONTACT, VIEW_ORIGINAL), as the staff page does.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import Commune
from feedback.forms.public import LATITUDE_RANGE, LOCATION_UNUSABLE, LONGITUDE_RANGE, OUTSIDE_VIETNAM
from feedback.models import DESCRIPTION_MAX, MAX_PHOTOS, REASON_MAX, TITLE_MAX, Category, Status
from feedback.selectors.staff import OPEN
from feedback.services.workflow import BAD_RATING

STATUS_HELP = "The status: received, accepted, in progress, refused, forwarded, resolved or closed unresolved."


class UnitNameOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


def _track_path(code: str) -> str:
    return reverse("feedback:track", kwargs={"code": code})


# --- Categories ---------------------------------------------------------------------------------------


class CategoryOut(serializers.Serializer):
    """A kind of feedback the province takes, with the working days the commune has to answer it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    time_limit_days = serializers.IntegerField(help_text="Working days the commune has to answer.")


# --- The public side ----------------------------------------------------------------------------------


class FeedbackListQuery(serializers.Serializer):
    commune = serializers.PrimaryKeyRelatedField(
        queryset=Commune.objects.select_related("province", "district"),
        help_text="The commune whose feedback is listed.",
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text=STATUS_HELP)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)


class FeedbackItemOut(serializers.Serializer):
    """One line of a commune's public list: what the public list page shows."""

    code = serializers.CharField()
    title = serializers.CharField(source="shown_title", help_text="The public version of the title.")
    commune_id = serializers.IntegerField()
    category_name = serializers.CharField(source="category.name")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    page_url = serializers.SerializerMethodField()

    def get_page_url(self, item) -> str:
        return _track_path(item.code)


class TimelineStepOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(help_text="The status the step moved the feedback to; empty if none.")
    status_label = serializers.CharField()
    actor = serializers.CharField(help_text="Who took the step, as a role: the timeline names nobody.")
    public_text = serializers.CharField()
    at = serializers.DateTimeField()


class PhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()


class FeedbackPublicOut(serializers.Serializer):
    """One item as its public tracking page shows it."""

    code = serializers.CharField()
    display_code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    commune = UnitNameOut()
    category_name = serializers.CharField()
    category_time_limit_days = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    is_overdue = serializers.BooleanField()
    address = serializers.CharField(help_text="The place, in the sender's words.")
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    extension_reason = serializers.CharField()
    forwarded_to = serializers.CharField()
    refusal_reason = serializers.CharField()
    refusal_reason_label = serializers.CharField()
    refusal_text = serializers.CharField()
    duplicate_of_code = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True, help_text="The submitter's rating of the answer, 1 to 5.")
    can_be_rated = serializers.BooleanField()
    dispute_until = serializers.DateTimeField(allow_null=True)
    photos = serializers.SerializerMethodField()
    timeline = TimelineStepOut(many=True)
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(PhotoOut(many=True))
    def get_photos(self, item) -> list[dict]:
        # The public photo view, which asks feedback.rules.can_view_photo again for every file.
        return [{"id": pk, "url": reverse("feedback:photo", kwargs={"photo_pk": pk})} for pk in item.photo_ids]

    def get_page_url(self, item) -> str:
        return _track_path(item.code)


class FeedbackIn(serializers.Serializer):
    """Feedback as a citizen sends it. The service checks the rest: the category open in the commune's
    province, the texts, consent when personal data is given, the photos and the rate limit."""

    commune = serializers.PrimaryKeyRelatedField(queryset=Commune.objects.select_related("province", "district"))
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Needed when the sender gives personal data: contact details, a position, or an account.",
    )

    def validate(self, data):
        # The device's position: both coordinates inside Vietnam, or none (as the form says).
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            raise serializers.ValidationError({"latitude": [LOCATION_UNUSABLE]})
        if latitude is not None:
            inside = LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
            if not (inside and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]):
                raise serializers.ValidationError({"latitude": [OUTSIDE_VIETNAM]})
        return data


class FeedbackWithPhotosIn(FeedbackIn):
    """Feedback as multipart, with up to 3 photos in `photos` (JPEG, PNG or WebP, 5 MB each)."""

    photos = serializers.ListField(child=serializers.FileField(), max_length=MAX_PHOTOS, required=False, default=list)


class FeedbackReceiptOut(serializers.Serializer):
    """The answer to a sent feedback: the only place, with its replay, that gives the action key."""

    code = serializers.CharField()
    display_code = serializers.CharField()
    action_key = serializers.CharField(
        help_text="The secret that lets the sender rate or dispute the answer. Keep it; it is not shown again."
    )
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    due_date = serializers.DateField()
    tracking_url = serializers.CharField(help_text="The public tracking page.")
    url = serializers.CharField(help_text="The feedback in the API.")


def _action_key() -> serializers.CharField:
    return serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The action key given when the feedback was sent; not needed by the signed-in sender.",
    )


class RatingIn(serializers.Serializer):
    action_key = _action_key()
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value", "null"), BAD_RATING),
    )
    comment = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class DisputeIn(serializers.Serializer):
    action_key = _action_key()
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the answer does not solve the problem; shown on the public timeline.",
    )


class MyFeedbackOut(serializers.Serializer):
    """One item the signed-in citizen sent, as their own page shows it."""

    code = serializers.CharField()
    title = serializers.CharField()
    commune = UnitNameOut()
    category_name = serializers.CharField(source="category.name")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    is_overdue = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    page_url = serializers.SerializerMethodField()

    def get_is_overdue(self, item) -> bool:
        return item.is_open and item.due_date < self.context["today"]

    def get_page_url(self, item) -> str:
        return _track_path(item.code)


# --- The staff side -----------------------------------------------------------------------------------


class QueueQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(OPEN, _("All open")), *Status.choices],
        required=False,
        help_text="A status, or “open” for every open status.",
    )
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    overdue = serializers.BooleanField(required=False, default=False, help_text="Overdue items only.")
    q = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Title or tracking code contains."
    )


class QueueItemOut(serializers.Serializer):
    """One line of a commune's queue, as the back-office list shows it."""

    code = serializers.CharField()
    title = serializers.CharField(source="shown_title")
    commune = UnitNameOut()
    category_name = serializers.CharField(source="category.name")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    late = serializers.BooleanField(help_text="Open and past its due date.")
    extended = serializers.SerializerMethodField()
    disputes = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_extended(self, item) -> bool:
        return bool(item.extension_reason)

    def get_url(self, item) -> str:
        return reverse("api:feedback:feedback-staff", kwargs={"code": item.code})


class ContactOut(serializers.Serializer):
    """Personal data: the commune's officers only (VIEW_CONTACT)."""

    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    account_email = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class StaffPhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    hidden = serializers.BooleanField()
    url = serializers.CharField()


class StaffEventOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    public_text = serializers.CharField()
    note = serializers.CharField(help_text="For staff only.")
    by = serializers.CharField(allow_null=True, help_text="The officer who acted; null for the citizen or the portal.")
    at = serializers.DateTimeField()


class FeedbackStaffOut(serializers.Serializer):
    """One item as the back-office page shows it to the viewer: the original text only to those who may
    read it (``original_title`` null otherwise), the contact details only to the commune's officers."""

    code = serializers.CharField()
    display_code = serializers.CharField()
    commune = UnitNameOut()
    category = CategoryOut()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    title = serializers.CharField(help_text="What the public sees.")
    description = serializers.CharField(help_text="What the public sees.")
    original_title = serializers.CharField(allow_null=True)
    original_description = serializers.CharField(allow_null=True)
    redacted = serializers.BooleanField()
    address = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    days_left = serializers.IntegerField(help_text="Working days from today to the due date.")
    days_late = serializers.IntegerField(help_text="Working days from the due date to today.")
    late = serializers.BooleanField()
    extension_reason = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    disputes = serializers.IntegerField()
    refusal_reason = serializers.CharField()
    refusal_reason_label = serializers.CharField()
    duplicate_of_code = serializers.CharField()
    forwarded_to = serializers.CharField()
    consent = serializers.BooleanField()
    contact = ContactOut(allow_null=True)
    photos = StaffPhotoOut(many=True)
    timeline = StaffEventOut(many=True)
    can_work = serializers.BooleanField(help_text="Whether the viewer may act on the item.")
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="The steps the item's status allows, for those who may act."
    )
    page_url = serializers.CharField()
    public_url = serializers.CharField()


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The official answer, shown to the public."
    )
