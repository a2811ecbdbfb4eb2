-- An enquiry from a member of the public about becoming a foster carer.
-- Special category personal data: only the hub and the owning council's staff may read it.
create table enquiry (
    enquiry_id          uuid primary key default gen_random_uuid(),
    -- Human-friendly reference shown to the enquirer, e.g. `FH-7K3M-9QX2`.
    reference           text not null unique,
    -- The council the enquirer lives in; enquiries from outside the region belong to the hub.
    council_id          uuid not null references council (council_id),
    lives_outside_region boolean not null default false,
    full_name           text not null check (length(full_name) between 1 and 100),
    email               text not null check (length(email) between 3 and 254),
    phone               text not null check (length(phone) between 10 and 20),
    -- Normalised UK postcode, upper case with one space: `PO1 2AB`.
    postcode            text not null check (postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$'),
    spare_bedroom       text not null check (spare_bedroom in ('yes', 'no', 'soon')),
    fostering_interests text[] not null check (cardinality(fostering_interests) between 1 and 10),
    heard_about         text not null,
    -- Campaign that brought them here, from `?source=` on the link they followed.
    campaign_source     text check (campaign_source is null or length(campaign_source) <= 60),
    -- We may only contact people who agreed to it.
    consent_to_contact  boolean not null check (consent_to_contact),
    status              text not null default 'new'
                        check (status in ('new', 'contacted', 'visit_booked', 'application_invited', 'closed')),
    -- Required when closed: Ofsted asks for a reason for every enquiry that ends.
    closed_reason       text,
    -- Idempotency key from the form, so a double click or a resubmission stores one enquiry.
    submission_key      uuid not null unique,
    submitted_at        timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint enquiry_closed_has_reason check (status <> 'closed' or closed_reason is not null)
);

create index enquiry_council_submitted on enquiry (council_id, submitted_at desc);
create index enquiry_status_submitted on enquiry (status, submitted_at desc);
create index enquiry_submitted on enquiry (submitted_at desc);

create trigger enquiry_updated_at before update on enquiry
    for each row execute function set_updated_at();
