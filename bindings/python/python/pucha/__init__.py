"""pucha（普查）: score Chinese government websites against the national inspection tables.

>>> import pucha
>>> report = pucha.score({"monitoring_point": "2015-06-30", "site": {"name": "示例", "kind": "portal"},
...                       "links": {"homepage_broken": 2, "other_broken": 17}})
>>> next(r for r in report["rules"] if r["id"] == "link-availability")["points"]
3.7
"""

from __future__ import annotations

import datetime as _dt
import gc
import io
import json
import os
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _pucha
from ._campaign import read_campaign
from ._errors import ObservationError, PackError, PuchaError, ReportError

__all__ = [
    "Engine",
    "ObservationError",
    "Pack",
    "PackError",
    "PuchaError",
    "ReportError",
    "flat_columns",
    "load_pack",
    "packs",
    "read_campaign",
    "score",
    "summarize",
]
__version__: str = _pucha.__version__

Observation = Union[Mapping[str, Any], str, bytes]


def _to_json(observation: Observation) -> str:
    """An observation as JSON text; bad Python values become ObservationError, never a crash."""
    if isinstance(observation, str):
        return _unicode(observation)
    if isinstance(observation, (bytes, bytearray)):
        try:
            return bytes(observation).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ObservationError("json_syntax", f"观测不是 UTF-8 文本 / observation bytes are not UTF-8: {e}") from None
    if not isinstance(observation, Mapping):
        kind = type(observation).__name__
        if isinstance(observation, (list, tuple)):
            raise ObservationError(
                "invalid_type",
                f"观测应为 dict 或 JSON 文本，实为 `{kind}`；多个观测请用 score_many / an observation is a dict or JSON "
                f"text, not `{kind}`; for many, use score_many",
            )
        raise ObservationError(
            "invalid_type", f"观测应为 dict 或 JSON 文本，实为 `{kind}` / an observation is a dict or JSON text, not `{kind}`"
        )
    try:
        return _unicode(json.dumps(observation, ensure_ascii=False, allow_nan=False))
    except ObservationError:
        raise
    except ValueError as e:  # NaN, Infinity, circular references
        raise ObservationError("invalid_value", f"观测无法写成 JSON / observation cannot be written as JSON: {e}") from None
    except TypeError as e:  # datetime, sets, custom objects
        raise ObservationError("invalid_type", f"观测中有 JSON 无法表示的值 / observation cannot be written as JSON: {e}") from None
    except RecursionError:
        raise ObservationError("invalid_value", "观测嵌套过深 / observation is nested too deeply") from None


