-- Each person's standings in one row, so the compliance matrix reads one row per person (10,000
-- people by 40 competencies is 10,000 rows, not 400,000 cells): each competency gets a small
-- stable number (`slot`), and a learner's row holds the slots they hold with the day each
-- lapses. Kept with `competency_standing`, by the same trigger.

alter table competency add column slot integer generated always as identity;
create unique index competency_slot on competency (slot);

create table learner_standing (
    learner_id uuid primary key references learner (learner_id) on delete cascade,
    -- The slots held, ascending, and beside each the last day it is current as days since
    -- 1970-01-01 (2147483647: held for good).
    slots      integer[] not null default '{}',
    days       integer[] not null default '{}',
    constraint learner_standing_pairs check (cardinality(slots) = cardinality(days))
);

-- Recounts one person's row from their standings. The row is locked first, so of two
-- transactions changing the same person's records the second recounts after the first commits
-- and sees both.
create function learner_standing_refresh(who uuid) returns void language plpgsql as $$
begin
    insert into learner_standing (learner_id) values (who) on conflict do nothing;
    perform 1 from learner_standing where learner_id = who for update;
    update learner_standing ls
       set (slots, days) = (
           select coalesce(array_agg(k.slot order by k.slot), '{}'),
                  coalesce(array_agg(case when s.forever then 2147483647
                                          else s.expires_on - date '1970-01-01' end
                                     order by k.slot), '{}')
             from competency_standing s join competency k using (competency_id)
            where s.learner_id = who)
     where ls.learner_id = who;
end $$;

create or replace function competency_standing_keep() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.voided_at is null then
            insert into competency_standing as s (learner_id, competency_id, forever, expires_on)
            values (new.learner_id, new.competency_id, new.expires_on is null, new.expires_on)
            on conflict (learner_id, competency_id) do update
               set forever = s.forever or excluded.forever,
                   expires_on = greatest(s.expires_on, excluded.expires_on);
            perform learner_standing_refresh(new.learner_id);
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
    perform learner_standing_refresh(new.learner_id);
    return new;
end $$;

select learner_standing_refresh(learner_id) from (select distinct learner_id from competency_standing) x;
