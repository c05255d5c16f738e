DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE record_versions;
DROP TABLE records;
DROP TABLE tokens;
