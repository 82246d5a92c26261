"""`python -m noticecheck.cli` runs the command line (used by the tests)."""

from noticecheck.cli import main

main()
