import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy

from portal import views
from portal.views import media

# The admin is the site administrator's: branded as the portal, in the reader's language.
admin.site.site_header = gettext_lazy("Friendly Government Portal — Administration")
admin.site.site_title = gettext_lazy("Friendly Government Portal — Administration")
admin.site.index_title = gettext_lazy("Administration")

portal_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
        path("workspace/<str:kind>/<int:pk>/", views.UnitWorkspaceView.as_view(), name="unit_workspace"),
        # Public pages that show several apps. Their paths are exact, so the apps' deeper routes under
        # provinces/<pk>/ and communes/<pk>/ (procedures, disclosures, feedback, ...) stay theirs.
        path("provinces/<int:pk>/", views.ProvinceDetailView.as_view(), name="province_detail"),
        path("communes/<int:pk>/", views.commune_detail, name="commune_detail"),
    ],
    "portal",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Vietnamese pages have no prefix; English ones live under /en/.
urlpatterns += i18n_patterns(
    path("", include(portal_patterns)),
    path("", include("communes.urls")),
    path("", include("feedback.urls")),
    path("", include("surveys.urls")),
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
