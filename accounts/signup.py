"""The sign-up form allauth shows. Kept apart from forms.py: allauth builds its sign-up form on top of
``accounts.forms.SignupForm`` (ACCOUNT_SIGNUP_FORM_CLASS), so importing allauth's forms there would be
circular."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import filter_users_by_email


class SignupForm(AllauthSignupForm):
    def validate_unique_email(self, value) -> str:
        # allauth hides a known address only when verification is mandatory for everyone; here it is
        # optional for citizens, and allauth would answer "already registered" (staff addresses too).
        # A known address instead takes allauth's enumeration-proof path: no account is made, its owner
        # is mailed, and the page is the one a new address gets (see login_stages.py).
        self.account_already_exists = bool(filter_users_by_email(value))
        return value
