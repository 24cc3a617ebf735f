"""Stored JSON of obligations for the API's lists, and the generation that outdates it
(its one row is made by the first change that raises it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('paragraphs', '0004_api_tokens'),
        ('reports', '0009_summary_for_every_obligation'),
    ]

    operations = [
        migrations.CreateModel(
            name='ObligationJson',
            fields=[
                ('obligation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='stored_json', serialize=False, to='paragraphs.obligation', verbose_name='obligation')),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('next_deadline', models.DateField(null=True, verbose_name='next deadline')),
                ('generation', models.PositiveBigIntegerField(verbose_name='generation')),
                ('body', models.TextField(verbose_name='body')),
            ],
            options={
                'verbose_name': 'stored obligation JSON',
                'verbose_name_plural': 'stored obligation JSON',
            },
        ),
        migrations.CreateModel(
            name='ObligationJsonGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.PositiveBigIntegerField(default=0, verbose_name='value')),
            ],
            options={
                'verbose_name': 'stored obligation JSON generation',
                'verbose_name_plural': 'stored obligation JSON generation',
            },
        ),
    ]
