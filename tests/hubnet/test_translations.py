"""Every page speaks the visitor's language: templates hold no text outside a
translation tag, the Dutch, French and German catalogues hold every message of
the source, complete and compiled, and the language switcher and the JavaScript
catalogue serve them."""

import gettext
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.utils import translation

from tests.hubnet.po_files import PoEntry, po_entries
from tests.hubnet.template_text import untranslated_text

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "hubnet" / "locale"
TEMPLATES = sorted(
    path
    for path in ROOT.glob("*/templates/**/*.html")
    if path.parts[len(ROOT.parts)] not in {".venv", "var", "node_modules"}
)
DOMAINS = ("django", "djangojs")
# Where makemessages looks; the same list the maintainers' command uses.
IGNORED = [
    ".venv/*",
    "var/*",
    "tests/*",
    "bench/*",
    "docs/*",
    "node_modules/*",
    "search/static/search/vendor/*",
    "search/node/*",
    "hubnet/locale/*",
]
LANGUAGES = ["nl", "fr", "de"]


def test_the_templates_are_found():
    # the scan below covers the public site, the editors' admin pages and base
    names = {path.relative_to(ROOT).as_posix() for path in TEMPLATES}
    assert {
        "hubnet/templates/base.html",
        "search/templates/search/search.html",
        "search/templates/search/partners.html",
        "search/templates/search/insight.html",
        "cms/templates/cms/record_base.html",
        "federation/templates/federation/admin/neighbour_detail.html",
        "search/templates/search/admin/dead_letters.html",
    } <= names


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=[str(p.relative_to(ROOT)) for p in TEMPLATES]
)
def test_a_template_has_no_text_outside_a_translation_tag(template):
    assert untranslated_text(template) == []


def test_the_scan_finds_text_attributes_and_shown_literals(tmp_path):
    # given a template with English text, a read attribute and a shown literal
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}<h1>Results</h1>"
        '<nav aria-label="Pages">{% translate "Next" %}</nav>'
        '<img alt="{% translate \'Map\' %}"><input placeholder="e.g. NL414">'
        '{{ value|default:"none yet" }}{{ code|default:"none"|vocab:"x" }}'
        "<p>{% blocktranslate %}{{ n }} found{% endblocktranslate %} · hubnet</p>"
        "{% comment %}Not shown{% endcomment %}<script>var a = 'text';</script>"
    )
    # then exactly the untranslated pieces are reported
    # (literals of tags first, then the text and attributes, each in order)
    assert untranslated_text(template) == [
        '{{ value|default:"none yet" }}',
        "Results",
        '<nav aria-label="Pages">',
        '<input placeholder="e.g. NL414">',
    ]


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> dict[str, dict[tuple, PoEntry]]:
    """The messages of the source, per domain, freshly extracted (a catalogue
    made by ``makemessages`` into a temporary locale directory)."""
    out = tmp_path_factory.mktemp("locale")
    current = Path.cwd()
    try:
        os.chdir(ROOT)
        with override_settings(LOCALE_PATHS=[out]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=["en"],
                    domain=domain,
                    ignore_patterns=IGNORED,
                    verbosity=0,
                )
    finally:
        os.chdir(current)
    return {
        domain: {
            entry.key: entry
            for entry in po_entries(out / "en" / "LC_MESSAGES" / f"{domain}.po")
            if entry.msgid
        }
        for domain in DOMAINS
    }


def test_the_source_has_messages_in_both_domains(source_messages):
    # a sample from each kind of source: Python, templates, JavaScript
    assert (None, "Find partners", None) in source_messages["django"]
    assert (None, "Add neighbour", None) in source_messages["django"]
    assert (None, "Zoom in", None) in source_messages["djangojs"]
    assert (None, "%s row", "%s rows") in source_messages["djangojs"]


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", text))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalogue_is_complete(source_messages, language, domain):
    # given the catalogue of a language
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    entries = po_entries(path)
    header = entries[0]
    translated = {entry.key: entry for entry in entries[1:]}
    # then its header is final and names the language
    assert header.msgid == ""
    assert not header.fuzzy
    assert f"Language: {language}\n" in header.msgstr[0]
    # and it holds every message of the source, none fuzzy, none empty
    assert sorted(set(source_messages[domain]) - set(translated)) == []
    assert [e.msgid for e in translated.values() if e.fuzzy] == []
    assert [e.msgid for e in translated.values() if not e.translated] == []
    # and keeps the placeholders of each message (a singular form may leave
    # out the count of a plural message)
    for key, entry in translated.items():
        if entry.msgid_plural is None:
            assert _placeholders(entry.msgstr[0]) == _placeholders(entry.msgid), key
            continue
        for text in entry.msgstr.values():
            assert set(_placeholders(text)) <= set(_placeholders(entry.msgid_plural))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_committed_mo_is_compiled_from_the_po(language, domain):
    # given the catalogue and its compiled form, as committed
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    # then every translated, non-fuzzy message of the .po is in the .mo as is
    expected: dict[object, str] = {}
    for entry in po_entries(folder / f"{domain}.po")[1:]:
        if entry.fuzzy or not entry.translated:
            continue
        msgid = entry.msgid
        if entry.msgctxt is not None:
            msgid = f"{entry.msgctxt}\x04{msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, n): text for n, text in entry.msgstr.items()})
    assert {key: catalog.get(key) for key in expected} == expected
    # and the .mo holds nothing the .po no longer has
    assert set(catalog) - {""} == set(expected)


def _base_page(language: str) -> str:
    request = RequestFactory().get("/search/")
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return render_to_string("base.html", request=request)


def test_the_switcher_offers_each_language_in_its_own_name():
    html = _base_page("nl")
    form = re.search(r'<form class="language".*?</form>', html, re.S).group(0)
    # a labelled control posting to set_language, with a button for keyboards
    assert 'action="/i18n/setlang/" method="post"' in form
    assert '<label for="language-select" class="visually-hidden">Taal</label>' in form
    assert '<button type="submit">Wijzigen</button>' in form
    options = re.findall(r'<option value="(\w+)" lang="\w+"( selected)?>([^<]+)<', form)
    assert options == [
        ("en", "", "English"),
        ("nl", " selected", "Nederlands"),
        ("fr", "", "Français"),
        ("de", "", "Deutsch"),
    ]
    assert '<html lang="nl">' in html


@pytest.mark.django_db
def test_the_chosen_language_is_kept_and_served_to_javascript():
    client = Client()
    # when a visitor chooses Dutch
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    # then the JavaScript catalogue speaks Dutch
    catalogue = client.get("/jsi18n/").content.decode()
    assert '"Zoom in": "Inzoomen"' in catalogue
    assert '"%s row": [\n      "%s rij",\n      "%s rijen"\n    ]' in catalogue
    # and in English it has nothing to translate
    english = Client(headers={"accept-language": "en"}).get("/jsi18n/")
    assert "Inzoomen" not in english.content.decode()