def _unicode(text: str) -> str:
    """`text` if it is valid Unicode; a lone surrogate (`"\\ud800"` in a Python string) cannot reach the engine."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ObservationError(
            "invalid_value", f"观测文本含有孤立的代理字符 / observation text holds a lone surrogate (`{e.object[e.start:e.end]!a}`), which is not Unicode"
        ) from None
    return text


class Pack:
    """A rule pack: a built-in name, a TOML file path, or TOML text, with its parameters as a dict."""

    def __init__(self, pack: Union[str, "Pack", os.PathLike] = "census-2015", params: Optional[Mapping[str, Any]] = None):
        base_params: Dict[str, str] = {}
        if isinstance(pack, Pack):
            self._name, self._toml, self._origin = pack._name, pack._toml, pack._origin
            base_params = dict(pack._overrides)
        else:
            spec = os.fspath(pack)
            if spec in _pucha.packs():
                self._name, self._toml, self._origin = spec, None, spec
            elif "\n" in spec or spec.lstrip().startswith(("[", "schema")):
                self._name, self._toml, self._origin = None, spec, "inline pack"
            elif os.path.exists(spec):
                try:
                    # Read to one byte past the limit: the size on disk is not trusted (/dev/zero, a pipe).
                    with open(spec, "rb") as f:
                        raw = f.read(_pucha.MAX_PACK_BYTES + 1)
                    if len(raw) > _pucha.MAX_PACK_BYTES:
                        raise PackError("too_large", f"规则包 `{spec}` 超过 {_pucha.MAX_PACK_BYTES} 字节的上限 / pack `{spec}` is larger than the limit of {_pucha.MAX_PACK_BYTES} bytes")
                    self._toml = raw.decode("utf-8-sig")
                except (OSError, UnicodeDecodeError) as e:
                    raise PackError("io", f"无法读取规则包 `{spec}` / cannot read pack `{spec}`: {e}") from None
                self._name, self._origin = None, spec
            else:
                self._name, self._toml, self._origin = spec, None, spec  # the core names unknown packs
        for k, v in (params or {}).items():
            base_params[str(k)] = _param_text(v)
        self._overrides = base_params
        self._engine = _pucha._Engine(self._name, self._toml, self._origin, base_params)

    @property
    def id(self) -> str:
        return self._engine.pack_info()[0]

    @property
    def version(self) -> str:
        return self._engine.pack_info()[1]

    @property
    def title(self) -> Dict[str, str]:
        info = self._engine.pack_info()
        return {"zh": info[2], "en": info[3]}

    @property
    def completeness(self) -> str:
        return self._engine.pack_info()[4]

    @property
    def params(self) -> Dict[str, str]:
        """Current parameter values, as `--set` takes them."""
        return {name: value for name, value, _allowed, _zh, _en in self._engine.params()}

    def param_info(self) -> List[Dict[str, Any]]:
        """Each parameter with its value, allowed values and description."""
        return [
            {"name": n, "value": v, "allowed": a, "doc": {"zh": zh, "en": en}}
            for n, v, a, zh, en in self._engine.params()
        ]

    @property
    def rules(self) -> List[Dict[str, Any]]:
        return [{"id": i, "kind": k, "title": {"zh": zh, "en": en}} for i, k, zh, en in self._engine.rules()]

    @property
    def source(self) -> str:
        """The pack's TOML text."""
        return self._engine.source()

    def with_params(self, **params: Any) -> "Pack":
        """A copy with more parameters overridden."""
        return Pack(self, params)

    def __repr__(self) -> str:
        return f"Pack({self.id!r} {self.version}, params={self.params!r})"

    def __reduce__(self):
        spec = self._name if self._name is not None else self._toml
        return (_restore_pack, (spec, self._origin, self._overrides))


def _restore_pack(spec: str, origin: str, params: Dict[str, str]) -> Pack:
    p = Pack(spec, params)
    p._origin = origin
    return p


