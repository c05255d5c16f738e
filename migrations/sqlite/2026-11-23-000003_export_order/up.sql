-- Exports read the audit chain of one kind of record in chain order
-- (`WHERE entity = ? AND seq > ? ... ORDER BY seq`) and join each entry to
-- the version it wrote: this index answers that from the index alone,
-- without visiting the entries of the other kind or the table.
CREATE INDEX audit_log_by_entity ON audit_log (entity, seq, entity_id, version);
