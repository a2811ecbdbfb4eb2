-- Imports of a council's existing training records (issue 13): every record of a file written
-- in one transaction, or none and a report of every refused row. Kept so the report has an
-- address, and as the records' provenance (each imported record is `how = 'import'`, recorded
-- by the importer, with the row's evidence as its note).
create table training_records_import (
    training_records_import_id uuid primary key default gen_random_uuid(),
    council_id      uuid not null references council (council_id),
    stored_file_id  uuid not null references stored_file (stored_file_id),
    imported_by     uuid not null references staff_user (staff_user_id),
    outcome         text not null check (outcome in ('imported', 'refused')),
    records         integer not null default 0 check (records >= 0),
    people          integer not null default 0 check (people >= 0),
    -- Rows already on record (same person, competency and date), not written twice.
    already_held    integer not null default 0 check (already_held >= 0),
    problems        jsonb not null default '[]' check (jsonb_typeof(problems) = 'array'),
    problems_total  integer not null default 0 check (problems_total >= 0),
    rows_refused    integer not null default 0 check (rows_refused >= 0),
    created_at      timestamptz not null default now(),
    constraint training_records_import_whole check ((outcome = 'imported') = (problems_total = 0))
);

create index training_records_import_council on training_records_import (council_id, created_at desc);
create index training_records_import_file on training_records_import (stored_file_id);
