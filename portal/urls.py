from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from portal import views

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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
