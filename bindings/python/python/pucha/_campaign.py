"""`pucha.read_campaign`: the per-site state of a `pucha campaign` folder as a DataFrame."""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any, Dict, List, Union

from ._errors import PuchaError

_SCHEMA = "pucha.campaign/1"


def _connect(db: str) -> sqlite3.Connection:
    # Read-only, so a campaign that is running is never disturbed; readers see each of its commits.
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        schema = conn.execute("SELECT value FROM settings WHERE key = 'schema'").fetchone()
    except sqlite3.Error as e:
        raise PuchaError("campaign", f"`{db}` 不是检查任务数据库 / is not a campaign database: {e}") from None
    if not schema or schema[0] != _SCHEMA:
        conn.close()
        raise PuchaError("campaign", f"`{db}` 不是本版本能读的检查任务数据库（格式 {schema}）/ is not a campaign database this pucha reads (schema {schema})")
    return conn


def read_campaign(path: Union[str, os.PathLike]) -> Any:
    """Per-site status and results of a campaign folder (``pucha campaign init|run|score``).

    Parameters
    ----------
    path : str or os.PathLike
        The campaign's folder (holding ``campaign.sqlite``).

    Returns
    -------
    pandas.DataFrame
        One row per site, indexed by its number in the campaign (``key``, list order): ``name``, ``id``
        (网站标识码), ``region``, ``homepage``, ``place`` (where it was in the site list), ``samples_planned``,
        ``samples_taken``, ``samples_counted`` (not the prober's fault), ``samples_failed``, ``failure_rate``
        (failed over counted; NaN before any counts), ``probed``; and, once ``pucha campaign score`` has run,
        ``verdict``, ``verdict_basis``, ``score``, ``total_deduction`` and ``error`` (why a site could not be
        scored). The plan is in ``.attrs`` (``from``, ``days``, ``per_day``, ``pack``, ``set``,
        ``monitoring_point``).

    Raises
    ------
    PuchaError
        ``campaign`` when the folder holds no campaign database pucha reads.

    Examples
    --------
    >>> df = pucha.read_campaign("hz-2015")                # doctest: +SKIP
    >>> df.groupby("region")["failure_rate"].mean()        # doctest: +SKIP
    """
    import pandas as pd

    folder = os.fspath(path)
    db = os.path.join(folder, "campaign.sqlite")
    if not os.path.isfile(db):
        raise PuchaError("campaign", f"`{folder}` 中没有检查任务（没有 campaign.sqlite）/ holds no campaign (no campaign.sqlite)")
    conn = _connect(db)
    try:
        settings: Dict[str, str] = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        rows = conn.execute(
            """SELECT s.key, s.name, s.site_id, s.region, s.homepage, s.place,
                      (SELECT COUNT(*) FROM samples m WHERE m.site = s.key),
                      (SELECT COUNT(*) FROM samples m WHERE m.site = s.key AND m.probe_fault = 0),
                      (SELECT COUNT(*) FROM samples m WHERE m.site = s.key AND m.ok = 0 AND m.probe_fault = 0),
                      EXISTS (SELECT 1 FROM probes p WHERE p.site = s.key)
               FROM sites s ORDER BY s.key"""
        ).fetchall()
    finally:
        conn.close()
    days, per_day = int(settings["days"]), int(settings["per_day"])
    columns = ["key", "name", "id", "region", "homepage", "place", "samples_taken", "samples_counted",
               "samples_failed", "probed"]
    df = pd.DataFrame.from_records(rows, columns=columns).set_index("key")
    df["probed"] = df["probed"].astype(bool)
    df.insert(5, "samples_planned", days * per_day)
    counted = df["samples_counted"].where(df["samples_counted"] > 0)
    df["failure_rate"] = df["samples_failed"] / counted
    reports = os.path.join(folder, "reports.jsonl")
    if os.path.isfile(reports):
        results: List[Dict[str, Any]] = []
        with open(reports, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)
                if r.get("type") == "failure":
                    errors = r.get("errors") or [{}]
                    results.append({"error": errors[0].get("message")})
                else:
                    results.append({k: r.get(k) for k in ("verdict", "verdict_basis", "score", "total_deduction")})
        if len(results) == len(df):
            extra = pd.DataFrame(results, index=df.index)
            for c in ("verdict", "verdict_basis", "score", "total_deduction", "error"):
                df[c] = extra[c] if c in extra else None
    df.attrs.update(
        {
            "from": settings["from"],
            "days": days,
            "per_day": per_day,
            "pack": settings["pack"],
            "set": json.loads(settings.get("set", "[]")),
            "monitoring_point": str(pd.Timestamp(settings["from"]) + pd.Timedelta(days=days - 1))[:10],
        }
    )
    return df
