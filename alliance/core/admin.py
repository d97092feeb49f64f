from django.contrib import admin

from alliance.core.models import AuditEntry, OutboundMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "action", "actor", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbound mail log, read-only: what was sent to whom, and what failed."""

    list_display = ["created", "kind", "recipient", "subject", "status", "sent"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "message_id"]
    date_hierarchy = "created"
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
