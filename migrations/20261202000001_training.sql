-- Training: competencies and each person's records of them, the course catalogue, sessions
-- (one or several dates), bookings with a fair waitlist and held offers, registers, and the
-- reminders sent for them.

-- Anyone who trains: a member of staff (any council, or none, as an external trainer may be) or
-- a household member (an applicant on Skills to Foster, a foster carer). One row per person,
-- made the first time they book or are given a record, so bookings and records name one key.
-- An applicant's account becomes a carer's on approval, so their records carry over with it.
create table learner (
    learner_id        uuid primary key default gen_random_uuid(),
    staff_user_id     uuid unique references staff_user (staff_user_id) on delete cascade,
    member_account_id uuid unique references member_account (member_account_id) on delete cascade,
    created_at        timestamptz not null default now(),
    constraint learner_one_kind check (num_nonnulls(staff_user_id, member_account_id) = 1)
);

-- A competency someone holds for a while (or for good): Safeguarding level 3, Paediatric first
-- aid, Skills to Foster, a TSDS standard.
create table competency (
    competency_id   uuid primary key default gen_random_uuid(),
    name            text not null unique check (length(name) between 1 and 120),
    -- How long a record stays current, in calendar months; none for a competency held for good.
    validity_months smallint check (validity_months between 1 and 240),
    created_at      timestamptz not null default now()
);

-- The catalogue. A course belongs to the council that runs it (the regional hub for the
-- region's programme); everyone signed in may browse every course meant for them.
create table course (
    course_id        uuid primary key default gen_random_uuid(),
    council_id       uuid not null references council (council_id),
    title            text not null check (length(title) between 1 and 150),
    description      text not null default '' check (length(description) <= 4000),
    audience         text not null check (audience in ('staff', 'carers', 'both')),
    duration_minutes integer not null check (duration_minutes between 15 and 10080),
    delivery         text not null check (delivery in ('in_person', 'online')),
    created_by       uuid references staff_user (staff_user_id) on delete set null,
    created_at       timestamptz not null default now()
);

create index course_title on course (lower(title));

-- What attending a course grants.
create table course_competency (
    course_id     uuid not null references course (course_id) on delete cascade,
    competency_id uuid not null references competency (competency_id),
    primary key (course_id, competency_id)
);

-- One run of a course, on one or several dates.
create table training_session (
    session_id       uuid primary key default gen_random_uuid(),
    course_id        uuid not null references course (course_id) on delete cascade,
    capacity         integer not null check (capacity between 1 and 1000),
    -- No bookings and no offers after this.
    booking_deadline timestamptz not null,
    -- People may no longer cancel themselves after this (a workforce lead still can).
    cancel_cutoff    timestamptz not null,
    -- In person: where; online: the joining link. One or the other, as the course's delivery.
    venue            text check (length(venue) between 1 and 300),
    link             text check (length(link) <= 500 and link ~ '^https://[^\s"<>]+$'),
    trainer_user_id  uuid references staff_user (staff_user_id) on delete set null,
    -- How long an offered seat is held for the person offered it, in elapsed hours.
    offer_hours      integer not null default 48 check (offer_hours between 1 and 336),
    cancelled_at     timestamptz,
    created_at       timestamptz not null default now(),
    constraint training_session_place check (num_nonnulls(venue, link) = 1)
);

create index training_session_course on training_session (course_id);

-- Each date of a session. Each is its own calendar event: its own UID (from its id) and its own
-- SEQUENCE, raised with every change or cancellation sent, so calendars replace it rather than
-- add a second appointment.
create table training_session_date (
    date_id    uuid primary key default gen_random_uuid(),
    session_id uuid not null references training_session (session_id) on delete cascade,
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    sequence   integer not null default 0 check (sequence >= 0),
    constraint training_session_date_order check (ends_at > starts_at)
);

create index training_session_date_session on training_session_date (session_id, starts_at);
create index training_session_date_starts on training_session_date (starts_at);

-- A person's place on a session: booked (a seat), offered (a seat held for them until
-- `offer_expires_at`), waitlisted (in `queue_no` order), or cancelled (kept for history). One
-- live row per person and session; leaving and joining again is a new row, at the back.
create table training_booking (
    booking_id       uuid primary key default gen_random_uuid(),
    session_id       uuid not null references training_session (session_id) on delete cascade,
    learner_id       uuid not null references learner (learner_id) on delete cascade,
    status           text not null check (status in ('booked', 'offered', 'waitlisted', 'cancelled')),
    -- First come, first served: the order people asked in.
    queue_no         bigint generated always as identity,
    offer_expires_at timestamptz,
    booked_by        uuid references staff_user (staff_user_id) on delete set null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    cancelled_at     timestamptz,
    constraint training_booking_offer check ((status = 'offered') = (offer_expires_at is not null))
);

