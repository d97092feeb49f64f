"""Every signed-in page reads in Spanish for a Spanish reader: its own words, role names, timeline
entries, import reasons and dates. Each page is checked for a few English phrases of its own that
must not show, and for a few Spanish ones that must."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from alliance.network import duplicates, people, services
from alliance.network.models import Event, Organization, PeopleImport, Person, Role, Welcome
from alliance.testing.fixtures import make_person

ENGLISH_DATES = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.|a\.m\.|p\.m\.|noon|midnight)"
)
# Words of the shared layout a signed-in page shows around its content.
LAYOUT = ["Log out", "Skip to content", "Directory", "Language"]

CSV = (
    b"First Name,Last Name,E-mail,State\n"
    b"Rosa,Quintana,rosa@example.org,New Mexico\n"
    b"Lee,Park,lee@example.org,XX\n"
    b",Nadie,nadie@example.org,CO\n"
    b"Rosa,Again,ROSA@example.org,NM\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def network(alice, sam, mia, as_alice, django_capture_on_commit_callbacks):
    """A small network with something on every page: a newcomer Sam welcomed (now a workgroup
    chair), an organization, a likely duplicate and an import with rejected rows."""
    school = Organization.objects.create(name="Escuela Rio Grande", state_id="CO")
    newcomer = make_person(first_name="Nia", last_name="Nueva", organization=school)
    Person.objects.create(first_name="Nia", last_name="Nueva", email="nia@otra.example", state_id="CO")
    welcome = Welcome.objects.create(person=newcomer, sender=sam, status=Welcome.Status.SENT, sent=timezone.now())
    services.event_record(
        person=newcomer, kind="network.welcome.sent", summary="Welcomed by Sam Steering", sender="Sam Steering"
    )
    services.welcome_follow_up(welcome=welcome)
    people.person_roles_set(person=newcomer, codes={Role.CHAIR}, actor=alice.user)
    with django_capture_on_commit_callbacks(execute=True):  # the worker reads the file after the upload
        as_alice.post(reverse("network:import"), {"file": SimpleUploadedFile("gente.csv", CSV)})
    people_import = PeopleImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:import-run", args=[people_import.pk]))
    duplicates.duplicates_refresh()  # the worker's job: the likely pair is stored for the duplicates page
    return {"newcomer": newcomer, "school": school, "import": people_import}


def spanish_page(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, url
    assert response["Content-Language"] == "es"
    return response.content.decode()


def assert_spanish(page: str, *, english: list[str], spanish: list[str]) -> None:
    shown = [phrase for phrase in english + LAYOUT if phrase in page]
    assert shown == [], f"English on a Spanish page: {shown}"
    assert [phrase for phrase in spanish if phrase not in page] == []
    assert ENGLISH_DATES.findall(page) == []


def test_it_shows_the_staff_pages_in_spanish(as_alice, network):
    newcomer, people_import = network["newcomer"], network["import"]
    assert_spanish(
        spanish_page(as_alice, reverse("network:directory")),
        english=["Member directory", "Add a person", "Download CSV", "All roles", "Workgroup chair"],
        spanish=["Directorio de miembros", "Presidencia de grupo de trabajo", "Cerrar sesión"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:person-detail", args=[newcomer.pk])),
        english=["Member since", "Timeline", "Roles changed", "Welcomed by", "followed up personally"],
        spanish=[
            "Miembro desde",
            "Cambio de funciones: +Presidencia de grupo de trabajo",
            "Recibió la bienvenida de Sam Steering",
            "Sam Steering le dio seguimiento personalmente",
        ],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:organization-detail", args=[network["school"].pk])),
        english=["People", "Search them in the directory", "Timeline", "Welcomed by"],
        spanish=["Buscarlas en el directorio", "Nia Nueva: Recibió la bienvenida de Sam Steering"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:profile")),
        english=["My profile", "Signature for the welcomes", "Save"],
        spanish=["Guardar"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:import")),
        english=["Import people", "Upload and preview", "Earlier imports", "Rows read"],
        spanish=["Importar personas", "gente.csv"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:import-detail", args=[people_import.pk])),
        english=["Rejected rows", "Download the rejected rows", "unknown state", "is missing", "repeats row"],
        spanish=[
            "Filas rechazadas",
            "<td>estado</td><td>XX</td><td>estado desconocido (use su código de dos letras o su nombre)</td>",
            "<td>nombre</td><td></td><td>falta nombre</td>",
            "el correo electrónico repite el de la fila 2",
        ],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:duplicates")),
        english=["Likely duplicates", "Not the same person", "joined", "Recent merges"],
        spanish=["Posibles duplicados", "No es la misma persona", "se unió el"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("network:welcome-template")),
        english=["The personal welcome", "Placeholders", "Save"],
        spanish=["La bienvenida personal", "Variables:"],
    )
    assert_spanish(
        spanish_page(as_alice, reverse("apitokens:tokens")),
        english=["API tokens", "Create token", "You have no tokens yet."],
        spanish=["Tokens de API", "Crear token"],
    )


def downloaded(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_it_gives_the_rejected_rows_in_the_downloaders_language(as_alice, network):
    url = reverse("network:import-rejections", args=[network["import"].pk])
    spanish = downloaded(as_alice.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert spanish[0] == "fila,campo,valor,motivo"
    assert "3,estado,XX,estado desconocido (use su código de dos letras o su nombre)" in spanish
    english = downloaded(as_alice.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "3,state,XX,unknown state (use its two-letter code or its name)" in english


def test_it_shows_the_leaders_and_members_pages_in_spanish(as_sam, as_mia, network):
    newcomers = spanish_page(as_sam, reverse("network:newcomers"))
    assert_spanish(
        newcomers,
        english=["Your newcomers", "Newcomer", "Follow-up", "sent", "done"],
        spanish=["Sus miembros nuevos"],
    )
    # Dates as Spanish writes them, with the year: "enviado el 25 de noviembre de 2026".
    assert re.search(r"enviado el \d{1,2} de [a-z]+ de \d{4}", newcomers)
    assert re.search(r"hecho el \d{1,2} de [a-z]+ de \d{4}", newcomers)
    assert_spanish(
        spanish_page(as_mia, reverse("network:home")),
        english=["Find peers", "Your profile", "Your steering committee", "Search the whole directory"],
        spanish=["Encontrar colegas", "Su perfil", "Su comité directivo"],
    )


def test_it_writes_a_timeline_entry_in_the_readers_language(alice, sam):
    newcomer = make_person(first_name="Ana", last_name="Ruiz")
    people.person_roles_set(person=newcomer, codes={Role.STEERING}, actor=alice.user)
    event = newcomer.events.get(kind="network.person.roles_changed")
    assert event.summary == "Roles changed: +Steering committee"  # stored once, in English
    with translation.override("es"):
        assert event.text() == "Cambio de funciones: +Comité directivo"
    with translation.override("en"):
        assert event.text() == "Roles changed: +Steering committee"


def test_it_shows_an_event_as_stored_when_its_kind_has_no_text_or_lacks_its_values(mia):
    unknown = Event(person=mia, kind="elsewhere.thing.done", summary="Did a thing")
    older = Event(person=mia, kind="network.welcome.sent", summary="Welcomed by Sam Steering", data={})
    with translation.override("es"):
        assert unknown.text() == "Did a thing"
        assert older.text() == "Welcomed by Sam Steering"


def test_it_names_roles_in_the_readers_language(db):
    chair = Role.objects.get(code=Role.CHAIR)
    with translation.override("es"):
        assert str(chair) == "Presidencia de grupo de trabajo"
        own = [code for code, _name in Role.CODES]
        assert [str(role) for role in Role.objects.filter(code__in=own)] == [
            "Personal de coordinación",
            "Comité directivo",
            "Presidencia de grupo de trabajo",
            "Miembro",
        ]
    assert chair.name == "Workgroup chair"


def test_it_previews_an_import_in_spanish(as_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:import"), {"file": SimpleUploadedFile("gente.csv", b"Nombre,Estado\nAna,XX\n")})
    page = spanish_page(as_alice, reverse("network:import-preview", args=[PeopleImport.objects.get().pk]))
    assert_spanish(
        page,
        english=["The file has no column for", "email", "Preview of", "First rows"],
        spanish=["El archivo no tiene columna para: correo electrónico", "Vista previa de gente.csv"],
    )


def test_it_previews_the_problems_of_an_import_in_spanish(as_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:import"), {"file": SimpleUploadedFile("gente.csv", CSV)})
    page = spanish_page(as_alice, reverse("network:import-preview", args=[PeopleImport.objects.get().pk]))
    assert_spanish(
        page,
        english=["Problems", "unknown state", "is missing", "repeats row"],
        spanish=["estado desconocido (use su código de dos letras o su nombre)", "falta nombre"],
    )


def test_it_shows_the_timeline_entries_another_app_registers(mia):
    event = Event(person=mia, kind="sample.note.written", summary="Wrote a note", data={"text": "Robotics fair"})
    assert event.text() == "Wrote a note: Robotics fair"
