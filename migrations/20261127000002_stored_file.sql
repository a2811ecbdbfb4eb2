-- Files staff upload (a council's carer register as CSV, SSDA903 returns, panel papers as PDF),
-- kept in PostgreSQL so that every server process can serve every file and no server keeps state
-- of its own. An object store can take over the bytes later behind `files::FileStore`; this
-- metadata row would stay.
--
-- A file is written in one transaction, chunks first and this row last, so an upload refused half
-- way (too large, the wrong type, the connection lost) leaves nothing behind.
create table stored_file (
    -- Chosen by the application before the first chunk is written (no default), and the only
    -- handle a download link carries: random, so links cannot be guessed.
    stored_file_id uuid primary key,
    -- The upload purpose it came through (e.g. `carer-register`), whose policy decides who may
    -- download it. Declared in code by the domain that owns the purpose.
    purpose        text not null check (purpose ~ '^[a-z0-9-]{2,60}$'),
    -- The council whose file it is; null for a file of the whole cooperative.
    council_id     uuid references council (council_id),
    -- The name it was uploaded with, without folders or control characters; only ever sent back
    -- as an attachment's file name.
    file_name      text not null check (length(file_name) between 1 and 200),
    -- Decided from the file's own bytes, never from its name or what the browser claimed.
    content_type   text not null check (content_type ~ '^[a-z]+/[a-z0-9.+-]+(; ?charset=[a-z0-9-]+)?$'),
    size_bytes     bigint not null check (size_bytes > 0),
    -- SHA-256 of the content, so a copy can be checked against what was uploaded.
    sha256         bytea not null check (length(sha256) = 32),
    uploaded_by    uuid not null references staff_user (staff_user_id),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);

-- A purpose's files for one council, newest first (the list a domain page shows).
create index stored_file_purpose_council on stored_file (purpose, council_id, created_at desc);

create trigger stored_file_updated_at before update on stored_file
    for each row execute function set_updated_at();

-- A file's content in order, at most 1 MiB a row: streamed in and out one chunk at a time, so
-- neither an upload nor a download holds a whole file in memory.
create table stored_file_chunk (
    -- Checked at commit: the chunks are written while the upload streams in, before the file's
    -- own row, whose size and checksum are known only at the end.
    stored_file_id uuid not null references stored_file (stored_file_id) on delete cascade
                   deferrable initially deferred,
    -- 0, 1, 2... in the order the bytes came.
    seq            integer not null check (seq >= 0),
    data           bytea not null check (length(data) between 1 and 1048576),
    primary key (stored_file_id, seq)
);
