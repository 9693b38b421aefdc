"""Stage 4, publishing: the run's rows on disk until they are loaded, then DuckDB staging →
one transaction → the published star schema."""
