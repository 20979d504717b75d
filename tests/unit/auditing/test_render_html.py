"""The report as one self-contained HTML page: no network, everything escaped."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from liaison.auditing.report.render_html import render_html
from liaison.auditing.report.tally import (
    Report,
)
from liaison.core.errors import InvalidInput
from tests.unit.auditing.report_log import (
    GENERATED,
    XSS,
)


def test_html_is_self_contained_and_needs_no_network(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED).lower()
    for reference in (
        "http://",
        "https://",
        "<script",
        "<link",
        "src=",
        "href=",
        "url(",
        "@import",
    ):
        assert reference not in page
    assert page.count("<svg") == 4  # per day, per agency, per purpose, partner statuses
    assert "<rect" in page


def test_html_escapes_every_text_from_the_log(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Only the tags the renderer writes itself.
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", page))
    assert tags <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "section",
        "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "svg", "rect",
        "line", "text",
    }  # fmt: skip


def test_html_title_names_the_period_and_generation_time(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    title = "Liaison audit report 2025-03-01 to 2025-03-05 (generated 2025-03-06T08:30:00.000Z)"
    assert f"<title>{title}</title>" in page
    assert "<h1>Liaison audit report, 2025-03-01 to 2025-03-05</h1>" in page


def test_html_shows_erasures_with_their_cut_off_time(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    assert '<td>0-9</td><td class="n">10</td><td>2023-11-14T22:13:20.000Z</td>' in page


def test_html_generation_time_must_be_aware(report: Report) -> None:
    with pytest.raises(InvalidInput):
        render_html(report, generated_at=datetime(2025, 3, 6))


def test_html_lists_the_alerts_by_requester_partner_and_limit(report: Report) -> None:
    page = render_html(report, generated_at=GENERATED)
    section = page[page.index("<h2>Alerts</h2>") :].split("</section>")[0]
    row = (
        '<tr><td>NL</td><td>FR</td><td>daily key budget</td><td class="n">2</td>'
        '<td class="n">4</td><td class="n">6</td></tr>'
    )
    assert row in section
    assert section.count("<tr>") == 4  # the heading and three groups
