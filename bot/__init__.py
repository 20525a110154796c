"""Safeguarding practice assistant."""

__version__ = "0.1.0"
