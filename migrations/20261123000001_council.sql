-- Councils are data, never code: the cooperative's membership changes over time.

-- Keeps `updated_at` honest on every table that has one.
create or replace function set_updated_at() returns trigger as $$
begin
    new.updated_at = now();
    return new;
end;
$$ language plpgsql;

-- A member council of the Regional Care Cooperative, or the regional hub itself.
-- Every record that belongs to a council points here.
create table council (
    council_id  uuid primary key default gen_random_uuid(),
    -- Short, stable, URL-safe identifier (e.g. `portsmouth`), used in links and seeds.
    code        text not null unique check (code ~ '^[a-z0-9-]{2,40}$'),
    name        text not null unique check (length(name) between 2 and 120),
    -- `hub` is the regional foster hub, which takes enquiries for all members.
    kind        text not null check (kind in ('member', 'hub')),
    -- Where notifications about this council's new enquiries go.
    inbox_email text check (inbox_email is null or inbox_email ~ '^[^@\s]+@[^@\s]+$'),
    active      boolean not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- There is exactly one regional hub.
create unique index council_one_hub on council ((kind)) where kind = 'hub';

create trigger council_updated_at before update on council
    for each row execute function set_updated_at();
