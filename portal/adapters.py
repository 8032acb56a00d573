"""django-allauth hooks: staff roles must confirm their e-mail address before they sign in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage

from portal.selectors import user_scope


class StaffEmailVerificationStage(EmailVerificationStage):
    """Verification stays optional for citizens and becomes mandatory for anyone holding a role:
    a role opens other people's data, so the address it is tied to must be proven."""

    def handle(self):
        if self.login.user is not None and user_scope(self.login.user).is_staff_role:
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        default = "allauth.account.stages.EmailVerificationStage"
        ours = f"{StaffEmailVerificationStage.__module__}.{StaffEmailVerificationStage.__qualname__}"
        return [ours if stage == default else stage for stage in super().get_login_stages()]
