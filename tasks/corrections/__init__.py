"""The analyst's corrections of published facts: a ledger beside the warehouse, applied at every publish."""
