-- Full-text search (SQLite): a contentless FTS5 index over records.search_text,
-- keyed by row_key and kept current by triggers.
CREATE VIRTUAL TABLE records_fts USING fts5(
    search_text,
    content = '',
    contentless_delete = 1,
    -- Diacritics are kept, as PostgreSQL's 'simple' configuration keeps them:
    -- both backends must find the same records.
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, search_text) VALUES (new.row_key, new.search_text);
END;

CREATE TRIGGER records_fts_update AFTER UPDATE OF search_text ON records BEGIN
    DELETE FROM records_fts WHERE rowid = old.row_key;
    INSERT INTO records_fts (rowid, search_text) VALUES (new.row_key, new.search_text);
END;
