from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from paragraphs.importer import resolution_import
from paragraphs.parsing import ResolutionFormatError, parse_resolution


def read_resolution_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(f"No such file: {path}") from error
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} is not UTF-8 text: {error.reason} at byte {error.start}."
        ) from error


class Command(BaseCommand):
    help = "Import a Security Council resolution from its Chinese text (UN format). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="UTF-8 text file of the resolution")

    def handle(self, *args, path: Path, **options):
        text = read_resolution_text(path)
        try:
            result = resolution_import(parse_resolution(text))
        except (ResolutionFormatError, ValidationError) as error:
            raise CommandError(
                f"{path}: {' '.join(getattr(error, 'messages', [str(error)]))}"
            ) from error
        resolution = result.resolution
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{resolution.symbol}: {len(result.created)} created, "
                    f"{len(result.updated)} updated ({resolution.paragraphs.count()} paragraphs)."
                )
            )
        else:
            self.stdout.write(f"{resolution.symbol}: already up to date, nothing changed.")
