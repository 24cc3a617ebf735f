from django.apps import apps
from django.db import models

from paragraphs.enums import ObligationStatus, TextLanguage


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ObligationStatus.open_values())

    def for_resolution(self, resolution):
        return self.filter(paragraph__resolution=resolution)


# Paragraph texts in queries. The model is looked up when called: models.py imports this
# module.


def paragraph_text_contains(words: str, *, paragraph: str = "pk") -> models.Exists:
    """Whether the paragraph at `paragraph` (a path from the outer query) has a text, in any
    language, containing `words`: one EXISTS, so a paragraph held in three languages is
    still one row."""
    texts = apps.get_model("paragraphs", "ParagraphText").objects
    return models.Exists(
        texts.filter(paragraph_id=models.OuterRef(paragraph), text__icontains=words)
    )


def paragraph_first_text(*, paragraph: str = "pk") -> models.Subquery:
    """The text of the paragraph at `paragraph` in its first language, in TextLanguage's
    order: for exports, one column whatever the languages imported."""
    texts = apps.get_model("paragraphs", "ParagraphText").objects
    order = models.Case(
        *(models.When(language=code, then=i) for i, code in enumerate(TextLanguage.values))
    )
    return models.Subquery(
        texts.filter(paragraph_id=models.OuterRef(paragraph)).order_by(order).values("text")[:1]
    )
