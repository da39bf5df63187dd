"""``python -m siteassess`` and the ``siteassess`` command: the desktop app or the CLI.

``siteassess`` with no arguments opens the app, ``siteassess project.toml`` opens it on a
project (what a file association runs), ``siteassess gui [project.toml]`` too; ``siteassess
score ...`` and the other sub-commands run the command line. The app is launched here, so
that the command line (``siteassess.cli``) never imports the UI.
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
    if args[0] == "--self-test":
        # Checks an installation end to end, the app's map included (siteassess.selftest).
        from siteassess.selftest import run_self_test

        return run_self_test(map_check="--no-map" not in args)
    from siteassess.cli import build_parser
    from siteassess.cli import main as cli_main

    if args[0] == "gui":
        parsed = build_parser().parse_args(args)  # --help and bad arguments exit here
        from siteassess.ui.app import run

        return run(str(parsed.project) if parsed.project else None, t0=start)
    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
