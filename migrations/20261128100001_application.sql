-- The online application: a household invited to apply fills in a task list of sections, each
-- saved as a draft on its own, until one of them submits it; submission locks it.

-- Each council's rules for applications (the law sets 18; agencies commonly 21; never fewer
-- than two personal referees).
alter table council
    add column min_applicant_age smallint not null default 21 check (min_applicant_age between 18 and 30),
    add column family_referees smallint not null default 1 check (family_referees between 0 and 4),
    add column personal_referees smallint not null default 2 check (personal_referees between 2 and 6),
    add column referee_years smallint not null default 2 check (referee_years between 1 and 10);

create table application (
    application_id    uuid primary key default gen_random_uuid(),
    enquiry_id        uuid not null unique references enquiry (enquiry_id) on delete cascade,
    council_id        uuid not null references council (council_id),
    joint             boolean not null,
    submitted_at      timestamptz,
    -- When an applicant last saved anything: the 14-day reminder counts from it.
    last_saved_at     timestamptz not null default now(),
    -- The reminder for the current idle stretch (a save after it starts a new stretch).
    reminder_sent_at  timestamptz,
    invited_by        uuid references staff_user (staff_user_id) on delete set null,
    created_at        timestamptz not null default now()
);

create index application_idle_drafts on application (last_saved_at) where submitted_at is null;

create table application_applicant (
    application_id     uuid not null references application (application_id) on delete cascade,
    position           smallint not null check (position in (1, 2)),
    -- One application per account: an applicant only ever sees their own.
    member_account_id  uuid not null unique references member_account (member_account_id) on delete cascade,
    primary key (application_id, position)
);

create table application_section (
    application_id  uuid not null references application (application_id) on delete cascade,
    section         text not null check (length(section) between 1 and 40),
    -- 0: the household's answers; 1 or 2: that applicant's own.
    applicant       smallint not null check (applicant in (0, 1, 2)),
    -- Only the fields the section names, as typed (see `applications::answers`).
    answers         jsonb not null check (jsonb_typeof(answers) = 'object' and pg_column_size(answers) < 65536),
    saved_at        timestamptz not null default now(),
    saved_by        uuid references member_account (member_account_id) on delete set null,
    primary key (application_id, section, applicant)
);
