"""Template context every page gets from the project: how people log in here."""

from django.conf import settings


def log_in(request):
    """Whether the province's single sign-on is on (and the provider's name for its button) and
    whether the portal still takes passwords (the log-in form, the password links)."""
    return {
        "sso_enabled": settings.SSO_ENABLED,
        "sso_provider_name": settings.OIDC_PROVIDER_NAME,
        "local_login_enabled": settings.LOCAL_LOGIN_ENABLED,
    }
