-- Funnel analytics: where enquirers are lost, in Ofsted's financial-year counts and in monthly
-- cohorts followed to each later stage.
--
-- Three layers, each kept by triggers so no code path can bypass them:
--   1. `funnel_enquiry`: one anonymous row of facts per enquiry (its council, campaign, and the
--      London days it reached each stage). Written by triggers on `enquiry` and `application`;
--      it holds no personal details, so it outlives the enquiry when retention deletes it, and
--      the counts survive.
--   2. `funnel_count_delta`: every change to a fact appends its difference (+1 for the new
--      figures, -1 for the old) here. Append-only, so concurrent enquiries never wait on one
--      another's counter rows.
--   3. `funnel_count`: the totals, folded from the deltas every minute by `funnel_compact()`
--      (the `funnel_compact` job). Readers add the two in one statement, so they are exact at
--      every instant.
-- Counts are kept at four levels (council and source; council, all sources; region and source;
-- region, all sources) so each page reads one small slice.

-- Working days, counted by the application's own calendar (`app::calendar`): the ordinal of a
-- day is the number of working days from 1 January 1990 up to and including it, so the working
-- days after `a` up to and including `b` are `ordinal(b) - ordinal(a)` (the convention of every
-- clock: the event's own day never counts). Written here with weekends only; the server writes
-- England and Wales's bank holidays and any day an administrator added (`funnel_calendar` job),
-- and rebuilds the counts when that changes them.
create table funnel_calendar (
    day     date primary key,
    ordinal integer not null
);

insert into funnel_calendar (day, ordinal)
select d::date, count(*) filter (where extract(isodow from d) < 6) over (order by d)
from generate_series(date '1990-01-01', date '2100-12-31', interval '1 day') d;

-- The days off the calendar above skips besides weekends, as last written by the server.
create table funnel_calendar_state (
    one        boolean primary key default true check (one),
    days_off   date[] not null default '{}',
    written_at timestamptz
);
insert into funnel_calendar_state default values;

-- Working days after the day of ordinal `a` up to and including the day of ordinal `b`: none when
-- either stage has not happened, never negative. (Not `greatest` alone: it ignores nulls.)
create function funnel_gap(a integer, b integer) returns integer
language sql immutable as $$
    select case when a is not null and b is not null then greatest(0, b - a) end
$$;

create function london_day(at timestamptz) returns date
language sql immutable as $$ select (at at time zone 'Europe/London')::date $$;

-- One row per enquiry ever received. No foreign key to `enquiry`: the row outlives it.
create table funnel_enquiry (
    enquiry_id        uuid primary key,
    council_id        uuid not null references council (council_id),
    -- The campaign slug, '' for none ('*' is the rollup's, so never a source).
    source            text not null check (source <> '*'),
    arrived           date not null,
    first_contact     date,
    first_contact_due date,
    visit_held        date,
    visit_due         date,
    invited           date,
    applied           date,
    closed            date,
    closed_reason     text,
    -- When the enquiry itself was deleted (retention); the facts stay.
    removed_at        timestamptz
);

-- The counts. `view` is `period` (Ofsted: the month each event happened), `cohort` (the month
-- the enquiry arrived) or `cohort_days` (the cohort's histograms of working days between stages,
-- apart so that the breakdowns, which need no histograms, never read them); `days` is the
-- histogram's bucket, else 0.
-- `council_id` is all zeros for the region, `source` '*' for every source.
create table funnel_count (
    view       text not null check (view in ('period', 'cohort', 'cohort_days')),
    month      date not null,
    council_id uuid not null,
    source     text not null,
    measure    text not null,
    days       integer not null default 0,
    n          bigint not null,
    primary key (view, council_id, source, month, measure, days)
);

create table funnel_count_delta (
    view       text not null,
    month      date not null,
    council_id uuid not null,
    source     text not null,
    measure    text not null,
    days       integer not null default 0,
    n          bigint not null
);
create index funnel_count_delta_slice on funnel_count_delta (view, council_id, source, month);

-- What one enquiry's facts add to the counts. The `*_n` arguments are the working-day ordinals
-- of the fact's days (`funnel_calendar`), looked up by the caller: the trigger with an index probe
-- each, the recount with one join for every enquiry, so this function reads no table and
-- PostgreSQL inlines it into both. Working days from one stage to the next are the difference
-- of their ordinals (none when either stage has not happened; never negative).
create function funnel_contributions(f funnel_enquiry, arrived_n integer, contact_n integer,
                                     visit_n integer, invite_n integer, applied_n integer)
returns table (view text, month date, measure text, days integer)
language sql immutable as $$
    select v.view, v.month, v.measure, v.days
    from (values
        ('period', date_trunc('month', f.arrived)::date, 'enquiries', 0),
        ('period', date_trunc('month', f.applied)::date, 'applications', 0),
        ('period', date_trunc('month', f.closed)::date, 'closed:' || f.closed_reason, 0),
        ('cohort', date_trunc('month', f.arrived)::date, 'arrived', 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.first_contact is not null then 'contacted' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.visit_held is not null then 'visited' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.invited is not null then 'invited' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.applied is not null then 'applied' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.closed is not null then 'closed' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date, 'closed:' || f.closed_reason, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.first_contact <= f.first_contact_due then 'contact_on_time' end, 0),
        ('cohort', date_trunc('month', f.arrived)::date,
            case when f.visit_held <= f.visit_due then 'visit_on_time' end, 0),
        ('cohort_days', date_trunc('month', f.arrived)::date, 'days:enquiry_contact',
            funnel_gap(arrived_n, contact_n)),
        ('cohort_days', date_trunc('month', f.arrived)::date, 'days:contact_visit',
            funnel_gap(contact_n, visit_n)),
        ('cohort_days', date_trunc('month', f.arrived)::date, 'days:visit_invite',
            funnel_gap(visit_n, invite_n)),
        ('cohort_days', date_trunc('month', f.arrived)::date, 'days:invite_application',
            funnel_gap(invite_n, applied_n)),
        ('cohort_days', date_trunc('month', f.arrived)::date, 'days:enquiry_application',
            funnel_gap(arrived_n, applied_n))
    ) v (view, month, measure, days)
    where v.month is not null and v.measure is not null and v.days is not null
$$;

-- The four levels each count is kept at.
create function funnel_levels(council uuid, source text)
returns table (council_id uuid, source text)
language sql immutable as $$
    values (council, source), (council, '*'),
           ('00000000-0000-0000-0000-000000000000'::uuid, source),
           ('00000000-0000-0000-0000-000000000000'::uuid, '*')
$$;

-- A fact changed: append the difference.
-- (PL/pgSQL throughout the per-row path: its statements' plans are kept for the session, where a
-- SQL function's would be made again on every call.)
create function funnel_enquiry_changed() returns trigger
language plpgsql as $$
declare
    -- The working-day ordinals of the new and old facts' days, as plain values so that
    -- `funnel_contributions` is inlined.
    n0 integer; n1 integer; n2 integer; n3 integer; n4 integer;
    o0 integer; o1 integer; o2 integer; o3 integer; o4 integer;
begin
    if tg_op <> 'DELETE' then
        select (select ordinal from funnel_calendar where day = new.arrived),
               (select ordinal from funnel_calendar where day = new.first_contact),
               (select ordinal from funnel_calendar where day = new.visit_held),
               (select ordinal from funnel_calendar where day = new.invited),
               (select ordinal from funnel_calendar where day = new.applied)
          into n0, n1, n2, n3, n4;
    end if;
    if tg_op <> 'INSERT' then
        select (select ordinal from funnel_calendar where day = old.arrived),
               (select ordinal from funnel_calendar where day = old.first_contact),
               (select ordinal from funnel_calendar where day = old.visit_held),
               (select ordinal from funnel_calendar where day = old.invited),
               (select ordinal from funnel_calendar where day = old.applied)
          into o0, o1, o2, o3, o4;
    end if;
    with changes as (
        select new.council_id as council, new.source as src, x.view, x.month, x.measure,
               x.days, 1 as n
        from funnel_contributions(new, n0, n1, n2, n3, n4) x
        where tg_op <> 'DELETE'
        union all
        select old.council_id, old.source, x.view, x.month, x.measure, x.days, -1
        from funnel_contributions(old, o0, o1, o2, o3, o4) x
        where tg_op <> 'INSERT'
    )
    insert into funnel_count_delta (view, month, council_id, source, measure, days, n)
    select c.view, c.month, l.council_id, l.source, c.measure, c.days, sum(c.n)
    from changes c cross join lateral funnel_levels(c.council, c.src) l
    group by c.view, c.month, l.council_id, l.source, c.measure, c.days
    -- A stage moved on touches only the counts it changes.
    having sum(c.n) <> 0;
    return null;
end;
$$;

create trigger funnel_enquiry_counts after insert or update or delete on funnel_enquiry
    for each row execute function funnel_enquiry_changed();

-- The facts of one enquiry, read from `enquiry` and `application` (nothing when the enquiry is
-- gone: an application deleted with its enquiry leaves the facts as they were).
create function funnel_record(p_enquiry uuid) returns void
language plpgsql as $$
begin
    insert into funnel_enquiry as f (enquiry_id, council_id, source, arrived, first_contact,
        first_contact_due, visit_held, visit_due, invited, applied, closed, closed_reason)
    select e.enquiry_id, e.council_id, replace(coalesce(e.campaign_source, ''), '*', '-'),
           london_day(e.submitted_at), london_day(e.first_contact_at), e.first_contact_due,
           london_day(e.visit_held_at), e.visit_due, london_day(a.created_at),
           london_day(a.submitted_at), london_day(e.closed_at), e.closed_reason
    from enquiry e left join application a on a.enquiry_id = e.enquiry_id
    where e.enquiry_id = p_enquiry
    on conflict (enquiry_id) do update set
        council_id = excluded.council_id, source = excluded.source, arrived = excluded.arrived,
        first_contact = excluded.first_contact, first_contact_due = excluded.first_contact_due,
        visit_held = excluded.visit_held, visit_due = excluded.visit_due,
        invited = excluded.invited, applied = excluded.applied, closed = excluded.closed,
        closed_reason = excluded.closed_reason
    -- Most updates (a next action, a worker) change no fact: no counts are touched.
    where (f.council_id, f.source, f.arrived, f.first_contact, f.first_contact_due, f.visit_held,
           f.visit_due, f.invited, f.applied, f.closed, f.closed_reason)
          is distinct from
          (excluded.council_id, excluded.source, excluded.arrived, excluded.first_contact,
           excluded.first_contact_due, excluded.visit_held, excluded.visit_due, excluded.invited,
           excluded.applied, excluded.closed, excluded.closed_reason);
end;
$$;

create function funnel_enquiry_row_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        update funnel_enquiry set removed_at = now() where enquiry_id = old.enquiry_id;
    else
        perform funnel_record(new.enquiry_id);
    end if;
    return null;
end;
$$;

create trigger funnel_enquiry_inserted after insert on enquiry
    for each row execute function funnel_enquiry_row_changed();
create trigger funnel_enquiry_updated
    after update of council_id, campaign_source, submitted_at, first_contact_at,
        first_contact_due, visit_held_at, visit_due, closed_at, closed_reason on enquiry
    for each row execute function funnel_enquiry_row_changed();
create trigger funnel_enquiry_deleted after delete on enquiry
    for each row execute function funnel_enquiry_row_changed();

create function funnel_application_changed() returns trigger
language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform funnel_record(old.enquiry_id);
    end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.enquiry_id <> old.enquiry_id) then
        perform funnel_record(new.enquiry_id);
    end if;
    return null;
end;
$$;

create trigger funnel_application_counts
    after insert or delete or update of enquiry_id, created_at, submitted_at on application
    for each row execute function funnel_application_changed();

-- Folds the deltas into the totals. Deletes only the deltas its own snapshot sees, so deltas
-- committed meanwhile wait for the next fold; readers see before or after, never half.
create function funnel_compact() returns bigint
language plpgsql as $$
declare
    folded bigint;
begin
    with moved as (
        delete from funnel_count_delta
        returning view, month, council_id, source, measure, days, n
    ), summed as (
        select view, month, council_id, source, measure, days, sum(n) as n
        from moved group by view, month, council_id, source, measure, days
    ), upserted as (
        insert into funnel_count as t (view, month, council_id, source, measure, days, n)
        select * from summed
        on conflict (view, council_id, source, month, measure, days)
        do update set n = t.n + excluded.n
        returning 1
    )
    select count(*) into folded from upserted;
    delete from funnel_count where n = 0;
    return folded;
end;
$$;

-- Every count recomputed from the facts (after the calendar changed, or to check the triggers):
-- the same contributions, summed in one pass.
create function funnel_recount()
returns table (view text, month date, council_id uuid, source text, measure text, days integer,
               n bigint)
language sql stable as $$
    select c.view, c.month,
           case when grouping(f.council_id) = 1
                then '00000000-0000-0000-0000-000000000000'::uuid else f.council_id end,
           case when grouping(f.source) = 1 then '*' else f.source end,
           c.measure, c.days, count(*)
    from funnel_enquiry f
    left join funnel_calendar ca on ca.day = f.arrived
    left join funnel_calendar cc on cc.day = f.first_contact
    left join funnel_calendar cv on cv.day = f.visit_held
    left join funnel_calendar ci on ci.day = f.invited
    left join funnel_calendar cp on cp.day = f.applied
    cross join lateral funnel_contributions(f, ca.ordinal, cc.ordinal, cv.ordinal, ci.ordinal,
                                            cp.ordinal) c
    -- The four levels of `funnel_levels`, in one pass.
    group by grouping sets (
        (c.view, c.month, f.council_id, f.source, c.measure, c.days),
        (c.view, c.month, f.council_id, c.measure, c.days),
        (c.view, c.month, f.source, c.measure, c.days),
        (c.view, c.month, c.measure, c.days))
$$;

-- Replaces the counts with a recount, holding off fact changes meanwhile.
create function funnel_rebuild() returns void
language plpgsql as $$
begin
    lock table funnel_enquiry in share mode;
    lock table funnel_count_delta, funnel_count in exclusive mode;
    delete from funnel_count_delta;
    delete from funnel_count;
    insert into funnel_count (view, month, council_id, source, measure, days, n)
    select * from funnel_recount();
end;
$$;

-- The facts of the enquiries already here (the trigger on `funnel_enquiry` counts them).
insert into funnel_enquiry (enquiry_id, council_id, source, arrived, first_contact,
    first_contact_due, visit_held, visit_due, invited, applied, closed, closed_reason)
select e.enquiry_id, e.council_id, replace(coalesce(e.campaign_source, ''), '*', '-'),
       london_day(e.submitted_at), london_day(e.first_contact_at), e.first_contact_due,
       london_day(e.visit_held_at), e.visit_due, london_day(a.created_at),
       london_day(a.submitted_at), london_day(e.closed_at), e.closed_reason
from enquiry e left join application a on a.enquiry_id = e.enquiry_id;
select funnel_rebuild();

-- Retention: an enquiry that never became an application is deleted this many months after it
-- closed. Per council, because each council is the data controller for its own enquiries and
-- keeps its own retention schedule; three years by default (the period the regulations set for
-- refused or withdrawn applications, so an enquiry is never kept for less than an application
-- would be unless the council chooses so).
alter table council
    add column enquiry_retention_months smallint not null default 36
        check (enquiry_retention_months between 12 and 120);

create index enquiry_closed_at on enquiry (closed_at) where status = 'closed';
