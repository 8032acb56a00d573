import re
from urllib.parse import urlencode

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, re_path, reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import errors as api_errors
from portal import views
from portal.views import dashboards, media, offline, open_data, reports

# The admin is the site administrator's: branded as the portal, in the reader's language.
admin.site.site_header = gettext_lazy("Friendly Government Portal — Administration")
admin.site.site_title = gettext_lazy("Friendly Government Portal — Administration")
admin.site.index_title = gettext_lazy("Administration")


def admin_login(request, extra_context=None):
    """The admin has no password form of its own: its sign-in is the portal's (allauth's), which limits
    failed attempts per address and per account, and makes staff confirm their e-mail address first.
    Django's admin form has no limit at all, so it is never reached."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    host = {request.get_host()}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=host, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(next_url)
        # Signed in without admin rights: sending them to sign in again would loop back here.
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


admin.site.login = admin_login

# The API's documentation page (Swagger UI, served from the portal's static files) sets styles inline:
# the site's CSP, loosened for that page only; scripts still come from the portal alone. (ReDoc is not
# offered: drf-spectacular's page for it loads fonts from Google and initialises with an inline script.)
docs_csp = csp_override(settings.SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE], "script-src": [CSP.SELF]})

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
        path("workspace/<str:kind>/<int:pk>/", views.UnitWorkspaceView.as_view(), name="unit_workspace"),
        # Public pages that show several apps. Their paths are exact, so the apps' deeper routes under
        # provinces/<pk>/ and communes/<pk>/ (procedures, disclosures, feedback, ...) stay theirs.
        path("provinces/<int:pk>/", views.province_detail, name="province_detail"),
        path("communes/<int:pk>/", views.commune_detail, name="commune_detail"),
        # Dashboards: public (cached) and staff versions of a province's and a commune's figures.
        path("provinces/<int:pk>/dashboard/", dashboards.province_dashboard, name="province_dashboard"),
        path("communes/<int:pk>/dashboard/", dashboards.commune_dashboard, name="commune_dashboard"),
        path(
            "manage/provinces/<int:pk>/dashboard/", dashboards.province_dashboard_staff, name="province_dashboard_staff"
        ),
        path("manage/communes/<int:pk>/dashboard/", dashboards.commune_dashboard_staff, name="commune_dashboard_staff"),
        # The annual report DoHA sends upward: a page, the workbook and the official PDF of one year.
        path("manage/provinces/<int:pk>/reports/<int:year>/", reports.annual_report, name="annual_report"),
        path(
            "manage/provinces/<int:pk>/reports/<int:year>/report.xlsx",
            reports.annual_report_xlsx,
            name="annual_report_xlsx",
        ),
        path(
            "manage/provinces/<int:pk>/reports/<int:year>/report.pdf",
            reports.annual_report_pdf,
            name="annual_report_pdf",
        ),
        # What the installable app's service worker shows for a page it has not kept (static/root/sw.js).
        path("offline/", offline.offline, name="offline"),
        # Open data: the catalogue, its DCAT description, a dataset's page and its files (portal/opendata/).
        path("open-data/", open_data.open_data, name="open_data"),
        path("open-data/catalog.jsonld", open_data.open_data_catalog, name="open_data_catalog"),
        path("open-data/<slug:slug>/", open_data.open_data_dataset, name="open_data_dataset"),
        path("open-data/<slug:slug>.<str:fmt>", open_data.open_data_download, name="open_data_download"),
    ],
    "portal",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The JSON API, its schema and documentation (served from the portal itself: no CDN), the apps'
    # sign-in (django-allauth headless) and Open311 GeoReport v2. Outside i18n_patterns: an app asks for
    # its language with Accept-Language.
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    re_path(r"^api/", api_errors.not_found),
    path("_allauth/", include("allauth.headless.urls")),
    path("open311/v2/", include("feedback.open311.urls")),
]
# Vietnamese pages have no prefix; English ones live under /en/.
urlpatterns += i18n_patterns(
    path("", include(portal_patterns)),
    path("", include("accounts.urls")),
    path("", include("communes.urls")),
    path("", include("feedback.urls")),
    path("", include("surveys.urls")),
    path("", include("democracy.urls")),
    path("", include("scoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# --- Uploaded files (README, "Files") -----------------------------------------------------------------
# The media store's public part (the one-stop-shop photos) is served here whether DEBUG is on or off,
# unless the proxy serves it first; private files (feedback photos, evidence, ...) have no route here and
# leave only through their apps' views, which check who may see them.
urlpatterns += [
    re_path(rf"^{re.escape(settings.MEDIA_URL.strip('/'))}/(?P<path>.+)$", media.public_media, name="media"),
]
