-- The assessor's daily digest (issue 11): one row per assessor and day it went, written in the
-- transaction that queues the email, so it goes once however many servers run the job.
create table assessment_digest (
    staff_user_id uuid not null references staff_user (staff_user_id) on delete cascade,
    day           date not null,
    sent_at       timestamptz not null default now(),
    primary key (staff_user_id, day)
);
