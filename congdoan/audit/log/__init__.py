"""The audit log's page: entries scoped to the officer's units, told as sentences.

It sits above `orgs` (scoping, unit names) and `accounts` (people's names); the trail it reads
(`congdoan.audit.models`, `services.audit_record`, `registry`) sits below `orgs`, so that every
app, `orgs` included, records its writes."""
