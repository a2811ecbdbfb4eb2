-- Single sign-on: a council (or the regional hub) may connect its own OpenID Connect provider
-- (Microsoft Entra ID, say). Its staff then sign in there, under the council's own rules for
-- passwords, multi-factor and leavers; the product finds or creates their account in that
-- council and takes their roles and team from the groups the provider sends.

create table identity_provider (
    -- One provider per council: the provider can only ever sign people into this council.
    council_id      uuid primary key references council (council_id),
    -- The issuer exactly as the provider's discovery document names it.
    issuer          text not null check (length(issuer) between 8 and 300),
    client_id       text not null check (length(client_id) between 1 and 200),
    -- The client secret, encrypted with TWO_FACTOR_KEY (ChaCha20-Poly1305, the council's id
    -- bound in): never stored or shown in the clear.
    secret_nonce    bytea not null,
    secret_sealed   bytea not null,
    -- The ID token claim holding the person's groups (Entra ID: `groups` or `roles`).
    groups_claim    text not null default 'groups' check (length(groups_claim) between 1 and 100),
    -- True: staff of this council may not sign in with a password at all.
    required        boolean not null default true,
    -- False: the connection is kept but nobody can use it (password sign-in applies again,
    -- unless `required`).
    enabled         boolean not null default true,
    -- The longest a session started here lasts (never longer than SESSION_MINUTES).
    session_minutes integer not null default 480 check (session_minutes between 5 and 1440),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    updated_by      uuid references staff_user (staff_user_id)
);

create trigger identity_provider_updated_at before update on identity_provider
    for each row execute function set_updated_at();

-- The work email domains a provider signs in (lower case, without '@'). Each belongs to one
-- provider: typing a work email finds exactly one council.
create table identity_provider_domain (
    domain      text primary key check (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
    council_id  uuid not null references identity_provider (council_id) on delete cascade
);

-- Which of the council's groups grant which of this product's roles, and which team they put
-- the person in. A person gets every role their groups grant; with none, they are refused.
create table identity_provider_group (
    council_id  uuid not null references identity_provider (council_id) on delete cascade,
    group_name  text not null check (length(group_name) between 1 and 200),
    -- `app/src/auth/roles.rs` names; an unknown one grants nothing (as in staff_user_role).
    roles       text[] not null,
    team_id     uuid references team (team_id),
    position    integer not null,
    primary key (council_id, group_name)
);

-- The provider's stable id for a person (`sub`), once they have signed in with it. Unique per
-- council: the subject is only unique within its issuer.
alter table staff_user add column sso_subject text;
create unique index staff_user_sso_subject on staff_user (council_id, sso_subject)
    where sso_subject is not null;

-- Nonces of ID tokens already accepted: a token presented twice is refused even if every
-- other check passes. Kept a day (ID tokens live minutes), then purged.
create table sso_nonce_used (
    nonce_hash  bytea primary key,
    used_at     timestamptz not null default now()
);
create index sso_nonce_used_at on sso_nonce_used (used_at);
