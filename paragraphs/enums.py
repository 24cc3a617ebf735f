from django.db import models
from django.utils.translation import gettext_lazy as _


class ParagraphKind(models.TextChoices):
    PREAMBULAR = "preambular", _("Preambular")
    OPERATIVE = "operative", _("Operative")


class VerbCategory(models.TextChoices):
    """The lead verb of a paragraph, normalised: 还决定 and 决定 both decide."""

    DECIDES = "decides", _("decides")
    REQUESTS = "requests", _("requests")
    CALLS_UPON = "calls_upon", _("calls upon")
    ENCOURAGES = "encourages", _("encourages")
    URGES = "urges", _("urges")
    DEMANDS = "demands", _("demands")
    REAFFIRMS = "reaffirms", _("reaffirms")
    AFFIRMS = "affirms", _("affirms")
    STRESSES = "stresses", _("stresses")
    RECALLS = "recalls", _("recalls")
    CONDEMNS = "condemns", _("condemns")
    NOTES = "notes", _("notes")
    RECOGNIZES = "recognizes", _("recognizes")
    WELCOMES = "welcomes", _("welcomes")
    EXPRESSES_CONCERN = "expresses_concern", _("expresses concern")
    DEPLORES = "deplores", _("deplores")
    OTHER = "other", _("other")


class ObligationKind(models.TextChoices):
    REPORT = "report", _("Report")
    ACTION = "action", _("Action")
    STANDING = "standing", _("Standing")
    DECISION = "decision", _("Decision")
    # "Expresses its intention to consider ...": what the Council means to do, recorded
    # with its outcome, not a decision taken.
    INTENTION = "intention", _("Intention")


class ObligationStatus(models.TextChoices):
    """Stored progress of an obligation. Overdue is never a status: it is derived from deadlines."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    # Its mandate period ended and it was not carried forward (the reason is in its history).
    CLOSED = "closed", _("Closed with its period")

    @classmethod
    def open_values(cls) -> frozenset[str]:
        return frozenset({cls.NOT_STARTED, cls.IN_PROGRESS})

    def allowed_next(self) -> tuple["ObligationStatus", ...]:
        return STATUS_TRANSITIONS[self]


# Closed is reached only by closing an ended period's obligation with a reason
# (`obligation_close`), never by an ordinary status change; it can be reopened.
# Completed and not-applicable can be reopened, because a finished report may be
# reissued or a paragraph may become relevant again; nothing jumps back to "not started"
# once work has been recorded, so progress is never silently erased.
STATUS_TRANSITIONS = {
    ObligationStatus.NOT_STARTED: (
        ObligationStatus.IN_PROGRESS,
        ObligationStatus.COMPLETED,
        ObligationStatus.NOT_APPLICABLE,
    ),
    ObligationStatus.IN_PROGRESS: (
        ObligationStatus.COMPLETED,
        ObligationStatus.NOT_APPLICABLE,
    ),
    ObligationStatus.COMPLETED: (ObligationStatus.IN_PROGRESS,),
    ObligationStatus.NOT_APPLICABLE: (ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS),
    ObligationStatus.CLOSED: (ObligationStatus.IN_PROGRESS,),
}


class TextLanguage(models.TextChoices):
    """The languages a paragraph's text is held in; every one imported is authoritative."""

    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")

    @classmethod
    def of_interface(cls, language_code: str | None) -> "TextLanguage | None":
        """The text language matching an interface language (zh-hans reads Chinese)."""
        code = (language_code or "").split("-")[0].lower()
        return cls(code) if code in cls.values else None

    @property
    def html_lang(self) -> str:
        return "zh-Hans" if self == TextLanguage.CHINESE else self.value
