"""Vote-thread import: split a GitHub issue read through its API (by `venues.github`), a copied page
or mail into posts, find each author's vote, match authors to the roster and propose ballots for
review. Pure: no Textual, no network; nothing here records a ballot."""
