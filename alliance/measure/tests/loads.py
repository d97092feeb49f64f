"""Loading files in tests the way the command does: through a saved mapping, here and now."""

from pathlib import Path

from alliance.measure import loading
from alliance.measure.models import Dataset


def load(path: Path, mapping_text: str, *, actor=None, sharing: str = "public") -> Dataset:
    dataset, _already = loading.file_load(path=path, mapping_text=mapping_text, actor=actor, sharing=sharing)
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
