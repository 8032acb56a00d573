"""django-allauth hooks."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.selectors import user_scope


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        # Staff roles must confirm their e-mail address before they sign in (see login_stages.py).
        return [
            "accounts.login_stages.StaffEmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def get_login_redirect_url(self, request) -> str:
        # Staff start at their workspace; a citizen goes back to the public pages.
        if user_scope(request.user).is_staff_role:
            return reverse("portal:workspace")
        return reverse("portal:home")
