"""A plain pure-Python implementation of census-2015 over flat count rows: the baseline pucha is compared with.

It implements the same table and readings as rules/packs/census-2015.toml for complete counts-only rows (it has no
notion of missing data, evidence or text), exactly, with integer tenths of points.
"""

from fractions import Fraction


def _tenths_half_up(x: Fraction) -> int:
    """x points in whole tenths, rounded half up."""
    t = x * 10
    return (t.numerator * 2 + t.denominator) // (2 * t.denominator)


def score_row(row, proration="linear"):
    """Return (verdict, score or None, total_deduction, {rule: points}) for one flat row (a dict)."""
    g = lambda k, d=0: row.get(k, d) if row.get(k) is not None else d  # noqa: E731
    portal = g("site.kind", "other") == "portal"
    visits, failures = g("availability.visits"), g("availability.failures")
    rate = Fraction(failures, visits)
    home, other = g("links.homepage_broken"), g("links.other_broken")
    updates = g("homepage.updates_in_window")
    dyn, notice, policy = g("columns.stale.dynamics"), g("columns.stale.notice"), g("columns.stale.policy")
    plan, personnel = g("columns.stale.plan"), g("columns.stale.personnel")
    blank, overdue, inaccurate = g("columns.blank"), g("columns.overdue"), g("columns.inaccurate")
    valid, late = g("interaction.consultation.valid_messages"), g("interaction.consultation.overdue_messages")
    c_exists = g("interaction.consultation.exists", True)
    s_exists, s_usable, s_act = g("interaction.survey.exists", True), g("interaction.survey.usable", True), g("interaction.survey.activities")
    i_exists, i_usable, i_act = g("interaction.interview.exists", True), g("interaction.interview.usable", True), g("interaction.interview.activities")
    confirmed = g("content.confirmed")

    vetoes = []
    if rate >= Fraction(1, 20):
        vetoes.append("site-unreachable")
    if updates == 0:
        vetoes.append("site-not-updated")
    if dyn + notice + policy >= 5 or overdue >= 10 or blank >= 5:
        vetoes.append("columns-not-updated")
    if confirmed >= 1:
        vetoes.append("serious-error")
    if late >= 1:
        vetoes.append("poor-response")

    pct = rate * 100
    if proration != "linear":
        pct = Fraction(pct.numerator // pct.denominator)
    minimum = 6 if portal else 3
    points = {
        # At 5 % (and at 0 new items) the veto applies in the deduction's place: no points ("veto instead").
        "homepage-availability": 0 if rate >= Fraction(1, 20) else _tenths_half_up(5 * pct),
        "link-availability": 10 * home + other,
        "homepage-updates": 50 if 0 < updates < 10 else 0,
        "basic-info": 30 * dyn + 40 * (notice + policy) + 50 * (plan + personnel) + 10 * inaccurate,
        "consultation": 50 if (not c_exists or valid == 0) else 0,
        "survey": 50 if (not s_exists or not s_usable or s_act == 0) else (30 if s_act < minimum else 0),
        "interview": 0 if not i_exists else (50 if (not i_usable or i_act == 0) else (30 if i_act < minimum else 0)),
        "service-guides": min(20 * g("services.missing_element_categories"), 160),
        "downloads": 10 * (g("services.attachments_not_offered") + g("services.attachments_broken")),
        "online-systems": 30 * g("services.online_systems_unreachable"),
    }
    total = sum(points.values())
    if vetoes:
        return "fail", None, 0, {k: v / 10 for k, v in points.items()}
    verdict = "fail" if total > 400 else "pass"
    return verdict, (1000 - total) / 10, total / 10, {k: v / 10 for k, v in points.items()}


def rows(n, seed=2015):
    """n deterministic, complete flat rows with realistic spreads of faults."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        late = rng.choice([0, 0, 0, 1])
        c_exists, s_exists, i_exists = rng.random() > 0.1, rng.random() > 0.2, rng.random() > 0.5
        out.append({
            "monitoring_point": "2015-11-15", "site.name": f"站点{i}", "site.kind": "portal" if i % 3 == 0 else "other",
            "availability.visits": 672, "availability.failures": rng.choice([0, 3, 7, 12, 17, 20, 25, 30, 40]),
            "availability.days": 7,
            "links.homepage_broken": rng.randint(0, 6), "links.other_broken": rng.randint(0, 80),
            "homepage.updates_in_window": rng.choice([0, 3, 9, 10, 25]),
            "columns.stale.dynamics": rng.randint(0, 2), "columns.stale.notice": rng.randint(0, 2),
            "columns.stale.policy": rng.randint(0, 2), "columns.stale.plan": rng.randint(0, 1),
            "columns.stale.personnel": rng.randint(0, 1), "columns.blank": rng.randint(0, 5),
            "columns.overdue": rng.choice([0, 2, 10]), "columns.inaccurate": rng.randint(0, 2),
            "interaction.consultation.exists": c_exists,
            "interaction.consultation.valid_messages": max(late, rng.randint(0, 40)) if c_exists else 0,
            "interaction.consultation.overdue_messages": late if c_exists else 0,
            "interaction.survey.exists": s_exists, "interaction.survey.usable": rng.random() > 0.1,
            "interaction.survey.activities": rng.randint(0, 9) if s_exists else 0,
            "interaction.interview.exists": i_exists, "interaction.interview.usable": rng.random() > 0.1,
            "interaction.interview.activities": rng.randint(0, 8) if i_exists else 0,
            "services.missing_element_categories": rng.randint(0, 9), "services.attachments_not_offered": rng.randint(0, 3),
            "services.attachments_broken": rng.randint(0, 2), "services.online_systems_unreachable": rng.randint(0, 2),
            "content.confirmed": rng.choice([0] * 19 + [1]), "content.unconfirmed": rng.randint(0, 1),
        })
    return out
