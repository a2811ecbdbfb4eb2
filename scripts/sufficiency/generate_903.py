#!/usr/bin/env python3
"""Deterministic generator of realistic synthetic SSDA903 returns.

Python 3.11+, standard library only. Same arguments (and the same
data/postcodes.csv.gz) => byte-identical output.

For every council and collection year it writes, as councils export them:

    <out>/<council>/<YEAR>/header.csv    CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
    <out>/<council>/<YEAR>/episodes.csv  CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,
                                         REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
    <out>/<council>/<YEAR>/uasc.csv      CHILD,SEX,DOB,DUC

Collection year YEAR runs 1 April YEAR-1 .. 31 March YEAR. A year's files hold
every child with an episode open at some point in the year and those
episodes (DECOM in the year, or open on 1 April); DEC is blank when the
episode was still open on 31 March, so an episode open across a year end is
written open in the earlier file and again (closed, if it ended) in the later.

SEX is coded 1/2 (1 = male, 2 = female) up to YEAR 2024 and M/F from 2025.

The clean data deliberately exercises the model's cleaning rules: re-entries,
continuation episodes (RNE L/T/U, also in chains), placement changes (P/B),
age-band birthdays (including episodes starting exactly on the first of the
birth month at 1/5/10/16), leaving at 18, 29 February birthdays, overlapping
episodes (DEC after the next DECOM), episodes left open although a later one
started, exact duplicate rows, same-DECOM copies with an earlier DEC,
same-DEC copies with a later DECOM, UASC children, changing ETHNIC codes.
It never writes rows an importer must refuse; --with-faults writes those,
separately, for import tests.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

# council code -> (ONS upper-tier code, UPN LA number, relative size)
COUNCILS = {
    "bracknell-forest": ("E06000036", "867", 0.45),
    "brighton-hove": ("E06000043", "846", 1.0),
    "buckinghamshire": ("E06000060", "825", 1.1),
    "east-sussex": ("E10000011", "845", 1.2),
    "hampshire": ("E10000014", "850", 1.25),
    "isle-of-wight": ("E06000046", "921", 0.6),
    "kent": ("E10000016", "886", 1.3),
    "medway": ("E06000035", "887", 0.9),
    "milton-keynes": ("E06000042", "826", 0.8),
    "oxfordshire": ("E10000025", "931", 1.1),
    "portsmouth": ("E06000044", "851", 0.85),
    "reading": ("E06000038", "870", 0.6),
    "slough": ("E06000039", "871", 0.6),
    "southampton": ("E06000045", "852", 1.0),
    "surrey": ("E10000030", "936", 1.25),
    "west-berkshire": ("E06000037", "869", 0.5),
    "west-sussex": ("E10000032", "938", 1.2),
    "windsor-maidenhead": ("E06000040", "868", 0.45),
}

NEIGHBOURS = {
    "bracknell-forest": ["reading", "windsor-maidenhead", "west-berkshire", "surrey", "hampshire"],
    "brighton-hove": ["east-sussex", "west-sussex"],
    "buckinghamshire": ["milton-keynes", "oxfordshire", "slough", "windsor-maidenhead"],
    "east-sussex": ["brighton-hove", "west-sussex", "kent", "surrey"],
    "hampshire": ["portsmouth", "southampton", "west-sussex", "surrey", "west-berkshire", "isle-of-wight"],
    "isle-of-wight": ["portsmouth", "southampton", "hampshire"],
    "kent": ["medway", "east-sussex", "surrey"],
    "medway": ["kent"],
    "milton-keynes": ["buckinghamshire"],
    "oxfordshire": ["buckinghamshire", "west-berkshire", "reading"],
    "portsmouth": ["hampshire", "isle-of-wight", "southampton"],
    "reading": ["west-berkshire", "wokingham-none", "bracknell-forest", "oxfordshire"],
    "slough": ["windsor-maidenhead", "buckinghamshire", "surrey"],
    "southampton": ["hampshire", "portsmouth", "isle-of-wight"],
    "surrey": ["hampshire", "west-sussex", "kent", "east-sussex", "bracknell-forest"],
    "west-berkshire": ["reading", "hampshire", "oxfordshire"],
    "west-sussex": ["east-sussex", "brighton-hove", "hampshire", "surrey"],
    "windsor-maidenhead": ["slough", "bracknell-forest", "buckinghamshire", "surrey"],
}

# far-away placements: Birmingham, Leeds, Manchester, Cornwall, Norfolk, Devon
FAR_AWAY = ["E08000025", "E08000035", "E08000003", "E06000052", "E10000020", "E10000008"]

ETHNIC_WEIGHTS = [
    ("WBRI", 620), ("WIRI", 8), ("WOTH", 45), ("WIRT", 6), ("WROM", 8),
    ("MWBC", 35), ("MWBA", 15), ("MWAS", 15), ("MOTH", 30),
    ("AIND", 10), ("APKN", 12), ("ABAN", 8), ("AOTH", 15), ("CHNE", 3),
    ("BCRB", 12), ("BAFR", 25), ("BOTH", 10), ("OOTH", 20),
    ("REFU", 4), ("NOBT", 6),
]
UASC_ETHNIC = [("AOTH", 30), ("BAFR", 30), ("OOTH", 20), ("BOTH", 8), ("WOTH", 6), ("MOTH", 6)]

CIN_WEIGHTS = [("N1", 60), ("N2", 3), ("N3", 5), ("N4", 15), ("N5", 5), ("N6", 3), ("N7", 1), ("N8", 4), ("N9", 4)]
REASONS_PLACE_CHANGE = [
    ("CARPL", 20), ("CLOSE", 4), ("ALLEG", 3), ("STAND", 8), ("APPRR", 10), ("CREQB", 6),
    ("CREQO", 4), ("CHILD", 10), ("LAREQ", 12), ("PLACE", 12), ("CUSTOD", 2), ("OTHER", 9),
]
PROVIDER = {
    "U1": [("PR1", 1)], "U2": [("PR1", 1)], "U3": [("PR1", 1)],
    "U4": [("PR1", 6), ("PR4", 3), ("PR5", 1)], "U5": [("PR1", 6), ("PR4", 3), ("PR5", 1)],
    "U6": [("PR1", 5), ("PR4", 4), ("PR5", 1)],
    "K2": [("PR1", 3), ("PR4", 6), ("PR5", 1)], "R1": [("PR1", 1), ("PR4", 1)],
    "S1": [("PR2", 2), ("PR3", 1)], "P3": [("PR4", 2), ("PR1", 1)],
    "H5": [("PR1", 2), ("PR4", 3), ("PR5", 1)], "K3": [("PR4", 3), ("PR1", 1), ("PR5", 1)],
    "P2": [("PR1", 1), ("PR4", 1)],
    "P1": [("PR0", 1)], "R2": [("PR0", 1)], "R3": [("PR3", 1)], "R5": [("PR0", 1), ("PR3", 1)],
    "A3": [("PR1", 3), ("PR5", 1)], "A4": [("PR1", 3), ("PR5", 1)], "A5": [("PR1", 3), ("PR5", 1)],
    "A6": [("PR1", 3), ("PR5", 1)],
    "T0": [("PR0", 1), ("PR3", 1)], "T1": [("PR3", 1)], "T2": [("PR3", 1)], "T3": [("PR0", 1)], "T4": [("PR3", 1)],
    "Z1": [("PR0", 1), ("PR4", 1)],
}
URN_PLACES = {"K2", "R1", "S1", "P3", "H5", "K3", "R5"}
NO_POSTCODE_PLACES = {"T0", "T1", "T2", "T3", "T4", "Z1"}

# P2 (independent living) stopped, and K3/P3 started, on 28 October 2023.
SUPPORTED_CHANGE = date(2023, 10, 28)

HEADER_COLS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLS = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
UASC_COLS = ["CHILD", "SEX", "DOB", "DUC"]


def wchoice(rng: random.Random, pairs):
    total = 0
    for _, w in pairs:
        total += w
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def add_years(d: date, n: int) -> date:
    """d + n years; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def age_on(dob: date, d: date) -> int:
    a = d.year - dob.year
    if (d.month, d.day) < (dob.month, dob.day):
        a -= 1
    return a


