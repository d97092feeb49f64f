"""What a member's home page offers them, gathered from every app.

An app adds a panel to members' home pages with a `home.py` module of its own holding
`home_panels(*, user, person) -> list[HomePanel]` (see core.contributions). The network's own
panels come first: the member's welcome, their state's steering committee, their profile, and for
leaders the work waiting for them. Each capability that lands adds what it offers a member now.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from alliance.core import contributions, policy
from alliance.network.models import Person, Role, Welcome


@dataclass
class HomePanel:
    template: str  # a template (or "template.html#partial") drawn with `context`
    context: dict = field(default_factory=dict)
    order: int = 100


def home_panels(*, user, person: Person) -> list[HomePanel]:
    """The network's panels for this member."""
    committee = list(
        Person.objects.filter(roles=Role.STEERING, status=Person.Status.ACTIVE, state_id=person.state_id)
        .exclude(pk=person.pk)
        .select_related("organization")
        .order_by("last_name", "first_name")
    )
    welcome = Welcome.objects.filter(person=person, status=Welcome.Status.SENT).select_related("sender").first()
    profile = {"organization": person.organization_id, "title": person.title, "interests": person.interests}
    missing = [name for name, value in profile.items() if not value]
    panels = [
        HomePanel("network/home_member.html#welcome", {"welcome": welcome, "committee": committee}, order=10),
        HomePanel("network/home_member.html#profile", {"missing": missing}, order=20),
        HomePanel(
            "network/home_member.html#peers",
            {
                "same_organization": Person.objects.filter(
                    organization_id=person.organization_id, status=Person.Status.ACTIVE
                )
                .exclude(pk=person.pk)
                .count()
                if person.organization_id
                else 0,
                "new_in_state": Person.objects.filter(
                    state_id=person.state_id,
                    status=Person.Status.ACTIVE,
                    joined__gte=timezone.now() - timedelta(days=30),
                )
                .exclude(pk=person.pk)
                .count(),
            },
            order=30,
        ),
    ]
    if policy.can(user, "network.newcomers.view"):
        waiting = Welcome.objects.filter(sender=person, status=Welcome.Status.SENT, followed_up__isnull=True).count()
        panels.append(HomePanel("network/home_member.html#newcomers", {"waiting": waiting}, order=5))
    return panels


def member_home(*, user, person: Person) -> list[HomePanel]:
    """Every app's panels for this member, in order."""
    panels: list[HomePanel] = []
    for module in contributions.modules("home"):
        panels.extend(module.home_panels(user=user, person=person))
    return sorted(panels, key=lambda panel: panel.order)
