"""The home page: the alliance at a glance for visitors, and for a member what it offers them now."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.core import policy
from alliance.network import selectors
from alliance.network.home import member_home


def home(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.stats.view")
    counts = selectors.network_counts()
    person = selectors.person_of(request.user)
    if person is None or not policy.can(request.user, "network.directory.view"):
        return render(request, "network/home.html", {"counts": counts})
    panels = member_home(user=request.user, person=person)
    return render(request, "network/home_member.html", {"counts": counts, "person": person, "panels": panels})
