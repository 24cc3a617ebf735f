import re

from django import forms

from reports.dashboard.widgets import QuickSelect


class Form(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "Any"), ("a", "<b>A & co</b>"), ("b", 'Quote "b"')],
        required=False,
        widget=QuickSelect,
    )


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_quick_select_renders_what_django_select_renders():
    for data in ({}, {"choice": "a"}, {"choice": "b"}):
        bound = Form(data)["choice"]
        quick = str(bound)
        bound.field.widget = forms.Select(choices=bound.field.choices)

        assert _markup(quick) == _markup(bound.as_widget())


def test_quick_select_escapes_labels_and_marks_the_choice():
    html = str(Form({"choice": "a"})["choice"])

    assert '<option value="a" selected>&lt;b&gt;A &amp; co&lt;/b&gt;</option>' in html
    assert "Quote &quot;b&quot;" in html
    assert html.count(" selected") == 1
