"""Adapters around the contest core: contest templates read from YAML files."""
