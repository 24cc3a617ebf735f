from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from intake.errors import IntakeError
from intake.services import resolution_text_load
from paragraphs.history import system_user
from paragraphs.models import Paragraph
from reports.loading import CuratedDataError, load_curated, read_curated, resolution_text_path

DATA_FILE = "reports/data/s-res-2692-2023.yaml"


class Command(BaseCommand):
    help = (
        "Load S/RES/2692 (2023): its Chinese text, the curated obligations and schedules, "
        "and the public record of deliveries. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            data = read_curated(settings.BASE_DIR / DATA_FILE)
            path = resolution_text_path(data)
            before = Paragraph.objects.filter(resolution__number=data["resolution"]["number"])
            had_text = before.exists()
            resolution = resolution_text_load(
                data=path.read_bytes(), filename=path.name, by=system_user()
            )
            loaded = load_curated(data)
        except (CuratedDataError, IntakeError, OSError) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if had_text and not loaded.created:
            self.stdout.write(f"{resolution.symbol} is already loaded; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{resolution.symbol}: text {'kept' if had_text else 'loaded'}; "
                f"curated data {len(loaded.created)} items created."
            )
        )
