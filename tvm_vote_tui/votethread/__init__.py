"""Vote-thread import: read a GitHub issue through its API (github.py, the only code that touches
the network) or split a copied page or mail into posts, find each author's vote, match authors to
the roster and propose ballots for review. No Textual; nothing here records a ballot."""
