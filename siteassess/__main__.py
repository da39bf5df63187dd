"""``python -m siteassess``: the desktop app with no arguments (or a project file), else the CLI.

``python -m siteassess`` opens the app, ``python -m siteassess project.toml`` opens it on a
project (what a file association runs), and ``python -m siteassess score ...`` and the
other sub-commands run the command line.
"""

import sys
import time


def main() -> int:
    """Start the app or the command line."""
    start = time.perf_counter()
    args = sys.argv[1:]
    if not args or (len(args) == 1 and args[0].lower().endswith(".toml")):
        from siteassess.ui.app import run

        return run(args[0] if args else None, t0=start)
    from siteassess.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
