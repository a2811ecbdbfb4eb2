-- People who work in the product. Each belongs to one council, or to the regional hub, which
-- sees every council's enquiries.
create table staff_user (
    staff_user_id    uuid primary key default gen_random_uuid(),
    council_id       uuid not null references council (council_id),
    -- Stored lower-case; sign-in matches on it.
    email            text not null unique check (email = lower(email) and length(email) between 3 and 254),
    full_name        text not null check (length(full_name) between 1 and 100),
    role             text not null check (role in ('hub_officer', 'assessor', 'team_manager',
                                                   'workforce_lead', 'placement_officer', 'administrator')),
    -- PHC string from argon2id; never logged, never sent to a page.
    password_hash    text not null,
    active           boolean not null default true,
    -- Throttle: consecutive failed sign-ins, and when the account may try again.
    failed_sign_ins  integer not null default 0 check (failed_sign_ins >= 0),
    locked_until     timestamptz,
    last_sign_in_at  timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

create index staff_user_council on staff_user (council_id);

create trigger staff_user_updated_at before update on staff_user
    for each row execute function set_updated_at();

-- Who changed which record, and when. Append-only: the application never updates or deletes it.
create table audit_event (
    audit_event_id  bigint generated always as identity primary key,
    occurred_at     timestamptz not null default now(),
    -- The staff member who acted; null for the public (an enquiry form) or the system.
    actor_id        uuid references staff_user (staff_user_id),
    -- Who acted, readable even if the staff record changes: an email, `public` or `system`.
    actor_label     text not null,
    -- The council whose record it is, so each council can review its own trail.
    council_id      uuid references council (council_id),
    -- What happened, e.g. `enquiry.created`, `enquiry.status_changed`, `staff_user.signed_in`.
    action          text not null,
    entity_type     text not null,
    entity_id       uuid not null,
    -- What changed (old and new values), never passwords or free-text personal data.
    details         jsonb not null default '{}'::jsonb
);

create index audit_event_entity on audit_event (entity_type, entity_id, occurred_at);
create index audit_event_council on audit_event (council_id, occurred_at desc);
