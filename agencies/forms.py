from django import forms

from agencies.api_keys import AccessToken, APIKey
from agencies.models import User


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
