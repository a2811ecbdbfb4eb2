-- The enquiry lifecycle: every stage from the first enquiry to a submitted application, closure
-- reasons coded `EQ-…` (ours) or `AW…` (Ofsted's, for applications withdrawn before panel), a
-- pause with a date to pick up again, a named worker, a contact log, a next action, and the
-- response clocks (first contact within N working days of the enquiry, initial visit within M
-- working days of first contact; N and M per council).

-- Stages, in order. `invited` replaces `application_invited`; the stages after it are the
-- application's.
alter table enquiry drop constraint enquiry_status_check;
update enquiry set status = 'invited' where status = 'application_invited';
alter table enquiry add constraint enquiry_status_check check (status in (
    'new', 'contacted', 'visit_booked', 'visit_held', 'invited', 'application_started',
    'application_submitted', 'closed'));

-- Closure reasons become codes. The old words map onto the nearest code.
alter table enquiry drop constraint enquiry_closed_has_reason;
update enquiry set closed_reason = case closed_reason
    when 'not_eligible' then 'EQ-01'
    when 'no_response' then 'EQ-02'
    when 'chose_other_agency' then 'EQ-04'
    when 'duplicate' then 'EQ-05'
    when 'referred_elsewhere' then 'EQ-06'
    when 'personal_circumstances' then 'EQ-07'
    when 'not_ready' then 'EQ-07'
    else 'EQ-99' end
where closed_reason is not null;
alter table enquiry
    add constraint enquiry_closed_has_reason
        check ((status = 'closed') = (closed_reason is not null)),
    add constraint enquiry_closed_reason_code
        check (closed_reason is null or closed_reason ~ '^(EQ-(0[1-7]|99)|AW[0-5])$'),
    -- Reasons given in words (required for "other" and "not suitable"); free text, so never
    -- copied into the audit trail.
    add column closed_note text check (length(closed_note) <= 2000),
    add column closed_at timestamptz,
    -- A household may pause instead of withdrawing: the clocks stop until this date.
    add column paused_until date,
    add constraint enquiry_paused_is_open check (paused_until is null or status <> 'closed');

-- The named worker the enquiry is allocated to (someone in the enquiry's council, or the hub).
alter table enquiry
    add column worker_id uuid references staff_user (staff_user_id),
    add column allocated_at timestamptz;
create index enquiry_worker on enquiry (worker_id, submitted_at desc) where worker_id is not null;

-- The clocks. Due dates are dates (the end of that day, London time, is the deadline), computed
-- by the application from working days when each clock starts, and kept: a council changing its
-- setting later does not move a deadline already given.
alter table enquiry
    add column first_contact_due date,
    add column first_contact_at timestamptz,
    add column visit_due date,
    add column visit_held_at timestamptz,
    -- What must happen next, and by when (set by the worker).
    add column next_action text check (length(next_action) <= 200),
    add column next_action_due date,
    add constraint enquiry_next_action_has_due
        check ((next_action is null) = (next_action_due is null));

-- Enquiries received before the clocks existed: the next weekday (bank holidays not skipped:
-- only demonstration data predates this).
update enquiry set first_contact_due = (
    select d::date from generate_series(
        (submitted_at at time zone 'Europe/London')::date + 1,
        (submitted_at at time zone 'Europe/London')::date + 7, interval '1 day') d
    where extract(isodow from d) < 6 order by d limit 1);
alter table enquiry alter column first_contact_due set not null;

-- Lists of overdue work read these (open enquiries only; closed ones have no clocks).
create index enquiry_open_first_contact on enquiry (first_contact_due)
    where status <> 'closed' and first_contact_at is null;
create index enquiry_open_visit on enquiry (visit_due)
    where status <> 'closed' and visit_held_at is null and visit_due is not null;

-- Each council's clocks, in working days.
alter table council
    add column first_contact_working_days integer not null default 1
        check (first_contact_working_days between 1 and 20),
    add column initial_visit_working_days integer not null default 5
        check (initial_visit_working_days between 1 and 40);

-- The contact log: calls, emails, texts, visits and notes. The text is personal data: it stays
-- here, never in the audit trail.
create table enquiry_contact (
    contact_id   uuid primary key default gen_random_uuid(),
    enquiry_id   uuid not null references enquiry (enquiry_id) on delete cascade,
    kind         text not null check (kind in ('call', 'email', 'text', 'visit', 'note')),
    outcome      text not null check (outcome in ('reached', 'no_answer', 'left_message', 'sent', 'noted')),
    note         text not null default '' check (length(note) <= 2000),
    staff_user_id uuid not null references staff_user (staff_user_id),
    occurred_at  timestamptz not null default now()
);
create index enquiry_contact_enquiry on enquiry_contact (enquiry_id, occurred_at);
