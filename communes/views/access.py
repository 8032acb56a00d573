"""Access to a commune's pages: the commune comes from the URL and is checked before the view runs."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from communes.models import Commune, Province


def commune_permission_required(perm: str):
    """Load the commune named by ``pk`` (404 if unknown) and require ``perm`` on it: anonymous users
    are sent to sign in, signed-in users without the permission get 403. The view receives
    ``commune`` instead of ``pk``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            commune = get_object_or_404(Commune.objects.select_related("province", "district"), pk=pk)
            if not request.user.has_perm(perm, commune):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, commune=commune, **kwargs)

        wrapper.permission_required = perm  # read by the permission-matrix test
        return wrapper

    return decorator


def province_permission_required(perm: str):
    """Load the province named by ``pk`` (404 if unknown) and require ``perm`` on it, as
    ``commune_permission_required`` does for a commune. The view receives ``province`` instead of ``pk``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            province = get_object_or_404(Province, pk=pk)
            if not request.user.has_perm(perm, province):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, province=province, **kwargs)

        wrapper.permission_required = perm  # read by the permission-matrix test
        return wrapper

    return decorator
