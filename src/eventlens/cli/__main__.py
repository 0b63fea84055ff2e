"""`python -m eventlens.cli`: the same as the `eventlens` console script."""

from eventlens.cli import main

main()
