"""Single sign-on turned on in a test against a provider run by oidc-provider-mock: a client
registered for ``return_url`` and the settings the environment would give."""

import requests

BACKEND = "agencies.sso.ProvinceIdentityBackend"


def turn_on_sso(settings, provider, return_url):
    registered = requests.post(
        f"{provider}/oauth2/clients",
        json={"redirect_uris": [return_url], "token_endpoint_auth_method": "client_secret_post"},
        timeout=10,
    ).json()
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = registered["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = registered["client_secret"]
    settings.OIDC_OP_ISSUER = provider
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]


def put_person(provider, sub, **claims):
    """The provider's record of a person: ``sub`` and the claims its userinfo gives."""
    response = requests.put(f"{provider}/users/{sub}", json=claims, timeout=10)
    response.raise_for_status()
