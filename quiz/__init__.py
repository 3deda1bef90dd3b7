"""Leitai (擂台): a quiz and competition engine."""

__version__ = "0.1.0"
