"""Funding demo data, run through the real services (idempotent): the Hunan and
Shaanxi calls (`calls`), the Hunan awards and the Suzhou and Inner Mongolia
purchases (`awards`), the demo organization's online applications (`portal`). `seed(stdout)` is what `manage.py seed_demo` runs."""

from funding.demo.awards import seed_awards, seed_purchases
from funding.demo.calls import experts, manager, seed_hunan, seed_shaanxi
from funding.demo.performance import seed as seed_performance
from funding.demo.portal import seed_portal
from funding.demo.portal_awards import seed_portal_award


def seed(stdout):
    """Create the funding demo data; writes one line per step to `stdout`."""
    reviewers = experts()
    fund_manager = manager()
    seed_hunan(stdout, reviewers, fund_manager)
    seed_shaanxi(stdout, reviewers, fund_manager)
    seed_awards(stdout, fund_manager)
    seed_purchases(stdout, fund_manager)
    seed_portal(stdout, fund_manager)
    seed_portal_award(stdout, fund_manager)
    seed_performance(stdout, fund_manager)
