DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE system_versions;
DROP TABLE systems;
DROP TABLE tokens;
