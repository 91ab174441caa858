"""The venues a vote lives at, and the only code in the package that touches the network: one
module per service (github.py: read and post issues through the REST API). The CLI and the app
both call it; what it reads goes to `votethread` for parsing, which stays pure."""
