from django.urls import include, path

from alliance.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("sample/", include("alliance.testing.sample_app.urls"))]
