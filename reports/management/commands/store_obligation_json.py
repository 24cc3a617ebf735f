from django.core.management.base import BaseCommand

from paragraphs.models import Obligation
from reports import obligation_json
from reports.api.views import obligation_body


class Command(BaseCommand):
    help = (
        "Render and store the API's JSON of every obligation whose stored JSON is missing or "
        "outdated (the list does it page by page as it is read)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Obligations a statement.")

    def handle(self, *args, batch, **options):
        total = Obligation.objects.count()
        done = 0
        for done in obligation_json.store_all(obligation_body, batch=max(batch, 1)):
            self.stdout.write(f"{done} of {total} obligations", ending="\r")
        self.stdout.write(f"Stored JSON is current for {done} obligations.")
