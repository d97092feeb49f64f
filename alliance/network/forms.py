from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.policy import declared_roles
from alliance.core.validators import validate_multiline, validate_single_line
from alliance.network.models import INTERESTS_MAX_LENGTH, Role, Sector, State
from alliance.network.services import welcome_text_problems


def person_fields(data: dict) -> dict:
    """The describing fields of a person form's cleaned data, as the network's services take them
    (joining, adding and editing share them, and the template network/_person_fields.html)."""
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data["email"],
        "state": data["state"],
        "sector": data["sector"],
        "organization_name": data["organization"],
        "title": data["title"],
        "interests": data["interests"],
        "consent_to_email": data["consent_to_email"],
    }


def state_choices() -> list:
    """Member states first, then every other state and territory."""
    states = list(State.objects.order_by("-is_member", "name"))
    members = [(s.code, str(s)) for s in states if s.is_member]
    others = [(s.code, str(s)) for s in states if not s.is_member]
    return [("", _("Choose your state"))] + (
        [(_("Alliance states"), members), (_("Other states and territories"), others)] if members else others
    )


class JoinForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, validators=[validate_single_line])
    last_name = forms.CharField(label=_("Last name"), max_length=100, validators=[validate_single_line])
    email = forms.EmailField(label=_("Email"), max_length=254)
    state = forms.ChoiceField(label=_("State"))
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("Choose your sector")
    )
    organization = forms.CharField(
        label=_("Organization"), max_length=200, validators=[validate_single_line], required=False
    )
    title = forms.CharField(label=_("Title or role"), max_length=200, validators=[validate_single_line], required=False)
    interests = forms.CharField(
        label=_("What would you like to work on?"),
        required=False,
        max_length=INTERESTS_MAX_LENGTH,
        validators=[validate_multiline],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_email = forms.BooleanField(
        label=_("Send me the alliance's newsletter and discussions by email"), required=False
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = state_choices()
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"

    def clean_state(self) -> State:
        state = State.objects.filter(code=self.cleaned_data["state"]).first()
        if state is None:
            raise forms.ValidationError(_("Choose a state from the list."))
        return state

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class DirectoryForm(forms.Form):
    q = forms.CharField(
        label=_("Name or organization"), required=False, max_length=100, validators=[validate_single_line]
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        queryset=State.objects.order_by("-is_member", "name"),
        required=False,
        empty_label=_("All states"),
        to_field_name="code",
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label=_("All sectors")
    )
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.all(), required=False, empty_label=_("All roles")
    )
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PersonForm(forms.Form):
    """Staff edit of a person (the view hands cleaned_data to people.person_update)."""

    first_name = forms.CharField(label=_("First name"), max_length=100, validators=[validate_single_line])
    last_name = forms.CharField(label=_("Last name"), max_length=100, validators=[validate_single_line])
    email = forms.EmailField(label=_("Email"), max_length=254)
    state = forms.ModelChoiceField(
        label=_("State"), queryset=State.objects.order_by("-is_member", "name"), required=False
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    organization = forms.CharField(
        label=_("Organization"), max_length=200, validators=[validate_single_line], required=False
    )
    title = forms.CharField(label=_("Title or role"), max_length=200, validators=[validate_single_line], required=False)
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=INTERESTS_MAX_LENGTH,
        validators=[validate_multiline],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_email = forms.BooleanField(label=_("Consents to the alliance's email"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=lambda: [(code, gettext(name)) for code, name in declared_roles() if code != Role.MEMBER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileForm(forms.Form):
    """A member's own profile."""

    title = forms.CharField(label=_("Title or role"), max_length=200, validators=[validate_single_line], required=False)
    organization = forms.CharField(
        label=_("Organization"), max_length=200, validators=[validate_single_line], required=False
    )
    interests = forms.CharField(
        label=_("What would you like to work on?"),
        required=False,
        max_length=INTERESTS_MAX_LENGTH,
        validators=[validate_multiline],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_email = forms.BooleanField(
        label=_("Send me the alliance's newsletter and discussions by email"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the mail we send you"), choices=settings.LANGUAGES, required=False
    )
    signature = forms.CharField(
        label=_("Signature for the welcomes sent in your name"),
        required=False,
        max_length=1000,
        validators=[validate_multiline],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steering committee members welcome newcomers; this closes each welcome."),
    )


class WelcomeTemplateForm(forms.Form):
    """The welcome's subject and body in each language of the site (`subject_es`, `body_es`...).

    A text with an unknown placeholder or a stray brace is refused, naming them, since it could not be sent.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=200,
                validators=[validate_single_line],
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                max_length=10000,
                validators=[validate_multiline],
                widget=forms.Textarea(attrs={"rows": 16}),
            )

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            for problem in welcome_text_problems(value):
                self.add_error(name, problem)
        return data

    def texts(self) -> dict[str, tuple[str, str]]:
        """Language code -> (subject, body), from the cleaned data."""
        data = self.cleaned_data
        # Browsers send a textarea's line breaks as CRLF; mail text keeps LF.
        return {
            code: (data[f"subject_{code}"], data[f"body_{code}"].replace("\r\n", "\n"))
            for code, _name in settings.LANGUAGES
        }


class PeopleImportForm(forms.Form):
    """An upload of people: a CSV or XLSX file no larger than settings.UPLOAD_MAX_MB."""

    file = forms.FileField(
        label=_("CSV or Excel (.xlsx) file"),
        help_text=_("The first row names the columns: first name, last name, email, state, organization, sector…"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or an Excel .xlsx file; this file is neither."))
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB; split it into smaller files.") % {"max": settings.UPLOAD_MAX_MB}
            )
        head = upload.read(2048)
        upload.seek(0)
        # Look at the content too: an XLSX is a zip archive, and a CSV is text (a stray NUL byte is
        # reported on its row by the import; a file full of them is binary).
        if name.endswith(".xlsx") and not head.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("This file is not a real Excel .xlsx workbook."))
        binary = head.count(b"\x00") > len(head) // 10
        if name.endswith(".csv") and binary and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise forms.ValidationError(_("This file is not a CSV text file."))
        return upload
