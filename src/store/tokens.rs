//! Bearer tokens: 256 random bits, shown once, stored only as a SHA-256 hash.

use diesel::prelude::*;
use rand::RngCore;

use super::audit::{self, AuditEvent};
use super::schema::tokens;
use super::{DbConnection, StoreError};

/// What a valid token stands for.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = tokens)]
pub struct TokenRecord {
    /// Token id (not the secret).
    pub id: String,
    /// `provider`, `deployer`, `authority`, `auditor` or `admin`.
    pub role: String,
    /// The organisation the token acts for.
    pub org: String,
}

/// The prefix of every token, so that a leaked one is easy to recognise.
const PREFIX: &str = "air_";

/// SHA-256 (hex) of a token as presented.
pub fn hash_token(token: &str) -> String {
    super::sha256_hex(token.as_bytes())
}

/// Makes a new token secret: a prefix and 32 random bytes in hex.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// Stores a new token for `org` with `role` and returns the secret, which is
/// not kept anywhere. The creation is an audit entry like any other write.
pub fn create(conn: &mut DbConnection, role: &str, org: &str) -> Result<String, StoreError> {
    let secret = generate();
    let id = uuid::Uuid::new_v4().to_string();
    let token_hash = hash_token(&secret);
    diesel::insert_into(tokens::table)
        .values((
            tokens::id.eq(&id),
            tokens::token_hash.eq(&token_hash),
            tokens::role.eq(role),
            tokens::org.eq(org),
            tokens::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    audit::append(
        conn,
        &AuditEvent {
            actor_org: org,
            role: "admin",
            action: "create",
            entity: "token",
            entity_id: &id,
            version: 1,
            // The hash of the secret's hash: proves which token was made
            // without giving anything usable away.
            body_sha256: &super::sha256_hex(token_hash.as_bytes()),
        },
    )?;
    Ok(secret)
}

/// Looks up a presented token.
pub fn find(conn: &mut DbConnection, token: &str) -> Result<Option<TokenRecord>, StoreError> {
    Ok(tokens::table
        .filter(tokens::token_hash.eq(hash_token(token)))
        .select(TokenRecord::as_select())
        .first(conn)
        .optional()?)
}
