"""Creates the viewer, analyst and manager groups with their permissions.

The permission lists are written out here, not imported, so this migration keeps meaning
what it meant when it was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "paragraphs.view_resolution",
    "paragraphs.view_paragraph",
    "paragraphs.view_actor",
    "paragraphs.view_obligation",
    "reports.view_schedule",
    "reports.view_deadline",
]
EDIT = ["paragraphs.change_obligation", "reports.change_deadline"]
MANAGE = [
    "paragraphs.assign_obligation",
    "reports.add_schedule",
    "reports.change_schedule",
    "reports.delete_schedule",
]
ROLES = {"viewer": VIEW, "analyst": VIEW + EDIT, "manager": VIEW + EDIT + MANAGE}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("paragraphs", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
