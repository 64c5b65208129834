"""Small modules the source checks are run on, to show that each check catches its case."""
