-- Referees and employers give their reference online (issue 11): an assessor sends a check's
-- referee a single-use link (`form_link`, purpose `referee`, its subject the check); a reminder
-- goes at 7 and at 14 days, each with a fresh link (only a link's hash is kept, so a reminder
-- cannot repeat the first).

alter table assessment_check
    add column link_sent_at   timestamptz,
    add column link_reminders smallint not null default 0 check (link_reminders between 0 and 2);

create index assessment_check_link_waiting on assessment_check (link_sent_at)
    where link_sent_at is not null and received_on is null;

-- A submitted reference marks its check received, in the submission's own transaction: the
-- link belongs to the platform (which names no domain), the check to assessments.
create function form_link_marks_check_received() returns trigger as $$
begin
    if new.purpose = 'referee' and new.submitted_at is not null and old.submitted_at is null then
        update assessment_check
           set received_on = (new.submitted_at at time zone 'Europe/London')::date,
               requested_on = coalesce(requested_on,
                                       (new.created_at at time zone 'Europe/London')::date)
         where check_id = new.subject_id and received_on is null;
    end if;
    return new;
end
$$ language plpgsql;

create trigger form_link_submitted after update of submitted_at on form_link
    for each row execute function form_link_marks_check_received();
