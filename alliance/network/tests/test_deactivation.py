"""Staff deactivate a person (out of the directory, counts, access and mail) and reactivate them."""

from django.core import mail
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network import selectors
from alliance.network.models import Person, Welcome
from alliance.testing.fixtures import make_person


def deactivate(client, person, reason="Left the field"):
    return client.post(reverse("network:person-deactivate", args=[person.pk]), {"reason": reason})


def directory_names(client, q=""):
    response = client.get(reverse("network:directory"), {"q": q})
    return [p.full_name for p in response.context["page"]]


def test_it_takes_a_deactivated_person_out_of_the_directory_counts_and_member_pages(as_alice, as_sam, as_mia, mia):
    before = selectors.network_counts()["total"]
    response = deactivate(as_alice, mia)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person-detail", args=[mia.pk])
    mia.refresh_from_db()
    assert mia.status == Person.Status.INACTIVE
    assert "Mia Member" not in directory_names(as_sam, "Mia")
    assert selectors.network_counts()["total"] == before - 1
    assert as_sam.get(reverse("network:person-detail", args=[mia.pk])).status_code == 404
    # Her own account lost its access to every member page.
    assert as_mia.get(reverse("network:directory")).status_code == 403
    assert as_mia.get(reverse("network:profile")).status_code == 403


def test_it_keeps_the_reason_in_the_history_the_timeline_and_the_audit_log(as_alice, mia):
    deactivate(as_alice, mia, reason="Moved to another country")
    assert mia.history.first().history_change_reason == "Moved to another country"
    assert mia.events.filter(kind="network.person.deactivated").get().summary == "Deactivated: Moved to another country"
    entry = AuditEntry.objects.get(action="network.person.deactivated")
    assert entry.actor.email == "alice.backbone@example.org" and entry.data["reason"] == "Moved to another country"
    page = as_alice.get(reverse("network:person-detail", args=[mia.pk]))
    assert page.status_code == 200 and b"Reactivate" in page.content


def test_it_refuses_a_deactivation_without_a_reason(as_alice, mia):
    deactivate(as_alice, mia, reason="  ")
    mia.refresh_from_db()
    assert mia.status == Person.Status.ACTIVE


def test_it_refuses_a_deactivation_by_a_committee_member(as_sam, mia):
    assert deactivate(as_sam, mia).status_code == 403
    mia.refresh_from_db()
    assert mia.status == Person.Status.ACTIVE


def test_it_reactivates_a_person_with_everything_intact(as_alice, as_sam, as_mia, mia):
    roles = set(mia.roles.values_list("code", flat=True))
    deactivate(as_alice, mia)
    listed = as_alice.get(reverse("network:people-inactive"))
    assert [p.pk for p in listed.context["page"]] == [mia.pk]
    response = as_alice.post(reverse("network:person-reactivate", args=[mia.pk]), {"reason": "Back in Idaho"})
    assert response.status_code == 302
    mia.refresh_from_db()
    assert mia.status == Person.Status.ACTIVE
    assert set(mia.roles.values_list("code", flat=True)) == roles
    assert "Mia Member" in directory_names(as_sam, "Mia")
    assert as_mia.get(reverse("network:directory")).status_code == 200
    kinds = list(mia.events.values_list("kind", flat=True))
    assert kinds[:2] == ["network.person.reactivated", "network.person.deactivated"]


def test_it_sends_a_deactivated_person_no_mail(client, as_alice, mia, django_capture_on_commit_callbacks):
    deactivate(as_alice, mia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:join"),
            {"first_name": "Mia", "last_name": "Member", "email": mia.email, "state": "ID", "sector": "k12"},
        )
    assert mail.outbox == []
    mia.refresh_from_db()
    assert mia.status == Person.Status.INACTIVE


def test_it_holds_a_welcome_until_the_newcomer_is_reactivated(
    as_alice, sam, member_states, django_capture_on_commit_callbacks
):
    nia = make_person(first_name="Nia", last_name="New")
    welcome = Welcome.objects.create(person=nia, sender=sam)
    deactivate(as_alice, nia)
    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:person-reactivate", args=[nia.pk]), {})
    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.SENT
    assert [m.to for m in mail.outbox] == [["nia.new@example.org"]]
