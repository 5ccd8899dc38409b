"""What an "About" section tells of deals: the company it is about, or the deal it tells."""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.ingest.document import Document, Section
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.resolve import normalise_name
from biodeals.nlp.spans import Entity


def section_subject(title: str, analysis: Analysis) -> Entity | None:
    """The company an "About <Company>" section is about: the one its title names."""
    key = normalise_name(title.removeprefix("the ").strip())
    if not key:
        return None
    return next(
        (c for c in analysis.of("company") if key in {normalise_name(n) for n in (c.name, *c.aliases)}),
        None,
    )


# "About Merck and NGM's Collaboration": a section that tells one deal's story, no boilerplate
_DEAL_HEADING = fastre.compile(
    r"\b(?:collaboration|agreement|partnership|alliance|licen[cs]e|acquisition|merger|transaction)s?\b", re.I
)


def deal_section_sides(document: Document, section: Section | None, analysis: Analysis, start: int) -> list[Entity]:
    """The companies the heading of an "About the A and B collaboration" section names: the
    sides of every deal sentence of its story (up to the next bold heading, "**Merck's Focus on
    Cancer**") that names no other company ([] elsewhere)."""
    if section is None or section.kind != "about" or not _DEAL_HEADING.search(section.title):
        return []
    title_at = document.text.find(section.title, section.start, section.end)
    if title_at < 0:
        return []
    heading_end = title_at + len(section.title)
    closing = document.text.find("**", heading_end, heading_end + 3)  # the heading's own closing mark
    story_end = document.text.find("**", closing + 2 if closing >= 0 else heading_end, section.end)
    if story_end >= 0 and start >= story_end:
        return []
    sides = analysis.within("company", section.start, heading_end)
    return sides if len(sides) == 2 else []
