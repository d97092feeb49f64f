import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliance.core.models import AuditEntry
from alliance.network.models import Organization, Role
from alliance.network.views.members import PAGE_SIZE
from alliance.testing.fixtures import make_person

URL = reverse("network:directory")


@pytest.fixture
def crowd(member_states):
    org = Organization.objects.create(name="Boise State University", state_id="ID", sector_id="postsecondary")
    people = [
        make_person(first_name="Lena", last_name="Ortiz", state="ID", organization=org, sector_id="postsecondary"),
        make_person(first_name="Marco", last_name="Ortiz", state="NM", sector_id="business"),
        make_person(first_name="Jo", last_name="Smith", state="WY", sector_id="k12", roles=[Role.CHAIR]),
    ]
    return {"org": org, "people": people}


def test_it_redirects_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_refuses_an_account_without_membership(as_olga):
    assert as_olga.get(URL).status_code == 403


def test_it_lets_members_find_peers_without_seeing_emails(as_mia, crowd):
    response = as_mia.get(URL, {"q": "ortiz"})
    assert response.status_code == 200
    names = [p.full_name for p in response.context["page"]]
    assert names == ["Lena Ortiz", "Marco Ortiz"]
    assert b"lena.ortiz@example.org" not in response.content


def test_it_shows_emails_to_the_steering_committee(as_sam, crowd):
    response = as_sam.get(URL, {"q": "lena"})
    assert b"lena.ortiz@example.org" in response.content


def test_it_filters_by_state_sector_role_and_organization(as_alice, crowd):
    def names(**params):
        return [p.full_name for p in as_alice.get(URL, params).context["page"]]

    assert names(state="NM") == ["Marco Ortiz"]
    assert names(sector="k12") == ["Jo Smith"]
    assert names(role="chair") == ["Jo Smith"]
    assert names(organization=crowd["org"].pk) == ["Lena Ortiz"]
    assert names(q="boise state") == ["Lena Ortiz"]


def names_on(response) -> list[str]:
    return [p.full_name for p in response.context["page"]]


def test_it_pages_the_results_by_key_forwards_backwards_and_to_the_last(as_alice, member_states):
    people = [make_person(first_name=f"Person{n:03}", last_name="Paged") for n in range(2 * PAGE_SIZE + 5)]
    first = as_alice.get(URL, {"q": "paged"})
    assert names_on(first) == [p.full_name for p in people[:PAGE_SIZE]]
    assert first.context["page"].count == 2 * PAGE_SIZE + 5
    assert b'rel="next"' in first.content
    assert b'rel="prev"' not in first.content

    second = as_alice.get(URL, {"q": "paged", "after": people[PAGE_SIZE - 1].pk})
    assert names_on(second) == [p.full_name for p in people[PAGE_SIZE : 2 * PAGE_SIZE]]
    assert f"after={people[2 * PAGE_SIZE - 1].pk}".encode() in second.content
    assert f"before={people[PAGE_SIZE].pk}".encode() in second.content

    back = as_alice.get(URL, {"q": "paged", "before": people[PAGE_SIZE].pk})
    assert names_on(back) == names_on(first)
    last = as_alice.get(URL, {"q": "paged", "last": 1})
    assert names_on(last) == [p.full_name for p in people[-PAGE_SIZE:]]  # the last fifty
    assert b'rel="next"' not in last.content
    assert b'rel="prev"' in last.content
    # A cursor whose person is gone, or not a number, starts from the first page.
    assert names_on(as_alice.get(URL, {"q": "paged", "after": 10**9})) == names_on(first)
    assert names_on(as_alice.get(URL, {"q": "paged", "after": "x"})) == names_on(first)


def test_it_counts_no_further_than_a_cap(as_alice, member_states, monkeypatch):
    from alliance.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for n in range(5):
        make_person(first_name=f"Person{n}", last_name="Capped")
    response = as_alice.get(URL, {"q": "capped"})
    assert response.context["page"].count == 3
    assert b"More than 3 people" in response.content


