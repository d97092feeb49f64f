from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.measure.models import Mapping, Sharing, Worksheet

GROUPS = [
    ("", _("All students")),
    ("sex", _("Sex")),
    ("race", _("Race/ethnicity")),
    ("population", _("Special population")),
    ("cluster", _("Career cluster")),
]


class DashboardForm(forms.Form):
    """What a dashboard shows; every choice stays in the URL, so a view can be shared."""

    series = forms.ChoiceField(label=_("Measure"), required=False)
    by = forms.ChoiceField(label=_("Group"), choices=GROUPS, required=False)
    since = forms.IntegerField(label=_("From"), required=False, min_value=1990, max_value=2100)
    until = forms.IntegerField(label=_("To"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, series_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = series_choices  # type: ignore[attr-defined]


class WorksheetForm(forms.ModelForm):
    class Meta:
        model = Worksheet
        fields = ["story", "partners", "what_works", "strategy"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.FloatField(label=_("Target"), min_value=0)

    def __init__(self, *args, rate: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rate = rate
        if rate:
            self.fields["value"] = forms.FloatField(label=_("Target (%)"), min_value=0, max_value=100)

    def target_value(self) -> float:
        value = self.cleaned_data["value"]
        return value / 100 if self.rate else value


class DatasetUploadForm(forms.Form):
    mapping = forms.ModelChoiceField(label=_("Mapping"), queryset=Mapping.objects.none())
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    sharing = forms.ChoiceField(label=_("Who may see the figures"), choices=Sharing.choices, initial=Sharing.PUBLIC)

    def __init__(self, *args, mappings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings


class MappingForm(forms.Form):
    sample = forms.FileField(
        label=_("A sample file in this layout (CSV or XLSX)"),
        required=False,
        help_text=_("Used to draft the mapping and to preview it; nothing is loaded."),
    )
    text = forms.CharField(
        label=_("Mapping (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "autocapitalize": "off"}),
    )
