"""The people registry, ``seeds/people.toml``: fixes for what the naming rules get wrong.

::

    [[person]]
    name = "Ilham Aliyev"
    aliases = ["President of the Republic of Azerbaijan Ilham Aliyev", "THE PRESIDENT"]
    roles = [{ title = "President of the Republic of Azerbaijan", from = 2003-10-31 }]

``name`` is the canonical name; ``aliases`` are labels or names that mean
this person; ``roles`` have an optional ``from`` and ``until`` date, so a
role-only label ("The President") resolves to whoever held it that day.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Problem, Severity
from .names import person_key


@dataclass(frozen=True)
class Role:
    title: str
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, date: dt.date | None) -> bool:
        if date is None:
            return self.start is None and self.end is None
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()

    def role_on(self, date: dt.date | None) -> str | None:
        held = [r.title for r in self.roles if r.held_on(date)]
        return held[0] if held else None


@dataclass(frozen=True)
class Known:
    """A registry answer: the canonical name, and the role held on the document's date."""

    name: str
    role: str | None


@dataclass(frozen=True)
class Registry:
    people: tuple[Person, ...] = ()

    def _by_key(self) -> dict[str, Person]:
        index: dict[str, Person] = {}
        for person in self.people:
            for alias in (person.name, *person.aliases):
                index.setdefault(person_key(alias), person)
        return index

    def lookup(self, label_or_name: str, date: dt.date | None) -> Known | None:
        """The person a label or name means, or None if the registry does not say."""
        person = self._by_key().get(person_key(label_or_name))
        return None if person is None else Known(person.name, person.role_on(date))

    def holder(self, role: str, date: dt.date | None) -> str | None:
        """The one person holding ``role`` (compared without case and a leading "the")."""
        wanted = re.sub(r"^the\s+", "", role.casefold())
        holders = {
            p.name
            for p in self.people
            for r in p.roles
            if re.sub(r"^the\s+", "", r.title.casefold()) == wanted and r.held_on(date)
        }
        return holders.pop() if len(holders) == 1 else None


def _header_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[person]]"]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    raise ValueError(f"{value!r} is not a date (write it as 2020-11-21, without quotes)")


def _person(entry: Any) -> Person:
    if not isinstance(entry, dict):
        raise ValueError("each [[person]] must be a table")
    unknown = set(entry) - {"name", "aliases", "roles"}
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} (expected name, aliases, roles)")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a person needs a 'name' (a string)")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError("'aliases' must be a list of strings")
    roles = []
    for role in entry.get("roles", []):
        if not isinstance(role, dict) or not isinstance(role.get("title"), str):
            raise ValueError("each role needs a 'title' (a string)")
        roles.append(Role(role["title"], _date(role.get("from")), _date(role.get("until"))))
    return Person(" ".join(name.split()), tuple(aliases), tuple(roles))


def load_registry(path: Path, source: str = "people.toml") -> tuple[Registry, list[Problem]]:
    """Read the registry; each bad entry is reported with its line and left out."""
    if not path.is_file():
        return Registry(), []
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        return Registry(), [
            Problem(
                source,
                int(match.group(1)) if match else None,
                Severity.ERROR,
                f"not valid TOML: {str(exc).split(' (at line')[0]}",
            )
        ]
    problems: list[Problem] = []
    entries = data.get("person", [])
    unknown = set(data) - {"person"}
    if unknown or not isinstance(entries, list):
        problems.append(Problem(source, 1, Severity.ERROR, "expected only [[person]] tables"))
        entries = entries if isinstance(entries, list) else []
    lines = _header_lines(text)
    people = []
    for index, entry in enumerate(entries):
        try:
            people.append(_person(entry))
        except ValueError as exc:
            line = lines[index] if index < len(lines) else None
            problems.append(Problem(source, line, Severity.ERROR, f"person {index + 1}: {exc}"))
    return Registry(tuple(people)), problems
