from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from agencies.api_keys import AccessToken, APIKey
from agencies.models import Agency, AgencyAlias, Province, RestructuringChange, User
from agencies.resources import AgencyResource
from agencies.webhooks import Webhook, WebhookDelivery


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active_until", "successor"]
    list_select_related = ["successor"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RestructuringChange)
class RestructuringChangeAdmin(admin.ModelAdmin):
    """Read-only: changes are applied by ``apply_restructuring``, which keeps the catalogue coherent."""

    list_display = ["effective_date", "province_slug", "old_name", "new_name", "kind", "applied_at"]
    list_filter = ["effective_date", "province_slug", "kind"]
    search_fields = ["old_name", "new_name", "note"]
    readonly_fields = ["effective_date", "province_slug", "old_name", "new_name", "kind", "note",
                       "moves_list", "applied_at"]
    exclude = ["moves"]

    @admin.display(description=_("what moved"))
    def moves_list(self, change):
        return format_html_join(mark_safe("<br>"), "{}", ((move,) for move in change.moves)) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


@admin.register(Agency)
class AgencyAdmin(ImportExportModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "province", "kind", "parent", "active_until", "successor"]
    list_filter = ["province", "kind"]
    list_select_related = ["province", "parent", "successor"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent", "successor", "members"]
    inlines = [AgencyAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "email", "province", "agency", "role", "is_active"]
    list_filter = ["role", "province", "is_active", "is_superuser"]
    list_select_related = ["province", "agency"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__name", "oidc_subject"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Province and agency"), {"fields": ["province", "agency", "role", "phone"]}),
        (_("Single sign-on"), {"fields": ["oidc_subject"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Province and agency"), {"fields": ["email", "province", "agency", "role"]}),
    ]


class CredentialAdmin(admin.ModelAdmin):
    """Tokens and keys in the admin: their secrets are made by the portal and shown once, in the
    message after saving a new one; revoking sets ``revoked_at`` (the "Revoke" action)."""

    list_display = ["name", "hint", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "hint"]
    readonly_fields = ["hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = obj.set_secret()
            messages.warning(request, _("The secret, shown this once: %(secret)s") % {"secret": secret})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected credentials"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(APIKey)
class APIKeyAdmin(CredentialAdmin):
    list_display = [*CredentialAdmin.list_display, "province"]
    list_filter = ["province", *CredentialAdmin.list_filter]
    list_select_related = ["province"]
    autocomplete_fields = ["created_by"]


@admin.register(AccessToken)
class AccessTokenAdmin(CredentialAdmin):
    list_display = [*CredentialAdmin.list_display, "user"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Hooks in the admin: the signing secret is made by the portal and shown once, in the message
    after saving a new hook; never in a list or a form."""

    list_display = ["name", "province", "url", "active", "created_at"]
    list_filter = ["active", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["created_by"]
    readonly_fields = ["created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = obj.set_secret()
            messages.warning(request, _("The secret, shown this once: %(secret)s") % {"secret": secret})
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What was sent to each hook and how it went: read-only (the jobs write it)."""

    list_display = ["created_at", "event", "hook", "state", "attempts", "status_code", "delivered_at"]
    list_filter = ["state", "event"]
    list_select_related = ["hook"]
    search_fields = ["uuid", "hook__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
