"""A reader of gettext ``.po`` files, enough to check a catalogue's completeness.

Reads what ``makemessages`` writes: comments, flags, ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr`` and ``msgstr[n]`` with continued lines; obsolete
entries (``#~``) are left out.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    """One message of a catalogue (the header is the entry with msgid "")."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _field_of(keyword: str) -> tuple[str, int]:
    if keyword.startswith("msgstr["):
        return "msgstr", int(keyword[len("msgstr[") : -1])
    return keyword, 0


def po_entries(path: Path) -> list[PoEntry]:
    """The entries of the ``.po`` file at ``path``, header included, in order."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    started = False
    target: tuple[str, int] | None = None

    def store(text: str) -> None:
        assert target is not None
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started:
                entries.append(entry)
                entry, started, target = PoEntry(), False, None
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            store(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgid", "msgctxt"} and started and target[0] == "msgstr":
            entries.append(entry)
            entry = PoEntry()
        started = True
        target = _field_of(keyword)
        if target[0] == "msgstr":
            entry.msgstr.setdefault(target[1], "")
        store(ast.literal_eval(rest))
    if started:
        entries.append(entry)
    return entries
