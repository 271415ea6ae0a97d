"""Live sections of an organization showcase page, contributed by other apps.

A showcase page shows, under the organization's registry facts, what the other parts
of the platform know about it: the incubation app its stage history (入驻→出壳), the
grants app its awards, the rural-revitalization app its projects' outcomes. Each app
registers a function here::

    @register_showcase_section
    def residency_history(organization):
        return {"template": "incubator/showcase_residencies.html",
                "title": _("Incubation"), "items": [...]}  # or None when empty

The function must run a fixed number of queries and return only public facts (no
personal data, no private evidence).
"""

SHOWCASE_SECTIONS = []


def register_showcase_section(func):
    SHOWCASE_SECTIONS.append(func)
    return func


def showcase_sections(organization):
    sections = (section(organization) for section in SHOWCASE_SECTIONS)
    return [s for s in sections if s]
