-- Jobs: work the product does away from any request, kept in PostgreSQL like the email outbox so
-- that it survives a restart and several server processes can share it.
--
-- Two sorts of row live in `job`:
-- - an occurrence of a scheduled job (`scheduled_for` set): one row per job and due instant,
--   made unique below, so however many processes notice that a daily job is due, only one row
--   exists and only one of them can claim it;
-- - a background job (`scheduled_for` null): enqueued with a payload, e.g. a large import.
--
-- A runner claims a due row with `FOR UPDATE SKIP LOCKED` and a lease (`locked_until`,
-- `claim_token`); only the holder of the lease may record progress or the outcome, and a runner
-- that dies leaves its row to another once the lease has run out. Every instant here is the
-- runner's clock (tests move it), not the database's `now()`.
create table job (
    job_id          uuid primary key default gen_random_uuid(),
    -- Which handler runs it, e.g. `email_outbox_retention`, `carer_import`.
    kind            text not null check (kind ~ '^[a-z][a-z0-9_]{2,60}$'),
    -- For a scheduled job: the instant this occurrence was due. Null for a background job.
    scheduled_for   timestamptz,
    -- The handler's input (background jobs); `{}` for scheduled ones.
    payload         jsonb not null default '{}',
    -- pending: waiting for `run_at` (first run, or a retry after back-off);
    -- running: claimed by a runner until `locked_until`;
    -- succeeded: done at `finished_at`;
    -- failed: given up after `max_attempts`, or refused as permanently wrong (see `last_error`).
    status          text not null default 'pending'
                    check (status in ('pending', 'running', 'succeeded', 'failed')),
    -- Attempts started, counted when a runner claims the job.
    attempts        integer not null default 0 check (attempts >= 0),
    max_attempts    integer not null default 5 check (max_attempts between 1 and 100),
    run_at          timestamptz not null,
    -- The lease of the runner that claimed the job, renewed while it runs.
    locked_until    timestamptz,
    claim_token     uuid,
    -- Progress a long job reports for the administrators' page: `done` of `total`, and a note.
    progress_done   bigint check (progress_done is null or progress_done >= 0),
    progress_total  bigint check (progress_total is null or progress_total >= 0),
    progress_message text check (progress_message is null or length(progress_message) <= 500),
    last_error      text,
    -- When the latest attempt started, and when the job succeeded or was given up.
    started_at      timestamptz,
    finished_at     timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- The rule that makes a scheduled occurrence run once across processes. (Nulls are distinct,
    -- so background jobs are not constrained by it.) Also the index for "latest run of a job".
    constraint job_one_row_per_occurrence unique (kind, scheduled_for),
    constraint job_running_has_lease
        check (status <> 'running' or (locked_until is not null and claim_token is not null)),
    constraint job_finished_has_time
        check (status not in ('succeeded', 'failed') or finished_at is not null)
);

-- The claim query: pending jobs whose time has come, and leases that have run out.
create index job_pending_due on job (run_at) where status = 'pending';
create index job_running_lease on job (locked_until) where status = 'running';
-- The administrators' page: recent background jobs, newest first.
create index job_background_created on job (created_at desc) where scheduled_for is null;

create trigger job_updated_at before update on job
    for each row execute function set_updated_at();

-- The scheduled jobs the running code knows, written by each runner when it starts, so the
-- administrators' page can list every job and its next run, including one that has never run.
create table job_schedule (
    job_schedule_id uuid primary key default gen_random_uuid(),
    kind            text not null unique check (kind ~ '^[a-z][a-z0-9_]{2,60}$'),
    -- The schedule in the form `jobs::rules::Schedule` reads: `daily 03:15` (Europe/London) or
    -- `every 15` (minutes).
    schedule        text not null check (length(schedule) between 5 and 40),
    -- What the job does, in a sentence, for the page.
    description     text not null check (length(description) between 1 and 300),
    -- When a runner last started with this job registered; a job no longer in the code stops
    -- being refreshed.
    registered_at   timestamptz not null default now(),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create trigger job_schedule_updated_at before update on job_schedule
    for each row execute function set_updated_at();
