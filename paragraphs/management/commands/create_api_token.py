from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from paragraphs import roles
from paragraphs.services import api_token_create


def manager_named(username: str):
    """The active user `username`, who must be allowed to manage API tokens."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user “{username}”.")
    if not roles.can_manage_api_tokens(user):
        raise CommandError(f"“{username}” is not a manager: only managers manage API tokens.")
    return user


class Command(BaseCommand):
    help = (
        "Create an API token that acts as USERNAME and print it once. Read-only unless "
        "--read-write. The token is recorded as created by --by (default: USERNAME), a "
        "manager creating their own token or an administrator creating one for another "
        "account (a service account)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("--name", required=True, help="Which system will use it.")
        parser.add_argument("--read-write", action="store_true", help="Allow writes.")
        parser.add_argument(
            "--by", help="Who creates it: USERNAME itself (the default) or an administrator."
        )

    def handle(self, *args, username: str, name: str, read_write: bool, by: str | None, **opts):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        creator = manager_named(by or username)
        try:
            token, text = api_token_create(
                user=user, name=name, read_only=not read_write, by=creator
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        access = "read-only" if token.read_only else "read-write"
        self.stderr.write(
            f"Created {access} token “{token.name}” (prefix {token.prefix}) acting as "
            f"{user.username}. It is shown once; store it now:"
        )
        self.stdout.write(text)
