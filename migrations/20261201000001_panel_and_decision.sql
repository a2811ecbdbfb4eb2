-- Fostering panel and the agency decision (issue 11): a council's panels with their members; a
-- case booked onto a panel, its papers sent, the panel's recommendation; the agency decision
-- maker's decision (a proposed refusal first, with its 28 days for representations); approval
-- adding the household to the register; and every other ending with its code and the date its
-- records may go (reg 32).

create table panel (
    panel_id    uuid primary key default gen_random_uuid(),
    council_id  uuid not null references council (council_id),
    sits_on     date not null,
    name        text not null check (length(name) between 1 and 120),
    -- How many cases it can hear.
    capacity    smallint not null check (capacity between 1 and 20),
    -- How many members must be present for a recommendation (the council's; 5 by default).
    quorum      smallint not null check (quorum between 3 and 20),
    created_by  uuid references staff_user (staff_user_id) on delete set null,
    created_at  timestamptz not null default now()
);

create index panel_council_date on panel (council_id, sits_on);

-- Who sits on a panel, and in which seat. A member may be from another council or from none
-- (an independent member): membership is by person, and it is what opens a panel's papers.
create table panel_member (
    panel_id         uuid not null references panel (panel_id) on delete cascade,
    staff_user_id    uuid not null references staff_user (staff_user_id),
    seat             text not null
                     check (seat in ('chair', 'vice_chair', 'social_worker', 'independent', 'member')),
    -- A social worker's years since qualifying (the quorum needs one with three or more).
    qualified_years  smallint check (qualified_years between 0 and 60),
    added_at         timestamptz not null default now(),
    primary key (panel_id, staff_user_id)
);

create index panel_member_person on panel_member (staff_user_id);

-- A case heard at a panel: booked, papers sent, and the recommendation with its reasons and
-- minutes. A case has one booking waiting at a time; moving it to another panel moves that one.
create table panel_booking (
    booking_id      uuid primary key default gen_random_uuid(),
    panel_id        uuid not null references panel (panel_id),
    assessment_id   uuid not null references assessment (assessment_id) on delete cascade,
    booked_by       uuid references staff_user (staff_user_id) on delete set null,
    booked_at       timestamptz not null default now(),
    papers_sent_on  date,
    recommendation  text check (recommendation in ('approve', 'not_approve')),
    reasons         text check (length(reasons) <= 4000),
    minutes         text check (length(minutes) <= 20000),
    -- The members present when the recommendation was made.
    present         uuid[] not null default '{}',
    recorded_by     uuid references staff_user (staff_user_id) on delete set null,
    recorded_on     date,
    check ((recommendation is null) = (recorded_on is null)),
    check (recommendation is null or length(reasons) > 0)
);

create unique index panel_booking_waiting on panel_booking (assessment_id) where recommendation is null;
create index panel_booking_panel on panel_booking (panel_id);

alter table assessment
    -- The day the decision maker had the recommendation and minutes: 7 working days run from it.
    add column recommendation_on         date,
    add column recommendation            text check (recommendation in ('approve', 'not_approve')),
    -- A proposed refusal: 28 days for representations or the Independent Review Mechanism.
    add column qualifying_determination_on date,
    add column qualifying_reasons        text check (length(qualifying_reasons) <= 4000),
    add column decision                  text check (decision in ('approve', 'refuse')),
    add column decided_on                date,
    add column decided_by                uuid references staff_user (staff_user_id) on delete set null,
    -- The household approval added to the register.
    add column household_id              uuid references household (household_id),
    -- How a case ended without approval: Ofsted's AW codes, or the product's own.
    add column end_code                  text check (end_code in (
        'AW0', 'AW1', 'AW2', 'AW3', 'AW4', 'AW5',
        'not_suitable', 'refused', 'withdrawn_after_panel')),
    add column ended_on                  date,
    add column end_note                  text check (length(end_note) <= 4000),
    -- Reg 32: refused or withdrawn applications are kept at least 3 years.
    add column retain_until              date,
    add constraint assessment_decided check ((decision is null) = (decided_on is null)),
    add constraint assessment_ended check ((end_code is null) = (ended_on is null));

-- A Stage 1 "not suitable" decision already ended its case: give it its code and retention.
update assessment
   set end_code = 'not_suitable', ended_on = stage1_decided_on,
       retain_until = (stage1_decided_on + interval '3 years')::date
 where stage1_decision = 'not_suitable' and end_code is null;
