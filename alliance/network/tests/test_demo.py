import hashlib

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from alliance.network import demo
from alliance.network.duplicates import duplicate_pairs, duplicates_refresh
from alliance.network.models import Organization, Person, Role, State, Welcome


def fingerprint() -> str:
    rows = Person.objects.order_by("email").values_list("email", "state_id", "organization__name", "title")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_it_builds_a_six_state_alliance_and_the_home_page_counts_it(client, db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert demo.STAFF_EMAIL in out and demo.STAFF_PASSWORD in out
    assert set(State.objects.filter(is_member=True).values_list("code", flat=True)) == set(demo.MEMBER_STATES)
    assert Person.objects.filter(status=Person.Status.ACTIVE).count() == 1200
    assert 280 <= Organization.objects.count() <= 300
    assert Person.objects.filter(roles=Role.STEERING).count() == 12
    assert {p.state_id for p in Person.objects.filter(roles=Role.STEERING)} == set(demo.MEMBER_STATES)
    assert Welcome.objects.filter(status=Welcome.Status.SENT).count() > 1000
    duplicates_refresh()  # what the worker does when it starts on a changed member base
    in_pairs = {pk for pair in duplicate_pairs().values_list("first", "second") for pk in pair}
    copies = set(Person.objects.filter(source=Person.Source.IMPORT).values_list("pk", flat=True))
    assert len(copies) == demo.DUPLICATES
    assert copies <= in_pairs

    response = client.get(reverse("network:home"))
    counts = response.context["counts"]
    assert counts["total"] == 1200
    assert sum(s.members for s in counts["states"]) == 1200
    assert sum(s.members for s in counts["sectors"]) == 1200
    assert all(s.members > 50 for s in counts["states"])


def test_it_is_safe_to_run_twice(db, capsys):
    call_command("demo")
    before = fingerprint()
    call_command("demo")
    assert "already loaded" in capsys.readouterr().out
    assert fingerprint() == before
    assert Person.objects.count() == 1200


def test_it_builds_the_same_alliance_from_the_same_seed(db):
    demo.demo_build()
    first = fingerprint()
    Welcome.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    demo.demo_build()
    assert fingerprint() == first


def test_the_printed_logins_work(client, db, capsys):
    call_command("demo")
    steering = Person.objects.filter(roles=Role.STEERING).order_by("pk").first()
    assert steering.email in capsys.readouterr().out
    staff = Client()
    staff.post(reverse("account_login"), {"login": demo.STAFF_EMAIL, "password": demo.STAFF_PASSWORD})
    assert staff.get(reverse("network:welcome-template")).status_code == 200
    response = client.post(reverse("account_login"), {"login": steering.email, "password": demo.STEERING_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("network:newcomers")).context["page"].paginator.count > 50
