"""Reads of outcome reports: the evidence a report still lacks."""


def report_missing_evidence(report):
    """Indicators with an actual whose required evidence is not attached (a list of
    Indicator, in line order)."""
    attached = set(report.evidence.values_list("indicator_id", flat=True))
    missing = []
    for line in report.lines.select_related("indicator"):
        if line.has_actual and line.indicator.requires_evidence:
            if line.indicator_id not in attached:
                missing.append(line.indicator)
    return missing
