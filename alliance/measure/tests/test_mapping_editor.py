"""The mapping editor: a draft from a sample file's header, a preview that stores nothing, saving."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.measure.models import Dataset, Mapping

pytestmark = pytest.mark.django_db
SAMPLE = b"School Year,District,Gender,Kids\n2023-24,0880,F,40\n2023-24,0880,M,52\n2023-24,0990,M,7\n"


def test_a_sample_file_drafts_a_mapping_with_its_unknown_columns_listed(as_dana):
    page = as_dana.post("/data/mappings/new/", {"sample": SimpleUploadedFile("co_new.csv", SAMPLE), "text": ""})
    text = page.context["form"].initial["text"]
    assert "state: CO" in text
    assert "year: School Year" in text and "place: District" in text and "sex: Gender" in text
    assert "#   Kids" in text  # not recognised: left for the data lead to map


def test_the_preview_shows_the_figures_and_stores_nothing(as_dana):
    text = (
        "name: CO new layout\nstate: CO\nconstants: {level: secondary, measure: concentrators, place_kind: district}\n"
        "columns: {year: School Year, place: District, sex: Gender, value: Kids}\n"
    )
    page = as_dana.post(
        "/data/mappings/new/", {"sample": SimpleUploadedFile("co_new.csv", SAMPLE), "text": text, "action": "preview"}
    )
    preview = page.context["preview"]
    assert (preview.rows_read, preview.rows_rejected) == (3, 0)
    assert [(f["year"], f["place"], f["sex"], f["value"]) for f in preview.facts] == [
        (2024, "0880", "F", 40),
        (2024, "0880", "M", 52),
        (2024, "0990", "M", 7),
    ]
    assert Mapping.objects.count() == 0 and Dataset.objects.count() == 0
    saved = as_dana.post("/data/mappings/new/", {"text": text, "action": "save"})
    assert saved.status_code == 302 and Mapping.objects.get().name == "CO new layout"


def test_a_preview_of_a_mapping_with_mistakes_lists_them(as_dana):
    page = as_dana.post(
        "/data/mappings/new/", {"text": "name: x\nstate: CO\ncolumns: {value: Kids}\n", "action": "preview"}
    )
    assert "columns.measure: required (a column, a constant or unpivot)" in page.content.decode()
