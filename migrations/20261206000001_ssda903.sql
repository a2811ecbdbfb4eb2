-- Regional sufficiency (issue 12): councils' SSDA903 returns, kept minimised, for the demand
-- forecast. A return is one council's Header, Episodes and UASC rows for one collection year;
-- uploading the same council and year again replaces it (audited). Child-level rows are read
-- only by the council's own analysts and placement officers; the region sees aggregates.

-- One import: the files an analyst sent together (CSV files or a zip), run as a background job
-- so a large one survives a restart and runs once however many servers there are.
create table ssda903_import (
    ssda903_import_id uuid primary key default gen_random_uuid(),
    -- The council whose analyst imported; the hub for a regional import.
    council_id      uuid not null references council (council_id),
    imported_by     uuid not null references staff_user (staff_user_id),
    -- The collection year for files that name none (neither a YEAR column nor a year in the
    -- file's name); null if the analyst gave none.
    default_year    integer check (default_year between 2000 and 2100),
    -- waiting → running → done (every readable return imported) or refused (nothing kept).
    status          text not null default 'waiting'
                    check (status in ('waiting', 'running', 'done', 'refused')),
    job_id          uuid references job (job_id),
    -- What happened to each file and return: the report page reads it.
    report          jsonb not null default '{}' check (jsonb_typeof(report) = 'object'),
    created_at      timestamptz not null default now(),
    finished_at     timestamptz
);

create index ssda903_import_council on ssda903_import (council_id, created_at desc);

-- The uploaded files an import reads, in the order they were added.
create table ssda903_import_file (
    ssda903_import_id uuid not null references ssda903_import (ssda903_import_id)
                      on delete cascade,
    stored_file_id  uuid not null references stored_file (stored_file_id),
    position        integer not null check (position >= 0),
    primary key (ssda903_import_id, stored_file_id)
);

-- A council's return for one collection year (the year it ends in: 2024 = 2023-24).
create table ssda903_return (
    ssda903_return_id uuid primary key default gen_random_uuid(),
    council_id      uuid not null references council (council_id),
    collection_year integer not null check (collection_year between 2000 and 2100),
    ssda903_import_id uuid not null references ssda903_import (ssda903_import_id),
    header_rows     integer not null check (header_rows >= 0),
    episode_rows    integer not null check (episode_rows >= 0),
    uasc_rows       integer not null check (uasc_rows >= 0),
    rows_refused    integer not null check (rows_refused >= 0),
    imported_at     timestamptz not null default now(),
    unique (council_id, collection_year)
);

-- A child's Header row. No UPN, no mother's details: the forecast needs none of them.
create table ssda903_header (
    ssda903_return_id uuid not null references ssda903_return (ssda903_return_id)
                      on delete cascade,
    child           text not null check (length(child) between 1 and 100),
    sex             text not null check (length(sex) <= 10),
    -- Kept as the first of the month of birth (data minimisation; the model needs no more).
    dob             date not null check (extract(day from dob) = 1),
    ethnic          text not null check (length(ethnic) <= 10),
    primary key (ssda903_return_id, child)
);

create table ssda903_episode (
    ssda903_return_id uuid not null references ssda903_return (ssda903_return_id)
                      on delete cascade,
    -- The row's place in its file: with the council and year it orders episodes canonically.
    row_number      integer not null check (row_number >= 1),
    child           text not null check (length(child) between 1 and 100),
    decom           date not null,
    rne             text not null check (length(rne) <= 10),
    ls              text not null check (length(ls) <= 10),
    cin             text not null check (length(cin) <= 10),
    place           text not null check (length(place) <= 10),
    place_provider  text not null check (length(place_provider) <= 10),
    dec             date check (dec is null or dec >= decom),
    rec             text not null check (length(rec) <= 10),
    reason_place_change text not null check (length(reason_place_change) <= 10),
    -- Postcode sectors only (`PO1 2`); the full postcodes are read at import and dropped.
    home_sector     text check (length(home_sector) <= 8),
    placed_sector   text check (length(placed_sector) <= 8),
    -- Derived at import from the full postcodes' grid references and councils.
    distance_miles  double precision check (distance_miles >= 0),
    placed_outside_council boolean,
    urn             text not null check (length(urn) <= 20),
    primary key (ssda903_return_id, row_number)
);

create table ssda903_uasc (
    ssda903_return_id uuid not null references ssda903_return (ssda903_return_id)
                      on delete cascade,
    child           text not null check (length(child) between 1 and 100),
    primary key (ssda903_return_id, child)
);

-- Bumped by every change to the returns, so a forecast cached against it is never stale, on
-- this server or any other.
create sequence ssda903_data_version;
