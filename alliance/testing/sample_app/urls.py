from django.http import HttpResponse
from django.urls import path

from alliance.core import policy

app_name = "sample_app"


def notes(request):
    policy.require(request.user, "sample.notes.view")
    return HttpResponse("notes")


urlpatterns = [path("", notes, name="notes")]