def _param_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class Engine:
    """A reusable scorer: build once from a pack (and parameters), score many observations.

    Engines pickle (they carry their pack's source and parameters), so they work with multiprocessing,
    Dask and Spark executors.
    """

    def __init__(self, pack: Union[str, Pack, os.PathLike] = "census-2015", params: Optional[Mapping[str, Any]] = None):
        self.pack = pack if isinstance(pack, Pack) and not params else Pack(pack, params)

    def score(self, observation: Observation) -> Dict[str, Any]:
        """Score one observation (dict or JSON text); returns the report (pucha.report/1) as a dict."""
        return json.loads(self.pack._engine.score_json(_to_json(observation)))

    def score_json(self, observation: Observation) -> str:
        """Score one observation; returns the report as JSON text."""
        return self.pack._engine.score_json(_to_json(observation))

    def score_text(self, observation: Observation, lang: str = "zh") -> str:
        """Score one observation; returns the plain-text report in Chinese (``zh``) or English (``en``)."""
        return self.pack._engine.score_text(_to_json(observation), lang)

    def score_many(
        self,
        observations: Iterable[Observation],
        workers: Optional[int] = None,
        errors: str = "raise",
        detail: str = "report",
    ) -> List[Dict[str, Any]]:
        """Score many observations in parallel (the GIL is released while scoring).

        `workers` (default: the number of cores) counts the calling thread, which reads the inputs, builds the
        answers and scores whenever the other threads fall behind.

        `detail="report"` gives full reports (pucha.report/1); `detail="summary"` gives the compact
        pucha.summary/1 form (verdict, totals, `points` and `status` by rule id), much faster to build.
        `errors="raise"` raises ObservationError for the first bad observation (with `.index`);
        `errors="return"` puts `{"type": "failure", "errors": [...], "index": i}` in its place.
        """
        if errors not in ("raise", "return"):
            raise ValueError("errors 须为 'raise' 或 'return' / errors must be 'raise' or 'return'")
        if detail not in ("report", "summary"):
            raise ValueError("detail 须为 'report' 或 'summary' / detail must be 'report' or 'summary'")
        n = workers if workers is not None else (os.cpu_count() or 1)
        # Dicts are read directly by the extension (no JSON text); anything unusual goes the JSON way there.
        items = list(observations)
        # The answers are hundreds of thousands of fresh, acyclic dicts: the cycle collector would walk them again
        # and again while they are being made, for nothing (it is back on as before when this returns).
        collecting = gc.isenabled()
        gc.disable()
        try:
            results = self.pack._engine.score_many_objects(items, max(1, int(n)), detail == "summary")
        finally:
            if collecting:
                gc.enable()
        out: List[Dict[str, Any]] = []
        for i, (ok, obj) in enumerate(results):
            if ok:
                out.append(obj)
                continue
            if errors == "raise":
                e = ObservationError(
                    obj.get("code", "internal"), obj.get("message", ""), obj.get("path"), obj.get("rule"),
                    obj.get("help"), obj.get("line"), obj.get("column"),
                )
                e.index = i  # type: ignore[attr-defined]
                raise e
            out.append({"type": "failure", "errors": [obj], "index": i})
        return out

    def score_table(
        self,
        data: Any,
        mapping: Optional[Mapping[str, str]] = None,
        workers: Optional[int] = None,
        errors: str = "raise",
    ) -> Any:
        """Score a flat table of counts: one row per site, columns named as in `flat_columns()`.

        `data` is a pandas DataFrame, a list of dicts, or the path of a CSV file (UTF-8). `mapping` renames the
        table's own columns to flat names (`{"首页错链": "links.homepage_broken"}`); other columns are kept as
        they are and echoed only if they are site columns. Returns a DataFrame (a list of dicts when the input is
        a list of dicts, or pandas is not installed): site columns, `verdict`, `verdict_basis`, `complete`,
        `score`, `total_deduction`, `vetoes`, one column of points per rule, and `error` when
        `errors="return"`. With `errors="raise"` the first bad row raises ObservationError (with `.index`).
        """
        if errors not in ("raise", "return"):
            raise ValueError("errors 须为 'raise' 或 'return' / errors must be 'raise' or 'return'")
        names, columns, kinds, as_frame = _table_columns(data, mapping or {})
        n = workers if workers is not None else (os.cpu_count() or 1)
        res = self.pack._engine.score_table(names, columns, kinds, max(1, int(n)))
        failed = dict(res.errors)
        if errors == "raise" and res.errors:
            i, e = res.errors[0]
            err = json.loads(e)
            ex = ObservationError(
                err.get("code", "internal"), err.get("message", ""), err.get("path"), err.get("rule"),
                err.get("help"), err.get("line"), err.get("column"),
            )
            ex.index = i  # type: ignore[attr-defined]
            raise ex
        rows = res.rows
        out: Dict[str, Any] = {}
        for name, col, kind in zip(names, columns, kinds):
            if name in _ECHO:
                out[name] = list(col) if kind == "obj" else _unpack(col, kind)
        out.update(_results(res, as_frame, bool(failed)))
        if errors == "return":
            out["error"] = [None] * rows
            for i, e in res.errors:
                out["error"][i] = json.loads(e).get("message")
        if as_frame:
            import pandas as pd

            return pd.DataFrame(out)
        return [{k: v[i] for k, v in out.items()} for i in range(rows)]

    def __repr__(self) -> str:
        return f"Engine({self.pack!r})"

    def __reduce__(self):
        return (Engine, (self.pack,))


_ECHO = ("site.name", "site.id", "site.region", "site.department", "site.kind", "site.url", "monitoring_point")


