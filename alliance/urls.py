from django.contrib import admin
from django.urls import include, path

from alliance.api.main import api

urlpatterns = [
    path("", include("alliance.network.urls")),
    path("", include("alliance.measure.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("api-tokens/", include("alliance.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
