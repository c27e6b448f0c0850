"""Podium: transcripts of meetings, speeches and press events to a cross-linked static site."""

__version__ = "0.1.0"
