"""Text data shipped inside the package (vocabularies, corpus frames), read by section."""

from __future__ import annotations

from importlib.resources import files

__all__ = ["read_sections"]


def read_sections(package: str, name: str) -> dict[str, str]:
    """The sections of the package file `name`: a line ``=== title`` starts a section, which runs
    to the next one; lines starting with ``#`` before the first section are comments."""
    text = files(package).joinpath(name).read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    title = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("=== "):
            if title is not None:
                sections[title] = "\n".join(lines).strip("\n")
            title, lines = line[4:].strip(), []
        elif title is not None:
            lines.append(line)
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"{name}: text before the first section: {line[:60]!r}")
    if title is not None:
        sections[title] = "\n".join(lines).strip("\n")
    return sections
