"""The about page, ``seeds/about.md``: Markdown, with code highlighted by Pygments."""

from __future__ import annotations

from pathlib import Path

from .model import Problem, Severity


def read_about(seeds: Path, problems: list[Problem]) -> str | None:
    """The about page's HTML, or None where there is no ``about.md``."""
    path = seeds / "about.md"
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem("about.md", None, Severity.ERROR, f"cannot read it: {exc}"))
        return None
    import markdown  # here, as the Markdown reader is (see ``generator.readers``)

    from .readers.markdown import untrusted

    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "codehilite", untrusted()],
        extension_configs={"codehilite": {"guess_lang": False}},
    )
    return converter.convert(text)


def pygments_version() -> str:
    """The version of Pygments: what :func:`pygments_css` depends on."""
    import pygments

    return str(pygments.__version__)


def pygments_css() -> str:
    """The highlighting styles, generated at build time for the about page's code.

    Making them loads Pygments' formatters and looks for its plugins: 20 ms,
    which a rebuild spares when :func:`pygments_version` is the last build's.
    """
    from pygments.formatters import HtmlFormatter  # here, as Python-Markdown is

    formatter = HtmlFormatter(style="default")
    return str(formatter.get_style_defs(".codehilite")) + "\n"  # type: ignore[no-untyped-call]
