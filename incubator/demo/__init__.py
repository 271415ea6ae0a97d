"""Demo data of the registry and of incubation; `seed_demo` calls `seed()`."""

from incubator.demo import accounts, incubation, organizations, spotchecks


def seed(stdout):
    """Seed the demo organizations, then the incubation bases, residents,
    activities and assessments, the spot checks and credit decisions
    (idempotent). `stdout` receives one line each."""
    organizations.seed(stdout)
    incubation.seed(stdout)
    accounts.seed(stdout)
    spotchecks.seed(stdout)
