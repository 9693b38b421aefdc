"""Stage 5, reporting: the analyst's HTML report, its charts, and the run's own summary and
progress."""
