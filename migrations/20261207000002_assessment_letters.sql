-- Assessment letters (issue 11): the Stage 1 "not suitable" notice, the qualifying determination
-- (a proposed refusal, with the applicants' rights), the approval letter with its terms, and the
-- final refusal. Each is drafted from the case when its decision is recorded, edited by the
-- assessor, printed or emailed, and kept on the case: once sent it no longer changes.
create table assessment_letter (
    assessment_id   uuid not null references assessment (assessment_id) on delete cascade,
    kind            text not null check (kind in ('stage1_not_suitable',
                    'qualifying_determination', 'approval', 'refusal')),
    body            text not null check (length(body) between 1 and 20000),
    drafted_at      timestamptz not null default now(),
    edited_by       uuid references staff_user (staff_user_id),
    edited_at       timestamptz,
    sent_by         uuid references staff_user (staff_user_id),
    sent_at         timestamptz,
    -- How many applicants it was emailed to when sent (0: posted).
    emailed_to      integer check (emailed_to >= 0),
    primary key (assessment_id, kind),
    check ((sent_at is null) = (sent_by is null))
);