def test_it_answers_htmx_with_the_results_only(as_alice, crowd):
    response = as_alice.get(URL, {"q": "ortiz"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Lena Ortiz" in response.content


def test_it_lists_a_page_with_a_fixed_number_of_queries(as_alice, member_states, django_assert_num_queries):
    people = [make_person(first_name=f"N{n}", last_name="Count", roles=[Role.CHAIR]) for n in range(30)]
    as_alice.get(URL)  # the total of everyone is cached, as on the home page
    # session, user, person and roles (policy); the page; its roles; the filters' states, sectors, roles
    with django_assert_num_queries(9):
        response = as_alice.get(URL)
    assert len(response.context["page"]) == 31  # thirty plus alice
    # a search: the same, and a capped count; a deeper page: and its cursor's key
    with django_assert_num_queries(10):
        as_alice.get(URL, {"q": "count"})
    with django_assert_num_queries(11):
        as_alice.get(URL, {"q": "count", "after": people[10].pk})


def test_it_exports_the_filtered_directory_as_csv_for_staff(as_alice, crowd):
    response = as_alice.get(reverse("network:directory-export", args=["csv"]), {"q": "ortiz"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["first_name", "last_name", "email"]
    assert [r[2] for r in rows[1:]] == ["lena.ortiz@example.org", "marco.ortiz@example.org"]
    assert AuditEntry.objects.filter(action="network.people.exported").count() == 1


def test_it_exports_xlsx_for_staff(as_alice, crowd):
    response = as_alice.get(reverse("network:directory-export", args=["xlsx"]), {"state": "WY"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["Jo", "Smith", "jo.smith@example.org"]
    assert set(values[1][7].split(";")) == {"member", "chair"}


HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-3+4", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.fixture
def hostile(member_states):
    return [make_person(first_name=name, last_name="Z", state="WY", title=name) for name in HOSTILE]


def test_it_exports_xlsx_whose_typed_formulas_stay_text(as_alice, hostile):
    response = as_alice.get(reverse("network:directory-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=2) if row[1].value == "Z"]
    # shown as typed (XML reads a CR back as a line feed)
    assert sorted(row[0].value for row in rows) == sorted(name.replace("\r", "\n") for name in HOSTILE)
    for row in rows:
        assert all(cell.data_type != "f" for cell in row), [cell.value for cell in row]
        assert row[0].data_type == "s" and row[0].quotePrefix  # stays text when edited in Excel


def test_it_exports_csv_with_a_bom_and_typed_formulas_as_text(as_alice, hostile):
    response = as_alice.get(reverse("network:directory-export", args=["csv"]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its BOM
    rows = [row for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) if row[1:2] == ["Z"]]
    assert sorted(row[0] for row in rows) == sorted("'" + name for name in HOSTILE)
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_it_exports_accented_names_readable_in_excel(as_alice, member_states):
    make_person(first_name="José", last_name="Núñez", state="NM")
    content = b"".join(as_alice.get(reverse("network:directory-export", args=["csv"])).streaming_content)
    assert content.startswith(b"\xef\xbb\xbf") and "José,Núñez".encode() in content


def test_it_has_no_export_in_other_formats(as_alice):
    assert as_alice.get(reverse("network:directory-export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("persona", ["as_sam", "as_chris", "as_mia", "as_olga"])
def test_it_refuses_exports_to_everyone_but_staff(persona, request, crowd):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("network:directory-export", args=["csv"])).status_code == 403


def test_it_does_not_let_members_probe_email_addresses(as_mia, as_sam, crowd):
    crowd["people"][0].email = "lena@secret-domain.example"
    crowd["people"][0].save()
    assert as_mia.get(URL, {"q": "secret-domain"}).context["page"].count == 0
    assert as_sam.get(URL, {"q": "secret-domain"}).context["page"].count == 1


def test_it_says_when_the_list_is_limited_to_one_organization(as_mia, crowd):
    org = crowd["org"]
    response = as_mia.get(URL, {"organization": org.pk})
    assert b'id="organization-filter"' in response.content
    assert org.name.encode() in response.content
    assert b'id="organization-filter"' not in as_mia.get(URL).content
    page = as_mia.get(reverse("network:organization-detail", args=[org.pk]))
    assert f"{URL}?organization={org.pk}".encode() in page.content
