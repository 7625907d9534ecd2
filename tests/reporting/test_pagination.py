"""Headings never end a page, and they know the table that follows them."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table

from clinic_app.reporting.pagination import Heading, link_headings

STYLE = ParagraphStyle("h", fontName="Helvetica", fontSize=12, leading=14)


def test_heading_claims_the_rest_of_the_frame_when_room_is_short() -> None:
    """With less than its room left, a heading reports a height that forces a move to the next page."""
    heading = Heading("Title", STYLE, room=80)
    assert heading.wrap(400, 1000)[1] == 14
    assert heading.wrap(400, 60)[1] > 60
    assert heading.split(400, 60) == []


def test_heading_followed_by_a_table_needs_its_first_rows() -> None:
    """A tall first table row raises the space a heading needs below itself."""
    tall = Table([["Header"], [Paragraph("line<br/>" * 20, STYLE)]])
    story = link_headings([Heading("Title", STYLE, room=10), tall])
    heading = story[0]
    assert isinstance(heading, Heading) and heading.follower is tall
    assert heading.need_below(400) > 20 * 14
    assert heading.wrap(400, 200)[1] > 200  # not enough for header + first row: move on
