from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from paragraphs.importer import resolution_import
from paragraphs.management.commands.import_resolution import read_resolution_text
from paragraphs.parsing import ResolutionFormatError, parse_resolution
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
            imported = resolution_import(
                parse_resolution(read_resolution_text(resolution_text_path(data)))
            )
            loaded = load_curated(data)
        except (CuratedDataError, ResolutionFormatError) as error:
            raise CommandError(str(error)) from error
        if not imported.changed and not loaded.created:
            self.stdout.write(f"{imported.resolution.symbol} is already loaded; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{imported.resolution.symbol}: text {len(imported.created)} created / "
                f"{len(imported.updated)} updated; "
                f"curated data {len(loaded.created)} items created."
            )
        )
