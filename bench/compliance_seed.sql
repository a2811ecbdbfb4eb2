-- The compliance matrix benchmark's data (issue 13): :people people (four in five staff, one in
-- five foster carers in households of two) against 40 competencies, each role and kind of carer
-- needing about two thirds of them, with about 85% of what is needed held at a spread of ages
-- (so every cell state occurs). Vacuumed at the end, as a table long in use would be. Records go in through `competency_record`, so the trigger keeps
-- the standings as it does in use. Runs on a database with the demo data.

\set ON_ERROR_STOP on

insert into competency (name, validity_months)
select format('Bench competency %s', lpad(n::text, 2, '0')),
       case when n % 8 = 0 then null else 12 + (n % 3) * 12 end
  from generate_series(1, 40) n;

create temporary table bench_k as
select competency_id, row_number() over (order by name) as n, validity_months
  from competency where name like 'Bench competency %';

-- Each role and kind of carer needs about two thirds of them.
insert into competency_requirement (subject, competency_id)
select s.subject, k.competency_id
  from (select subject, row_number() over () as i from unnest(array[
          'role:hub_officer', 'role:recruitment_officer', 'role:assessor', 'role:supervising_social_worker',
          'role:team_manager', 'role:agency_decision_maker', 'role:panel_member', 'role:panel_chair',
          'role:placement_officer', 'role:commissioner', 'role:workforce_lead', 'role:trainer',
          'role:administrator', 'carer:mainstream', 'carer:connected_person', 'carer:short_breaks']) as subject) s
  join bench_k k on (k.n + s.i) % 3 <> 0
on conflict do nothing;

-- Ten teams in each council.
insert into team (council_id, name)
select council_id, format('Bench team %s', t) from council, generate_series(1, 10) t
on conflict do nothing;

create temporary table bench_council as
select council_id, row_number() over (order by code) - 1 as i, count(*) over () as total from council;

-- Staff: four in five of the people, spread over the councils and their teams, one or two roles.
insert into staff_user (council_id, email, full_name, password_hash, team_id)
select c.council_id, format('bench.matrix%s@example.org', n),
       format('%s %s', (array['Alex','Sam','Jo','Chris','Pat','Ravi','Mei','Olu'])[1 + n % 8],
              format('Benchperson%s', n)),
       'not-a-password-hash',
       (select team_id from team t where t.council_id = c.council_id and t.name = format('Bench team %s', 1 + n % 10))
  from generate_series(1, (:people * 4 / 5)) n
  join bench_council c on c.i = n % c.total;

insert into staff_user_role (staff_user_id, role)
select staff_user_id, (array['hub_officer', 'recruitment_officer', 'assessor', 'supervising_social_worker',
        'team_manager', 'placement_officer', 'trainer', 'workforce_lead'])[1 + abs(hashtext(email)) % 8]
  from staff_user where email like 'bench.matrix%'
on conflict do nothing;
insert into staff_user_role (staff_user_id, role)
select staff_user_id, 'panel_member' from staff_user where email like 'bench.matrix%' and abs(hashtext(email)) % 5 = 0
on conflict do nothing;

insert into learner (staff_user_id)
select staff_user_id from staff_user where email like 'bench.matrix%';

-- Carers: one in five of the people, two to a household.
insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                       max_children, age_min, age_max, placement_types)
select c.council_id, format('BM-%s', h), format('Bench household %s', h), 'PO1 2AB',
       (array['mainstream', 'connected_person', 'short_breaks'])[1 + h % 3],
       current_date - (h % 900), 2, 0, 17, array['long_term']
  from generate_series(1, (:people / 10)) h
  join bench_council c on c.i = h % c.total;

insert into member_account (email, full_name, kind, council_id)
select lower(format('bench.carer%s.%s@example.org', h.reference, p)), format('Carer%s Bench%s', p, h.reference), 'carer', h.council_id
  from household h, generate_series(1, 2) p where h.reference like 'BM-%';

insert into carer (household_id, position, full_name, email, member_account_id)
select h.household_id, p, m.full_name, m.email, m.member_account_id
  from household h, generate_series(1, 2) p
  join member_account m on true
 where h.reference like 'BM-%' and m.email = lower(format('bench.carer%s.%s@example.org', h.reference, p));

insert into learner (member_account_id)
select member_account_id from member_account where email like 'bench.carer%';

-- Records: about 85% of what each person needs, achieved up to three years ago.
create temporary sequence bench_ref;
insert into competency_record (reference, learner_id, competency_id, achieved_on, expires_on, how)
select format('FH-C-%s', lpad(nextval('bench_ref')::text, 8, '0')), x.learner_id, x.competency_id, x.achieved,
       case when x.validity_months is null then null else (x.achieved + make_interval(months => x.validity_months))::date end,
       'import'
  from (
    select l.learner_id, k.competency_id, k.validity_months,
           current_date - (abs(hashtext(l.learner_id::text || k.competency_id::text)) % 1100) as achieved
      from learner l
      left join staff_user u on u.staff_user_id = l.staff_user_id
      left join carer ca on ca.member_account_id = l.member_account_id
      left join household h on h.household_id = ca.household_id
      join competency_requirement r
        on r.subject = any(coalesce(
             array(select 'role:' || sr.role from staff_user_role sr where sr.staff_user_id = u.staff_user_id),
             '{}') || case when h.carer_type is null then '{}'::text[] else array['carer:' || h.carer_type] end)
      join bench_k k on k.competency_id = r.competency_id
     where (u.email like 'bench.matrix%' or ca.email like 'bench.carer%')
       and abs(hashtext(k.competency_id::text || l.learner_id::text)) % 100 < 85
     group by l.learner_id, k.competency_id, k.validity_months
  ) x;

vacuum (analyze) competency, competency_requirement, competency_record, competency_standing, learner_standing, learner, staff_user, staff_user_role, team, household, carer, member_account;
