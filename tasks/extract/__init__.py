"""Stage 2, extraction: normalized text → articles, sentences → numbers → facts (value, unit,
qualifier, subject, indicator, region, period), and a file's or a batch's processing end to end."""
