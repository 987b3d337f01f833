"""`python -m sim`: the engine's commands (run, batch, scenario) without the terminal UI."""

import sys

from sim.commands.main import main

sys.exit(main())
