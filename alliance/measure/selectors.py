"""Reads of shared measurement: which datasets a reader may see, and the access checks."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from alliance.core import policy
from alliance.measure import store
from alliance.measure.models import Dataset, Mapping, Sharing, StateDefinition


def shared_with(user) -> Q:
    """Which figures a reader may see, by their sharing level (for datasets and state databases)."""
    if policy.can(user, "measure.all_states.load"):
        return Q()
    shared = Q(sharing=Sharing.PUBLIC)
    if policy.can(user, "measure.members_data.view"):
        shared |= Q(sharing=Sharing.MEMBERS)
    state = policy.home_state(user)
    if state:
        shared |= Q(sharing=Sharing.STATE, state=state)
    return shared


def visible_datasets(user) -> QuerySet[Dataset]:
    """The loaded datasets whose figures this reader may see (sharing levels, see Sharing)."""
    return Dataset.objects.filter(shared_with(user), status=Dataset.Status.LOADED)


def visible_facts(user):
    """The facts table (Ibis) over every loaded file, and the ids of the datasets this reader sees."""
    rows = list(Dataset.objects.filter(status=Dataset.Status.LOADED).values_list("pk", "store_file"))
    files = tuple(sorted(name for _, name in rows))
    visible = list(visible_datasets(user).values_list("pk", flat=True))
    return store.facts(files), visible


def loadable_states(user) -> list[str] | None:
    """The states this user may load data for: None meaning every state, [] meaning none."""
    if policy.can(user, "measure.all_states.load"):
        return None
    if not policy.can(user, "measure.datasets.load"):
        return []
    state = policy.home_state(user)
    return [state] if state else []


def access_state_loading(*, user, state: str) -> None:
    """Raise PermissionDenied unless the user may load (and map, and roll back) this state's data."""
    states = loadable_states(user)
    if states is not None and state not in states:
        raise PermissionDenied("measure.datasets.load")


def access_dataset(*, user, dataset_id: int) -> Dataset:
    dataset = get_object_or_404(Dataset, pk=dataset_id)
    policy.require(user, "measure.datasets.view")
    access_state_loading(user=user, state=dataset.state)
    return dataset


def access_mapping(*, user, mapping_id: int) -> Mapping:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    access_state_loading(user=user, state=mapping.state)
    return mapping


def dataset_list(*, user) -> QuerySet[Dataset]:
    datasets = Dataset.objects.select_related("mapping", "loaded_by")
    states = loadable_states(user)
    return datasets if states is None else datasets.filter(state__in=states)


def mapping_list(*, user) -> QuerySet[Mapping]:
    states = loadable_states(user)
    return Mapping.objects.all() if states is None else Mapping.objects.filter(state__in=states)


def state_definitions(*, state: str) -> QuerySet[StateDefinition]:
    """How a state counts its participants and concentrators, per Perkins era (shown beside its figures)."""
    return StateDefinition.objects.filter(state=state).order_by("act")
