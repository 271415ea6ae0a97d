"""Demo data of the registry and of incubation; `seed_demo` calls `seed()`."""

from incubator.demo import (
    accounts,
    incubation,
    inner_mongolia,
    organizations,
    spotchecks,
    supervision,
    targets,
)


def seed(stdout):
    """Seed the demo organizations, then the incubation bases, residents,
    activities and assessments, then supervision (idempotent). `stdout` receives one line each."""
    organizations.seed(stdout)
    inner_mongolia.seed(stdout)
    incubation.seed(stdout)
    accounts.seed(stdout)
    targets.seed(stdout)
    supervision.seed(stdout)
    spotchecks.seed(stdout)
