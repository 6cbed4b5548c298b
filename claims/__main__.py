"""`python -m claims`: the `claims` command."""

from claims.cli import main

raise SystemExit(main())
