-- Postcode places: where a postcode is on the map and which council it is in, shared by every
-- domain (an enquirer's home council, the distance from a child's home to a carer's).

-- A member council's ONS code (e.g. E06000044 for Portsmouth): the upper-tier council, the one
-- with children's services. It links postcodes to our councils. The hub has none.
alter table council
    add column ons_code text unique check (ons_code ~ '^[EWSN][0-9]{8}$');

-- One row per postcode in the ONS Postcode Directory (Open Government Licence v3.0), derived by
-- scripts/derive-postcodes into data/postcodes.csv.gz and loaded by `server load-postcodes`,
-- which replaces the whole table. Reference data, replaced wholesale and never edited, so it has
-- no `updated_at`; the postcode itself is the natural key.
create table postcode (
    -- Normalised: upper case, one space before the three-character inward code (`PO1 2AB`).
    postcode      text primary key
                  check (postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$'),
    -- British National Grid, metres. Null where ONS gives none on that grid: Northern Ireland
    -- (Irish Grid), the Channel Islands, the Isle of Man, and postcodes such as PO boxes.
    easting       integer check (easting between 0 and 700000),
    northing      integer check (northing between 0 and 1300000),
    -- ONS codes of the lower-tier (district or unitary) and upper-tier council; null outside
    -- the United Kingdom's councils (Channel Islands, Isle of Man) and where ONS gives none.
    lower_tier    text check (lower_tier ~ '^[EWSN][0-9]{8}$'),
    upper_tier    text check (upper_tier ~ '^[EWSN][0-9]{8}$'),
    -- First day of the month the postcode stopped being used; null while live, and wherever the
    -- source does not say (the packaged directory carries no termination dates).
    terminated_on date,
    constraint postcode_grid_whole check ((easting is null) = (northing is null))
);