-- One person submitting twice has one booking.
create unique index training_booking_live on training_booking (session_id, learner_id)
    where status <> 'cancelled';
create index training_booking_queue on training_booking (session_id, status, queue_no);
create index training_booking_learner on training_booking (learner_id, status);
create index training_booking_offers on training_booking (offer_expires_at) where status = 'offered';

-- Capacity is never exceeded, whatever the code above does: a row taking a seat (booked or
-- offered) locks its session and counts the seats already taken. The services lock the session
-- first too, so this never refuses them; it refuses anything that skips them.
create function training_booking_capacity() returns trigger language plpgsql as $$
declare
    seats integer;
    taken integer;
begin
    if new.status not in ('booked', 'offered') then
        return new;
    end if;
    if tg_op = 'UPDATE' and old.status in ('booked', 'offered') and old.session_id = new.session_id then
        return new;
    end if;
    select capacity into seats from training_session where session_id = new.session_id for update;
    select count(*) into taken from training_booking
     where session_id = new.session_id and status in ('booked', 'offered')
       and booking_id <> new.booking_id;
    if taken + 1 > seats then
        raise exception 'training session % is full', new.session_id
            using errcode = '23514', constraint = 'training_booking_capacity';
    end if;
    return new;
end $$;

create trigger training_booking_capacity before insert or update of status, session_id
    on training_booking for each row execute function training_booking_capacity();

-- The register: who was present on each date.
create table training_attendance (
    booking_id uuid not null references training_booking (booking_id) on delete cascade,
    date_id    uuid not null references training_session_date (date_id) on delete cascade,
    present    boolean not null,
    marked_by  uuid references staff_user (staff_user_id) on delete set null,
    marked_at  timestamptz not null default now(),
    primary key (booking_id, date_id)
);

-- A person's record of a competency: from a session attended, evidence a workforce lead or
-- supervising social worker recorded, or an import. Never edited: a correction voids it, and
-- history is kept. Its reference and the person's surname check a certificate.
create table competency_record (
    record_id      uuid primary key default gen_random_uuid(),
    reference      text not null unique check (reference ~ '^FH-C-[0-9A-HJ-NP-Z]{8}$'),
    learner_id     uuid not null references learner (learner_id) on delete cascade,
    competency_id  uuid not null references competency (competency_id),
    achieved_on    date not null,
    -- Achieved + the competency's validity in months, clamped to the month's end; none when it
    -- does not lapse. Current up to and including this day.
    expires_on     date,
    how            text not null check (how in ('session', 'evidence', 'import')),
    session_id     uuid references training_session (session_id) on delete set null,
    note           text not null default '' check (length(note) <= 2000),
    recorded_by    uuid references staff_user (staff_user_id) on delete set null,
    created_at     timestamptz not null default now(),
    voided_at      timestamptz,
    voided_by      uuid references staff_user (staff_user_id) on delete set null,
    constraint competency_record_expiry check (expires_on is null or expires_on >= achieved_on)
);

-- Marking someone present twice writes one record.
create unique index competency_record_from_session on competency_record (learner_id, competency_id, session_id)
    where session_id is not null and voided_at is null;
create index competency_record_learner on competency_record (learner_id, competency_id) where voided_at is null;

-- Reminders sent, one row each, so each goes exactly once however many servers run the job.
create table training_reminder (
    booking_id uuid not null references training_booking (booking_id) on delete cascade,
    date_id    uuid not null references training_session_date (date_id) on delete cascade,
    -- Days before the session: 7 or 1.
    days       smallint not null check (days in (1, 7)),
    sent_at    timestamptz not null default now(),
    primary key (booking_id, date_id, days)
);
