-- After a qualifying determination (a proposed refusal) the applicants have 28 days to make
-- representations to the fostering service or to apply to the Independent Review Mechanism
-- (Fostering Services (England) Regulations 2011, reg 27). What they did is kept on the case:
-- representations let the decision be made once considered; an IRM application holds the final
-- decision until the IRM panel's recommendation is in.

alter table assessment
    add column representations_on date,
    add column representations_note text
        check (length(representations_note) between 1 and 4000),
    add column irm_applied_on date,
    add column irm_recommendation text
        check (irm_recommendation in ('approve', 'not_approve')),
    add column irm_recommended_on date,
    add column irm_note text check (length(irm_note) <= 4000),
    add constraint assessment_representations_whole
        check ((representations_on is null) = (representations_note is null)),
    add constraint assessment_irm_recommendation_whole
        check ((irm_recommendation is null) = (irm_recommended_on is null)),
    add constraint assessment_irm_recommendation_after_application
        check (irm_recommended_on is null or irm_applied_on <= irm_recommended_on),
    add constraint assessment_response_after_determination
        check ((representations_on is null and irm_applied_on is null)
               or qualifying_determination_on is not null);
