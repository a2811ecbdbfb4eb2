-- Placement location (issue 12): where each child is placed, so the region can measure the
-- share placed inside it, and the DfE's published figures for England and the regions to set
-- the councils' own beside.

-- The upper-tier council (ONS code) of the placement postcode, derived at import like the
-- distance; returns imported before this column existed have none until they are imported again.
alter table ssda903_episode
    add column placed_la text check (placed_la ~ '^[EWSN][0-9]{8}$');

-- The DfE's "Children looked after: a focus on placement location" figures for England and each
-- region, read from the file an analyst uploads with the returns (never typed in). One row per
-- area and 31 March; a later upload of the same area and year replaces it. The measures are
-- percentages of the children whose boundary and distance from home are known, the base the
-- product uses for its councils.
create table published_placement_location (
    year            integer not null check (year between 2000 and 2100),
    area_code       text not null check (area_code ~ '^[EKW][0-9]{8}$'),
    area_name       text not null check (length(area_name) between 1 and 100),
    level           text not null check (level in ('National', 'Regional')),
    outside         double precision not null check (outside between 0 and 100),
    over_20_miles   double precision not null check (over_20_miles between 0 and 100),
    both_measures   double precision not null check (both_measures between 0 and 100),
    ssda903_import_id uuid not null references ssda903_import (ssda903_import_id),
    imported_at     timestamptz not null default now(),
    primary key (area_code, year)
);
