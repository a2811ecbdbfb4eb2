-- The training benchmark's data (scripts/bench-training), on top of `server seed-demo`:
-- :people staff who book (bench.trainee1..N@example.org, the demo password, each a learner),
-- and three sets of :sessions sessions of the demo course with :seats places each, a month ahead:
-- set 1 for the bare server's first round, set 2 for the product, set 3 for the bare server's
-- second round (a place is made once per person and session, so each round has its own).
-- One more 20-place session takes the 200 simultaneous bookers.
insert into staff_user (council_id, email, full_name, password_hash)
select c.council_id, 'bench.trainee' || n || '@example.org', 'Bench Trainee ' || n,
       (select password_hash from staff_user where email = 'workforce.lead@example.org')
  from council c, generate_series(1, :people) n
 where c.code = 'portsmouth';

insert into staff_user_role (staff_user_id, role)
select staff_user_id, 'supervising_social_worker' from staff_user where email like 'bench.trainee%';

insert into learner (staff_user_id)
select staff_user_id from staff_user where email like 'bench.trainee%';

create table bench_session (round int not null, n int not null, session_id uuid not null);

with made as (
  insert into training_session (course_id, capacity, booking_deadline, cancel_cutoff, venue)
  select '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', case when r = 4 then 20 else :seats end,
         now() + interval '20 days', now() + interval '20 days', 'Bench room ' || r || '-' || n
    from generate_series(1, 4) r, generate_series(1, :sessions) n
   where r < 4 or n = 1
  returning session_id, venue)
insert into bench_session (round, n, session_id)
select split_part(substr(venue, 12), '-', 1)::int, split_part(substr(venue, 12), '-', 2)::int, session_id
  from made;

insert into training_session_date (session_id, starts_at, ends_at)
select session_id, date_trunc('hour', now()) + interval '30 days', date_trunc('hour', now()) + interval '30 days 3 hours'
  from bench_session;
