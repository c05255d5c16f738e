DROP TABLE audit_lock;
DROP TABLE audit_log;
DROP TABLE record_versions;
DROP TABLE records;
DROP TABLE tokens;