_FMT_CACHE: dict = {}


def fmt(d: date | None) -> str:
    if d is None:
        return ""
    s = _FMT_CACHE.get(d)
    if s is None:
        s = _FMT_CACHE[d] = f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    return s


def fmt2(d: date) -> str:
    return d.strftime("%d/%m/%y")


# --------------------------------------------------------------------------- postcodes
def load_postcodes(path: Path, wanted: set[str]) -> dict[str, list[str]]:
    """Non-terminated postcodes per upper-tier ONS code, in file order."""
    out: dict[str, list[str]] = {c: [] for c in wanted}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        next(f)
        for line in f:
            # "postcode,easting,northing,lower_tier,upper_tier,terminated_on\n": keep rows with
            # an empty terminated_on whose 9-character upper_tier is wanted
            if line[-2] != "," or line[-12] != ",":
                continue
            lst = out.get(line[-11:-2])
            if lst is not None:
                lst.append(line[:line.index(",")])
    for code, lst in out.items():
        if not lst:
            raise SystemExit(f"no postcodes for {code} in {path}")
    return out


# --------------------------------------------------------------------------- model of a child
class Episode:
    __slots__ = ("decom", "dec", "rne", "ls", "cin", "place", "provider", "rec", "rpc",
                 "home", "plpost", "urn")

    def __init__(self, decom, rne, ls, cin, place, provider, home, plpost, urn):
        self.decom = decom
        self.dec = None  # None: still open at the end of the data
        self.rne = rne
        self.ls = ls
        self.cin = cin
        self.place = place
        self.provider = provider
        self.rec = ""
        self.rpc = ""
        self.home = home
        self.plpost = plpost
        self.urn = urn


