#!/usr/bin/env python3
"""Run Social Finance's regional demand model (cs-demand-model-regional, MIT) on a
directory written by generate_903.py and write the expected outputs the Rust
reimplementation is tested against.

    python reference.py --model /tmp/dm --data data/ssda903/synthetic --out data/ssda903/expected

--model is a work tree (or `git archive` extract) of the upstream repository at
PINNED_COMMIT. Every upstream file used is checked against its git blob id at
that commit, so a different version is refused. Nothing of upstream is copied.

Before the model runs, the data is kept as the product keeps it:
  * CHILD is prefixed with the council code and a slash (`portsmouth/1234`) in all tables;
  * DOB is set to the first of its month;
  * SEX M -> 1, F -> 2 (the generator writes M/F from YEAR 2025), in Header and UASC;
  * dates are written ISO (%Y-%m-%d), as upstream reads them;
  * one pooled file per table (Header, Episodes, UASC) with LA (= council code) and YEAR
    columns, rows in canonical order: council code ascending, collection YEAR ascending,
    then row order in the file.
Then, as dm_regional_app/views.py does: apply_filters(datacontainer.enriched_view, filters),
PopulationStats(df, data_start_date, data_end_date), predict(...).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

PINNED_COMMIT = "03e04a06324a01a4f291ed6182599be4b16a1d5c"
UPSTREAM = "SocialFinanceDigitalLabs/cs-demand-model-regional"
# git blob ids of the upstream files this script runs, at PINNED_COMMIT
PINNED_BLOBS = {
    "dm_regional_app/utils.py": "5b0df51ee15e05e38c950c4ad18fe5fe4855be8c",
    "ssda903/__init__.py": "b54e563441588bfff0ed6f3b5708f36be70acca1",
    "ssda903/config/__init__.py": "b9cd267b5dd330fab2218442eff4f2131bf7000b",
    "ssda903/config/_age_brackets.py": "3cb80926603854f1ae2399df99d0918dd3894bc6",
    "ssda903/config/_costs.py": "b0fa186b643921ad7f8e894e81c89ff2c2624063",
    "ssda903/config/_ethnicity_codes.py": "01fe82ba20933572bf74ca0449ecfb58a2002fa9",
    "ssda903/config/_placement_categories.py": "a783fec02fdafd3e7a41db08dfb64be17a6912e9",
    "ssda903/costs.py": "98c1637d712fded804c1437535ea2469a54337b7",
    "ssda903/data/__init__.py": "8b137891791fe96927ad78e64b0aad7bded08bdc",
    "ssda903/data/ssda903/__init__.py": "305f05c5e07e680c6594fac53702a2c334c4143a",
    "ssda903/datacontainer.py": "b39ceb5eac8e7e72e34a0ba65543ce98cf46cfc3",
    "ssda903/datastore/__init__.py": "9d83f4c1cdc4f0e9a5d7728305ce9520de15ee34",
    "ssda903/datastore/_api.py": "638f1bbdcd8a9ee85cf9af6e74bf80d76bd6b849",
    "ssda903/datastore/_storage.py": "faba409d40cbc025b2b3bf76093d635c7bb77f42",
    "ssda903/multinomial.py": "1da785ad169195e7efed6fa785ca049b481ab0f0",
    "ssda903/population_stats.py": "5db478b7cefb80be9d65caee5cf0e4f40dfe0e1c",
    "ssda903/predictor.py": "4a82accebc48611a35b76fbff65063778f637bcb",
}

DATE_COLS = {"header": ["DOB", "MC_DOB"], "episodes": ["DECOM", "DEC"], "uasc": ["DOB", "DUC"]}


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def check_model(model: Path) -> str:
    bad = []
    for rel, blob in PINNED_BLOBS.items():
        p = model / rel
        if not p.is_file() or git_blob_id(p.read_bytes()) != blob:
            bad.append(rel)
    if bad:
        raise SystemExit(f"{model} is not {UPSTREAM} at {PINNED_COMMIT}: differs in {', '.join(bad)}")
    head = None
    if (model / ".git").exists():
        head = subprocess.run(["git", "-C", str(model), "rev-parse", "HEAD"], capture_output=True,
                              text=True).stdout.strip() or None
        if head and head != PINNED_COMMIT:
            print(f"note: work tree HEAD is {head}; the files used match {PINNED_COMMIT}", file=sys.stderr)
    return PINNED_COMMIT


# --------------------------------------------------------------------------- pooling
def iso(s: str, first_of_month: bool = False) -> str:
    if s == "":
        return ""
    d, m, y = s.split("/")
    if len(y) != 4:
        raise ValueError(f"not DD/MM/YYYY: {s!r}")
    date(int(y), int(m), int(d))  # validate
    return f"{y}-{m}-01" if first_of_month else f"{y}-{m}-{d}"


def pool(data: Path) -> tuple[dict[str, bytes], dict]:
    """Pooled CSV bytes for header/episodes/uasc in canonical order."""
    councils = sorted(p.name for p in data.iterdir() if p.is_dir())
    pooled: dict[str, list] = {"header": [], "episodes": [], "uasc": []}
    columns: dict[str, list] = {}
    counts = {"councils": councils, "years": set()}
    for council in councils:
        years = sorted((p.name for p in (data / council).iterdir() if p.is_dir()), key=int)
        for year in years:
            counts["years"].add(int(year))
            for table in ("header", "episodes", "uasc"):
                with open(data / council / year / f"{table}.csv", newline="", encoding="utf-8") as f:
                    reader = csv.reader(f)
                    cols = next(reader)
                    if table in columns and columns[table] != cols:
                        raise SystemExit(f"{council}/{year}/{table}.csv: columns differ")
                    columns[table] = cols
                    ci = {c: i for i, c in enumerate(cols)}
                    for row in reader:
                        row = list(row)
                        row[ci["CHILD"]] = f"{council}/{row[ci['CHILD']]}"
                        for c in DATE_COLS[table]:
                            row[ci[c]] = iso(row[ci[c]], first_of_month=(c == "DOB"))
                        if "SEX" in ci:
                            row[ci["SEX"]] = {"M": "1", "F": "2"}.get(row[ci["SEX"]], row[ci["SEX"]])
                        pooled[table].append(row + [council, year])
    out = {}
    for table, rows in pooled.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns[table] + ["LA", "YEAR"])
        w.writerows(rows)
        out[table] = buf.getvalue().encode("utf-8")
    counts["years"] = sorted(counts["years"])
    return out, counts


# --------------------------------------------------------------------------- upstream
def load_upstream(model: Path):
    sys.path.insert(0, str(model))
    import pandas as pd  # noqa: F401
    from ssda903.data.ssda903 import SSDA903TableType
    from ssda903.datacontainer import DemandModellingDataContainer
    from ssda903.datastore import DataFile, DataStore, Metadata
    from ssda903 import PopulationStats
    import ssda903.predictor as predictor_mod
    import ssda903.multinomial as multinomial_mod

    # dm_regional_app/utils.py imports plotly at module level; run only apply_filters from it.
    src = (model / "dm_regional_app/utils.py").read_text(encoding="utf-8")
    tree = ast.parse(src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "apply_filters")
    ns = {"pd": pd}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), str(model / "dm_regional_app/utils.py"), "exec"), ns)

    class PooledDataStore(DataStore):
        """One pooled file per table, the table type given (no detection)."""

        def __init__(self, tables: dict[str, bytes]):
            self._tables = tables

        @property
        def files(self):
            kinds = {"header": SSDA903TableType.HEADER, "episodes": SSDA903TableType.EPISODES,
                     "uasc": SSDA903TableType.UASC}
            for name, data in self._tables.items():
                yield DataFile(name=name, metadata=Metadata(name=f"{name}.csv", size=len(data),
                                                            table=kinds[name]))

        @contextlib.contextmanager
        def open(self, file):
            yield io.BytesIO(self._tables[file.name])

    # capture the predictor predict() builds, to record its matrix states and final entry rates
    captured = {}

    class CapturingPredictor(multinomial_mod.MultinomialPredictor):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            captured["predictor"] = self

    predictor_mod.MultinomialPredictor = CapturingPredictor
    return {
        "pd": pd, "container": DemandModellingDataContainer, "store": PooledDataStore,
        "stats": PopulationStats, "predict": predictor_mod.predict, "apply_filters": ns["apply_filters"],
        "captured": captured,
    }


# --------------------------------------------------------------------------- scenarios
def add_months(d: date, n: int) -> date:
    from dateutil.relativedelta import relativedelta
    return d + relativedelta(months=n)


def scenarios_for(data_start: date, data_end: date) -> list[dict]:
    last = data_end.year  # data_end is 31 March of the last collection year
    return [
        {
            "name": "regional-default",
            "description": "No filters; the app's defaults: reference = data start..data end, "
                           "prediction from data end for 24 months.",
            "councils": [], "uasc": "all",
            "reference_start": data_start, "reference_end": data_end,
            "prediction_start": data_end, "prediction_end": add_months(data_end, 24),
            "rate_adjustments": [], "number_adjustments": [],
        },
        {
            "name": "council-uasc-excluded",
            "description": "la = [southampton], UASC excluded; reference = the last three collection "
                           "years; prediction from data end for 12 months.",
            "councils": ["southampton"], "uasc": "excluded",
            "reference_start": date(last - 3, 4, 1), "reference_end": data_end,
            "prediction_start": data_end, "prediction_end": add_months(data_end, 12),
            "rate_adjustments": [], "number_adjustments": [],
        },
        {
            "name": "regional-adjusted",
            "description": "No filters; reference = the last two collection years; prediction from "
                           "30 September of the last year (inside the data) for 24 months; rate and "
                           "entry adjustments.",
            "councils": [], "uasc": "all",
            "reference_start": date(last - 2, 4, 1), "reference_end": data_end,
            "prediction_start": date(last - 1, 9, 30), "prediction_end": add_months(date(last - 1, 9, 30), 24),
            "rate_adjustments": [
                {"from": "10 to 16 - Fostering", "to": "10 to 16 - Residential", "multiply": 1.5},
                {"from": "5 to 10 - Fostering", "to": "5 to 10 - Not in care", "add": 0.0005},
            ],
            "number_adjustments": [{"to": "Birth to 1 - Fostering", "multiply": 1.2}],
        },
    ]


def rate_adjustment_frame(pd, adjs):
    """As DynamicRateForm.save() builds it for transition rates: MultiIndex (from, to)."""
    if not adjs:
        return None
    data = pd.DataFrame({
        "transition": [(a["from"], a["to"]) for a in adjs],
        "multiply_value": [a.get("multiply") for a in adjs],
        "add_value": [a.get("add") for a in adjs],
    })
    data.set_index(pd.MultiIndex.from_tuples(data["transition"]), inplace=True)
    data.drop(columns=["transition"], inplace=True)
    return data


def number_adjustment_frame(pd, adjs):
    """As DynamicRateForm.save() builds it for entry rates: indexed by the 'to' state."""
    if not adjs:
        return None
    data = pd.DataFrame({
        "transition": [a["to"] for a in adjs],
        "multiply_value": [a.get("multiply") for a in adjs],
        "add_value": [a.get("add") for a in adjs],
    })
    data.set_index(["transition"], inplace=True)
    return data


def r(x) -> str:
    return repr(float(x))


def write_rows(path: Path, header, rows, gz=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if gz:
        with open(path, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
                f.write(data)
    else:
        path.write_bytes(data)


def run_scenario(up, view, data_start, data_end, sc, out: Path, summary: list):
    pd = up["pd"]
    filters = {"la": sc["councils"], "ethnicity": [], "sex": "all",
               "uasc": {"all": "all", "only": "True", "excluded": "False"}[sc["uasc"]]}
    df = up["apply_filters"](view, filters)
    stats = up["stats"](df=df, data_start_date=data_start, data_end_date=data_end)
    ref_start, ref_end = sc["reference_start"], sc["reference_end"]
    p_start, p_end = sc["prediction_start"], sc["prediction_end"]
    sdir = out / sc["name"]
    sdir.mkdir(parents=True, exist_ok=True)
    (sdir / "dates.json").write_text(json.dumps(
        {"data_start_date": data_start.isoformat(), "data_end_date": data_end.isoformat()}, indent=2) + "\n")

    # stock: long form, only changes (and the first day of every state)
    stock = stats.stock
    rows = []
    prev = None
    for ts, vals in zip(stock.index, stock.to_numpy()):
        for state, v in zip(stock.columns, vals):
            iv = int(v)
            assert iv == v, (ts, state, v)
            if prev is None or prev[state] != iv:
                rows.append([ts.strftime("%Y-%m-%d"), state, iv])
        prev = {s: int(v) for s, v in zip(stock.columns, vals)}
    write_rows(sdir / "stock.csv", ["date", "state", "count"], rows)

    raw = stats.raw_transition_rates(ref_start, ref_end)
    write_rows(sdir / "raw_transition_rates.csv", ["from", "to", "rate"],
               [[a, b, r(v)] for (a, b), v in raw.items()])
    entry = stats.daily_entrants(ref_start, ref_end)
    write_rows(sdir / "entry_rates.csv", ["to", "rate"], [[b, r(v)] for (_, b), v in entry.items()])

    up["captured"].clear()
    with contextlib.redirect_stdout(io.StringIO()):
        pred = up["predict"](stats, ref_start, ref_end, p_start, p_end,
                             rate_adjustment=rate_adjustment_frame(pd, sc["rate_adjustments"]),
                             number_adjustment=number_adjustment_frame(pd, sc["number_adjustments"]))
    predictor = up["captured"]["predictor"]
    write_rows(sdir / "transition_rates.csv", ["from", "to", "rate"],
               [[a, b, r(v)] for (a, b), v in pred.transition_rates.items()])
    states = list(predictor.matrix.index)
    write_rows(sdir / "matrix_states.csv", ["state"], [[s] for s in states])
    write_rows(sdir / "entry_rates_final.csv", ["to", "rate"],
               [[s, r(v)] for s, v in pred.entry_rates.items()])
    write_rows(sdir / "initial_population.csv", ["state", "count"],
               [[s, r(v)] for s, v in predictor.initial_population.items()])
    frows = []
    pop, var = pred.population, pred.variance
    assert list(pop.columns) == list(var.columns)
    for d, prow, vrow in zip(pop.index, pop.to_numpy(), var.to_numpy()):
        ds = d.isoformat()
        for s, m, v in zip(pop.columns, prow, vrow):
            frows.append([ds, s, r(m), r(v)])
    write_rows(sdir / "forecast.csv.gz", ["date", "state", "mean", "variance"], frows, gz=True)

    # sanity checks
    in_care_end = stats.stock_at(data_end)
    in_care = int(in_care_end[[not c.endswith("Not in care") for c in in_care_end.index]].sum())
    open_children = df.loc[df["DEC"].isna(), "CHILD"].nunique()
    assert (raw >= 0).all(), "negative raw rate"
    assert (entry >= 0).all(), "negative entry rate"
    assert (pred.transition_rates >= 0).all(), "negative transition rate"
    assert len(pop) == (p_end - p_start).days
    in_care_states = [s for s in pop.columns if not s.endswith("Not in care")]
    summary.append(
        f"{sc['name']}: {df['CHILD'].nunique()} children, {len(df)} model rows; stock on {data_end} "
        f"= {in_care} (children with an open episode: {open_children}); {len(states)} states; "
        f"{len(raw)} raw rates; forecast {p_start}..{p_end}: in care "
        f"{float(pop.iloc[0][in_care_states].sum()):.1f} -> {float(pop.iloc[-1][in_care_states].sum()):.1f}")
    return sorted(stock.columns)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help=f"work tree of {UPSTREAM} at {PINNED_COMMIT}")
    ap.add_argument("--data", default="data/ssda903/synthetic")
    ap.add_argument("--out", default="data/ssda903/expected")
    args = ap.parse_args(argv)
    model = Path(args.model).resolve()
    commit = check_model(model)
    up = load_upstream(model)
    import numpy
    import pandas
    tables, counts = pool(Path(args.data))
    container = up["container"](up["store"](tables))
    import logging
    log_buf = io.StringIO()
    handler = logging.StreamHandler(log_buf)
    dc_log = logging.getLogger("ssda903.datacontainer")
    dc_log.setLevel(logging.DEBUG)
    dc_log.addHandler(handler)
    view = container.enriched_view
    dc_log.removeHandler(handler)
    data_start, data_end = container.data_start_date, container.data_end_date
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scs = scenarios_for(data_start, data_end)
    summary = []
    all_states = set()
    for sc in scs:
        all_states.update(run_scenario(up, view, data_start, data_end, sc, out, summary))

    def js(sc):
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in sc.items()}

    meta = {
        "upstream": UPSTREAM, "commit": commit,
        "versions": {"python": sys.version.split()[0], "pandas": pandas.__version__, "numpy": numpy.__version__},
        "data": {"councils": counts["councils"], "years": counts["years"],
                 "data_start_date": data_start.isoformat(), "data_end_date": data_end.isoformat()},
        "uasc_values": {"all": "no filter", "only": "UASC == True", "excluded": "UASC == False"},
        "scenarios": [js(sc) for sc in scs],
    }
    (out / "scenarios.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{UPSTREAM}@{commit}; data {data_start}..{data_end}; councils {counts['councils']}; "
          f"years {counts['years']}")
    print("states:", ", ".join(sorted(all_states)))
    print("upstream cleaning (all councils):")
    for line in log_buf.getvalue().splitlines():
        print("  " + line)
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
