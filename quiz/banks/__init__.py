"""Question banks: YAML in, validated banks out."""
