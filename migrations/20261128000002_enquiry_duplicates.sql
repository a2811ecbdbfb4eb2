-- The same household enquiring twice, or with two councils: spotted by email, phone, or name
-- and postcode together, shown to staff to link or merge, never silently duplicated.

-- The name as compared: lower case, anything but letters and digits folded to one space
-- ("O'Neil-Smith " and "o neil smith" match). Accents are kept: "José" and "Jose" may be two
-- people.
alter table enquiry
    add column name_key text generated always as
        (btrim(lower(regexp_replace(full_name, '[^[:alnum:]]+', ' ', 'g')))) stored,
    -- Set when the enquiry arrived matching another; cleared once someone has looked.
    add column possible_duplicate boolean not null default false;

create index enquiry_email_key on enquiry (lower(email));
create index enquiry_phone on enquiry (phone);
create index enquiry_name_postcode on enquiry (name_key, postcode);

-- Enquiries staff have said are the same household (kept in both directions).
create table enquiry_link (
    enquiry_id    uuid not null references enquiry (enquiry_id) on delete cascade,
    other_id      uuid not null references enquiry (enquiry_id) on delete cascade,
    linked_by     uuid not null references staff_user (staff_user_id),
    linked_at     timestamptz not null default now(),
    primary key (enquiry_id, other_id),
    check (enquiry_id <> other_id)
);
create index enquiry_link_other on enquiry_link (other_id);
