"""Extra frames and health statements for the privacy corpus's ``dev`` split, written after the
detector had been tuned on train, by writers who saw neither the detector nor train and test.

An independently written set of prompts carrying personal data, identifiers and health content,
as users of an LLM gateway might send them: emails, chats, forms, CSV rows, JSON, code fixtures,
SMS, notes and tickets. They were written without reference to the detector or to the train and
test frames and health statements of `privacy_templates`, so what a detector scores on them
measures how far its rules generalise rather than how well they fit the wording they were tuned on.

The format is `privacy_templates`'s: a frame block starts ``@slug domain[/group]:`` and runs to
the next ``@``; its lines join with spaces, `` ~ `` is a line break and `` ~~ `` a paragraph
break. Health lines are ``Cs[f] text``: category (M A S G D H), shape (n a note about someone,
i the writer about themself), ``f`` if only about a woman.

The negatives (`NEGATIVE_DEV`) are public prompts, private to no one, yet full of what a naive
detector might take for private data: general health knowledge, aggregate statistics, order,
ticket and tracking numbers, logs, hashes, addresses of memory and machines, near misses. Only
unlabelled slots appear in them.

The text is data, in ``privacy_templates_dev.txt`` beside this module: one section per mapping and
language ("POSITIVE_DEV en", "HEALTH_DEV de", "NEGATIVE_DEV fr", ...).

``privacy_templates_dev5.txt`` holds the ``dev5`` split (``POSITIVE_DEV5``, ``HEALTH_DEV5``,
``NEGATIVE_DEV5``): frames, health statements and negatives in the same format, written by three
more writers who were given only the format, the slots and the labelling guide, and read no frame,
statement or rule of the project. ``privacy_templates_dev6.txt`` holds ``dev6`` likewise, by two
more such writers, written after the detector's round on dev5, and ``privacy_templates_dev7.txt``
``dev7``, by three more, written after the round on dev6. ``privacy_templates_dev8.txt`` holds
``dev8``, negatives only (``NEGATIVE_DEV8``), by three more, written after the round on dev7;
``privacy_templates_dev9.txt`` ``dev9`` (``POSITIVE_DEV9``, ``HEALTH_DEV9``, ``NEGATIVE_DEV9``), by
three more, written after the round on dev8; ``privacy_templates_dev10.txt`` ``dev10`` likewise,
by three more, written after the round on dev9; ``privacy_templates_dev11.txt`` ``dev11``,
negatives only (``NEGATIVE_DEV11``) in all 12 languages, by four more, given train's negative
frames as style examples, written after the round on dev10; ``privacy_templates_dev12.txt``
``dev12`` likewise, by four more, after the round on dev11; ``privacy_templates_dev13.txt``
``dev13`` likewise, by four more each on one kind of negative, after the round on dev12;
``privacy_templates_dev14.txt`` ``dev14`` likewise, by four more, after the round on dev13;
``privacy_templates_dev15.txt`` ``dev15`` likewise, by four more, after the sweeps of firms,
towns, requests and suppliers that followed it; ``privacy_templates_dev16.txt`` ``dev16``
likewise, by four more, each given some of train's negative frames to write siblings of in
their language, after the round on dev15.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from mecrouter.textdata import read_sections

__all__ = [
    "HEALTH_DEV",
    "HEALTH_DEV5",
    "HEALTH_DEV6",
    "HEALTH_DEV7",
    "HEALTH_DEV9",
    "HEALTH_DEV10",
    "NEGATIVE_DEV",
    "NEGATIVE_DEV2",
    "NEGATIVE_DEV3",
    "NEGATIVE_DEV4",
    "NEGATIVE_DEV5",
    "NEGATIVE_DEV6",
    "NEGATIVE_DEV7",
    "NEGATIVE_DEV8",
    "NEGATIVE_DEV9",
    "NEGATIVE_DEV10",
    "NEGATIVE_DEV11",
    "NEGATIVE_DEV12",
    "NEGATIVE_DEV13",
    "NEGATIVE_DEV14",
    "NEGATIVE_DEV15",
    "NEGATIVE_DEV16",
    "POSITIVE_DEV",
    "POSITIVE_DEV5",
    "POSITIVE_DEV6",
    "POSITIVE_DEV7",
    "POSITIVE_DEV9",
    "POSITIVE_DEV10",
]

_TEXT: Final = read_sections("mecrouter.eval", "privacy_templates_dev.txt")
_TEXT_DEV5: Final = read_sections("mecrouter.eval", "privacy_templates_dev5.txt")
_TEXT_DEV6: Final = read_sections("mecrouter.eval", "privacy_templates_dev6.txt")
_TEXT_DEV7: Final = read_sections("mecrouter.eval", "privacy_templates_dev7.txt")
_TEXT_DEV8: Final = read_sections("mecrouter.eval", "privacy_templates_dev8.txt")
_TEXT_DEV9: Final = read_sections("mecrouter.eval", "privacy_templates_dev9.txt")
_TEXT_DEV10: Final = read_sections("mecrouter.eval", "privacy_templates_dev10.txt")
_TEXT_DEV11: Final = read_sections("mecrouter.eval", "privacy_templates_dev11.txt")
_TEXT_DEV12: Final = read_sections("mecrouter.eval", "privacy_templates_dev12.txt")
_TEXT_DEV13: Final = read_sections("mecrouter.eval", "privacy_templates_dev13.txt")
_TEXT_DEV14: Final = read_sections("mecrouter.eval", "privacy_templates_dev14.txt")
_TEXT_DEV15: Final = read_sections("mecrouter.eval", "privacy_templates_dev15.txt")
_TEXT_DEV16: Final = read_sections("mecrouter.eval", "privacy_templates_dev16.txt")


def _mapping(name: str, sections: Mapping[str, str] = _TEXT) -> Mapping[str, str]:
    """Language -> text of the sections titled "`name` <language>", in file order."""
    return MappingProxyType(
        {title.split()[1]: text for title, text in sections.items() if title.split()[0] == name}
    )


POSITIVE_DEV: Final = _mapping("POSITIVE_DEV")
HEALTH_DEV: Final = _mapping("HEALTH_DEV")
NEGATIVE_DEV: Final = _mapping("NEGATIVE_DEV")
NEGATIVE_DEV2: Final = _mapping("NEGATIVE_DEV2")
NEGATIVE_DEV3: Final = _mapping("NEGATIVE_DEV3")
NEGATIVE_DEV4: Final = _mapping("NEGATIVE_DEV4")
POSITIVE_DEV5: Final = _mapping("POSITIVE_DEV5", _TEXT_DEV5)
HEALTH_DEV5: Final = _mapping("HEALTH_DEV5", _TEXT_DEV5)
NEGATIVE_DEV5: Final = _mapping("NEGATIVE_DEV5", _TEXT_DEV5)
POSITIVE_DEV6: Final = _mapping("POSITIVE_DEV6", _TEXT_DEV6)
HEALTH_DEV6: Final = _mapping("HEALTH_DEV6", _TEXT_DEV6)
NEGATIVE_DEV6: Final = _mapping("NEGATIVE_DEV6", _TEXT_DEV6)
POSITIVE_DEV7: Final = _mapping("POSITIVE_DEV7", _TEXT_DEV7)
HEALTH_DEV7: Final = _mapping("HEALTH_DEV7", _TEXT_DEV7)
NEGATIVE_DEV7: Final = _mapping("NEGATIVE_DEV7", _TEXT_DEV7)
NEGATIVE_DEV8: Final = _mapping("NEGATIVE_DEV8", _TEXT_DEV8)
POSITIVE_DEV9: Final = _mapping("POSITIVE_DEV9", _TEXT_DEV9)
HEALTH_DEV9: Final = _mapping("HEALTH_DEV9", _TEXT_DEV9)
NEGATIVE_DEV9: Final = _mapping("NEGATIVE_DEV9", _TEXT_DEV9)
POSITIVE_DEV10: Final = _mapping("POSITIVE_DEV10", _TEXT_DEV10)
HEALTH_DEV10: Final = _mapping("HEALTH_DEV10", _TEXT_DEV10)
NEGATIVE_DEV10: Final = _mapping("NEGATIVE_DEV10", _TEXT_DEV10)
NEGATIVE_DEV11: Final = _mapping("NEGATIVE_DEV11", _TEXT_DEV11)
NEGATIVE_DEV12: Final = _mapping("NEGATIVE_DEV12", _TEXT_DEV12)
NEGATIVE_DEV13: Final = _mapping("NEGATIVE_DEV13", _TEXT_DEV13)
NEGATIVE_DEV14: Final = _mapping("NEGATIVE_DEV14", _TEXT_DEV14)
NEGATIVE_DEV15: Final = _mapping("NEGATIVE_DEV15", _TEXT_DEV15)
NEGATIVE_DEV16: Final = _mapping("NEGATIVE_DEV16", _TEXT_DEV16)
