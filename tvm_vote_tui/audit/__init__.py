"""Checking results: a published [RESULT] against itself, its thread and a roster (`audit`), and
our own exports against the result texts made from them (`verify`). Pure: no I/O, no network."""
