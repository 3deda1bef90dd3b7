"""Self-test rules without I/O: sittings, the wrong-answer book, the daily set, PK host and bot."""
