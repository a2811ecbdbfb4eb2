-- Household members (applicants, and after approval foster carers): members of the public who
-- sign in by an emailed single-use link, never with a password, and see only their own
-- household. A different kind of account from staff (see the principals decision): an applicant
-- becomes a carer by `kind` moving on, never by gaining a staff role.
create table member_account (
    member_account_id  uuid primary key default gen_random_uuid(),
    -- Stored lower-case; the sign-in form matches on it.
    email              text not null unique check (email = lower(email) and length(email) between 3 and 254),
    full_name          text not null check (length(full_name) between 1 and 100),
    kind               text not null check (kind in ('applicant', 'carer')),
    -- The council their enquiry or application is with (whose mail their messages are).
    council_id         uuid not null references council (council_id),
    last_sign_in_at    timestamptz,
    created_at         timestamptz not null default now()
);

create index member_account_council on member_account (council_id);

-- Emailed sign-in links. Only the SHA-256 of the token is stored, so a copy of this table signs
-- nobody in; expiry and single use are enforced by the statement that consumes a link.
create table sign_in_link (
    token_hash         bytea primary key check (length(token_hash) = 32),
    member_account_id  uuid not null references member_account (member_account_id) on delete cascade,
    expires_at         timestamptz not null,
    used_at            timestamptz,
    created_at         timestamptz not null default now(),
    requested_ip       inet
);

-- The per-email limit counts an account's recent links.
create index sign_in_link_account_created on sign_in_link (member_account_id, created_at desc);

-- A link to one form for someone with no account (a referee, an employer). The token authorises
-- that one form only, until it is submitted or expires; no session is ever made from it.
create table form_link (
    token_hash    bytea primary key check (length(token_hash) = 32),
    -- Which form, e.g. `referee`.
    purpose       text not null check (purpose in ('referee')),
    -- What the form is about (an application, a household).
    subject_id    uuid not null,
    holder_email  text not null check (length(holder_email) between 3 and 254),
    expires_at    timestamptz not null,
    submitted_at  timestamptz,
    -- The holder's answers, as submitted.
    answers       jsonb,
    created_at    timestamptz not null default now(),
    check ((submitted_at is null) = (answers is null))
);

create index form_link_subject on form_link (purpose, subject_id);
