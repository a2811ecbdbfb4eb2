-- Placements and holds (issue 10). A household's vacancies are never typed: on any day they are
-- its approved number less its open placements less its held places (`placements::rules`).

-- A child in care, with only what matching needs. The record is the responsible council's: it
-- and the council of the household the child is placed with see it, no other council.
create table child (
    child_id          uuid primary key default gen_random_uuid(),
    -- The responsible council, and its own reference for the child (never a name).
    council_id        uuid not null references council (council_id),
    reference         text not null check (reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$'),
    date_of_birth     date not null,
    sex               text not null check (sex in ('female', 'male')),
    -- Normalised home postcode (distances are from here).
    postcode          text check (postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$'),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (council_id, reference)
);

create trigger child_updated_at before update on child
    for each row execute function set_updated_at();

-- A child living with a household, from `start_on` to the day they left (`ended_on`: the place
-- is free again that day). Siblings placed together share `sibling_group`.
create table placement (
    placement_id      uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id),
    child_id          uuid not null references child (child_id),
    placement_type    text not null check (placement_type in (
        'emergency', 'short-term', 'long-term', 'short-breaks', 'parent-and-child', 'connected-person')),
    start_on          date not null,
    planned_end_on    date,
    ended_on          date,
    end_reason        text check (end_reason in (
        'returned-home', 'moved-placement', 'adopted', 'special-guardianship', 'staying-put',
        'independent-living', 'planned-end', 'disruption', 'other')),
    sibling_group     uuid,
    -- How a placement outside the household's terms was allowed: an exemption or temporary
    -- variation (its row), or an emergency placement for at most 6 working days. Null: within
    -- terms.
    outside_terms     text check (outside_terms in ('exemption', 'temporary-variation', 'emergency')),
    terms_exemption_id uuid references terms_exemption (terms_exemption_id),
    created_by        uuid references staff_user (staff_user_id),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    constraint placement_dates check (ended_on is null or ended_on >= start_on),
    constraint placement_planned check (planned_end_on is null or planned_end_on >= start_on),
    constraint placement_end_whole check ((ended_on is null) = (end_reason is null))
);

create index placement_household_open on placement (household_id) where ended_on is null;
create index placement_household on placement (household_id, start_on);
create index placement_child on placement (child_id);

create trigger placement_updated_at before update on placement
    for each row execute function set_updated_at();

-- A hold makes places unavailable without a child living there: a number of places, or the
-- whole household (`places` null), for a reason, from a date to an expiry (or a review date).
-- A reservation for a named child is a hold that lapses 48 hours after it was made unless it
-- is confirmed as a placement; it lapses by time alone (`reserved_until`), whether or not the
-- job that tidies it has run.
create table placement_hold (
    placement_hold_id uuid primary key default gen_random_uuid(),
    household_id      uuid not null references household (household_id),
    places            smallint check (places between 1 and 10),
    reason            text not null check (reason in (
        'carers-break', 'allegation', 'staying-put', 'reserved', 'household-change', 'other')),
    starts_on         date not null,
    -- The first day the places are available again (exclusive), if known.
    expires_on        date,
    review_on         date,
    note              text check (length(note) <= 1000),
    -- Reservations: the children (one or a sibling group) and the council reserving.
    reserved_for      uuid[],
    reserved_by_council uuid references council (council_id),
    reserved_until    timestamptz,
    -- Set when the hold ends early: released by staff, lapsed, or confirmed as placements.
    released_at       timestamptz,
    release_reason    text check (release_reason in ('released', 'lapsed', 'confirmed')),
    created_by        uuid references staff_user (staff_user_id),
    created_at        timestamptz not null default now(),
    constraint placement_hold_dates check (expires_on is null or expires_on > starts_on),
    constraint placement_hold_reservation check (
        (reason = 'reserved') = (reserved_until is not null)
        and (reserved_until is null or reserved_for is not null)),
    constraint placement_hold_release_whole check ((released_at is null) = (release_reason is null))
);

create index placement_hold_household_live on placement_hold (household_id) where released_at is null;
create index placement_hold_reserved_until on placement_hold (reserved_until)
    where released_at is null and reserved_until is not null;
