"""`python -m dressform.cli ARGS`: the same as the `dressform` command."""

from dressform.cli.app import main

if __name__ == "__main__":
    main()
