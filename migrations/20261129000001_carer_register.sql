-- The carer register (issue 10): approved fostering households, their terms of approval and the
-- history of every change to them, their members, annual reviews, and how approval ends.
--
-- A household belongs to one council. Its terms of approval are kept as a history of rows (a
-- variation adds a row with the date it takes effect and why), and the terms in force today are
-- copied onto the household by the service in the same transaction, so a search reads one row
-- per household. Vacancies are never stored: `placements` derives them from placements and holds.

-- Whether a council shares its households' availability with the region. Two councils see each
-- other's households only where both have opted in.
alter table council add column regional_sharing boolean not null default false;

-- Skills and specialisms a household may offer (disabilities, languages...): a list the
-- administrator keeps. Codes are stable (used in CSV imports and searches); a skill is retired
-- rather than deleted, so history still reads.
create table carer_skill (
    code        text primary key check (code ~ '^[a-z0-9-]{2,40}$'),
    label       text not null unique check (length(label) between 2 and 80),
    -- `language` skills are the languages spoken in the household.
    kind        text not null check (kind in ('specialism', 'language')),
    retired_at  timestamptz,
    created_at  timestamptz not null default now()
);

insert into carer_skill (code, label, kind) values
    ('disabilities', 'Disabilities', 'specialism'),
    ('complex-health', 'Complex health needs', 'specialism'),
    ('sibling-groups', 'Sibling groups', 'specialism'),
    ('teenagers', 'Teenagers', 'specialism'),
    ('uasc', 'Unaccompanied asylum-seeking children', 'specialism'),
    ('parent-and-child', 'Parent and child', 'specialism'),
    ('therapeutic', 'Therapeutic care', 'specialism'),
    ('arabic', 'Speaks Arabic', 'language'),
    ('bengali', 'Speaks Bengali', 'language'),
    ('farsi', 'Speaks Farsi', 'language'),
    ('kurdish', 'Speaks Kurdish', 'language'),
    ('pashto', 'Speaks Pashto', 'language'),
    ('polish', 'Speaks Polish', 'language'),
    ('punjabi', 'Speaks Punjabi', 'language'),
    ('tigrinya', 'Speaks Tigrinya', 'language'),
    ('urdu', 'Speaks Urdu', 'language'),
    ('bsl', 'Uses British Sign Language', 'language');

