"""The terminal interface of Deal Drift: a Textual app over the Game facade (imported only by `dealdrift play`)."""
