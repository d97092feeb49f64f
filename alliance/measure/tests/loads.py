"""Loading files in tests the way the command does: through a saved mapping, here and now."""

from pathlib import Path

from django.core.files import File

from alliance.measure import loading, mappings
from alliance.measure.models import Dataset


def load(path: Path, mapping_text: str, *, actor=None, sharing: str = "public") -> Dataset:
    mapping = mappings.mapping_save(text=mapping_text, actor=actor)
    with path.open("rb") as handle:
        dataset = loading.dataset_create(
            upload=File(handle, name=path.name),
            filename=path.name,
            mapping=mapping,
            actor=actor,
            sharing=sharing,
            worker=False,
        )
    if dataset.status == Dataset.Status.QUEUED:
        dataset = loading.dataset_load(dataset_id=dataset.pk)
    return dataset


NC_LONG = """
name: NC concentrators (long)
state: NC
constants: {level: secondary, measure: concentrators, place_kind: district}
columns: {year: year, place: agency_code, cluster: career_cluster, value: num_concentrators}
"""
NC_WIDE = """
name: NC concentrators (wide)
state: NC
constants: {level: secondary, measure: concentrators, place_kind: district, year: 2018}
columns: {place: agency_code}
unpivot: {columns: "num_concentrators_*", into: cluster, strip: "num_concentrators_"}
"""
