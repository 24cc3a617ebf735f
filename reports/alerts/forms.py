from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from paragraphs.models import Actor
from reports.alerts.selectors import subscribable_resolutions


class SubscriptionForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Actor"),
        queryset=Actor.objects.order_by("name_en"),
        required=False,
        help_text=_("Obligations this actor owns or contributes to."),
    )
    resolution = forms.ModelChoiceField(
        label=_("Resolution"),
        queryset=subscribable_resolutions(),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("actor") and not cleaned.get("resolution"):
            raise forms.ValidationError(_("Choose an actor, a resolution, or both."))
        return cleaned


class PreferenceForm(forms.Form):
    digest = forms.BooleanField(
        label=_("One digest e-mail a day instead of one e-mail per alert"), required=False
    )
    language = forms.ChoiceField(label=_("Language of alert e-mails"), choices=settings.LANGUAGES)


class WebhookForm(forms.Form):
    # A CharField, not a URLField: the latter would quietly add a scheme to "example.org",
    # and its "Enter a valid URL." would come on top of the service's own message.
    # `webhook_create` checks the URL (scheme, syntax, public address, duplicates).
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("http or https, at a public address; redirects are not followed."),
    )
