"""Site configuration, ``site.toml`` (optional), validated once with errors named by key.

::

    title = "Kremlin transcripts"
    description = "Meetings, speeches and press events"
    base_url = "https://user.github.io/repo/"
    language = "en"
    publisher = "President of Russia"
    licence = "CC BY 4.0"
    attribution = "Transcripts: President of Russia, en.kremlin.ru (CC BY 4.0)"
    cname = "transcripts.example.org"     # GitHub Pages custom domain
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .model import Problem, Severity


@dataclass(frozen=True)
class Config:
    title: str = "Podium"
    description: str = "Transcripts of meetings, speeches and press events"
    base_url: str = ""  # absolute, ending in "/"; empty where unknown
    language: str = "en"
    publisher: str = ""
    licence: str = ""
    attribution: str = ""
    cname: str = ""


_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def normalise_base_url(url: str) -> str:
    """The base URL with exactly one trailing slash; raises ValueError if it is not http(s)."""
    url = url.strip()
    if not url:
        return ""
    if not _URL.match(url):
        raise ValueError(f"{url!r} is not an http(s) URL such as https://user.github.io/repo/")
    return url.rstrip("/") + "/"


def load_config(path: Path, base_url: str | None = None) -> tuple[Config, list[Problem]]:
    """Read ``site.toml``; a bad value is reported with its key and the default is kept."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            line = re.search(r"at line (\d+)", str(exc))
            problems.append(
                Problem(
                    path.name,
                    int(line.group(1)) if line else None,
                    Severity.ERROR,
                    f"not valid TOML: {exc}",
                )
            )
            data = {}
        known = {f.name for f in fields(Config)}
        for key, value in data.items():
            if key not in known:
                names = ", ".join(sorted(known))
                message = f"unknown key {key!r} (known: {names})"
                problems.append(Problem(path.name, None, Severity.ERROR, message))
            elif not isinstance(value, str):
                problems.append(
                    Problem(path.name, None, Severity.ERROR, f"{key!r} must be a string")
                )
            else:
                values[key] = value.strip()
    config = replace(Config(), **values)
    checks: list[tuple[str, Callable[[str], str]]] = [
        ("base_url", lambda v: normalise_base_url(base_url if base_url is not None else v)),
        ("language", lambda v: v if _LANGUAGE.match(v) else _fail(f"{v!r} is not a language tag")),
        (
            "cname",
            lambda v: v if not v or _HOST.match(v.lower()) else _fail(f"{v!r} is not a host"),
        ),
        ("title", lambda v: v or _fail("must not be empty")),
    ]
    for key, check in checks:
        try:
            config = replace(config, **{key: check(getattr(config, key))})
        except ValueError as exc:
            where = "--base-url" if key == "base_url" and base_url is not None else path.name
            problems.append(Problem(where, None, Severity.ERROR, f"{key!r}: {exc}"))
            config = replace(config, **{key: getattr(Config(), key)})
    return config, problems


def _fail(message: str) -> str:
    raise ValueError(message)
