-- Training compliance: which competencies each staff role and each kind of foster carer must
-- hold, each person's standing on each competency (kept by a trigger, so the matrix reads one
-- row per cell), and the expiry reminders and managers' weekly summaries sent, each once.

-- What a role or a kind of carer must hold. Regional: the cooperative sets one standard, kept
-- by the hub's workforce leads. `subject` is `role:<role>` or `carer:<carer type>`.
create table competency_requirement (
    subject       text not null check (subject ~ '^(role|carer):[a-z_]{2,40}$'),
    competency_id uuid not null references competency (competency_id) on delete cascade,
    created_by    uuid references staff_user (staff_user_id) on delete set null,
    created_at    timestamptz not null default now(),
    primary key (subject, competency_id)
);

create index competency_requirement_competency on competency_requirement (competency_id);

-- A person's standing on a competency from every record of it not voided: the latest expiry
-- (newer evidence never shortens one), or held for good. No row: never held.
create table competency_standing (
    learner_id    uuid not null references learner (learner_id) on delete cascade,
    competency_id uuid not null references competency (competency_id) on delete cascade,
    forever       boolean not null,
    -- The latest expiry of a dated record (none when every record is for good).
    expires_on    date,
    primary key (learner_id, competency_id)
);

create index competency_standing_expiry on competency_standing (expires_on) where not forever;

-- A new record only ever extends a standing, so concurrent records merge safely. A voided one
-- may shorten it: the standing row is locked, then recounted from the records committed.
create function competency_standing_keep() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.voided_at is null then
            insert into competency_standing as s (learner_id, competency_id, forever, expires_on)
            values (new.learner_id, new.competency_id, new.expires_on is null, new.expires_on)
            on conflict (learner_id, competency_id) do update
               set forever = s.forever or excluded.forever,
                   expires_on = greatest(s.expires_on, excluded.expires_on);
        end if;
        return new;
    end if;
    perform 1 from competency_standing
     where learner_id = new.learner_id and competency_id = new.competency_id for update;
    delete from competency_standing
     where learner_id = new.learner_id and competency_id = new.competency_id;
    insert into competency_standing (learner_id, competency_id, forever, expires_on)
    select learner_id, competency_id, bool_or(expires_on is null), max(expires_on)
      from competency_record
     where learner_id = new.learner_id and competency_id = new.competency_id and voided_at is null
     group by learner_id, competency_id;
    return new;
end $$;

create trigger competency_standing_keep after insert or update of voided_at on competency_record
    for each row execute function competency_standing_keep();

insert into competency_standing (learner_id, competency_id, forever, expires_on)
select learner_id, competency_id, bool_or(expires_on is null), max(expires_on)
  from competency_record where voided_at is null
 group by learner_id, competency_id;

-- Reminders of a lapsing competency sent to its holder, 60 and 14 days before: one row each per
-- expiry date, so each goes exactly once however many servers run the job, and renewing (a new
-- expiry) starts afresh.
create table competency_expiry_reminder (
    learner_id    uuid not null references learner (learner_id) on delete cascade,
    competency_id uuid not null references competency (competency_id) on delete cascade,
    expires_on    date not null,
    days          smallint not null check (days in (60, 14)),
    sent_at       timestamptz not null default now(),
    primary key (learner_id, competency_id, expires_on, days)
);

-- Each team manager's weekly summary of their team's gaps, once per week (the Monday).
create table training_gap_summary (
    manager_id uuid not null references staff_user (staff_user_id) on delete cascade,
    week_of    date not null check (extract(isodow from week_of) = 1),
    sent_at    timestamptz not null default now(),
    primary key (manager_id, week_of)
);
