-- Region-sized data for the benchmark: :n enquiries (psql -v n=100000) spread over the 18 member
-- councils and the regional hub, submitted over the last two years, each with its
-- `enquiry.created` audit entry. Runs after `server seed-demo` (councils and demo staff exist).
-- Every value satisfies the enquiry table's checks; references are unique by construction.
\set ON_ERROR_STOP on

begin;

-- Eight 5-bit groups of a 40-bit number in the reference alphabet (Crockford base 32).
create function pg_temp.crockford(bits bigint, first int, len int) returns text
language sql immutable as $$
    select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + ((bits >> (5 * k)) & 31)::int, 1),
                      '' order by k)
    from generate_series(first, first + len - 1) as k
$$;

create temporary table bench_council on commit drop as
with weights (code, weight, prefixes) as (
    values
        ('bracknell-forest',    3, array['RG12', 'RG42']),
        ('brighton-hove',       6, array['BN1', 'BN2', 'BN3']),
        ('buckinghamshire',     9, array['HP5', 'HP10', 'HP19', 'SL9']),
        ('east-sussex',         9, array['BN20', 'BN21', 'TN34', 'TN22']),
        ('hampshire',          15, array['SO22', 'GU14', 'RG21', 'PO9', 'SO50']),
        ('isle-of-wight',       3, array['PO30', 'PO31', 'PO33']),
        ('kent',               15, array['ME14', 'CT1', 'TN23', 'DA1', 'ME7']),
        ('medway',              5, array['ME1', 'ME4', 'ME5']),
        ('milton-keynes',       5, array['MK9', 'MK10', 'MK12']),
        ('oxfordshire',         9, array['OX1', 'OX4', 'OX14', 'OX26']),
        ('portsmouth',          5, array['PO1', 'PO2', 'PO4', 'PO6']),
        ('reading',             4, array['RG1', 'RG2', 'RG30']),
        ('slough',              3, array['SL1', 'SL2']),
        ('southampton',         5, array['SO14', 'SO15', 'SO16']),
        ('surrey',             14, array['GU1', 'KT1', 'RH1', 'GU21', 'KT22']),
        ('west-berkshire',      3, array['RG14', 'RG18']),
        ('west-sussex',        11, array['RH10', 'BN11', 'PO19', 'RH12']),
        ('windsor-maidenhead',  3, array['SL4', 'SL6']),
        ('regional-hub',        3, array['SW1A', 'B1', 'M1', 'LS1', 'CF10'])
)
select c.council_id, c.code, c.kind = 'hub' as outside, w.prefixes,
       sum(w.weight) over (order by w.code) - w.weight as lo,
       sum(w.weight) over (order by w.code) as hi
from weights w join council c using (code);

do $$
begin
    if (select count(*) from bench_council) <> 19 then
        raise exception 'expected 18 member councils and the hub: run `server seed-demo` first';
    end if;
end $$;

create temporary table bench_enquiry on commit drop as
with src as (
    select i,
           random() as r_council,
           -- Skewed towards recent months, as enquiries grow with campaigns.
           now() - (power(random(), 1.3) * interval '730 days') as submitted_at
    from generate_series(1, :n) as i
),
x as (
    select s.*, c.council_id, c.code, c.outside, c.prefixes,
           -- A bijection on 40 bits, so references are unique and look random.
           ((s.i::bigint * 1049953013) # 733197314285) & 1099511627775 as ref_bits
    from src s
    join bench_council c
      on floor(s.r_council * (select max(hi) from bench_council)) >= c.lo
     and floor(s.r_council * (select max(hi) from bench_council)) < c.hi
)
select
    gen_random_uuid() as enquiry_id,
    'FH-' || pg_temp.crockford(ref_bits, 0, 4) || '-' || pg_temp.crockford(ref_bits, 4, 4) as reference,
    council_id,
    outside as lives_outside_region,
    (array['Amara','Ben','Chloe','Daniel','Erin','Farah','George','Hannah','Imran','Jade',
           'Kwame','Laura','Mohammed','Niamh','Oliver','Priya','Rhys','Sofia','Tomasz','Zainab'])
        [1 + (i * 7) % 20] || ' ' ||
    (array['Okafor','Hughes','Patel','Evans','Murphy','Khan','Wright','Lewis','Nowak','Smith',
           'Jones','Taylor','Brown','Williams','Wilson','Ahmed','Campbell','O''Brien','Singh','Clarke',
           'Roberts','Walker','Green','Hall','Wood'])[1 + (i * 13) % 25] as full_name,
    'enquirer' || i || '@example.com' as email,
    '07700 9' || lpad(((i * 7919) % 100000)::text, 5, '0') as phone,
    prefixes[1 + (i % cardinality(prefixes))] || ' ' || (i % 10)::text
        || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (i * 3) % 20, 1)
        || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (i * 11) % 20, 1) as postcode,
    (array['yes','yes','yes','soon','no'])[1 + i % 5] as spare_bedroom,
    case i % 6
        when 0 then array['long_term']
        when 1 then array['short_term', 'emergency']
        when 2 then array['short_breaks']
        when 3 then array['long_term', 'short_breaks', 'parent_and_child']
        when 4 then array['not_sure']
        else array['connected_person']
    end as fostering_interests,
    (array['search','social_media','friend_or_family','foster_carer','event','radio_tv',
           'leaflet_poster','other'])[1 + (i * 5) % 8] as heard_about,
    case when i % 3 = 0 then (array['spring-radio','summer-fair','bus-adverts','facebook-2026'])
        [1 + (i / 3) % 4] end as campaign_source,
    submitted_at,
    -- Older enquiries have moved on; the last fortnight's are mostly new.
    case
        when submitted_at > now() - interval '14 days' and i % 4 <> 0 then 'new'
        when submitted_at > now() - interval '90 days' then
            (array['new','contacted','visit_booked','invited','closed'])[1 + i % 5]
        else (array['contacted','invited','closed','closed','closed','closed'])[1 + i % 6]
    end as status,
    null::text as closed_reason,
    i
from x;

update bench_enquiry
set closed_reason = (array['EQ-01','EQ-02','EQ-04','EQ-05','EQ-06','EQ-07'])[1 + (i * 3) % 6]
where status = 'closed';

insert into enquiry (enquiry_id, reference, council_id, lives_outside_region, full_name, email,
                     phone, postcode, spare_bedroom, fostering_interests, heard_about,
                     campaign_source, consent_to_contact, status, closed_reason, submission_key,
                     submitted_at, updated_at, first_contact_due, first_contact_at)
select enquiry_id, reference, council_id, lives_outside_region, full_name, email, phone, postcode,
       spare_bedroom, fostering_interests, heard_about, campaign_source, true, status,
       closed_reason, gen_random_uuid(), submitted_at, submitted_at,
       -- The next day (the clocks' working days are the application's; near enough for load).
       (submitted_at at time zone 'Europe/London')::date + 1,
       case when status <> 'new' then submitted_at + interval '1 day' end
from bench_enquiry
order by submitted_at;

insert into audit_event (occurred_at, actor_label, council_id, action, entity_type, entity_id,
                         details)
select submitted_at, 'public', council_id, 'enquiry.created', 'enquiry', enquiry_id,
       jsonb_build_object('campaign_source', campaign_source)
from bench_enquiry
order by submitted_at;

commit;

analyze;
