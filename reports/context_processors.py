from django.utils.functional import SimpleLazyObject

from reports.alerts.selectors import inbox_unread_count


def inbox(request):
    """`inbox_unread_count` for the page header; counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread_count": SimpleLazyObject(lambda: inbox_unread_count(user))}
