-- Every foster carer on the register can hold training records and TSDS sign-offs, with or
-- without an email address or an account. A carer's learner row is keyed by the carer; when the
-- carer also has an account (an applicant approved, or a carer invited to the portal) the same
-- row carries the account too, so what they book signed in and what their supervising social
-- worker signs off for them are one person's records.

alter table learner add column carer_id uuid unique references carer (carer_id) on delete cascade;

alter table learner drop constraint learner_one_kind;
alter table learner add constraint learner_one_kind check (
    (staff_user_id is not null and member_account_id is null and carer_id is null)
    or (staff_user_id is null and num_nonnulls(member_account_id, carer_id) >= 1)
);

-- Learners of accounts that are carers already: the carer too (one carer per account).
update learner l
   set carer_id = c.carer_id
  from (select distinct on (member_account_id) member_account_id, carer_id
          from carer where member_account_id is not null
         order by member_account_id, created_at) c
 where l.member_account_id = c.member_account_id
   and not exists (select 1 from learner o where o.carer_id = c.carer_id);

-- A learner made for an account that is a carer's is that carer's learner too.
create function learner_link_carer() returns trigger language plpgsql as $$
begin
    if new.member_account_id is not null and new.carer_id is null then
        new.carer_id := (select c.carer_id from carer c
                          where c.member_account_id = new.member_account_id
                            and not exists (select 1 from learner o where o.carer_id = c.carer_id)
                          order by c.created_at limit 1);
    end if;
    return new;
end $$;

create trigger learner_link_carer before insert on learner
    for each row execute function learner_link_carer();

-- One person's two learner rows become one: `gone`'s records and places move to `kept` (a
-- record or place `kept` already has for the same session stays as it is), and `gone` is
-- deleted with anything left. Standings are counted again from the records.
create function learner_merge(gone uuid, kept uuid) returns void language plpgsql as $$
begin
    update competency_record r set learner_id = kept
     where r.learner_id = gone
       and (r.session_id is null or r.voided_at is not null
            or not exists (select 1 from competency_record o
                            where o.learner_id = kept and o.competency_id = r.competency_id
                              and o.session_id = r.session_id and o.voided_at is null));
    update training_booking b set learner_id = kept
     where b.learner_id = gone
       and (b.status = 'cancelled'
            or not exists (select 1 from training_booking o
                            where o.learner_id = kept and o.session_id = b.session_id
                              and o.status <> 'cancelled'));
    delete from learner where learner_id = gone;
    delete from competency_standing where learner_id = kept;
    insert into competency_standing (learner_id, competency_id, forever, expires_on)
    select learner_id, competency_id, bool_or(expires_on is null), max(expires_on)
      from competency_record where learner_id = kept and voided_at is null
     group by learner_id, competency_id;
    perform learner_standing_refresh(kept);
end $$;

-- A carer given an account (or added with one): the carer's learner and the account's become
-- one row.
create function carer_link_learner() returns trigger language plpgsql as $$
declare
    by_carer uuid;
    by_account uuid;
begin
    if new.member_account_id is null then
        return new;
    end if;
    select learner_id into by_carer from learner where carer_id = new.carer_id;
    select learner_id into by_account from learner where member_account_id = new.member_account_id;
    if by_carer is null and by_account is not null then
        update learner set carer_id = new.carer_id
         where learner_id = by_account and carer_id is null;
    elsif by_carer is not null and by_account is null then
        update learner set member_account_id = new.member_account_id where learner_id = by_carer;
    elsif by_carer is not null and by_account is not null and by_carer <> by_account then
        -- The carer's row keeps the carer; it takes the account once the other row is gone.
        perform learner_merge(by_account, by_carer);
        update learner set member_account_id = new.member_account_id where learner_id = by_carer;
    end if;
    return new;
end $$;

create trigger carer_link_learner after insert or update of member_account_id on carer
    for each row execute function carer_link_learner();
