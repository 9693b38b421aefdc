"""Stage 3, the audit before publishing: Great Expectations suites on the staged rows, the
quarantine of failing rows, and the Data Docs of each validation."""
