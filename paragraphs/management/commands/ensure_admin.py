import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from paragraphs.roles import MANAGER


class Command(BaseCommand):
    help = (
        "Create the first administrator with a generated password if there is none yet, "
        "and say how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write(
                "Log in at http://127.0.0.1:8000/ with your account "
                f"(to reset it: python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        user.groups.add(Group.objects.get(name=MANAGER))
        self.stdout.write(
            self.style.SUCCESS(
                "\nFirst run: an administrator was created.\n"
                f"  Log in at http://127.0.0.1:8000/ as '{username}' with password: {password}\n"
                "  (shown once; change it at /admin/password_change/)\n"
            )
        )
