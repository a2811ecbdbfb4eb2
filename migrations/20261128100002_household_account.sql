-- The household follows its enquiry from the start: the enquirer's sign-in account (made with
-- the enquiry, or the one their address already has) and the initial visit once booked.
alter table enquiry
    add column member_account_id uuid references member_account (member_account_id) on delete set null,
    add column visit_at timestamptz,
    add column visit_place text check (visit_place is null or length(visit_place) between 1 and 200),
    -- Each booking or rebooking is a new version of the same calendar event.
    add column visit_sequence integer not null default 0;

create index enquiry_member_account on enquiry (member_account_id) where member_account_id is not null;
