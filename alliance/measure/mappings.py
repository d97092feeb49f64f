"""Keeping mappings: saved from a YAML file or the mapping editor, one per source and state."""

from django.utils import timezone

from alliance.core import audit
from alliance.measure.mapping import MappingSpec
from alliance.measure.models import Mapping


def mapping_save(*, text: str, actor, mapping: Mapping | None = None) -> Mapping:
    """Save a mapping's YAML (raises MappingError naming each problem). Without `mapping`, the
    state's mapping of that name is updated, or a new one made."""
    spec = MappingSpec.parse(text)
    if mapping is None:
        mapping = Mapping.objects.filter(state=spec.state, name=spec.name).first() or Mapping(
            state=spec.state, name=spec.name, created_by=actor if getattr(actor, "pk", None) else None
        )
    if mapping.pk and mapping.text == text and mapping.state == spec.state:
        return mapping
    mapping.name, mapping.state, mapping.text, mapping.updated = spec.name, spec.state, text, timezone.now()
    mapping.save()
    audit.record("measure.mapping.save", actor=actor, target=mapping, state=spec.state)
    return mapping
