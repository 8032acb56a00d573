"""Access to pages about one object: the object comes from the URL and is checked before the view runs.

One mechanism for every app: ``object_permission_required`` loads the object (404 if unknown) and
requires a permission on it; anonymous users are sent to sign in, signed-in users without the
permission get 403. The permission-matrix test finds protected views by ``permission_required``.
"""

from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

Loader = Callable[..., tuple[object, dict]]


def object_permission_required(perm: str, load: Loader | None = None):
    """``load`` takes the URL's arguments and returns the object and the view's arguments; without
    it the permission is checked with no object."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            obj, view_kwargs = load(**kwargs) if load else (None, kwargs)
            if not request.user.has_perm(perm, obj):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **view_kwargs)

        wrapper.permission_required = perm  # read by the permission-matrix test
        return wrapper

    return decorator


# Places are named by label, not imported: core sits below the apps that define them.
def _commune(pk: int, **kwargs) -> tuple[object, dict]:
    commune_model = apps.get_model("communes", "Commune")
    commune = get_object_or_404(commune_model.objects.select_related("province", "district"), pk=pk)
    return commune, {"commune": commune, **kwargs}


def _province(pk: int, **kwargs) -> tuple[object, dict]:
    province = get_object_or_404(apps.get_model("communes", "Province"), pk=pk)
    return province, {"province": province, **kwargs}


def commune_permission_required(perm: str):
    """For pages of one commune: the view receives ``commune`` instead of ``pk``."""
    return object_permission_required(perm, _commune)


def province_permission_required(perm: str):
    """For pages of one province: the view receives ``province`` instead of ``pk``."""
    return object_permission_required(perm, _province)
