-- The caseload benchmark's data (scripts/bench-caseload): :n open assessments on Portsmouth's
-- caseload over twenty assessors, each with eighteen checks at different points (a third not
-- requested, a third waiting, a third back), received over the last ten months; and ten times
-- as many closed cases across the other councils, which the manager's view must not read.

insert into staff_user (council_id, email, full_name, password_hash)
select c.council_id, 'bench.assessor' || n || '@example.org', 'Bench Assessor ' || n,
       (select password_hash from staff_user where email = 'assessor.portsmouth@example.org')
from council c, generate_series(1, 20) n
where c.code = 'portsmouth';

insert into staff_user_role (staff_user_id, role)
select staff_user_id, 'assessor' from staff_user where email like 'bench.assessor%';

insert into assessment (council_id, reference, household_name, received_on, assessor_id, stage)
select c.council_id, 'BENCH-' || n, 'Bench household ' || n, current_date - (n % 300),
       (select staff_user_id from staff_user where email = 'bench.assessor' || (1 + n % 20) || '@example.org'),
       case when n % 5 = 0 then 'stage2' else 'stage1' end
from council c, generate_series(1, :n) n
where c.code = 'portsmouth';

insert into assessment (council_id, reference, household_name, received_on, stage)
select c.council_id, 'BENCH-CLOSED-' || c.code || '-' || n, 'Closed household ' || n,
       current_date - 400 - (n % 700), case when n % 2 = 0 then 'approved' else 'ended' end
from council c, generate_series(1, (:n * 10) / 18) n
where c.code <> 'portsmouth' and c.kind <> 'hub';

insert into assessment_check (assessment_id, kind, stage, chase_days, subject, position,
                              requested_on, received_on, outcome)
select a.assessment_id,
       (array['dbs', 'local_authority', 'medical', 'personal_reference', 'employer', 'ofsted',
              'previous_partner', 'school', 'overseas', 'home_safety', 'pet', 'landlord_consent',
              'armed_forces', 'adult_child', 'previous_fostering_service'])[1 + k % 15],
       case when k < 12 then 1 else 2 end, 14, 'Subject ' || k, k,
       case when k % 3 <> 0 then a.received_on + 5 end,
       case when k % 3 = 1 then a.received_on + 20 end,
       case when k % 3 = 1 then 'clear' end
from assessment a, generate_series(0, 17) k
where a.reference like 'BENCH-%' and a.reference not like 'BENCH-CLOSED-%';

analyze assessment;
analyze assessment_check;