class Child:
    __slots__ = ("cid", "sex", "dob", "ethnic", "early_ethnic", "upn", "uasc", "uasc_years_all",
                 "mother", "mc_dob", "episodes", "extra")

    def __init__(self):
        self.extra = {}  # per-year extra rows (duplicates etc.): year -> list of (position, row)


class Generator:
    def __init__(self, council: str, years: list[int], n_children: int, seed: int,
                 postcodes: dict[str, list[str]]):
        self.council = council
        self.ons, self.la_number, _ = COUNCILS[council]
        self.years = years
        self.n = n_children
        self.rng = random.Random(f"ssda903:{seed}:{council}")
        self.pc = postcodes
        self.window_start = date(years[0] - 1, 4, 1)
        self.window_end = date(years[-1], 3, 31)
        self.neigh = [COUNCILS[c][0] for c in NEIGHBOURS[council] if c in COUNCILS]

    # ---- small samplers
    def home_postcode(self):
        rng = self.rng
        if rng.random() < 0.93:
            return rng.choice(self.pc[self.ons])
        return rng.choice(self.pc[rng.choice(self.neigh)])

    def placement_postcode(self, place):
        rng = self.rng
        if place in NO_POSTCODE_PLACES and rng.random() < 0.7:
            return ""
        x = rng.random()
        if x < 0.74:
            return rng.choice(self.pc[self.ons])
        if x < 0.95:
            return rng.choice(self.pc[rng.choice(self.neigh)])
        return rng.choice(self.pc[rng.choice(FAR_AWAY)])

    def urn(self, place):
        if place in URN_PLACES and self.rng.random() < 0.9:
            return "SC%06d" % self.rng.randrange(10000, 999999)
        return "XXXXXXX"

    def choose_place(self, age: int, when: date, uasc: bool, prev: str | None = None) -> str:
        rng = self.rng
        for _ in range(20):
            if age < 1:
                pairs = [("U1", 8), ("U3", 6), ("U4", 30), ("U6", 25), ("U5", 5), ("A3", 3), ("A5", 4),
                         ("P1", 8), ("R2", 6), ("Z1", 1)]
            elif age < 5:
                pairs = [("U1", 10), ("U3", 6), ("U4", 30), ("U6", 30), ("U2", 3), ("A4", 4), ("A6", 5),
                         ("P1", 8), ("K2", 1), ("Z1", 1)]
            elif age < 10:
                pairs = [("U1", 10), ("U3", 8), ("U4", 30), ("U6", 30), ("U5", 3), ("P1", 6), ("K2", 4),
                         ("R1", 1), ("S1", 1), ("R3", 1), ("Z1", 1)]
            elif age < 16:
                pairs = [("U1", 6), ("U3", 6), ("U4", 30), ("U6", 28), ("U5", 3), ("U2", 2), ("K2", 12),
                         ("R1", 2), ("S1", 2), ("P3", 1), ("P1", 4), ("R5", 1), ("R3", 1), ("T0", 1),
                         ("T1", 1), ("T4", 1), ("Z1", 2)]
            else:
                pairs = [("U1", 3), ("U3", 3), ("U4", 20), ("U6", 15), ("U5", 2), ("K2", 10), ("R1", 1),
                         ("S1", 2), ("P3", 2), ("H5", 14), ("P2", 8), ("K3", 8), ("P1", 2), ("R5", 2),
                         ("T0", 1), ("T2", 1), ("T3", 1), ("Z1", 3)]
                if uasc:
                    pairs = [(p, w * (3 if p in ("H5", "P2", "K3", "U4", "U6") else 1)) for p, w in pairs]
            p = wchoice(rng, pairs)
            if p == "P2" and when >= SUPPORTED_CHANGE:
                p = "K3"
            if p in ("K3", "P3") and when < SUPPORTED_CHANGE:
                p = "P2" if p == "K3" else "K2"
            if p != prev:
                return p
        return p

    def band_day(self, dob: date, t: date, ages=(1, 5, 10)) -> bool:
        """t is the first of the birth month at one of these ages. The model keeps DOB as the first
        of its month and measures age as days / 365.24, so an episode starting on such a day at 1, 5
        or 10 (when too few 29 Februaries lie between) is split into a zero-length row in the lower
        band plus one in the upper band, and an episode ending on such a day at 1, 5, 10 or 16 (when
        enough lie between) gets a zero-length row in the upper band. Each zero-length row is a
        transition on a day whose previous-day stock in that state may be 0, which makes upstream
        raise ValueError; the generator keeps such days in the populous fostering states."""
        return t.day == 1 and t.month == dob.month and (t.year - dob.year) in ages

    def fostering_place(self) -> str:
        return wchoice(self.rng, [("U1", 1), ("U3", 1), ("U4", 3), ("U6", 3)])

    # ---- one child's history
    def make_child(self, cid: str) -> Child:
        rng = self.rng
        ch = Child()
        ch.cid = cid
        ch.uasc = rng.random() < 0.07
        ch.sex = ("1" if rng.random() < 0.85 else "2") if ch.uasc else ("1" if rng.random() < 0.56 else "2")
        ws, we = self.window_start, self.window_end
        span_days = (we - ws).days
        while True:
            # first entry: up to 8 years before the window, biased towards long stays by rejection
            start = ws + timedelta(days=rng.randrange(-8 * 365, span_days + 1))
            if ch.uasc:
                entry_age_days = rng.randrange(14 * 365, 17 * 365 + 300)
            else:
                a = wchoice(rng, [(0, 16), (1, 14), (5, 18), (10, 34), (16, 8)])
                hi = {0: 1, 1: 5, 5: 10, 10: 16, 16: 18}[a]
                entry_age_days = rng.randrange(a * 365, hi * 365 - 20) if a else rng.randrange(0, 365)
            dob = start - timedelta(days=entry_age_days)
            if rng.random() < 0.02:
                # born on 29 February of a nearby leap year
                y = dob.year - (dob.year % 4)
                if y % 100 == 0 and y % 400 != 0:
                    y -= 4
                cand = date(y, 2, 29)
                if cand <= start:
                    dob = cand
            periods = self.make_periods(ch, dob, start)
            last_end = periods[-1][1]
            if last_end is None or last_end >= ws:
                if periods[0][0] <= we:
                    break
        ch.dob = dob
        if ch.uasc:
            ch.ethnic = wchoice(rng, UASC_ETHNIC)
        else:
            ch.ethnic = wchoice(rng, ETHNIC_WEIGHTS)
        # some children's ethnicity is not yet obtained in their first year(s)
        ch.early_ethnic = "NOBT" if (ch.ethnic != "NOBT" and rng.random() < 0.05) else None
        check = rng.choice("ABCDEFGHJKLMNPQRTUVWXYZ")
        ch.upn = "%s%s%04d%02d%03d" % (check, self.la_number, rng.randrange(10000), rng.randrange(100),
                                        rng.randrange(1000))
        ch.mother = None
        ch.mc_dob = None
        if ch.sex == "2" and rng.random() < 0.04:
            d = add_years(dob, 15) + timedelta(days=rng.randrange(0, 900))
            ch.mc_dob = d
        ch.uasc_years_all = rng.random() < 0.75
        ch.episodes = self.make_episodes(ch, dob, periods)
        return ch

    def make_periods(self, ch, dob, start):
        """Periods of care [(start, end_or_None, ended_at_18)]; None = open at the end of the data."""
        rng = self.rng
        periods = []
        eighteen = add_years(dob, 18)
        while True:
            kind = rng.random()
            if kind < 0.28:
                length = rng.randrange(1, 120)
            elif kind < 0.68:
                length = rng.randrange(120, 900)
            else:
                length = rng.randrange(900, 4500)
            end = start + timedelta(days=length)
            at18 = False
            if end >= eighteen:
                end, at18 = eighteen, True
            if end > self.window_end:
                periods.append((start, None, False))
                break
            periods.append((start, end, at18))
            if at18 or rng.random() > 0.22:
                break
            start = end + timedelta(days=rng.randrange(20, 800))
            if start >= eighteen - timedelta(days=30) or start > self.window_end:
                break
        return periods

    def change_dates(self, dob, start, end_limit):
        """Dates within (start, end_limit) at which a new episode begins."""
        rng = self.rng
        out = []
        t = start
        while True:
            t = t + timedelta(days=max(1, int(rng.expovariate(1 / 260))))
            if t >= end_limit:
                break
            out.append(t)
        # sometimes a change exactly on the first of the birth month at a band age
        for b in (1, 5, 10, 16):
            bd = date(dob.year + b, dob.month, 1)
            if start < bd < end_limit and bd > dob and rng.random() < 0.12 and bd not in out:
                out.append(bd)
        # P2 episodes must end by 28/10/2023; the generator converts at that date
        out.sort()
        return out

    def make_episodes(self, ch, dob, periods):
        rng = self.rng
        eps: list[Episode] = []
        uasc = ch.uasc
        for (pstart, pend, at18) in periods:
            # occasionally start a period exactly on the first of the birth month at a band age
            home = self.home_postcode()
            age = age_on(dob, pstart)
            ls = (rng.choice(["V2", "V2", "V2", "C1"]) if uasc else
                  wchoice(rng, [("V2", 30), ("C1", 28), ("L1", 8), ("L2", 8), ("C2", 10), ("E1", 2),
                                ("J1", 2 if age >= 10 else 0), ("V3", 1)]))
            cin = "N8" if uasc else wchoice(rng, CIN_WEIGHTS)
            limit = pend if pend is not None else self.window_end + timedelta(days=1)
            changes = self.change_dates(dob, pstart, limit)
            place = self.choose_place(age, pstart, uasc)
            if self.band_day(dob, pstart):
                place = self.fostering_place()
            ep = Episode(pstart, "S", ls, cin, place, wchoice(rng, PROVIDER[place]), home,
                         self.placement_postcode(place), self.urn(place))
            period_eps = [ep]
            # P2 must be closed at SUPPORTED_CHANGE: insert a T change there if needed
            boundaries = list(changes)
            if pstart < SUPPORTED_CHANGE < limit and SUPPORTED_CHANGE not in boundaries:
                boundaries.append(SUPPORTED_CHANGE)
                boundaries.sort()
            for t in boundaries:
                prev = period_eps[-1]
                if self.band_day(dob, t, (1, 5, 10, 16)) and not prev.place.startswith("U"):
                    # an episode ending on such a day gets a zero-length row in the upper band
                    # (see band_day); keep that in the fostering bands, else move the change a day
                    t = t + timedelta(days=1)
                    if t >= limit or t in boundaries:
                        continue
                a = age_on(dob, t)
                if t == SUPPORTED_CHANGE:
                    if prev.place != "P2":
                        continue
                    rne = "T"
                else:
                    rne = wchoice(rng, [("P", 55), ("B", 10), ("L", 14), ("T", 11), ("U", 10)])
                new_ls, new_place, provider, plpost, urn = prev.ls, prev.place, prev.provider, prev.plpost, prev.urn
                if rne in ("L", "B", "U"):
                    opts = ["C2", "C2", "C2", "E1", "V2", "C1", "D1", "J2"] if not uasc else ["V2", "C2"]
                    new_ls = rng.choice([o for o in opts if o != prev.ls] or ["C2"])
                if rne in ("P", "B"):
                    new_place = self.choose_place(a, t, uasc, prev.place)
                    if self.band_day(dob, t):
                        # keep these in the populous fostering bands: a zero-length episode in a band
                        # empty the day before makes upstream raise (transitions > 0 with stock 0)
                        new_place = self.fostering_place()
                    provider = wchoice(rng, PROVIDER[new_place])
                    plpost = self.placement_postcode(new_place)
                    urn = self.urn(new_place)
                    prev.rpc = wchoice(rng, REASONS_PLACE_CHANGE)
                elif rne in ("T", "U"):
                    # same carer, placement status changes within the same kind of placement
                    if prev.place == "P2":
                        new_place = rng.choice(["K3", "H5"]) if t >= SUPPORTED_CHANGE else "H5"
                    elif prev.place in ("U4", "U5", "U6"):
                        new_place = rng.choice([p for p in ("U4", "U5", "U6") if p != prev.place])
                    elif prev.place in ("U1", "U2", "U3"):
                        new_place = rng.choice([p for p in ("U1", "U2", "U3") if p != prev.place])
                    if new_place != prev.place:
                        provider = wchoice(rng, PROVIDER[new_place])
                        if new_place in URN_PLACES and urn == "XXXXXXX":
                            urn = self.urn(new_place)
                        if new_place not in URN_PLACES:
                            urn = "XXXXXXX"
                prev.dec = t
                prev.rec = "X1"
                period_eps.append(Episode(t, rne, new_ls, prev.cin, new_place, provider, home, plpost, urn))
            last = period_eps[-1]
            if pend is not None and self.band_day(dob, pend, (1, 5, 10, 16)) and not last.place.startswith("U"):
                pend = pend - timedelta(days=1) if pend - timedelta(days=1) > last.decom else pend + timedelta(days=1)
            if pend is not None:
                last.dec = pend
                if at18:
                    last.rec = ("E17" if last.place.startswith("U") and rng.random() < 0.4
                                else wchoice(rng, [("E5", 5), ("E8", 3), ("E6", 1), ("E4A", 1)]))
                else:
                    a = age_on(dob, pend)
                    if a < 5:
                        pairs = [("E11", 20), ("E12", 5), ("E41", 5), ("E45", 3), ("E46", 2), ("E47", 2),
                                 ("E48", 3), ("E4A", 25), ("E4B", 5), ("E8", 5), ("E3", 2)]
                    elif a < 12:
                        pairs = [("E4A", 40), ("E41", 6), ("E45", 4), ("E46", 3), ("E48", 6), ("E11", 3),
                                 ("E4B", 8), ("E8", 6), ("E3", 2), ("E16", 1)]
                    else:
                        pairs = [("E4A", 35), ("E4B", 10), ("E13", 6), ("E7", 3), ("E8", 10), ("E5", 3),
                                 ("E48", 2), ("E3", 2), ("E15", 2 if uasc else 0), ("E16", 1), ("E2", 0.3)]
                    last.rec = wchoice(rng, pairs)
            eps.extend(period_eps)
        return eps


