import pytest
from django.contrib.auth.models import Group

from paragraphs import roles

pytestmark = pytest.mark.django_db


def _perms(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_role_groups_are_created_by_migration_with_widening_permissions():
    viewer, analyst, manager = _perms("viewer"), _perms("analyst"), _perms("manager")

    assert "paragraphs.view_obligation" in viewer
    assert not any(p.split(".")[1].startswith(("change", "add", "delete")) for p in viewer)
    assert analyst - viewer == {"paragraphs.change_obligation", "reports.change_deadline"}
    assert manager - analyst == {
        "paragraphs.assign_obligation",
        "reports.add_schedule",
        "reports.change_schedule",
        "reports.delete_schedule",
        "reports.add_webhook",
        "reports.delete_webhook",
        "paragraphs.add_apitoken",
        "paragraphs.change_apitoken",
        "paragraphs.view_apitoken",
    }


def test_role_checks(viewer, analyst, manager, outsider):
    matrix = {
        user.username: (
            roles.can_view(user),
            roles.can_edit_obligations(user),
            roles.can_assign(user),
            roles.can_edit_schedules(user),
            roles.can_manage_api_tokens(user),
        )
        for user in (outsider, viewer, analyst, manager)
    }

    assert matrix == {
        "olga-outsider": (False, False, False, False, False),
        "vera-viewer": (True, False, False, False, False),
        "ana-analyst": (True, True, False, False, False),
        "max-manager": (True, True, True, True, True),
    }
