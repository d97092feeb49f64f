"""Shared measurement's records: states' settings and definitions, mappings, datasets.

The facts themselves (counts by state, year, place, program, group and measure) are not Django
rows: each loaded dataset writes one immutable Parquet file to the analytics store (store.py),
which DuckDB reads through Ibis. States are network states, referred to by their code.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Act(models.TextChoices):
    PERKINS_IV = "IV", _("Perkins IV (2006)")
    PERKINS_V = "V", _("Perkins V (2018)")


class StateProfile(models.Model):
    """How a member state publishes: the smallest count it lets anyone see."""

    state = models.CharField(primary_key=True, max_length=2)
    threshold = models.PositiveSmallIntegerField(
        default=settings.MEASURE_SUPPRESSION_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Counts under this are never shown (states use 5 to 30)."),
    )

    def __str__(self) -> str:
        return self.state


class StateDefinition(models.Model):
    """A state's own definitions for one Perkins era, shown next to its figures."""

    state = models.CharField(max_length=2, db_index=True)
    act = models.CharField(max_length=2, choices=Act.choices)
    participant = models.TextField(_("who counts as a CTE participant"), blank=True)
    concentrator = models.TextField(_("who counts as a CTE concentrator"), blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "act"], name="measure_definition_once_per_era")]
        ordering = ["state", "act"]

    def __str__(self) -> str:
        return f"{self.state} {self.act}"


class Mapping(models.Model):
    """One source's layout, mapped once to the shared measures (YAML: see mapping.py)."""

    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, db_index=True)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["state", "name"]
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="measure_mapping_name_per_state")]

    def __str__(self) -> str:
        return self.name


class Sharing(models.TextChoices):
    PUBLIC = "public", _("Everyone (public aggregates)")
    MEMBERS = "members", _("Alliance members")
    STATE = "state", _("The state's team only")


class Dataset(models.Model):
    """One file loaded through a mapping: its facts are in the store while it is LOADED.

    rows_read == rows_stored + rows_rejected + rows_left_out once loaded (rows the mapping does not
    read, by its `keep:`); every rejected row has its reasons.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Loading")
        LOADED = "loaded", _("Loaded")
        REFUSED = "refused", _("Refused")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    state = models.CharField(max_length=2, db_index=True)
    mapping = models.ForeignKey(Mapping, on_delete=models.PROTECT, related_name="datasets")
    mapping_text = models.TextField()  # the mapping as it was used, so a later edit changes no figure
    file = models.FileField(upload_to="datasets/%Y/%m/", blank=True)  # removed once loaded or refused
    filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, db_index=True)  # SHA-256 of the file
    size = models.PositiveBigIntegerField(default=0)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.PUBLIC)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)  # what the worker is doing, for the progress bar
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    rows_read = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_left_out = models.PositiveIntegerField(default=0)  # not read by the mapping's `keep:`
    facts = models.PositiveBigIntegerField(default=0)
    years = models.JSONField(default=list, blank=True)
    acts = models.JSONField(default=list, blank=True)
    store_file = models.CharField(max_length=200, blank=True)  # the Parquet file's name in the store
    error = models.TextField(blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rolled_back = models.DateTimeField(null=True, blank=True)
    # QUEUED: when its task counts as lost; RUNNING: when its worker counts as dead (see loading.py).
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.filename


class Rejection(models.Model):
    """A file row left out of a dataset, with each problem: the column, the value, the reason."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="rejections")
    row = models.PositiveIntegerField()  # the spreadsheet's row number: the header is row 1
    column = models.CharField(max_length=200)
    value = models.CharField(max_length=200, blank=True)
    problem = models.CharField(max_length=30)  # a code worded by reasons.py

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}"


class Indicator(models.Model):
    """A results-based indicator the alliance tracks: what it measures (a series of the shared
    measures), which way is better, its baseline and targets, and each state's turn-the-curve
    worksheet. Its figures are always the published ones."""

    class Kind(models.TextChoices):
        HOW_MUCH = "how_much", _("How much did we do?")
        HOW_WELL = "how_well", _("How well did we do it?")
        BETTER_OFF = "better_off", _("Is anyone better off?")

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    numerator = models.TextField(blank=True)
    denominator = models.TextField(blank=True)
    series = models.CharField(max_length=40, help_text=_("The shared measure it reads (a dashboard series)."))
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BETTER_OFF)
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(max_length=20, default="annual")
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """Where a state (or, with no state, the whole alliance) aims to be in a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    state = models.CharField(max_length=2, blank=True)  # "" for the alliance as a whole
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()  # a rate as 0..1, or a count

    class Meta:
        ordering = ["state", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "state", "year"], name="measure_target_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.state or 'all'} {self.year}"


class Worksheet(models.Model):
    """A state's turn-the-curve worksheet for an indicator (Results-Based Accountability)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="worksheets")
    state = models.CharField(max_length=2, blank=True)
    story = models.TextField(_("the story behind the curve"), blank=True)
    partners = models.TextField(_("partners with a role to play"), blank=True)
    what_works = models.TextField(_("what works"), blank=True)
    strategy = models.TextField(_("strategy and action plan"), blank=True)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "state"], name="measure_worksheet_once_per_state")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.state or 'all'}"


class FederatedSource(models.Model):
    """A state's own database that computes the shared measures where the data lives: only sums
    by state, year and group leave it, and counts under the state's threshold leave it hidden.

    The connection URL is read from the environment variable named here, never stored.
    """

    state = models.CharField(max_length=2, db_index=True)
    name = models.CharField(max_length=200)
    url_variable = models.CharField(
        max_length=100, help_text=_("The environment variable holding the database URL (postgres://...).")
    )
    table = models.CharField(max_length=100, default="alliance_facts", help_text=_("Its table of facts."))
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.PUBLIC)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["state", "name"]

    def __str__(self) -> str:
        return self.name
