-- Email parts: beside its plain-text body, a message may carry one alternative rendering of it
-- and attachments. A calendar invitation uses both: the alternative is the `text/calendar;
-- method=REQUEST` (or `CANCEL`) part that mail programs turn into accept/decline buttons, and the
-- same calendar travels as an `invite.ics` attachment for programs that only read attachments.
-- The worker sends such a message as multipart/mixed [multipart/alternative [text/plain,
-- alternative], attachments...]; a message with neither stays a single text/plain part.
--
-- Both are written in the same transaction as the message itself (`outbox::enqueue_all`), so a
-- message is never sent without its parts.

-- The alternative body: both columns or neither.
alter table email_outbox
    -- The full MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`: a text type with
    -- simple parameters, as the worker writes it into the Content-Type header.
    add column alternative_type text
        check (alternative_type ~ '^text/[a-z0-9.+-]+(; ?[a-z-]+=[A-Za-z0-9._-]+)*$'),
    add column alternative_body text,
    add constraint email_outbox_alternative_whole
        check ((alternative_type is null) = (alternative_body is null));

-- Files sent with a message. Written once with it and never changed (so no `updated_at`);
-- deleted with it.
create table email_attachment (
    email_attachment_id uuid primary key default gen_random_uuid(),
    email_outbox_id     uuid not null references email_outbox (email_outbox_id) on delete cascade,
    -- Order within the message, from 0.
    position            smallint not null check (position >= 0),
    -- The name the recipient sees, e.g. `invite.ics`; plain characters only, since it goes into
    -- a header.
    file_name           text not null check (file_name ~ '^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$'),
    -- e.g. `application/ics`, `application/pdf`.
    content_type        text not null
                        check (content_type ~ '^[a-z]+/[a-z0-9.+-]+(; ?[a-z-]+=[A-Za-z0-9._-]+)*$'),
    -- Kept small: mail servers commonly refuse messages over 10 MB once encoded.
    content             bytea not null check (length(content) <= 5 * 1024 * 1024),
    created_at          timestamptz not null default now(),
    -- Also the index for loading a claimed message's files and for the cascade delete.
    constraint email_attachment_position_key unique (email_outbox_id, position)
);

-- Retention, done: the first migration's comment said the retention job was not built yet.
-- (A landed migration is never edited, so the record is put right here.)
comment on table email_outbox is
    'Every email the product sends, queued in the transaction of the change that causes it and '
    'delivered by the email worker. Bodies and attachments hold personal data: sent and failed '
    'messages (with their attachments) are deleted 90 days after sending or failing by the '
    'retention job (failed ones counted from when they were queued); unsent ones never.';
comment on table email_attachment is
    'Files sent with an outbox message (e.g. invite.ics); deleted with the message.';
