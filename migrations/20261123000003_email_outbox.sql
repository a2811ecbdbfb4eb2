-- Email outbox: every email the product sends is first written here, in the same transaction as
-- the change that causes it (an enquiry, later an application, a booking...). A background worker
-- sends what is due and records the outcome, so nothing is lost while the mail server is down and
-- a rolled-back change never sends mail.
--
-- Delivery is claimed with `FOR UPDATE SKIP LOCKED` and a lease (`locked_until`, `claim_token`),
-- so several server processes can run workers against one database without sending a message
-- twice; a worker that dies mid-send leaves its rows to be retried once the lease ends.
--
-- Retention: `body_text` holds personal data (names, references). Sent and failed messages are
-- kept for the audit trail and must be deleted 90 days after `sent_at` / `created_at` by the
-- retention job (not built yet; tracked with the rest of the retention rules of reg 32).
create table email_outbox (
    email_outbox_id uuid primary key default gen_random_uuid(),
    -- The council whose business this message is (the hub's for enquiries from outside the
    -- region), so every message is attributable and can be filtered per council.
    council_id      uuid not null references council (council_id),
    -- What the message is, e.g. `enquiry_acknowledgement`, `enquiry_council_notification`.
    kind            text not null check (kind ~ '^[a-z_]{3,60}$'),
    to_address      text not null check (to_address ~ '^[^@\s]+@[^@\s]+$' and length(to_address) <= 254),
    -- Display name for the To header, when there is one.
    to_name         text check (to_name is null or length(to_name) <= 200),
    subject         text not null check (length(subject) between 1 and 200),
    -- Plain text body, rendered when the message was queued.
    body_text       text not null,
    -- pending: waiting to be sent (or retried) at `next_attempt_at`;
    -- sending: claimed by a worker until `locked_until`;
    -- sent: accepted by the mail server at `sent_at`;
    -- failed: given up after too many attempts (see `last_error`).
    status          text not null default 'pending'
                    check (status in ('pending', 'sending', 'sent', 'failed')),
    -- Delivery attempts started, counted when a worker claims the message.
    attempts        integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    -- The lease of the worker that claimed the message; only that worker may record the outcome.
    locked_until    timestamptz,
    claim_token     uuid,
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint email_outbox_sending_has_lease
        check (status <> 'sending' or (locked_until is not null and claim_token is not null)),
    constraint email_outbox_sent_has_time check (status <> 'sent' or sent_at is not null)
);

-- The claim query: messages due now, oldest due first, and leases that have run out.
create index email_outbox_pending_due on email_outbox (next_attempt_at) where status = 'pending';
create index email_outbox_sending_lease on email_outbox (locked_until) where status = 'sending';
-- Listing a council's messages, newest first.
create index email_outbox_council_created on email_outbox (council_id, created_at desc);

create trigger email_outbox_updated_at before update on email_outbox
    for each row execute function set_updated_at();
