"""Vote-thread import: split a GitHub issue or mail thread into messages, find each author's
vote, match authors to the roster and propose ballots for review. No Textual, no network."""
