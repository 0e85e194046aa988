"""Print the environment lines for the province's identity provider, read from its discovery
document, to paste into .env."""

import requests
from django.core.management.base import BaseCommand, CommandError

SETTINGS = {
    "OIDC_OP_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Print the OIDC_OP_* settings of an OpenID Connect provider from its discovery document."

    def add_arguments(self, parser):
        parser.add_argument(
            "issuer", help="the provider's issuer URL, e.g. https://sso.danang.gov.vn/realms/portal"
        )
        parser.add_argument("--timeout", type=float, default=10)

    def handle(self, *args, issuer, timeout, **options):
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=timeout)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Could not read {url}: {error}") from None
        missing = [key for key in SETTINGS.values() if not isinstance(document.get(key), str)]
        if missing:
            raise CommandError(f"{url} does not give {', '.join(missing)}.")
        for name, key in SETTINGS.items():
            self.stdout.write(f"{name}={document[key]}")
        algorithms = document.get("id_token_signing_alg_values_supported") or []
        if "RS256" not in algorithms and algorithms:
            self.stdout.write(f"OIDC_RP_SIGN_ALGO={algorithms[0]}")
