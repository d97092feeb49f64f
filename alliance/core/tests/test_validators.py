import pytest
from django.core.exceptions import ValidationError

from alliance.core.validators import multiline, single_line, validate_multiline, validate_single_line


@pytest.mark.parametrize(
    "value",
    ["Ana María Núñez", "O'Brien-Smith", "محمد‌رضا", "👩‍🔬 Lab", "Zoë  Ångström", "東京大学"],
)
def test_it_accepts_names_people_really_have(value):
    validate_single_line(value)


@pytest.mark.parametrize(
    "value",
    ["Ana\nLopez", "Ana\rLopez", "Ana\tLopez", "Ana\x00", "Ana\x1b[31m", "Ana\u200bLopez", "Ana\u202eLopez",
     "Ana\u2066x\u2069", "\ufeffAna", "Ana\u2028Lopez", "Ana\ue000"],
)  # fmt: skip
def test_it_refuses_line_breaks_control_and_invisible_characters_in_one_line(value):
    with pytest.raises(ValidationError):
        validate_single_line(value)


def test_it_allows_line_breaks_but_not_control_characters_in_free_text():
    validate_multiline("Welding\r\nRobotics\tand more")
    with pytest.raises(ValidationError, match="U\\+0007"):
        validate_multiline("bell\x07")
    with pytest.raises(ValidationError):
        validate_multiline("right\u202eto left")


def test_it_bundles_a_length_limit_with_each_kind():
    for validator in single_line(5):
        validator("short")
    with pytest.raises(ValidationError):
        for validator in multiline(5):
            validator("longer\n")