def _table_columns(data: Any, mapping: Mapping[str, str]):
    """(flat names, columns, their kinds, whether to answer with a DataFrame) from a DataFrame, list of dicts or CSV
    path. A column is a list of values (kind `obj`) or, for numeric DataFrame columns, its packed numbers (`i64`,
    `f64`, `bool`), which the extension reads without making a Python object per cell."""
    kinds: List[str] = []
    if isinstance(data, (str, os.PathLike)):
        import csv

        # Read to one character past the input limit: the size on disk is not trusted (/dev/zero, a pipe).
        with open(data, encoding="utf-8-sig", newline="") as f:
            text = f.read(_pucha.MAX_INPUT_BYTES + 1)
        if len(text) > _pucha.MAX_INPUT_BYTES:
            raise ObservationError("too_large", f"`{os.fspath(data)}` 超过 {_pucha.MAX_INPUT_BYTES} 字节的上限 / is larger than the limit of {_pucha.MAX_INPUT_BYTES} bytes")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        names = list(rows[0].keys()) if rows else []
        columns = [[r.get(n) for r in rows] for n in names]
        try:
            import pandas  # noqa: F401

            as_frame = True
        except ImportError:
            as_frame = False
    elif hasattr(data, "columns") and hasattr(data, "dtypes"):  # a pandas DataFrame
        import numpy as np

        names = [str(c) for c in data.columns]
        columns = []
        for i, c in enumerate(data.columns):
            col = data.iloc[:, i]
            dt = col.dtype
            kind = getattr(dt, "kind", "O")
            numpy_dtype = isinstance(dt, np.dtype)
            if numpy_dtype and (kind == "i" or (kind == "u" and dt.itemsize < 8)):
                columns.append(col.to_numpy(dtype="int64").tobytes())
                kinds.append("i64")
            elif numpy_dtype and kind == "f":
                columns.append(col.to_numpy(dtype="float64").tobytes())
                kinds.append("f64")
            elif numpy_dtype and kind == "b":
                columns.append(col.to_numpy(dtype="uint8").tobytes())
                kinds.append("bool")
            elif not numpy_dtype and kind in ("i", "f", "b"):  # nullable Int64, Float64, boolean: NA → NaN
                columns.append(col.to_numpy(dtype="float64", na_value=np.nan).tobytes())
                kinds.append("f64")
            else:
                if str(dt).startswith("datetime64"):
                    if getattr(col.dt, "tz", None) is not None:
                        # A moment with its zone: the date it is in China Standard Time, as `score()` reads it.
                        col = col.dt.tz_convert(_CST)
                    col = col.dt.strftime("%Y-%m-%d")
                columns.append(col.astype(object).where(col.notna(), None).tolist())
                kinds.append("obj")
        as_frame = True
    else:
        rows = list(data)
        seen: Dict[Any, None] = {}
        for r in rows:
            if not isinstance(r, Mapping):
                raise ObservationError("invalid_type", f"表格的每一行应为 dict，实为 `{type(r).__name__}` / table rows are dicts, not `{type(r).__name__}`")
            seen.update(dict.fromkeys(r))
        names = list(seen)
        columns = [[r.get(n) for r in rows] for n in names]
        as_frame = False
    names = [mapping.get(n, n) for n in names]
    if not kinds:
        kinds = ["obj"] * len(names)
        columns = [col if all(type(v) in _PLAIN for v in col) else [_cell(v) for v in col] for col in columns]
    return names, columns, kinds, as_frame


def _unpack(packed: bytes, kind: str) -> List[Any]:
    """Packed numbers back as a list (NaN as None)."""
    import array

    if kind == "bool":
        return [b != 0 for b in packed]
    a = array.array("q" if kind == "i64" else "d")
    a.frombytes(packed)
    return [None if v != v else v for v in a.tolist()]


_VERDICTS = {0: "pass", 1: "fail", 2: "undetermined"}
_BASES = {0: "veto", 1: "threshold", 2: "deductions", 3: "missing_data"}


def _results(res: Any, as_frame: bool, failed: bool) -> Dict[str, Any]:
    """The result columns of `score_table` from the packed answer: numpy arrays for a DataFrame, lists otherwise."""
    rows, ids = res.rows, res.rule_ids
    if as_frame:
        import numpy as np

        def lookup(packed: bytes, table: Dict[int, Any]) -> Any:
            values = np.array([table.get(i) for i in range(256)], dtype=object)
            return values[np.frombuffer(packed, dtype=np.uint8)].tolist()

        complete = np.frombuffer(res.complete, dtype=np.uint8)
        points = np.frombuffer(res.points, dtype=np.float64).reshape(len(ids), rows) if ids else []
        out: Dict[str, Any] = {
            "verdict": lookup(res.verdict, _VERDICTS),
            "verdict_basis": lookup(res.basis, _BASES),
            "complete": lookup(res.complete, {0: False, 1: True}) if failed else complete.astype(bool),
            "score": np.frombuffer(res.score, dtype=np.float64),
            "total_deduction": np.frombuffer(res.total, dtype=np.float64),
            "vetoes": res.vetoes,
        }
        for i, rid in enumerate(ids):
            out[rid] = points[i]
        return out
    codes = list(res.verdict)
    out = {
        "verdict": [_VERDICTS.get(c) for c in codes],
        "verdict_basis": [_BASES.get(c) for c in res.basis],
        "complete": [None if c == 255 else c == 1 for c in res.complete],
        "score": _unpack(res.score, "f64"),
        "total_deduction": _unpack(res.total, "f64"),
        "vetoes": res.vetoes,
    }
    points = _unpack(res.points, "f64")
    for i, rid in enumerate(ids):
        out[rid] = points[i * rows:(i + 1) * rows]
    return out


