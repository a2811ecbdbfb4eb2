-- Assessment of prospective foster carers (issue 11, first slice): a submitted application
-- becomes an assessment on its council's caseload, allocated to an assessor by a team manager;
-- the statutory checks generated from the application are recorded as they come back.

create table assessment (
    assessment_id     uuid primary key default gen_random_uuid(),
    council_id        uuid not null references council (council_id),
    -- The application it came from (mainstream). Connected-person cases start without one.
    application_id    uuid unique references application (application_id) on delete restrict,
    -- The household's reference, kept from its enquiry so staff and the household use one.
    reference         text not null unique check (length(reference) between 3 and 40),
    kind              text not null default 'mainstream'
                      check (kind in ('mainstream', 'connected_person')),
    -- The applicants' names as the caseload shows them ("Sam and Alex Jones").
    household_name    text not null check (length(household_name) between 1 and 250),
    -- The day the application was received (London): the 8 months to panel count from it.
    received_on       date not null,
    assessor_id       uuid references staff_user (staff_user_id) on delete set null,
    stage             text not null default 'stage1'
                      check (stage in ('stage1', 'stage2', 'panel', 'decision', 'approved', 'ended')),
    stage1_decision   text check (stage1_decision in ('proceed', 'not_suitable')),
    stage1_decided_on date,
    stage1_reasons    text check (length(stage1_reasons) <= 4000),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    check ((stage1_decision is null) = (stage1_decided_on is null)),
    check (stage1_decision is distinct from 'not_suitable' or length(stage1_reasons) > 0)
);

create index assessment_council_open on assessment (council_id, received_on)
    where stage not in ('approved', 'ended');
create index assessment_assessor_open on assessment (assessor_id)
    where stage not in ('approved', 'ended');

create trigger assessment_updated_at before update on assessment
    for each row execute function set_updated_at();

-- Every allocation, so a reallocation keeps who had the case before.
create table assessment_allocation (
    allocation_id   bigint generated always as identity primary key,
    assessment_id   uuid not null references assessment (assessment_id) on delete cascade,
    assessor_id     uuid not null references staff_user (staff_user_id),
    allocated_by    uuid references staff_user (staff_user_id) on delete set null,
    allocated_at    timestamptz not null default now()
);

create index assessment_allocation_case on assessment_allocation (assessment_id, allocated_at);

-- A council's own choice of stage and chase interval for a kind of check (the product's
-- defaults otherwise; see `assessments::checks::CheckKind`).
create table council_check_setting (
    council_id  uuid not null references council (council_id) on delete cascade,
    kind        text not null check (length(kind) between 1 and 40),
    stage       smallint not null check (stage in (1, 2)),
    chase_days  integer not null check (chase_days between 1 and 365),
    primary key (council_id, kind)
);

-- One statutory check: generated from the application (one row per adult, council, referee...)
-- or added by the assessor.
create table assessment_check (
    check_id       uuid primary key default gen_random_uuid(),
    assessment_id  uuid not null references assessment (assessment_id) on delete cascade,
    kind           text not null check (length(kind) between 1 and 40),
    stage          smallint not null check (stage in (1, 2)),
    chase_days     integer not null check (chase_days between 1 and 365),
    -- Who or what it is about, as staff read it; never shown to the household with its outcome.
    subject        text not null check (length(subject) between 1 and 300),
    applicant      smallint check (applicant in (1, 2)),
    email          text check (length(email) <= 254),
    detail         text check (length(detail) <= 500),
    position       integer not null,
    requested_on   date,
    received_on    date,
    outcome        text check (outcome in ('clear', 'consider', 'concern')),
    notes          text check (length(notes) <= 4000),
    recorded_by    uuid references staff_user (staff_user_id) on delete set null,
    recorded_at    timestamptz,
    check (received_on is null or requested_on is not null),
    check (received_on is null or received_on >= requested_on),
    check (outcome is null or received_on is not null)
);

create index assessment_check_case on assessment_check (assessment_id, position);
