"""The simulator's privacy truth: prompts that carry personal data, with labels no detector wrote.

A scenario's personal prompts (`Workload.personal`) are drawn from the privacy corpus's held-out
test split (`data/privacy/test.jsonl`, `mecrouter.eval.privacy_corpus`), whose labels come from
what its generator wrote into each prompt. The report counts a privacy violation when a
request's *true* level (raised to its use case's floor) is above what the serving endpoint may
see, so a prompt the detector under-rates and the router sends to the cloud is a violation of
mecrouter itself, not a silent success.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

from mecrouter.errors import ConfigError
from mecrouter.types import PrivacyLevel

__all__ = ["USE_CASE_DOMAINS", "personal_prompts"]

# The corpus domains a use case's personal prompts are drawn from (empty: any domain).
USE_CASE_DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "healthcare": ("healthcare",),
    "automotive": ("automotive",),
}
_LEVELS: Final = {
    "public": PrivacyLevel.PUBLIC,
    "sensitive": PrivacyLevel.SENSITIVE,
    "regulated": PrivacyLevel.REGULATED,
}


@functools.lru_cache(maxsize=8)
def personal_prompts(data: Path, use_case: str) -> tuple[tuple[str, PrivacyLevel], ...]:
    """(text, true level) of the test split's prompts that carry personal data, in the use
    case's domains, in file order. A missing corpus is a ConfigError naming the file."""
    from mecrouter.privacy_labels import read_corpus

    path = data / "privacy" / "test.jsonl"
    if not path.is_file():
        raise ConfigError("data", f"privacy corpus not found: {path} (it ships in data/privacy/)")
    domains = USE_CASE_DOMAINS.get(use_case, ())
    pool = tuple(
        (p.text, _LEVELS[p.level])
        for p in read_corpus(path)
        if not p.negative and p.level != "public" and (not domains or p.domain in domains)
    )
    if not pool:
        raise ConfigError("data", f"{path} has no personal prompts for use case {use_case!r}")
    return pool
