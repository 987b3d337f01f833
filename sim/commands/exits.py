"""Exit codes of every `dealdrift` command."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # bad input or a failed run: the message says what
EXIT_USAGE = 2  # a misused command line
EXIT_INTERRUPTED = 130  # Ctrl-C
