-- The assessment report (issue 11): progress on each section of Form F (mainstream) or Form C
-- (connected persons), the assessor's notes and the manager's sign-off per section; and each
-- applicant's preparation training ("Skills to Foster") recorded on the case until the training
-- catalogue records it.

create table assessment_section (
    assessment_id  uuid not null references assessment (assessment_id) on delete cascade,
    -- A section code of the case's form (`assessments::report::sections_of`).
    section        text not null check (length(section) between 1 and 40),
    status         text not null check (status in ('in_progress', 'ready', 'signed_off')),
    notes          text check (length(notes) <= 8000),
    updated_by     uuid references staff_user (staff_user_id) on delete set null,
    updated_at     timestamptz not null default now(),
    -- The manager's sign-off, or their note when they sent it back.
    signed_off_by  uuid references staff_user (staff_user_id) on delete set null,
    signed_off_at  timestamptz,
    manager_note   text check (length(manager_note) <= 4000),
    primary key (assessment_id, section),
    check ((status = 'signed_off') = (signed_off_at is not null))
);

create table assessment_preparation (
    assessment_id  uuid not null references assessment (assessment_id) on delete cascade,
    -- 1 or 2: which applicant.
    applicant      smallint not null check (applicant in (1, 2)),
    completed_on   date not null,
    course         text not null check (length(course) between 1 and 200),
    recorded_by    uuid references staff_user (staff_user_id) on delete set null,
    recorded_at    timestamptz not null default now(),
    primary key (assessment_id, applicant)
);
