"""Storage: the database schema, migrations, and the repositories that move data in and out."""
