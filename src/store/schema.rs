//! The portable diesel schema, kept by hand: only column types that SQLite
//! and PostgreSQL share. Both migration trees must produce exactly this.

diesel::table! {
    tokens (id) {
        id -> Text,
        token_hash -> Text,
        role -> Text,
        org -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    records (id) {
        id -> Text,
        kind -> Text,
        row_key -> BigInt,
        owner_org -> Text,
        registration_type -> Text,
        name -> Text,
        unique_key -> Text,
        status -> Nullable<Text>,
        system_id -> Nullable<Text>,
        version -> BigInt,
        document -> Text,
        classification -> Text,
        outcome -> Text,
        section -> Text,
        rules_version -> Text,
        facets -> Text,
        search_text -> Text,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    record_versions (record_id, version) {
        record_id -> Text,
        version -> BigInt,
        action -> Text,
        reason -> Nullable<Text>,
        actor_org -> Text,
        document -> Text,
        document_sha256 -> Text,
        classification -> Text,
        rules_version -> Text,
        section -> Text,
        recorded_at -> Text,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Text,
        actor_org -> Text,
        role -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        version -> BigInt,
        body_sha256 -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_lock (id) {
        id -> Integer,
    }
}

diesel::joinable!(record_versions -> records (record_id));
diesel::allow_tables_to_appear_in_same_query!(
    tokens,
    records,
    record_versions,
    audit_log,
    audit_lock
);
