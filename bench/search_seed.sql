-- The placement search benchmark's data (scripts/bench-search), into a database migrated to
-- the product's schema. Variables: :households, :councils, :placements, and the grid extent the
-- households are spread over (:e0, :e1, :n0, :n1, in metres on the British National Grid).
-- Households belong to the councils in turn; about half the councils share with the region;
-- terms, skills and exemptions are varied so the filters have work to do. Deterministic.
select setseed(0.42);

insert into council (code, name, kind, inbox_email, regional_sharing)
select 'bench-' || i, 'Bench Council ' || i, 'member', 'fostering.bench-' || i || '@example.org', i % 2 = 1
from generate_series(1, :councils) i
on conflict (code) do nothing;

create temp table bench_council as
select row_number() over (order by code) as n, council_id from council where code like 'bench-%';

insert into household (council_id, reference, name, postcode, easting, northing, carer_type,
                       approved_on, status, max_children, age_min, age_max, sex, placement_types,
                       availability_confirmed_at)
select c.council_id, 'B-' || i, 'Bench household ' || i, 'PO1 2AB',
       (:e0 + random() * (:e1 - :e0))::int, (:n0 + random() * (:n1 - :n0))::int,
       'mainstream', date '2020-01-01' + (random() * 2000)::int,
       case when i % 20 = 0 then 'on_hold' else 'active' end,
       1 + (i % 3), (array[0, 0, 5, 11])[1 + i % 4], (array[10, 17, 12, 17])[1 + i % 4],
       (array['any', 'any', 'any', 'female', 'male'])[1 + i % 5],
       case i % 4 when 0 then array['short-term', 'long-term'] when 1 then array['emergency', 'short-term']
                  when 2 then array['long-term', 'short-breaks']
                  else array['short-term', 'long-term', 'emergency'] end,
       now() - (random() * interval '60 days')
from generate_series(1, :households) i
join bench_council c on c.n = 1 + i % :councils;

insert into approval_terms (household_id, effective_from, max_children, age_min, age_max, sex,
                            placement_types, source, reason)
select household_id, approved_on, max_children, age_min, age_max, sex, placement_types,
       'import', 'Benchmark'
from household where reference like 'B-%';

insert into household_skill (household_id, skill_code)
select h.household_id, s.code
from household h
join lateral (select code from carer_skill order by random() limit 1 + (h.max_children % 3)) s on true
where h.reference like 'B-%' and random() < 0.6
on conflict do nothing;

insert into terms_exemption (household_id, route, covers, starts_on, note)
select household_id, 'exemption', 'age', current_date - 30, 'Benchmark'
from household where reference like 'B-%' and random() < 0.03;

-- Open placements: children of the household's own council, into households with room.
create temp table bench_slot as
select h.household_id, h.council_id, g as slot
from household h, generate_series(1, 3) g
where h.reference like 'B-%' and g <= h.max_children;

create temp table bench_chosen as
select row_number() over () as rn, household_id, council_id
from (select * from bench_slot order by random() limit :placements) x;

insert into child (council_id, reference, date_of_birth, sex)
select council_id, 'BC-' || rn, current_date - (365 * 3 + random() * 365 * 12)::int,
       case when random() < 0.5 then 'female' else 'male' end
from bench_chosen;

insert into placement (household_id, child_id, placement_type, start_on)
select b.household_id, ch.child_id, 'short-term', current_date - (random() * 700)::int
from bench_chosen b join child ch on ch.council_id = b.council_id and ch.reference = 'BC-' || b.rn;

-- A few holds and reservations, live and lapsed.
insert into placement_hold (household_id, places, reason, starts_on, expires_on)
select household_id, 1, 'carers-break', current_date - 3, current_date + 14
from household where reference like 'B-%' and random() < 0.05;
insert into placement_hold (household_id, places, reason, starts_on, reserved_for,
                            reserved_until)
select household_id, 1, 'reserved', current_date, array[gen_random_uuid()],
       now() + (random() * 96 - 48) * interval '1 hour'
from household where reference like 'B-%' and random() < 0.03;

vacuum analyze council, household, approval_terms, household_skill, terms_exemption, child, placement, placement_hold;
