from ._cli import main

# guarded: worker processes started with "spawn" (tonecheck audit) import this module again
if __name__ == "__main__":
    raise SystemExit(main())
