"""The demo alliance: a deterministic six-state STEM and CTE equity network.

Same seed, same alliance: about 1,200 people in 300 organizations across six sectors, a
12-person steering committee (two per state), backbone staff, workgroup chairs, and a history of
sign-ups and personal welcomes since 2018. Later capabilities add their own demo data on top,
each in its own `demo.py` (see core.contributions); `demo_part` is the network's.
"""

import random
import unicodedata
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from alliance.network.accounts import person_link_account
from alliance.network.models import Event, Organization, Person, Role, Sector, State, Welcome

SEED = 2017
MEMBER_STATES = {  # code: (share of members, cities)
    "CO": (0.24, ["Denver", "Colorado Springs", "Aurora", "Fort Collins", "Pueblo", "Grand Junction", "Greeley"]),
    "ID": (0.16, ["Boise", "Meridian", "Nampa", "Idaho Falls", "Pocatello", "Coeur d'Alene", "Twin Falls"]),
    "NM": (0.17, ["Albuquerque", "Las Cruces", "Santa Fe", "Rio Rancho", "Roswell", "Farmington", "Gallup"]),
    "NV": (0.15, ["Las Vegas", "Henderson", "Reno", "Sparks", "Carson City", "Elko", "Fernley"]),
    "UT": (0.18, ["Salt Lake City", "Provo", "Ogden", "St. George", "Logan", "Orem", "Sandy"]),
    "WY": (0.10, ["Cheyenne", "Casper", "Laramie", "Gillette", "Rock Springs", "Sheridan", "Riverton"]),
}
SECTOR_SHARE = {
    "k12": 0.30,
    "postsecondary": 0.22,
    "business": 0.16,
    "government": 0.12,
    "community": 0.12,
    "workforce": 0.08,
}
TITLES = {
    "k12": [
        "CTE Director",
        "STEM Teacher",
        "School Counselor",
        "Principal",
        "Engineering Teacher",
        "Career Pathways Coordinator",
        "Assistant Superintendent",
        "Computer Science Teacher",
    ],
    "postsecondary": [
        "Dean of Workforce Programs",
        "Faculty, Electrical Technology",
        "Perkins Coordinator",
        "Director of Institutional Research",
        "Advisor, Women in STEM",
        "Provost",
    ],
    "business": [
        "HR Director",
        "Talent Acquisition Manager",
        "Chief Engineer",
        "Community Relations Manager",
        "Apprenticeship Coordinator",
        "Plant Manager",
    ],
    "government": [
        "State CTE Director",
        "Perkins Data Manager",
        "Program Specialist",
        "Policy Advisor",
        "Equity Specialist",
        "Deputy Superintendent",
    ],
    "community": ["Executive Director", "Program Manager", "STEM Outreach Coordinator", "Youth Programs Lead"],
    "workforce": ["Workforce Board Director", "Sector Partnership Lead", "Business Services Manager"],
}
INTERESTS = [
    "Nontraditional participation in CTE",
    "Girls in engineering",
    "Computer science for all",
    "Work-based learning",
    "Rural access to STEM",
    "Apprenticeships",
    "Data on Perkins V indicators",
    "Dual enrollment",
    "Native American student success",
    "English learners in CTE",
    "Teacher recruitment",
    "Industry certifications",
    "Equity audits",
    "STEM asset mapping",
]
DUPLICATES = 18  # people entered twice, for the duplicates page
STAFF_EMAIL = "staff@alliance.localhost"
STAFF_PASSWORD = "alliance-demo"  # noqa: S105 - the demo's published login, printed by `alliance demo`
STEERING_PASSWORD = "alliance-demo"  # noqa: S105


def _organization_names(fake: Faker, rng: random.Random, state: State, cities: list[str]) -> dict[str, list[str]]:
    name = state.name
    return {
        "k12": [f"{c} School District" for c in cities]
        + [f"{c} High School" for c in cities]
        + [f"{c} Middle School" for c in cities]
        + [f"{c} Career and Technical Center" for c in cities[:3]],
        "postsecondary": [
            f"{cities[0]} Community College",
            f"{name} State University",
            f"University of {name}",
            f"{cities[1]} Technical College",
            f"{cities[2]} College",
        ],
        "business": sorted({fake.company() for _ in range(24)}),
        "government": [
            f"{name} Department of Education",
            f"{name} Division of Career and Technical Education",
            f"{name} Department of Workforce Services",
            f"{name} Office of the Governor",
            f"{name} Higher Education Commission",
        ],
        "community": [f"{c} Boys & Girls Club" for c in cities[:3]]
        + [f"{name} STEM Ecosystem", f"{cities[0]} Girls Who Code", f"{name} 4-H STEM", f"{name} Afterschool Network"],
        "workforce": [f"{c} Workforce Development Board" for c in cities[:3]] + [f"{name} Manufacturing Partnership"],
    }


