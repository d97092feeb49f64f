"""The member network: states, sectors, organizations, people and their roles.

Everything else in Alliance stands on these rows. Person and Organization keep their history
(django-simple-history); what a person did over time lives in the engagement ledger, `Event`.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# What a person may write about their interests: a paragraph or two, not a document.
INTERESTS_MAX_LENGTH = 2000


class State(models.Model):
    """A US state, DC or territory; `is_member` marks the alliance's own states."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=60, unique=True)
    is_member = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        # `name` stays the stored English name; the catalog gives it in the reader's language.
        return gettext(self.name)


class Sector(models.Model):
    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        # `name` stays the stored English name; a name the catalog knows is shown translated.
        return gettext(self.name)


class Role(models.Model):
    """A role a person holds in the alliance. The network's own are below; other apps declare theirs
    in their rules.py `ROLES` (core.policy.declared_roles), and a row is kept for each after migrate."""

    BACKBONE = "backbone"
    STEERING = "steering"
    CHAIR = "chair"
    MEMBER = "member"
    CODES = [
        (BACKBONE, _("Backbone staff")),
        (STEERING, _("Steering committee")),
        (CHAIR, _("Workgroup chair")),
        (MEMBER, _("Member")),
    ]

    code = models.SlugField(primary_key=True, max_length=20)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        # Like State and Sector: `name` is stored in English, shown in the reader's language.
        return gettext(self.name)


class Organization(models.Model):
    name = models.CharField(max_length=200)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="organizations", null=True, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organizations", null=True, blank=True)
    website = models.URLField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    # Set when this organization was merged into another: its people and rows moved there, and
    # its name stays reserved, so a sign-up or import typing it lands on the kept organization.
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "state", name="organization_unique_name_per_state"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Source(models.TextChoices):
        JOIN = "join", _("Joined on the website")
        IMPORT = "import", _("Imported")
        STAFF = "staff", _("Added by staff")
        DEMO = "demo", _("Demo data")
        API = "api", _("API")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for email confirmation")
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged into another person")
        # Taken out of the network by staff (left the field, asked to be removed): out of the
        # directory, counts, access and mail, with everything kept for a reactivation.
        INACTIVE = "inactive", _("Deactivated")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Always stored stripped and lower-cased (see services.normalize_email); unique in that form.
    email = models.EmailField(_("email"), max_length=254)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, related_name="people", null=True, blank=True
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    interests = models.TextField(_("interests"), blank=True, max_length=INTERESTS_MAX_LENGTH)
    roles = models.ManyToManyField(Role, related_name="people", blank=True)
    consent_to_email = models.BooleanField(_("consents to email"), default=False)
    # The language the person joined in (a code of settings.LANGUAGES; blank: the site's default);
    # they change it on their profile. Mail to them is written in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined = models.DateTimeField(default=timezone.now)
    confirmed = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    # A steering committee member's signature for the welcomes sent in their name.
    signature = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    # Set when this record was merged into another (status MERGED); the merge can be undone.
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the directory search reads: the name in lower case, kept by the database itself (so bulk
    # writes keep it too). PostgreSQL indexes it by trigrams (migration 0007), so a word anywhere in
    # a name is found without reading every row.
    search = models.GeneratedField(
        expression=Lower(Concat("first_name", models.Value(" "), "last_name")),
        output_field=models.CharField(max_length=201),
        db_persist=True,
    )
    history = HistoricalRecords(excluded_fields=["signature", "search"])

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_unique_email"),
            # A form or the API refuses longer text; the database refuses it from anywhere else.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("interests"), INTERESTS_MAX_LENGTH), name="person_interests_length"
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["state", "status"]),
            # Lookups by address: stored normalized, so a plain index serves `email=...`.
            models.Index(fields=["email"], name="person_email"),
            # The directory's order, for pages found by key (keyset) rather than by OFFSET.
            models.Index(fields=["status", "last_name", "first_name", "id"], name="person_directory_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonEmail(models.Model):
    """Another address of a person: the address of a record merged into theirs, for one.

    Sign-ups and imports that come with it find the person rather than adding someone new.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="extra_emails")
    # Stored like Person.email: stripped and lower-cased.
    email = models.EmailField(max_length=254)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="person_email_unique_email")]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.email


class Event(models.Model):
    """The engagement ledger: one row per thing that happened to or by a person (their timeline).

    `kind` is an event code `app.noun.verb`; other apps add their own kinds.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60, db_index=True)
    summary = models.CharField(max_length=300)
    occurred = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred", "-id"]

    def __str__(self) -> str:
        return self.summary

    def text(self) -> str:
        """What happened, in the reader's language (network/timeline.py); the summary stays English."""
        from alliance.network.timeline import event_text  # every app's timeline module, found at run time

        return event_text(self)


