from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from paragraphs.roles import ROLE_LABELS, set_role


class Command(BaseCommand):
    help = "Give a user exactly one role (viewer, analyst or manager), creating the user if asked."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLE_LABELS))
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the user if missing (they set a password with `changepassword`).",
        )

    def handle(self, *args, username: str, role: str, create: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            if not create:
                raise CommandError(f"No user '{username}'. Add --create to create it.") from None
            user = User.objects.create_user(username=username)
            self.stdout.write(
                f"Created '{username}' without a password; set one with: "
                f"python manage.py changepassword {username}"
            )
        set_role(user, role)
        self.stdout.write(self.style.SUCCESS(f"{username} is now {role}."))
