"""What bench/pages.py serves with gunicorn: Alliance's own pages, and beside them a hello-world
Django view behind the same middleware, the yardstick for throughput on this machine."""

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

application = get_wsgi_application()


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), path("", include("alliance.urls"))]

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = __name__
