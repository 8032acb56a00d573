"""django-allauth hooks."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.selectors import user_scope
from core.web import client_ip


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

    def get_client_ip(self, request) -> str:
        # allauth's sign-in and sign-up limits count the same address as the portal's own limits
        # (X-Forwarded-For read only through the TRUSTED_PROXY_COUNT proxies in front of the portal).
        return client_ip(request) or super().get_client_ip(request)
