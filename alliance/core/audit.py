"""The audit log of staff actions: `record("app.noun.verb", actor=user, target=row)`."""

from typing import Any

from django.db import models

from alliance.core.models import AuditEntry


def record(action: str, *, actor: Any = None, target: models.Model | None = None, **data: Any) -> AuditEntry:
    """Write one audit row. `actor` is a User (anonymous or None for the system)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        data=data,
    )
