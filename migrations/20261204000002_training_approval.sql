-- Manager approval of staff bookings (issue 13). A course may need it; a member of staff's
-- booking on it is first a request, which holds no seat. Approved, it books a free seat or
-- joins the waiting list in the order of the original request (its `queue_no` is kept);
-- refused, it is cancelled. Who decided, and when, is kept with it.
alter table course add column needs_approval boolean not null default false;

alter table training_booking drop constraint training_booking_status_check;
alter table training_booking add constraint training_booking_status_check
    check (status in ('requested', 'booked', 'offered', 'waitlisted', 'cancelled'));

alter table training_booking
    add column decided_by uuid references staff_user (staff_user_id) on delete set null,
    add column decided_at timestamptz;

-- The approvals waiting for a decision.
create index training_booking_requested on training_booking (session_id, queue_no)
    where status = 'requested';
