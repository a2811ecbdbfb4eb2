-- Connected-person (family and friends) assessments (issue 11). Such a case does not start from
-- the public application: a staff member opens it for a named child already placed with
-- relatives or friends, linked to that placement on the carer register. It may carry a
-- temporary approval (Care Planning, Placement and Case Review (England) Regulations 2010,
-- regs 24-25): 16 weeks, extendable once by up to 8 weeks.

alter table assessment
    add column placement_id uuid references placement (placement_id),
    -- The day the temporary approval was given, and the day it ends (16 weeks on, or the
    -- extended end).
    add column temporary_from date,
    add column temporary_until date,
    -- The one extension reg 25 allows: its length and why.
    add column temporary_extended_weeks smallint
        check (temporary_extended_weeks between 1 and 8),
    add column temporary_extension_reason text
        check (length(temporary_extension_reason) between 1 and 2000),
    add constraint assessment_placement_connected
        check (placement_id is null or kind = 'connected_person'),
    add constraint assessment_temporary_connected
        check (temporary_from is null or kind = 'connected_person'),
    add constraint assessment_temporary_whole
        check ((temporary_from is null) = (temporary_until is null)),
    add constraint assessment_temporary_length
        check (temporary_until = temporary_from + 7 * (16 + coalesce(temporary_extended_weeks, 0))),
    add constraint assessment_temporary_extension_whole
        check ((temporary_extended_weeks is null) = (temporary_extension_reason is null));

-- One open assessment per placement.
create unique index assessment_open_placement on assessment (placement_id)
    where placement_id is not null and stage not in ('approved', 'ended');