class Signup(models.Model):
    """A request to join, waiting for its email address to be confirmed (double opt-in).

    What the visitor typed waits in `submitted` and reaches the person only on confirmation, so
    nobody can change a member's record by signing up with their address. The token works once,
    for settings.SIGNUP_TOKEN_DAYS days.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signups")
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    confirmed = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The form's values: first_name, last_name, state (code), sector (slug), organization (name),
    # title, interests, consent_to_email, language.
    submitted = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"sign-up of {self.person_id}"


class WelcomeTemplate(models.Model):
    """The text of the personal welcome in one language; staff edit it. For each language the
    newest row is the one in use (older rows and the history keep earlier versions)."""

    # A code of settings.LANGUAGES: a newcomer is welcomed in their own language when it has a text.
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text=_(
            "Placeholders: {first_name}, {full_name}, {state}, {organization}, {sender_first_name}, "
            "{sender_full_name}, {sender_title}, {alliance}, {site_url}."
        )
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        get_latest_by = "updated"

    def __str__(self) -> str:
        return f"{self.subject} ({self.language})"


class Welcome(models.Model):
    """The one personal welcome a person receives, and its sending state.

    One row per person (unique), claimed by a worker with a lease, so a worker that dies while
    sending leaves a row that the next worker finishes instead of a second welcome.
    """

    class Status(models.TextChoices):
        # Nobody can send it yet: the alliance has no steering committee member nor backbone staff.
        WAITING = "waiting", _("Waiting for a sender")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="welcome")
    sender = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="welcomes_sent", null=True, blank=True)
    # The role the sender was chosen for (Role.STEERING, or Role.BACKBONE when no committee member could).
    sender_role = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # When the next try is due: now for a new welcome, later after a failed try (back-off).
    next_attempt = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    followed_up = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sender", "created"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"welcome to {self.person_id}"


class PeopleImport(models.Model):
    """One upload of people from CSV or XLSX: previewed, then run as a task with visible progress.

    At the end rows_read == rows_stored + rows_rejected, and every rejected row has a reason.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Reading the file")
        REFUSED = "refused", _("Refused")
        PREVIEW = "preview", _("Previewed, not yet imported")
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Removed from storage once the import is refused or done (the row and its report stay).
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    columns = models.JSONField(default=dict, blank=True)  # file column -> Person field
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # What the worker found reading the file (importing.Preview as JSON), and rows read with a warning.
    preview = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)  # [[row number, text], ...], the first 200
    warnings_count = models.PositiveIntegerField(default=0)
    # CHECKING or QUEUED: when its task counts as lost. RUNNING (or CHECKING claimed): when the
    # worker holding it counts as dead. Either way worker_sweep queues it again after this.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # times a worker started reading the file

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def rows_stored(self) -> int:
        return self.rows_created + self.rows_updated

    @property
    def percent(self) -> int:
        return round(100 * self.rows_read / self.rows_total) if self.rows_total else 0


class ImportRejection(models.Model):
    """A row of an import that was not stored, and why (row numbers count the header as row 1)."""

    people_import = models.ForeignKey(PeopleImport, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    field = models.CharField(max_length=60, blank=True)
    value = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["row_number", "pk"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class PersonMerge(models.Model):
    """A merge of `removed` into `kept`, with what it moved, so it can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_kept")
    removed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_removed")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    undone = models.DateTimeField(null=True, blank=True)
    # What undo needs: the kept person's fields before, the removed person's status, the rows moved.
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.removed_id} into {self.kept_id}"


class DistinctPair(models.Model):
    """Two people staff judged to be different people, so the duplicates page stops offering them.

    Stored with the lower primary key first, so each pair has one row.
    """

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_pair_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="distinct_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"


class OrganizationMerge(models.Model):
    """A merge of organization `removed` into `kept`, with what it moved, so it can be undone."""

    kept = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="merges_kept")
    removed = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="merges_removed")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    undone = models.DateTimeField(null=True, blank=True)
    # What undo needs: the kept organization's fields before, the rows moved.
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"organization {self.removed_id} into {self.kept_id}"


class DuplicatePair(models.Model):
    """Two people who may be one, as the duplicate finder (network/matching.py) scored them.

    Computed by the worker over the whole member base and stored, so the duplicates page reads a
    page of rows instead of comparing 100,000 people in the request. Stored with the lower primary
    key first. `score` is the probability (0..1), `weight` the bits it came from, `evidence` a list
    of [comparison, level, bits].
    """

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    weight = models.FloatField()
    evidence = models.JSONField(default=list)
    found = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once")]
        indexes = [models.Index(fields=["-score", "-weight"], name="duplicate_pair_rank")]

    def __str__(self) -> str:
        return f"{self.first_id} may be {self.second_id} ({self.score:.2f})"
