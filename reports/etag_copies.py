"""The copies in Redis of the ETags of obligations and deadlines (mandate_tracker.copies),
and the writes that withdraw them.

The API's conditional GETs (reports.api.middleware) answer "not modified" from these
copies without a query. An ETag is made of the row's version and, for an obligation, its
next deadline (the deadline summary): every write to those goes through a model's save or
delete, which the signals below hold and release, or through `deadline_summaries_refresh`,
which withdraws its obligations itself. A write that bypassed both (a queryset `update()`
of a version, raw SQL) would not move the API's ETags either: the services never do it.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from mandate_tracker import copies
from paragraphs.models import Obligation
from reports.models import Deadline

KINDS = {Obligation: "obligation", Deadline: "deadline"}
# Where a save or delete keeps its hold's nonce between the pre_ and post_ signals.
NONCE = "_etag_copy_nonce"


def name(kind: str, pk: int) -> str:
    return f"etag:{kind}:{pk}"


def withdraw_obligations(ids) -> None:
    """Inside the transaction that changes these obligations' next deadlines."""
    copies.withdraw([name("obligation", pk) for pk in ids])


def _hold(sender, instance, **kwargs) -> None:
    if instance.pk is not None:  # a new row has no copy, and no name yet
        setattr(instance, NONCE, copies.hold([name(KINDS[sender], instance.pk)]))


def _release(sender, instance, **kwargs) -> None:
    nonce = instance.__dict__.pop(NONCE, None)
    if nonce is not None:
        names = [name(KINDS[sender], instance.pk)]
        # After the commit; at once when there is no transaction (the write is committed).
        transaction.on_commit(lambda: copies.release(names, nonce))


def connect() -> None:
    steps = [(pre_save, _hold), (post_save, _release), (pre_delete, _hold), (post_delete, _release)]
    for model, kind in KINDS.items():
        for number, (signal, receiver) in enumerate(steps):
            signal.connect(receiver, sender=model, dispatch_uid=f"etag-copy-{kind}-{number}")
