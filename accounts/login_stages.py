"""allauth login stages. Kept apart from adapters.py: allauth imports its stages module lazily, and
importing it while allauth loads the adapter would be circular."""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage

from accounts.selectors import user_scope


class StaffEmailVerificationStage(EmailVerificationStage):
    """Verification stays optional for citizens and becomes mandatory for anyone holding a role:
    a role opens other people's data, so the address it is tied to must be proven.

    A sign-up always ends on the "check your mail" page, signed in or not: an address that already has an
    account (see accounts.signup) gets the same page, and its owner a mail, so sign-up never tells whether
    an address is known. The citizen can still sign in before confirming."""

    def handle(self):
        if self.login.signup or (self.login.user is not None and user_scope(self.login.user).is_staff_role):
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()