_PLAIN = (int, float, str, bool, type(None))


# China Standard Time, in which monitoring points are dated.
_CST = _dt.timezone(_dt.timedelta(hours=8))


def _cell(v: Any) -> Any:
    if hasattr(v, "isoformat") and not isinstance(v, str):  # date, datetime, pandas Timestamp
        if getattr(v, "tzinfo", None) is not None and hasattr(v, "astimezone"):
            # A moment with its zone: the date it is in China Standard Time, as `score()` reads a timestamp.
            v = v.astimezone(_CST)
        return v.isoformat()[:10]
    return v


_default_engines: Dict[Any, Engine] = {}
_lock = threading.Lock()


def _engine_for(pack: Union[str, Pack, os.PathLike], params: Optional[Mapping[str, Any]]) -> Engine:
    if isinstance(pack, Pack) or params:
        return Engine(pack, params)
    key = os.fspath(pack)
    with _lock:
        eng = _default_engines.get(key)
        if eng is None:
            eng = _default_engines[key] = Engine(key)
        return eng


def score(
    observation: Observation,
    pack: Union[str, Pack, os.PathLike] = "census-2015",
    params: Optional[Mapping[str, Any]] = None,
    lang: Optional[str] = None,
) -> Any:
    """Score one observation; returns the report as a dict (or, with `lang="zh"|"en"`, the text report)."""
    engine = _engine_for(pack, params)
    if lang is not None:
        return engine.score_text(observation, lang)
    return engine.score(observation)


def summarize(
    reports: Iterable[Union[Mapping[str, Any], str]],
    by: str = "region",
    workers: Optional[int] = None,
):
    """Roll up reports (``pucha.report/1``) or summaries (``pucha.summary/1``, e.g. from
    ``Engine.score_many(..., detail="summary")``) by ``region``, ``department``, ``kind``, ``pack`` or ``all``.

    Returns a pandas DataFrame with one row per group and a last row ``group == "*"`` for all sites: sites, pass,
    fail, undetermined, pass_rate, vetoed, incomplete, mean_score, mean_deduction, median_deduction, the deduction bands,
    ``vetoes`` and ``problems`` (rule id → sites). The whole roll-up (``pucha.rollup/1``) is in
    ``df.attrs["rollup"]``. Raises ``ReportError`` for input that is not a report or summary.
    """
    import pandas

    texts = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in reports]
    rollup = json.loads(_pucha.summarize_json(texts, by, workers or os.cpu_count() or 1))
    rows = []
    for g, key in [(g, g["group"]) for g in rollup["groups"]] + [(rollup["overall"], "*")]:
        d = g["deductions"]
        row = {
            "group": key,
            "label": g["label"]["zh"],
            "label_en": g["label"]["en"],
            "sites": g["sites"],
            "pass": g["pass"],
            "fail": g["fail"],
            "undetermined": g["undetermined"],
            "pass_rate": g["pass_rate"],
            "vetoed": g["vetoed"],
            "incomplete": g["incomplete"],
            "mean_score": g["mean_score"],
            "mean_deduction": d["mean"],
            "median_deduction": d["median"],
        }
        for b in d["bins"]:
            row[f"deduction {b['label']}"] = b["sites"]
        row["vetoes"] = {v["rule"]: v["sites"] for v in g["vetoes"]}
        row["problems"] = {p["rule"]: p["sites"] for p in g["problems"]}
        rows.append(row)
    df = pandas.DataFrame(rows)
    df.attrs["rollup"] = rollup
    return df


def flat_columns() -> Dict[str, str]:
    """The flat column names `score_table` reads, with their meaning."""
    return dict(_pucha.flat_columns())


def packs() -> List[str]:
    """The names of the built-in packs."""
    return list(_pucha.packs())


def load_pack(path_or_toml: Union[str, os.PathLike], params: Optional[Mapping[str, Any]] = None) -> Pack:
    """Load and check a pack from a file path, TOML text or a built-in name."""
    return Pack(path_or_toml, params)
