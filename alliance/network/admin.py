from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from alliance.network.models import (
    Event,
    Organization,
    Person,
    Role,
    Sector,
    Signup,
    State,
    Welcome,
    WelcomeTemplate,
)


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_member"]
    list_filter = ["is_member"]
    search_fields = ["name", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "sector"]
    list_filter = ["state", "sector"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "state", "organization", "status", "source"]
    list_filter = ["status", "state", "sector", "roles", "source"]
    search_fields = ["first_name", "last_name", "email", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]
    filter_horizontal = ["roles"]
    list_select_related = ["state", "organization"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred", "person", "kind", "summary"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "actor"]
    search_fields = ["person__email", "summary"]


@admin.register(Welcome)
class WelcomeAdmin(admin.ModelAdmin):
    list_display = ["person", "sender", "sender_role", "status", "created", "sent", "attempts"]
    list_filter = ["status"]
    raw_id_fields = ["person", "sender"]


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ["person", "created", "confirmed", "ip"]
    raw_id_fields = ["person"]


admin.site.register(WelcomeTemplate, SimpleHistoryAdmin)
admin.site.site_header = "Alliance administration"
