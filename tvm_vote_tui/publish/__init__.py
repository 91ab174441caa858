"""Texts published from a session: the [VOTE] announcement and the results. Pure functions."""
