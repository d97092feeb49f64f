from django.contrib import admin

from alliance.measure.models import (
    Dataset,
    FederatedSource,
    Indicator,
    Mapping,
    StateDefinition,
    StateProfile,
    Target,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "series", "kind", "polarity", "baseline_year", "position"]
    inlines = [TargetInline]


@admin.register(StateProfile)
class StateProfileAdmin(admin.ModelAdmin):
    list_display = ["state", "threshold"]


@admin.register(StateDefinition)
class StateDefinitionAdmin(admin.ModelAdmin):
    list_display = ["state", "act"]


@admin.register(Mapping)
class MappingAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "updated"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["filename", "state", "status", "rows_read", "rows_rejected", "created"]
    readonly_fields = [f.name for f in Dataset._meta.fields]


@admin.register(FederatedSource)
class FederatedSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "url_variable", "table", "sharing", "active"]
