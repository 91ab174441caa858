"""The only code that touches the disk: paths, the TOML format and the session store."""
