import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Managers create, list and revoke tokens (paragraphs.roles.can_manage_api_tokens). Written
# out here, like the role groups of reports 0002, so this migration keeps its meaning.
TOKEN_PERMISSIONS = ["add_apitoken", "change_apitoken", "view_apitoken"]


def grant_managers(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("paragraphs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # The group may not exist yet (reports 0002 creates the roles); both sides get_or_create.
    manager, _ = Group.objects.get_or_create(name="manager")
    manager.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="paragraphs", codename__in=TOKEN_PERMISSIONS
        )
    )


def revoke_managers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="manager"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="paragraphs", codename__in=TOKEN_PERMISSIONS
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('paragraphs', '0003_evidence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Which system uses it, e.g. “DPPA warehouse”.', max_length=100, verbose_name='name')),
                ('read_only', models.BooleanField(default=True, verbose_name='read-only')),
                ('prefix', models.CharField(editable=False, max_length=12, unique=True, verbose_name='prefix')),
                ('digest', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 digest')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used at')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked at')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='acts as')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.RunPython(grant_managers, revoke_managers),
    ]
