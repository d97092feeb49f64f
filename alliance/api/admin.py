from django.contrib import admin

from alliance.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__email", "prefix"]
    # Tokens are made on the tokens page, where the key is shown once; here they can only be read.
    readonly_fields = ["user", "name", "key_hash", "prefix", "created", "last_used"]

    def has_add_permission(self, request) -> bool:
        return False
