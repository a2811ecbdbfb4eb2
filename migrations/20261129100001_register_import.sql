-- Imports of a council's existing carer register from CSV (issue 10): one row per attempt,
-- whether everything was added or the file was refused and nothing was. The report page reads
-- it, so the outcome survives the redirect a browser without JavaScript follows after posting.

create table register_import (
    register_import_id uuid primary key default gen_random_uuid(),
    council_id      uuid not null references council (council_id),
    -- The uploaded file imported (kept: the register's provenance).
    stored_file_id  uuid not null references stored_file (stored_file_id),
    imported_by     uuid not null references staff_user (staff_user_id),
    -- `imported`: every household added, in one transaction; `refused`: nothing added.
    outcome         text not null check (outcome in ('imported', 'refused')),
    households      integer not null default 0 check (households >= 0),
    carers          integer not null default 0 check (carers >= 0),
    -- Carers emailed a sign-in link to the carer portal.
    invited         integer not null default 0 check (invited >= 0),
    -- The problems found, `[{row, column, message}]`, at most a few hundred (the report's).
    problems        jsonb not null default '[]' check (jsonb_typeof(problems) = 'array'),
    problems_total  integer not null default 0 check (problems_total >= 0),
    rows_refused    integer not null default 0 check (rows_refused >= 0),
    created_at      timestamptz not null default now(),
    constraint register_import_whole check (
        (outcome = 'imported') = (problems_total = 0))
);

create index register_import_council on register_import (council_id, created_at desc);
create index register_import_file on register_import (stored_file_id);
