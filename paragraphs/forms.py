from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone is asked
    to authenticate it: a name longer than any account's is a form error, not a failed
    login (which django-axes would try to record, and cannot store)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        self.fields["username"].validators.append(MaxLengthValidator(limit))
