"""``python -m siteassess``: the command line (the desktop app once it exists)."""

from siteassess.cli import main

raise SystemExit(main())
