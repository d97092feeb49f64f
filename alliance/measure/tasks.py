"""Background work of shared measurement; each task takes primary keys and calls one service."""

from django.tasks import task

from alliance.measure import loading


@task()
def load_dataset(*, dataset_id: int) -> str:
    return loading.dataset_load(dataset_id=dataset_id).status
