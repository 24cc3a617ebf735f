from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from paragraphs.management.commands.create_api_token import manager_named
from paragraphs.models import ApiToken
from paragraphs.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke the API token with this prefix (the 12 characters after “mt_”)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")
        parser.add_argument("--by", required=True, help="The manager revoking it.")

    def handle(self, *args, prefix: str, by: str, **options):
        manager = manager_named(by)
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix “{prefix}”.")
        try:
            api_token_revoke(token=token, by=manager)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Revoked “{token.name}” ({prefix}).")
