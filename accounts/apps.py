from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users and the roles they hold over places.

    The label stays ``portal``, under which the custom user model was created: its tables
    (``portal_user``, ``portal_roleassignment``), its migration history and ``AUTH_USER_MODEL =
    "portal.User"`` keep their names. Changing a custom user model's label after the first migration is
    not supported by Django's migrations (every app's dependency on the user model would point to a
    migration an existing database has never applied), so the package moved and the label did not.
    """

    name = "accounts"
    label = "portal"
    verbose_name = _("Accounts and roles")
