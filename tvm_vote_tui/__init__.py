"""tvm-vote-tui: run an Apache-style vote from the terminal."""

__version__ = "0.1.0"
