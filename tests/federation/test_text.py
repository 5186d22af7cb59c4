"""Plain text of record and register HTML: what every caller relies on."""

from __future__ import annotations

import time

import pytest

from federation.text import plain_text, text_cut


@pytest.mark.parametrize(
    ("rich", "plain"),
    [
        (None, ""),
        ("", ""),
        (
            "<p>R&amp;D in <strong>Eind</strong>hoven</p><p>next</p>",
            "R&D in Eindhoven next",
        ),
        ("Gewoon & tekst", "Gewoon & tekst"),
        ("&lt;b&gt; is not a tag &eacute;&#233;&#x00E9;", "<b> is not a tag ééé"),
        ("a < b > c", "a < b > c"),
        ("<ul><li><em><a href='x'>one</a></em></li><li>two</li></ul>", "one two"),
        ("line<br>break<BR/>again<br />end", "line break again end"),
        ("<h3>Title</h3><p>Body</p>", "Title Body"),
        ("x<script>alert('<p>')</script>y<style>p { x: y }</style>z", "xyz"),
        ("<p onclick='x()' class='c' title='t'>kept</p>", "kept"),
        ("  lots \t of\n\n white&nbsp;space  ", "lots of white space"),
        ("<!-- a comment -->text<p>unclosed", "text unclosed"),
    ],
)
def test_html_becomes_one_line_of_text(rich, plain):
    # given rich text, when made plain, then tags, scripts and extra space go
    assert plain_text(rich) == plain


def test_paragraphs_keep_their_lines():
    # given register text with paragraphs, breaks and a list
    rich = (
        "<div>Een<br>Twee</div><ol><li>drie</li><li> vier </li></ol><p></p><p>vijf</p>"
    )
    # when made plain with paragraphs kept
    text = plain_text(rich, paragraphs=True)
    # then paragraphs are blank-line separated, list items "- " lines
    assert text == "Een\nTwee\n\n- drie\n- vier\n\nvijf"


def test_paragraphs_of_plain_text_keep_its_lines():
    assert plain_text("  Een  \n\n\n\nTwee & drie ", paragraphs=True) == (
        "Een\n\nTwee & drie"
    )


@pytest.mark.parametrize(
    ("limit", "plain"),
    [
        (100, "Het project meet de luchtkwaliteit, per wijk."),
        (45, "Het project meet de luchtkwaliteit, per wijk."),
        (44, "Het project meet de luchtkwaliteit, per…"),
        (36, "Het project meet de luchtkwaliteit…"),
        (35, "Het project meet de…"),
        (20, "Het project meet de…"),
        (19, "Het project meet…"),
        (5, "Het…"),
    ],
)
def test_a_limit_cuts_on_a_word_with_an_ellipsis(limit, plain):
    rich = "<p>Het project meet de <b>luchtkwaliteit</b>, per wijk.</p>"
    text = plain_text(rich, limit=limit)
    assert text == plain
    assert len(text) <= limit


@pytest.mark.parametrize(
    "rich",
    [
        "<p>" * 25_000,
        "<" * 100_000,
        "<p>word</p>" * 10_000,
        # nested as deep as a record's rich text (20,000 characters) allows
        "<div><span>" * 1_800 + "deep" + "</span></div>" * 1_800,
        "&amp;" * 20_000,
    ],
)
def test_very_long_input_is_handled_in_linear_time(rich):
    # given 100 KB of hostile or deeply nested markup
    started = time.perf_counter()
    # when made plain (both ways)
    plain_text(rich)
    plain_text(rich, paragraphs=True, limit=300)
    # then it finishes quickly (a quadratic scan would take minutes)
    assert time.perf_counter() - started < 2


def test_very_long_input_keeps_all_its_text():
    rich = "<p>word &amp; more</p>" * 10_000
    assert plain_text(rich) == " ".join(["word & more"] * 10_000)


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("short", 10, "short"),
        ("Noord-Brabant - Zuid", 15, "Noord-Brabant…"),
        ("een lange zin, met komma", 16, "een lange zin…"),
        ("onafgebroken", 6, "onafg…"),
    ],
)
def test_text_is_cut_on_a_word_with_an_ellipsis(text, limit, cut):
    assert text_cut(text, limit=limit) == cut
