from django import forms
from django.core.validators import URLValidator

from agencies.api_keys import AccessToken, APIKey
from agencies.models import User
from agencies.webhooks import SUBSCRIBABLE, Webhook


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "email_reminders"]
        widgets = {
            "first_name": forms.TextInput(attrs={"class": "form-control"}),
            "last_name": forms.TextInput(attrs={"class": "form-control"}),
            "email": forms.EmailInput(attrs={"class": "form-control"}),
            "phone": forms.TextInput(attrs={"class": "form-control"}),
            "email_reminders": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


class CredentialForm(forms.ModelForm):
    """What a user writes to create a personal access token or an API key; the secret is made by
    the portal (``Credential.set_secret``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"


class AccessTokenForm(CredentialForm):
    class Meta:
        model = AccessToken
        fields = ["name", "scope"]


class APIKeyForm(CredentialForm):
    class Meta:
        model = APIKey
        fields = ["name", "scope", "requests_per_minute", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class WebhookForm(forms.ModelForm):
    """A provincial admin's new webhook: a name, an http(s) URL and at least one event; the signing
    secret is made by the portal (``Webhook.set_secret``)."""

    url = forms.URLField(
        label=Webhook._meta.get_field("url").verbose_name,
        help_text=Webhook._meta.get_field("url").help_text,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://"}),
    )
    events = forms.MultipleChoiceField(
        label=Webhook._meta.get_field("events").verbose_name,
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control"})}
