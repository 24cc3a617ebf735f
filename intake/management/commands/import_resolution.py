import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from intake.document import to_json
from intake.errors import IntakeError
from intake.selectors import draft_plan
from intake.services import draft_create, read_input
from paragraphs.enums import TextLanguage
from paragraphs.history import system_user


class Command(BaseCommand):
    help = (
        "Read a Security Council resolution (text in any usual encoding, .docx or .pdf; "
        "English, French or Chinese) and keep it as a draft to review in the browser. "
        "With --dry-run nothing is written; with --json the reading is printed as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the resolution's file")
        parser.add_argument(
            "--lang",
            choices=TextLanguage.values,
            help="the language of the text (default: recognised from the text)",
        )
        parser.add_argument("--dry-run", action="store_true", help="read only; write nothing")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON document"
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="whom the draft is recorded under (default: system)"
        )

    def handle(self, *args, path: Path, lang, dry_run, as_json: bool, by, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from error
        try:
            if dry_run:
                reading, _text, _digest = read_input(data=data, filename=path.name, language=lang)
                document = to_json(reading)
                if as_json:
                    self._print(document)
                else:
                    self._summary(document)
                return
            draft = draft_create(by=self._user(by), data=data, filename=path.name, language=lang)
        except IntakeError as error:
            raise CommandError(f"{path}: {error.message}") from error
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from error
        plan = draft_plan(draft)
        if as_json:
            self._print(
                {
                    "draft": draft.pk,
                    "url": draft.get_absolute_url(),
                    "plan": plan.mode,
                    "reading": draft.reading,
                }
            )
            return
        self._summary(draft.reading)
        self.stdout.write(
            self.style.SUCCESS(
                f"Draft #{draft.pk} kept for review ({plan.mode}): {draft.get_absolute_url()}"
            )
        )

    def _user(self, username: str | None):
        if not username:
            return system_user()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error

    def _print(self, document: dict) -> None:
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _summary(self, document: dict) -> None:
        proposals = sum(len(p["proposals"]) for p in document["operative"])
        self.stdout.write(
            f"{document['symbol']} [{document['language']}], adopted {document['adopted_on']}: "
            f"{len(document['preambular'])} preambular and {len(document['operative'])} "
            f"operative paragraphs, {proposals} proposed obligations."
        )
        if document["mandate"]:
            self.stdout.write(
                f"Mandate: {document['mandate']} until {document['mandate_expires_on']}."
            )
        for warning in document["warnings"]:
            self.stdout.write(f"Warning: {warning['message']}")
