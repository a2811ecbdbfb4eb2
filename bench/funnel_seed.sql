-- The funnel benchmark's data: :n enquiries (psql -v n=1000000) over the 18 member councils and
-- the regional hub, arriving over the last five years, each followed some way along the journey
-- (about 70% contacted, 30% visited, 12% invited, 7% applied; most of the rest closed with a
-- coded reason) from one of eight campaign sources or none. Runs after `server seed-demo`.
--
-- The per-row triggers are switched off while the rows go in and the counts are rebuilt from the
-- facts in one pass afterwards (`funnel_rebuild`, the same recount the calendar job uses): a
-- million trigger calls would take the seeding minutes longer and measure nothing.
\set ON_ERROR_STOP on

begin;

alter table enquiry disable trigger funnel_enquiry_inserted;
alter table application disable trigger funnel_application_counts;
alter table funnel_enquiry disable trigger funnel_enquiry_counts;

create temporary table draw on commit drop as
select i,
       (array(select council_id from council order by code))[1 + (i % 19)] as council_id,
       (array['spring-radio', 'bus-stop', 'summer-fair', 'facebook', 'google', 'newsletter',
              'school-bags', 'carers-week'])[1 + (hashint4(i::int) & 15)] as source,
       now() - (abs(hashint4(i::int + 1)::bigint) % (5 * 365 * 24 * 60)) * interval '1 minute' as arrived,
       abs(hashint4(i::int + 2)::bigint) % 1000 as stage,
       abs(hashint4(i::int + 3)::bigint) % 1000 as fate,
       abs(hashint4(i::int + 4)::bigint) % 20 as gap
from generate_series(1, :n) i;

create temporary table moved on commit drop as
select d.*,
       case when stage < 700 then arrived + (gap % 6) * interval '1 day' + interval '3 hours' end
           as first_contact_at,
       case when stage < 300 then arrived + (6 + gap) * interval '1 day' end as visit_held_at,
       case when stage < 120 then arrived + (30 + gap) * interval '1 day' end as invited_at,
       case when stage < 70 then arrived + (60 + 2 * gap) * interval '1 day' end as applied_at
from draw d;

insert into enquiry (enquiry_id, reference, council_id, full_name, email, phone, postcode,
    spare_bedroom, fostering_interests, heard_about, campaign_source, consent_to_contact, status,
    closed_reason, closed_at, submission_key, submitted_at, first_contact_due, first_contact_at,
    visit_due, visit_held_at)
select gen_random_uuid(), 'FB-' || lpad(to_hex(i), 8, '0'), council_id, 'Bench Enquirer',
       'bench' || i || '@example.org', '07700900123', 'PO1 2AB', 'yes', '{long_term}', 'radio_tv',
       source, true,
       case when closing.reason is not null then 'closed'
            when applied_at is not null then 'application_submitted'
            when invited_at is not null then 'invited'
            when visit_held_at is not null then 'visit_held'
            when first_contact_at is not null then 'contacted'
            else 'new' end,
       closing.reason,
       case when closing.reason is not null
            then coalesce(applied_at, invited_at, visit_held_at, first_contact_at, arrived)
                 + interval '20 days' end,
       gen_random_uuid(), arrived, london_day(arrived) + 1, first_contact_at,
       case when first_contact_at is not null then london_day(first_contact_at) + 7 end,
       visit_held_at
from moved
cross join lateral (
    select case
        when applied_at is not null and fate < 300
            then (array['AW0', 'AW1', 'AW2', 'AW3', 'AW4', 'AW5'])[1 + fate % 6]
        when applied_at is null and fate < 750
            then (array['EQ-01', 'EQ-02', 'EQ-04', 'EQ-05', 'EQ-06', 'EQ-07'])[1 + fate % 6]
    end as reason
) closing;

insert into application (enquiry_id, council_id, joint, created_at, submitted_at, last_saved_at)
select e.enquiry_id, e.council_id, false, m.invited_at, m.applied_at, m.invited_at
from moved m join enquiry e on e.reference = 'FB-' || lpad(to_hex(m.i), 8, '0')
where m.invited_at is not null;

insert into funnel_enquiry (enquiry_id, council_id, source, arrived, first_contact,
    first_contact_due, visit_held, visit_due, invited, applied, closed, closed_reason)
select e.enquiry_id, e.council_id, replace(coalesce(e.campaign_source, ''), '*', '-'),
       london_day(e.submitted_at), london_day(e.first_contact_at), e.first_contact_due,
       london_day(e.visit_held_at), e.visit_due, london_day(a.created_at),
       london_day(a.submitted_at), london_day(e.closed_at), e.closed_reason
from enquiry e left join application a on a.enquiry_id = e.enquiry_id
on conflict (enquiry_id) do nothing;

alter table enquiry enable trigger funnel_enquiry_inserted;
alter table application enable trigger funnel_application_counts;
alter table funnel_enquiry enable trigger funnel_enquiry_counts;

select funnel_rebuild();

commit;

analyze enquiry;
analyze application;
analyze funnel_enquiry;
analyze funnel_count;
