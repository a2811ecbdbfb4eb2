-- Region-wide placement search (issue 10): a search as the placement officer entered it, kept so
-- that its results, each result's view and a reservation made from it work by address alone
-- (without JavaScript), are recomputed live (vacancies change under them), and are audited
-- against the search that led to them.
create table placement_search (
    placement_search_id uuid primary key default gen_random_uuid(),
    -- The searching council (the child's responsible council), and who searched. Only that
    -- council's staff (and the hub) can open the search again.
    council_id          uuid not null references council (council_id),
    staff_user_id       uuid not null references staff_user (staff_user_id),
    -- The form exactly as typed, to show it again for refining.
    form                jsonb not null,
    -- The checked query the results are computed from (children's dates of birth and sex, needs,
    -- the child's home postcode and its grid reference, type, start date, distance).
    query               jsonb not null,
    created_at          timestamptz not null default now()
);

create index placement_search_council on placement_search (council_id, created_at desc);

-- Reservations are looked up by the council that made them, to list its own on a result.
create index placement_hold_reserved_by on placement_hold (reserved_by_council, household_id)
    where reserved_by_council is not null and released_at is null;

-- A search counts each nearby household's placements open on its start day: with the end day
-- in the index, the count is read from the index alone.
create index placement_household_days on placement (household_id, start_on) include (ended_on);
