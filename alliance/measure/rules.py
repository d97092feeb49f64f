"""Shared measurement's permission rules and its one role (read by core.policy).

Role codes are the policy's words: `backbone` and `member` are granted by the member base
(network), `data_lead` is declared here and held, like any role, by a person of the network, for
the state that person belongs to (core.policy.home_state).
"""

from django.utils.translation import gettext_noop

from alliance.core.policy import ANONYMOUS, AUTHENTICATED

DATA_LEAD = "data_lead"
BACKBONE = "backbone"
MEMBER = "member"

ROLES = [(DATA_LEAD, gettext_noop("State data lead"))]

RULES: dict[str, frozenset[str]] = {
    # Public aggregates are for everyone: partners, families, the press.
    "measure.dashboards.view": frozenset({ANONYMOUS, AUTHENTICATED}),
    # Figures shared with the alliance only.
    "measure.members_data.view": frozenset({MEMBER, DATA_LEAD, BACKBONE}),
    # A state's data lead loads, maps and rolls back their own state's files; the backbone any state's.
    "measure.datasets.view": frozenset({DATA_LEAD, BACKBONE}),
    "measure.datasets.load": frozenset({DATA_LEAD, BACKBONE}),
    "measure.all_states.load": frozenset({BACKBONE}),
    # Targets and turn-the-curve worksheets: the state's data lead for their state, the backbone any.
    "measure.indicators.plan": frozenset({DATA_LEAD, BACKBONE}),
}
