-- Days off that working days skip beyond England and Wales's bank holidays, which the
-- application computes by rule (`app/src/calendar/working_days.rs`): a holiday proclaimed after
-- a release, added by an administrator so every clock counts it at once.
create table bank_holiday (
    day        date primary key,
    -- For the audit trail, which names what changed by id.
    bank_holiday_id uuid not null unique default gen_random_uuid(),
    name       text not null check (length(name) between 2 and 100),
    added_by   uuid not null references staff_user (staff_user_id),
    added_at   timestamptz not null default now()
);
