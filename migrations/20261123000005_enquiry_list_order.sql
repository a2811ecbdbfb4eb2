-- The staff list orders by (submitted_at desc, enquiry_id desc) so pages are stable when two
-- enquiries arrive in the same microsecond. Indexes in exactly that order let each page be read
-- straight from the index (no sort), for every filter the list offers.
drop index enquiry_council_submitted;
drop index enquiry_status_submitted;
drop index enquiry_submitted;
create index enquiry_council_submitted on enquiry (council_id, submitted_at desc, enquiry_id desc);
create index enquiry_status_submitted on enquiry (status, submitted_at desc, enquiry_id desc);
create index enquiry_submitted on enquiry (submitted_at desc, enquiry_id desc);
