-- Two-factor sign-in for staff (TOTP, RFC 6238). One row per staff member who has started or
-- finished enrolling. Secrets are stored only encrypted (ChaCha20-Poly1305 under the
-- TWO_FACTOR_KEY setting, with the account id as associated data), each beside its random
-- nonce; the database alone never reveals a secret.
create table staff_two_factor (
    staff_user_id     uuid primary key references staff_user (staff_user_id) on delete cascade,
    -- The confirmed secret: null until the first code from the app is accepted.
    secret_nonce      bytea,
    secret_sealed     bytea,
    -- A new secret shown on the enrolment page and not yet confirmed (first enrolment or a
    -- reset): the confirmed one keeps working until a code from the new one is accepted.
    pending_nonce     bytea,
    pending_sealed    bytea,
    -- The last time-step whose code was accepted: a code for it or an earlier step is refused,
    -- so a code seen over someone's shoulder cannot be used again.
    last_used_step    bigint,
    enrolled_at       timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    check ((secret_nonce is null) = (secret_sealed is null)),
    check ((pending_nonce is null) = (pending_sealed is null)),
    check ((secret_sealed is null) = (enrolled_at is null))
);

create trigger staff_two_factor_updated_at before update on staff_two_factor
    for each row execute function set_updated_at();

-- One-time recovery codes, for a lost phone. Only the SHA-256 of each is kept (the codes are
-- 80 random bits, so a fast hash is enough: see `auth::totp::recovery_code_hash`).
create table staff_recovery_code (
    staff_user_id  uuid not null references staff_user (staff_user_id) on delete cascade,
    code_hash      bytea not null check (length(code_hash) = 32),
    used_at        timestamptz,
    created_at     timestamptz not null default now(),
    primary key (staff_user_id, code_hash)
);
