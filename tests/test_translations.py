"""The interface is complete in French and Chinese: catalogs and the rendered core pages."""

import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = {
    "fr": ROOT / "locale" / "fr" / "LC_MESSAGES",
    "zh-hans": ROOT / "locale" / "zh_Hans" / "LC_MESSAGES",
}


class _Text(HTMLParser):
    """Visible text nodes and the accessible attributes of a page, each stripped."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value:
                self.texts.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()).rstrip(":"))


def _texts(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


@pytest.mark.parametrize("language", list(CATALOGS))
def test_catalog_is_complete_and_compiled(language):
    po = polib.pofile(str(CATALOGS[language] / "django.po"))
    mo = polib.mofile(str(CATALOGS[language] / "django.mo"))

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    compiled = {(e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    assert {
        (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    } <= compiled, "django.mo is older than django.po: run `make messages`"


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(CATALOGS))
def test_core_pages_have_no_untranslated_interface_text(manager, res2692, language):
    catalog = polib.pofile(str(CATALOGS[language] / "django.po"))
    # Each language is offered under its own name in the switcher, on every page.
    msgids = {e.msgid for e in catalog if e.msgstr} - {"English"}
    obligation = res2692.paragraphs.get(number=18).obligations.get()
    pages = [
        "/accounts/password_change/",
        f"/resolutions/{res2692.pk}/",
        f"/obligations/{obligation.pk}/",
    ]
    english, translated = Client(), Client()
    for client in (english, translated):
        client.force_login(manager)
    translated.post("/i18n/setlang/", {"language": language})

    for page in pages:
        shown_in_english = _texts(english.get(page).content.decode()) & msgids
        still_english = _texts(translated.get(page).content.decode()) & shown_in_english

        assert len(shown_in_english) > 5, page
        assert still_english == set(), page


def test_catalogs_hold_every_string_of_the_code(tmp_path, settings, monkeypatch):
    """A string added to a template or to Python without `make messages` would show in
    English on French and Chinese pages: extract afresh, beside a copy of the catalogs,
    and compare."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    for source in ("mandate_tracker", "paragraphs", "reports", "templates"):
        (tmp_path / source).symlink_to(ROOT / source)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["fr"], symlinks=True, verbosity=0)

    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGS["fr"] / "django.po"))}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"
