-- Roles, teams, and people outside councils.
--
-- A staff account may hold several roles (a team manager who also chairs panel), so roles move
-- from `staff_user.role` to a table of their own. An account belongs to the regional hub, to one
-- council, or to no council at all (an independent panel member, an external trainer), who then
-- reaches only what its roles grant and no council's records. Staff work in teams, each with a
-- manager; caseload views, training gaps and digests are by team.

create table staff_user_role (
    staff_user_id  uuid not null references staff_user (staff_user_id) on delete cascade,
    -- The application's list (`app/src/auth/roles.rs`), checked by a unit test against this one.
    role           text not null check (role in (
        -- roles:begin
        'hub_officer', 'recruitment_officer', 'assessor', 'supervising_social_worker',
        'team_manager', 'agency_decision_maker', 'panel_member', 'panel_chair',
        'placement_officer', 'commissioner', 'workforce_lead', 'trainer', 'administrator'
        -- roles:end
    )),
    granted_at     timestamptz not null default now(),
    primary key (staff_user_id, role)
);

insert into staff_user_role (staff_user_id, role)
select staff_user_id, role from staff_user;

alter table staff_user drop column role;

-- No council: someone from outside every council (see above).
alter table staff_user alter column council_id drop not null;

-- A team works for one council (or the hub, which is a council row of kind `hub`).
create table team (
    team_id     uuid primary key default gen_random_uuid(),
    council_id  uuid not null references council (council_id),
    name        text not null check (length(name) between 2 and 100),
    -- Null only until the manager's account exists.
    manager_id  uuid references staff_user (staff_user_id),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (council_id, name),
    -- For the staff member's composite reference below.
    unique (team_id, council_id)
);

create index team_manager on team (manager_id);

create trigger team_updated_at before update on team
    for each row execute function set_updated_at();

alter table staff_user add column team_id uuid;

-- A staff member's team is in their own council; someone outside every council has no team.
alter table staff_user
    add constraint staff_user_team_in_own_council
        foreign key (team_id, council_id) references team (team_id, council_id),
    add constraint staff_user_team_needs_council
        check (team_id is null or council_id is not null);

create index staff_user_team on staff_user (team_id);
