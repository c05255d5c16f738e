DROP INDEX records_search;
ALTER TABLE records DROP COLUMN search;