def _ascii(text: str) -> str:
    """Addresses as people really have them: "jerónimo" becomes "jeronimo"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _domain(name: str) -> str:
    words = [
        w
        for w in "".join(ch if ch.isalnum() or ch == " " else " " for ch in name.lower()).split()
        if w not in {"of", "the", "and"}
    ]
    return "".join(w[0] for w in words[:-1]) + words[-1] + ".org" if len(words) > 2 else "".join(words) + ".org"


@transaction.atomic
def demo_build(*, people: int = 1200, organizations: int = 300) -> dict:
    """Create the demo alliance in an empty database; returns the counts made."""
    rng = random.Random(SEED)
    fake = Faker(["en_US", "es_MX"])
    Faker.seed(SEED)
    State.objects.filter(code__in=MEMBER_STATES).update(is_member=True)
    states = {s.code: s for s in State.objects.filter(code__in=MEMBER_STATES)}
    sectors = {s.slug: s for s in Sector.objects.all()}

    orgs: list[Organization] = []
    per_state = {code: round(organizations * share) for code, (share, _) in MEMBER_STATES.items()}
    for code, (_, cities) in MEMBER_STATES.items():
        names = _organization_names(fake["en_US"], rng, states[code], cities)
        pool = [(sector, n) for sector, ns in names.items() for n in ns]
        rng.shuffle(pool)
        seen = set()
        for sector, n in pool:
            if len([o for o in orgs if o.state_id == code]) >= per_state[code] or n.lower() in seen:
                continue
            seen.add(n.lower())
            orgs.append(
                Organization(
                    name=n,
                    state=states[code],
                    sector=sectors[sector],
                    website=f"https://www.{_domain(n)}",
                    created=datetime(2018, 1, 15, tzinfo=UTC),
                )
            )
    orgs = Organization.objects.bulk_create(orgs)
    by_state_sector: dict[tuple[str, str], list[Organization]] = {}
    for org in orgs:
        by_state_sector.setdefault((org.state_id or "", org.sector_id or ""), []).append(org)

    start = datetime(2018, 3, 1, tzinfo=UTC)
    span = (timezone.now() - start).total_seconds()
    codes, shares = zip(*[(c, s) for c, (s, _) in MEMBER_STATES.items()], strict=True)
    sector_codes, sector_shares = zip(*SECTOR_SHARE.items(), strict=True)
    made: list[Person] = []
    emails: set[str] = set()
    while len(made) < people - DUPLICATES:
        code = rng.choices(codes, shares)[0]
        sector = rng.choices(sector_codes, sector_shares)[0]
        candidates = by_state_sector.get((code, sector)) or [o for o in orgs if o.state_id == code]
        org = rng.choice(candidates)
        locale = "es_MX" if code in {"NM", "CO", "NV"} and rng.random() < 0.3 else "en_US"
        first, last = fake[locale].first_name(), fake[locale].last_name()
        email = _ascii(f"{first}.{last}@{_domain(org.name)}".lower().replace(" ", "").replace("'", ""))
        if email in emails:
            continue
        emails.add(email)
        # Growth: most members joined in the first two years, then steadily.
        joined = start + timedelta(seconds=span * rng.random() ** 1.6)
        made.append(
            Person(
                first_name=first,
                last_name=last,
                email=email,
                state_id=code,
                organization=org,
                sector_id=org.sector_id,
                title=rng.choice(TITLES[org.sector_id or "k12"]),
                interests="; ".join(rng.sample(INTERESTS, rng.randint(0, 3))),
                consent_to_email=rng.random() < 0.85,
                status=Person.Status.ACTIVE,
                joined=joined,
                confirmed=joined,
                source=Person.Source.DEMO if rng.random() < 0.5 else Person.Source.JOIN,
            )
        )
    made.sort(key=lambda p: p.joined)
    made += _duplicates_of(rng, made[:-40], count=DUPLICATES)
    made = Person.objects.bulk_create(made)

    roles = {r.code: r for r in Role.objects.all()}
    Through = Person.roles.through
    links = [Through(person_id=p.pk, role_id=Role.MEMBER) for p in made]
    veterans = [p for p in made if p.joined < start + timedelta(days=400) and p.source != Person.Source.IMPORT]
    steering = []
    for code in MEMBER_STATES:
        local = [p for p in veterans if p.state_id == code and p.sector_id in {"k12", "postsecondary", "government"}]
        steering += local[:2]
    for person in steering:
        person.signature = f"{person.title}, {person.organization}\n{person.email}"
    Person.objects.bulk_update(steering, ["signature"])
    links += [Through(person_id=p.pk, role_id=Role.STEERING) for p in steering]
    chairs = rng.sample([p for p in veterans if p not in steering], 8) + steering[:4]
    links += [Through(person_id=p.pk, role_id=Role.CHAIR) for p in chairs]
    backbone = [p for p in veterans if p.state_id == "CO" and p not in steering][:3]
    links += [Through(person_id=p.pk, role_id=Role.BACKBONE) for p in backbone]
    Through.objects.bulk_create(links)
    assert set(roles) >= {Role.MEMBER, Role.STEERING}

    # Every member after the committee formed got a personal welcome from their state's committee.
    committee_by_state = {code: [p for p in steering if p.state_id == code] for code in MEMBER_STATES}
    formed = max(p.joined for p in steering)
    welcomes, events = [], []
    load: dict[int, int] = {p.pk: 0 for p in steering}
    for person in made:
        events.append(
            Event(person=person, kind="network.person.confirmed", occurred=person.joined, summary="Joined the network")
        )
        if person.joined <= formed or person in steering:
            continue
        sender = min(committee_by_state[person.state_id or ""], key=lambda p: load[p.pk])
        load[sender.pk] += 1
        sent = person.joined + timedelta(minutes=rng.randint(1, 30))
        followed = sent + timedelta(days=rng.randint(1, 20)) if sent < timezone.now() - timedelta(days=21) else None
        welcomes.append(
            Welcome(
                person=person,
                sender=sender,
                sender_role=Role.STEERING,
                status=Welcome.Status.SENT,
                created=person.joined,
                sent=sent,
                followed_up=followed if rng.random() < 0.7 else None,
                attempts=1,
            )
        )
        events.append(
            Event(
                person=person,
                kind="network.welcome.sent",
                occurred=sent,
                actor=sender,
                summary=f"Welcomed by {sender.full_name}",
                data={"sender": sender.full_name},
            )
        )
    Welcome.objects.bulk_create(welcomes)
    Event.objects.bulk_create(events)
    return {
        "people": len(made),
        "organizations": len(orgs),
        "steering": len(steering),
        "welcomes": len(welcomes),
        "steering_login": steering[0].email,
    }


NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Jennifer": "Jen",
    "Michael": "Mike",
    "Katherine": "Kate",
    "James": "Jim",
    "Christopher": "Chris",
    "Patricia": "Pat",
    "Daniel": "Dan",
}


def _duplicates_of(rng: random.Random, people: list[Person], *, count: int) -> list[Person]:
    """People entered twice, as a real member base has them: a nickname, a typo, a personal address.

    Each copy came in later through an import, at the same organization, so that the backbone's
    duplicates page has real work to show.
    """
    copies: list[Person] = []
    for original in rng.sample(people, count):
        first, last = original.first_name, original.last_name
        variant = len(copies) % 3
        if variant == 0:
            first = NICKNAMES.get(first, first[:-1] if len(first) > 4 else first + "e")
        elif variant == 1 and len(last) > 3:
            i = rng.randrange(1, len(last) - 2)
            last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
        email = _ascii(f"{first}.{last}{rng.randint(1, 99)}@gmail.com".lower().replace(" ", "").replace("'", ""))
        copies.append(
            Person(
                first_name=first,
                last_name=last,
                email=email,
                state_id=original.state_id,
                organization=original.organization,
                sector_id=original.sector_id,
                title=original.title,
                status=Person.Status.ACTIVE,
                joined=original.joined + timedelta(days=rng.randint(30, 400)),
                source=Person.Source.IMPORT,
                consent_to_email=True,
            )
        )
    return copies


def demo_loaded() -> bool:
    return Person.objects.filter(source=Person.Source.DEMO).exists()


def demo_part() -> list[str]:
    """The network's part of the demo alliance, built unless it is there, and the logins to print."""
    if demo_loaded():
        lines = ["  The demo member base is already loaded; keeping it."]
    else:
        counts = demo_build()
        lines = [
            f"  {counts['people']} people, {counts['organizations']} organizations, "
            f"{counts['steering']} steering committee members, {counts['welcomes']} welcomes sent"
        ]
    steering_email = demo_logins()
    return [
        *lines,
        f"  staff login:              {STAFF_EMAIL} / {STAFF_PASSWORD}",
        f"  steering committee login: {steering_email} / {STEERING_PASSWORD}",
    ]


def demo_logins() -> str:
    """Accounts with known passwords for the backbone and one committee member; the member's address."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    staff, _ = User.objects.get_or_create(
        username="staff", defaults={"email": STAFF_EMAIL, "is_staff": True, "is_superuser": True}
    )
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    EmailAddress.objects.update_or_create(
        user=staff, email=staff.email.lower(), defaults={"verified": True, "primary": True}
    )
    person = Person.objects.filter(roles=Role.STEERING, status=Person.Status.ACTIVE).order_by("pk").first()
    if person is None:
        return "(no steering committee)"
    user = person.user or User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(username=person.email, email=person.email)
    user.set_password(STEERING_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    if person.user_id is None:
        person_link_account(user=user)
    return person.email