# --------------------------------------------------------------------------- per-year rows
def year_bounds(y: int) -> tuple[date, date]:
    return date(y - 1, 4, 1), date(y, 3, 31)


def episode_row(cid, e: Episode, dec_str: str):
    return [cid, fmt(e.decom), e.rne, e.ls, e.cin, e.place, e.provider, dec_str,
            e.rec if dec_str else "", e.rpc if dec_str else "", e.home, e.plpost, e.urn]


def build_council(gen: Generator) -> tuple[dict, dict]:
    """Returns {year: (header_rows, episode_rows, uasc_rows)} and stats."""
    rng = gen.rng
    ids = set()
    children = []
    while len(children) < gen.n:
        cid = str(rng.randrange(100000, 999999)) if rng.random() < 0.8 else "%s%05d" % (
            rng.choice(["C", "LAC", "A"]), rng.randrange(100000))
        if cid in ids:
            continue
        ids.add(cid)
        children.append(gen.make_child(cid))

    # Decide data quirks per child (identical at every run).
    quirks = {}
    for ch in children:
        q = {}
        r = rng.random()
        closed = [i for i, e in enumerate(ch.episodes) if e.dec is not None]
        if closed and r < 0.03:
            q["exact_dup"] = rng.choice(closed + [len(ch.episodes) - 1])
        elif closed and r < 0.06:
            q["same_decom_earlier_dec"] = rng.choice(closed)
        elif closed and r < 0.08:
            q["same_dec_later_decom"] = rng.choice(closed)
        # overlaps: DEC recorded after the next DECOM (only when next episode continues the period)
        cont = [i for i in range(len(ch.episodes) - 1)
                if ch.episodes[i].dec == ch.episodes[i + 1].decom]
        if cont and rng.random() < 0.05:
            q["overlap"] = (rng.choice(cont), rng.randrange(1, 21))
        if cont and rng.random() < 0.02:
            q["unclosed"] = rng.choice(cont)
        quirks[ch.cid] = q

    out = {}
    n_eps_total = 0
    for y in gen.years:
        ys, ye = year_bounds(y)
        header_rows, ep_rows, uasc_rows = [], [], []
        for ch in children:
            q = quirks[ch.cid]
            rows = []
            for i, e in enumerate(ch.episodes):
                if e.decom > ye or (e.dec is not None and e.dec < ys):
                    continue
                dec = e.dec if (e.dec is not None and e.dec <= ye) else None
                dec_s = fmt(dec)
                if dec is not None and q.get("overlap", (None,))[0] == i:
                    k = q["overlap"][1]
                    nxt = ch.episodes[i + 1]
                    nd = dec + timedelta(days=k)
                    # the overlapping DEC must be in this year and before the next episode's end
                    if nd <= ye and (nxt.dec is None or nd < nxt.dec):
                        dec_s = fmt(nd)
                if dec is not None and q.get("unclosed") == i:
                    dec_s = ""
                row = episode_row(ch.cid, e, dec_s)
                rows.append(row)
                if dec is not None:
                    if q.get("exact_dup") == i:
                        rows.append(list(row))
                    elif q.get("same_decom_earlier_dec") == i and (dec - e.decom).days >= 2:
                        r2 = list(row)
                        r2[7] = fmt(dec - timedelta(days=1 + (dec - e.decom).days // 3))
                        r2[9] = ""
                        rows.insert(len(rows) - 1, r2)
                    elif q.get("same_dec_later_decom") == i and (dec - e.decom).days >= 4:
                        r2 = list(row)
                        r2[1] = fmt(e.decom + timedelta(days=(dec - e.decom).days // 2))
                        r2[2] = "P"
                        rows.append(r2)
                elif q.get("exact_dup") == i:
                    rows.append(list(row))
            if not rows:
                continue
            ep_rows.extend(rows)
            sex = ch.sex if y <= 2024 else ("M" if ch.sex == "1" else "F")
            ethnic = ch.early_ethnic if (ch.early_ethnic and y < gen.years[0] + 2) else ch.ethnic
            mother, mc = "", ""
            if ch.sex == "2" and age_on(ch.dob, ye) >= 12:
                if ch.mc_dob is not None and ch.mc_dob <= ye:
                    mother, mc = "1", fmt(ch.mc_dob)
                elif (hash_int(ch.cid, y) % 10) < 8:
                    mother = "0"
            header_rows.append([ch.cid, sex, fmt(ch.dob), ethnic, ch.upn, mother, mc])
            if ch.uasc:
                first_year = min(yy for yy in gen.years if any(
                    not (e.decom > year_bounds(yy)[1] or (e.dec is not None and e.dec < year_bounds(yy)[0]))
                    for e in ch.episodes))
                if ch.uasc_years_all or y == first_year:
                    uasc_rows.append([ch.cid, sex, fmt(ch.dob), fmt(add_years(ch.dob, 18))])
        n_eps_total += len(ep_rows)
        out[y] = (header_rows, ep_rows, uasc_rows)
    stats = {"children": len(children), "episode_rows": n_eps_total,
             "uasc_children": sum(1 for c in children if c.uasc)}
    return out, stats


def hash_int(s: str, y: int) -> int:
    h = 2166136261
    for ch in f"{s}:{y}":
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def write_csv(path: Path, cols, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)


# --------------------------------------------------------------------------- faulty files
def write_faults(fdir: Path, council: str, year: int, tables):
    """One directory per fault, each a copy of <council>/<year> with that fault."""
    header, eps, uasc = tables
    ys, ye = year_bounds(year)

    def dump(name, h=header, e=eps, u=uasc, hcols=HEADER_COLS, ecols=EPISODE_COLS):
        base = fdir / name / council / str(year)
        write_csv(base / "header.csv", hcols, h)
        write_csv(base / "episodes.csv", ecols, e)
        write_csv(base / "uasc.csv", UASC_COLS, u)

    closed = [i for i, r in enumerate(eps) if r[7]]
    # two-digit years everywhere
    def two(s):
        return s[:6] + s[8:] if len(s) == 10 and s[2] == "/" else s
    dump("two-digit-years", h=[[two(c) for c in r] for r in header], e=[[two(c) for c in r] for r in eps],
         u=[[two(c) for c in r] for r in uasc])
    # DEC before DECOM
    e = [list(r) for r in eps]
    i = closed[0]
    e[i][7], e[i][1] = e[i][1], e[i][7]
    if e[i][1] == e[i][7]:
        e[i][7] = "01/04/%d" % (year - 1)
    dump("dec-before-decom", e=e)
    # formula cell
    e = [list(r) for r in eps]
    e[1][11] = '=HYPERLINK("http://example.invalid/","%s")' % e[1][11]
    dump("formula-cell", e=e)
    # episode whose child has no header row this year
    h = [r for r in header if r[0] != eps[0][0]]
    dump("episode-without-header", h=h)
    # missing column (PLACE) in the episodes file
    pi = EPISODE_COLS.index("PLACE")
    dump("missing-column", e=[r[:pi] + r[pi + 1:] for r in eps], ecols=EPISODE_COLS[:pi] + EPISODE_COLS[pi + 1:])
    # unparseable date, DEC after the year end, DOB after DECOM, no CHILD
    e = [list(r) for r in eps]
    e[2][1] = "31/02/%d" % ye.year
    dump("unparseable-date", e=e)
    e = [list(r) for r in eps]
    e[closed[-1]][7] = fmt(ye + timedelta(days=10))
    dump("dec-after-year-end", e=e)
    h = [list(r) for r in header]
    child = eps[0][0]
    first_decom = min(r[1] for r in eps if r[0] == child)
    for r in h:
        if r[0] == child:
            d = eps[0][1]
            dd = date(int(d[6:]), int(d[3:5]), int(d[:2])) + timedelta(days=30)
            r[2] = fmt(dd)
    dump("dob-after-decom", h=h)
    e = [list(r) for r in eps]
    e[3][0] = ""
    dump("no-child", e=e)
    (fdir / "README.txt").write_text(
        "Faulty SSDA903 files for import tests (not model input). Each folder is a copy of\n"
        f"{council}/{year} with one fault: two-digit-years, dec-before-decom, formula-cell\n"
        "(=HYPERLINK in PL_POST), episode-without-header (first episode's child has no header row),\n"
        "missing-column (PLACE absent from episodes.csv), unparseable-date (31/02), dec-after-year-end,\n"
        "dob-after-decom, no-child (blank CHILD).\n")


# --------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--councils", default="portsmouth,southampton,hampshire",
                    help="comma-separated council codes, or 'all' (default: %(default)s)")
    ap.add_argument("--years", default="2020-2026", help="collection years, e.g. 2020-2026 (default: %(default)s)")
    ap.add_argument("--children", type=int, default=160,
                    help="children ever in care per average-size council (scaled by council size; default %(default)s)")
    ap.add_argument("--seed", type=int, default=903)
    ap.add_argument("--out", default="data/ssda903/synthetic")
    ap.add_argument("--postcodes", default="data/postcodes.csv.gz")
    ap.add_argument("--with-faults", action="store_true", help="also write faulty files for import tests")
    ap.add_argument("--faults-out", default=None, help="where the faulty files go (default: <out>-faults)")
    args = ap.parse_args(argv)

    councils = sorted(COUNCILS) if args.councils == "all" else [c.strip() for c in args.councils.split(",")]
    for c in councils:
        if c not in COUNCILS:
            raise SystemExit(f"unknown council {c!r}; known: {', '.join(sorted(COUNCILS))}")
    councils = sorted(set(councils))
    if "-" in args.years:
        a, b = args.years.split("-")
        years = list(range(int(a), int(b) + 1))
    else:
        years = sorted(int(y) for y in args.years.split(","))
    t0 = time.time()
    wanted = set(FAR_AWAY)
    for c in councils:
        wanted.add(COUNCILS[c][0])
        wanted.update(COUNCILS[n][0] for n in NEIGHBOURS[c] if n in COUNCILS)
    postcodes = load_postcodes(Path(args.postcodes), wanted)
    out = Path(args.out)
    if out.exists():
        for c in councils:
            shutil.rmtree(out / c, ignore_errors=True)
    tot_children = tot_eps = 0
    for c in councils:
        n = max(10, round(args.children * COUNCILS[c][2]))
        gen = Generator(c, years, n, args.seed, postcodes)
        tables, stats = build_council(gen)
        for y in years:
            h, e, u = tables[y]
            base = out / c / str(y)
            write_csv(base / "header.csv", HEADER_COLS, h)
            write_csv(base / "episodes.csv", EPISODE_COLS, e)
            write_csv(base / "uasc.csv", UASC_COLS, u)
        tot_children += stats["children"]
        tot_eps += stats["episode_rows"]
        print(f"{c}: {stats['children']} children ({stats['uasc_children']} UASC), "
              f"{stats['episode_rows']} episode rows over {len(years)} years", file=sys.stderr)
        if args.with_faults and c == councils[0]:
            fdir = Path(args.faults_out) if args.faults_out else Path(str(out).rstrip("/") + "-faults")
            shutil.rmtree(fdir, ignore_errors=True)
            fy = years[len(years) // 2]
            write_faults(fdir, c, fy, tables[fy])
            print(f"faulty files: {fdir}", file=sys.stderr)
    print(f"total: {tot_children} children, {tot_eps} episode rows, {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
