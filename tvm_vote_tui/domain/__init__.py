"""The vote domain: values, rules, the session model and times. No Textual here."""
