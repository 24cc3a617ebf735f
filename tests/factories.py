import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from paragraphs.enums import ObligationKind, ParagraphKind
from paragraphs.models import Actor, Mandate, Obligation, Paragraph, ParagraphText, Resolution
from reports.enums import ScheduleKind
from reports.models import Deadline, Schedule
from reports.services import obligation_deadlines_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate
        django_get_or_create = ["code"]

    code = "BINUH"
    name = "United Nations Integrated Office in Haiti"


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    number = factory.Sequence(lambda n: 9000 + n)
    year = 2023
    symbol = factory.LazyAttribute(lambda r: f"S/RES/{r.number} ({r.year})")
    adopted_on = dt.date(2023, 7, 14)
    meeting_number = 9377
    mandate = factory.SubFactory(MandateFactory)
    mandate_expires_on = dt.date(2024, 7, 15)


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph
        skip_postgeneration_save = True

    resolution = factory.SubFactory(ResolutionFactory)
    kind = ParagraphKind.OPERATIVE
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda p: p.position)
    verb_category = "requests"

    @factory.post_generation
    def text(self, create, extracted, **kwargs):
        """Its text in Chinese (`text=...` to change it; `text__language="en"` and
        `text__lead_verb` too)."""
        if create:
            ParagraphText.objects.create(
                paragraph=self,
                language=kwargs.get("language", "zh"),
                text=extracted or "请秘书长提交报告；",
                lead_verb=kwargs.get("lead_verb", "请"),
            )


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"actor-{n}")
    name_en = factory.Sequence(lambda n: f"Actor {n}")
    name_zh = "行为体"


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    paragraph = factory.SubFactory(ParagraphFactory)
    key = factory.Sequence(lambda n: f"test-obligation-{n}")
    summary = "Report to the Council."
    owner = factory.SubFactory(ActorFactory)
    kind = ObligationKind.REPORT


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    obligation = factory.SubFactory(ObligationFactory)
    kind = ScheduleKind.WITHIN_DAYS
    within_days = 30
    # No tolerance unless a test gives one: the weekend rule alone decides, so each rule
    # is tested on its own (the model's default is schedule.DEFAULT_TOLERANCE_DAYS).
    tolerance_days = 0


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    schedule = factory.SubFactory(ScheduleFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    due_on = dt.date(2023, 8, 13)
    scheduled_on = factory.LazyAttribute(lambda d: d.due_on)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as a service would save it: with its derived state refreshed."""
        deadline = super()._create(model_class, *args, **kwargs)
        obligation_deadlines_refresh(obligation_ids=[deadline.schedule.obligation_id])
        return deadline
