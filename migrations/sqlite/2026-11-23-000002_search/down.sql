DROP TRIGGER records_fts_update;
DROP TRIGGER records_fts_insert;
DROP TABLE records_fts;
