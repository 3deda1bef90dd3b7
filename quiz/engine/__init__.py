"""The pure contest core: rules, judging and state, with no I/O and standard library only."""