create table household (
    household_id        uuid primary key default gen_random_uuid(),
    council_id          uuid not null references council (council_id),
    -- The council's own register number (e.g. `FC-1042`), unique within the council.
    reference           text not null check (reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$'),
    -- How staff refer to the household, e.g. "Alex and Sam Okafor".
    name                text not null check (length(name) between 1 and 120),
    -- Normalised home postcode, and its grid reference copied from `postcode` when it is set, so
    -- a distance search reads no other table (null where the postcode has no grid reference).
    postcode            text not null check (postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$'),
    easting             integer,
    northing            integer,
    carer_type          text not null check (carer_type in ('mainstream', 'connected_person', 'short_breaks')),
    approved_on         date not null,
    status              text not null default 'active'
                        check (status in ('active', 'on_hold', 'resigning', 'deregistered')),
    supervising_social_worker_id uuid references staff_user (staff_user_id),
    -- The terms in force today (copied from the newest `approval_terms` row that has taken
    -- effect, by the service that records terms).
    max_children        smallint not null check (max_children between 1 and 10),
    age_min             smallint not null check (age_min between 0 and 25),
    age_max             smallint not null check (age_max between 0 and 25),
    sex                 text not null default 'any' check (sex in ('any', 'female', 'male')),
    placement_types     text[] not null check (cardinality(placement_types) >= 1),
    -- When the carers last said their availability is right (carer portal, or staff for them).
    availability_confirmed_at timestamptz,
    -- Resignation: written notice given on, and the approval ends 28 days later.
    resignation_notice_on   date,
    -- Why they are resigning: becomes the deregistration reason when approval ends.
    resignation_reason  text check (resignation_reason in (
        'retired', 'moved-area', 'transferred-to-agency', 'allegation', 'health',
        'family-circumstances', 'dissatisfaction-with-support', 'other')),
    -- Deregistration (approval ended), with a reason from the kept list.
    deregistered_on     date,
    deregistration_reason text check (deregistration_reason in (
        'retired', 'moved-area', 'transferred-to-agency', 'allegation', 'health',
        'family-circumstances', 'dissatisfaction-with-support', 'other')),
    deregistration_note text check (length(deregistration_note) <= 2000),
    -- Reg 32: records kept at least 10 years after approval ends.
    retain_until        date,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (council_id, reference),
    constraint household_age_range check (age_min <= age_max),
    constraint household_grid_whole check ((easting is null) = (northing is null)),
    constraint household_deregistration_whole check (
        (status = 'deregistered') = (deregistered_on is not null)
        and (deregistered_on is null) = (deregistration_reason is null))
);

create index household_council_status on household (council_id, status);
-- Distance searches narrow by a box on the grid first.
create index household_grid on household (easting, northing) where status = 'active';
create index household_supervisor on household (supervising_social_worker_id);

create trigger household_updated_at before update on household
    for each row execute function set_updated_at();

-- The foster carers themselves: one or two per household.
create table carer (
    carer_id          uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    -- 1 for the first carer, 2 for a second.
    position          smallint not null check (position in (1, 2)),
    full_name         text not null check (length(full_name) between 1 and 100),
    date_of_birth     date,
    email             text check (email is null or (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$')),
    phone             text check (length(phone) <= 30),
    -- Their carer-portal account, once invited.
    member_account_id uuid references member_account (member_account_id),
    created_at        timestamptz not null default now(),
    unique (household_id, position)
);

create index carer_member_account on carer (member_account_id);

-- Others living in the household (birth children, adult children, relatives). A child turning
-- 18 needs an enhanced DBS check: a task is raised a month ahead.
create table household_member (
    household_member_id uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    full_name         text not null check (length(full_name) between 1 and 100),
    date_of_birth     date not null,
    relationship      text not null check (length(relationship) between 1 and 60),
    left_on           date,
    created_at        timestamptz not null default now()
);

create index household_member_household on household_member (household_id);

-- Tasks raised for a household's supervising social worker (a DBS check for a member turning
-- 18, availability not confirmed...), each raised once per subject and due date.
create table household_task (
    household_task_id uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    kind              text not null check (kind in ('dbs-at-18', 'availability-stale')),
    -- What the task is about (the household member turning 18), if not the household itself.
    subject_id        uuid,
    due_on            date not null,
    done_at           timestamptz,
    done_by           uuid references staff_user (staff_user_id),
    created_at        timestamptz not null default now()
);

create unique index household_task_once on household_task
    (household_id, kind, coalesce(subject_id, '00000000-0000-0000-0000-000000000000'::uuid), due_on);

-- Terms of approval, as a history: the first row is the approval's, each later row a variation
-- (or an annual review's change) with the date it takes effect and why.
create table approval_terms (
    approval_terms_id uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    effective_from    date not null,
    max_children      smallint not null check (max_children between 1 and 10),
    age_min           smallint not null check (age_min between 0 and 25),
    age_max           smallint not null check (age_max between 0 and 25),
    sex               text not null check (sex in ('any', 'female', 'male')),
    placement_types   text[] not null check (cardinality(placement_types) >= 1),
    -- More than 3 children only for a sibling group, or under an exemption (Children Act 1989
    -- Sch. 7): which one, in words.
    over_three_basis  text check (over_three_basis in ('siblings', 'exemption')),
    -- The named child of a connected-person approval.
    named_child       text check (length(named_child) <= 100),
    -- `approval`, `variation`, `review` or `import`.
    source            text not null check (source in ('approval', 'variation', 'review', 'import')),
    reason            text not null check (length(reason) between 1 and 1000),
    recorded_by       uuid references staff_user (staff_user_id),
    recorded_at       timestamptz not null default now(),
    constraint approval_terms_age_range check (age_min <= age_max),
    constraint approval_terms_over_three check (max_children <= 3 or over_three_basis is not null)
);

create index approval_terms_household on approval_terms (household_id, effective_from desc, recorded_at desc);

create table household_skill (
    household_id uuid not null references household (household_id) on delete cascade,
    skill_code   text not null references carer_skill (code),
    primary key (household_id, skill_code)
);

create index household_skill_code on household_skill (skill_code);

-- Annual reviews (reg 28): the first within 12 months of approval, then at most 12 months apart.
create table annual_review (
    annual_review_id  uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    reviewed_on       date not null,
    recommendation    text not null check (recommendation in ('continue', 'continue-with-changes', 'terminate')),
    -- Whether the terms were confirmed as they were, or changed (a new `approval_terms` row).
    terms_changed     boolean not null,
    notes             text check (length(notes) <= 4000),
    recorded_by       uuid references staff_user (staff_user_id),
    recorded_at       timestamptz not null default now()
);

create index annual_review_household on annual_review (household_id, reviewed_on desc);

-- An exemption or temporary variation that lets a household take a placement outside its terms
-- (over the number, or outside the age range, sex or placement types), for a time and perhaps
-- for one named child.
create table terms_exemption (
    terms_exemption_id uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id) on delete cascade,
    route             text not null check (route in ('exemption', 'temporary-variation')),
    covers            text not null check (covers in ('number', 'age', 'sex', 'type')),
    starts_on         date not null,
    ends_on           date,
    note              text not null check (length(note) between 1 and 1000),
    recorded_by       uuid references staff_user (staff_user_id),
    recorded_at       timestamptz not null default now(),
    constraint terms_exemption_dates check (ends_on is null or ends_on >= starts_on)
);

create index terms_exemption_household on terms_exemption (household_id);
