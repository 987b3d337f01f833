"""The terminal interface of Deal Drift: a Textual app over the Game facade (loaded only by the play and debrief commands)."""
