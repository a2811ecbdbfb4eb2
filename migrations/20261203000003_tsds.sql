-- The Training, Support and Development Standards (TSDS): each foster carer completes the set
-- for their kind of approval within 12 months of approval (18 for connected-person carers),
-- each standard signed off by the supervising social worker with evidence. The standards are
-- competencies held for good; which of them each kind of carer completes is data, so a change
-- to the DfE workbooks is a row, not a release.

insert into competency (name, validity_months) values
    ('TSDS 1: Principles and values of fostering', null),
    ('TSDS 2: Your role as a foster carer', null),
    ('TSDS 3: Health and safety, and healthy care', null),
    ('TSDS 4: Communicating effectively', null),
    ('TSDS 5: The development of children and young people', null),
    ('TSDS 6: Keeping children and young people safe from harm', null),
    ('TSDS 7: Developing yourself', null)
on conflict (name) do nothing;

create table tsds_standard (
    carer_type    text not null check (carer_type in ('mainstream', 'connected_person', 'short_breaks')),
    competency_id uuid not null references competency (competency_id),
    -- Its number in the workbook.
    position      smallint not null check (position between 1 and 20),
    primary key (carer_type, competency_id),
    unique (carer_type, position)
);

-- Mainstream carers: the seven standards. Family and friends (connected-person) carers and
-- short-break carers: their workbooks' six (the first six).
insert into tsds_standard (carer_type, competency_id, position)
select t.carer_type, k.competency_id, substring(k.name from 'TSDS ([0-9]+)')::smallint
  from competency k
 cross join (values ('mainstream', 7), ('connected_person', 6), ('short_breaks', 6)) t(carer_type, standards)
 where k.name like 'TSDS %' and substring(k.name from 'TSDS ([0-9]+)')::int <= t.standards;
