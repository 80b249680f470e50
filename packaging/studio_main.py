"""Entry point of the frozen (PyInstaller) Studio app: the same as the `studio` console script."""
import multiprocessing
import sys

if __name__ == "__main__":
    # `studio batch` starts its workers with the spawn context, which re-runs this executable:
    # freeze_support() turns such a run into the worker instead of a second CLI
    multiprocessing.freeze_support()
    from studio.cli import main

    sys.exit(main())
