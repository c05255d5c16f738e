//! `GET /v1/systems` and `GET /v1/deployments`: full text, filters, facets
//! and a cursor that stays correct while records are added.
//!
//! Records are listed in registration order (`sort=registered_at`, oldest
//! first, or `-registered_at`, newest first, the default). The cursor names
//! the last record of a page by its id, which the caller has seen anyway:
//! a record registered after the first page was read sorts before it
//! (newest first) or after the last (oldest first), so paging on never
//! repeats or skips one. It carries no sequence number: the gaps between
//! two records' positions in the audit chain would count the writes the
//! caller may not see between them.

use std::collections::HashSet;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::error::ApiError;
use super::query::{self, unknown};
use super::records;
use crate::access::{may_see_record, visibility};
use crate::domain::RecordKind;
use crate::index::{FacetService, Selection, DIMS};
use crate::store::{records as db, search, Store};

/// The default and the largest page.
const DEFAULT_PAGE_SIZE: usize = 20;
const MAX_PAGE_SIZE: usize = 100;
/// The most values listed per facet of an open vocabulary (provider, region…).
const MAX_FACET_VALUES: usize = 100;

fn encode_token(id: &str) -> String {
    hex::encode(format!("v2:{id}"))
}

fn bad_token() -> ApiError {
    ApiError::InvalidParameter("page_token is not one this service gave".into())
}

/// The record id a page token names (not yet checked against the index).
fn decode_token(token: &str) -> Result<String, ApiError> {
    hex::decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("v2:").map(str::to_owned))
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .ok_or_else(bad_token)
}

/// A listing's own parameters.
struct Paging {
    newest_first: bool,
    page_size: usize,
    after: Option<String>,
}

fn paging(rest: &[(String, String)]) -> Result<Paging, ApiError> {
    let mut paging = Paging {
        newest_first: true,
        page_size: DEFAULT_PAGE_SIZE,
        after: None,
    };
    for (name, value) in rest {
        match name.as_str() {
            "sort" => {
                paging.newest_first = match value.as_str() {
                    "-registered_at" => true,
                    "registered_at" => false,
                    _ => {
                        return Err(ApiError::InvalidParameter(
                            "sort must be registered_at or -registered_at".into(),
                        ))
                    }
                }
            }
            "page_size" => {
                paging.page_size = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                    .ok_or_else(|| {
                        ApiError::InvalidParameter(format!(
                            "page_size must be a whole number from 1 to {MAX_PAGE_SIZE}"
                        ))
                    })?;
            }
            "page_token" => paging.after = Some(decode_token(value)?),
            other => return Err(unknown(other)),
        }
    }
    Ok(paging)
}

/// Lists records of `kind`.
pub async fn search(
    kind: RecordKind,
    req: &HttpRequest,
    caller: &Caller,
    store: &Store,
    facets: &FacetService,
) -> Result<HttpResponse, ApiError> {
    let params = query::parse(req, &[kind])?;
    let paging = paging(&params.rest)?;
    let keys = full_text_keys(store, &[kind], params.words.as_ref()).await?;
    let vis = visibility(caller);
    let lang = params.lang;
    let (ids, total, next, facet_counts, hidden) = facets
        .query(store, move |index| {
            let mut params = params;
            index.drop_unseen_systems(&vis, &mut params.filters);
            let table = index.table(kind);
            let org = index.org_id(&vis);
            let tally = table.tally(
                &vis,
                org,
                &Selection {
                    filters: &params.filters,
                    from_day: params.from_day,
                    to_day: params.to_day,
                    keys: keys.as_deref(),
                },
            );
            let mut facet_counts = Map::new();
            for def in DIMS.iter().filter(|d| d.is_facet() && d.applies_to(kind)) {
                let counts = table.counts(&tally, def.name);
                let cells: Vec<Value> = counts
                    .into_iter()
                    .take(MAX_FACET_VALUES)
                    .map(|(value, count)| {
                        let mut cell = json!({ "value": value, "count": count });
                        if let Some(l) = def.label(&value, lang) {
                            cell["label"] = json!(l);
                        }
                        cell
                    })
                    .collect();
                facet_counts.insert(def.name.to_owned(), Value::Array(cells));
            }
            let selected = &tally.positions;
            // The cursor's record must be one the caller may see: a token
            // made up from the id of a hidden record tells nothing of it.
            let after = match &paging.after {
                Some(id) if table.sees(&vis, org, id) => table.key_of(id),
                Some(_) => return Err(bad_token()),
                None => None,
            };
            // Positions are in row-key order; walk them in the sort order
            // from the cursor on.
            let start = after.map(|after| {
                if paging.newest_first {
                    selected.partition_point(|p| table.key(*p) < after)
                } else {
                    selected.partition_point(|p| table.key(*p) <= after)
                }
            });
            let page: Vec<u32> = if paging.newest_first {
                let end = start.unwrap_or(selected.len());
                selected[..end]
                    .iter()
                    .rev()
                    .take(paging.page_size)
                    .copied()
                    .collect()
            } else {
                let begin = start.unwrap_or(0);
                selected[begin..]
                    .iter()
                    .take(paging.page_size)
                    .copied()
                    .collect()
            };
            let more = if paging.newest_first {
                start.unwrap_or(selected.len()) > page.len()
            } else {
                selected.len() - start.unwrap_or(0) > page.len()
            };
            let next = page
                .last()
                .filter(|_| more)
                .map(|p| encode_token(table.id(*p)));
            let ids: Vec<String> = page.iter().map(|p| table.id(*p).to_owned()).collect();
            let hidden = match kind {
                RecordKind::Deployment => index.unseen_links(&vis, &page),
                RecordKind::System => HashSet::new(),
            };
            Ok((ids, selected.len(), next, facet_counts, hidden))
        })
        .await??;

    let vis_rows = visibility(caller);
    let wanted = ids.clone();
    let mut rows = store.read(move |conn| db::find_many(conn, &wanted)).await?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    let items = rows
        .iter()
        // The index and the rows were read a moment apart: keep the check.
        .filter(|row| may_see_record(&vis_rows, row.section, &row.owner_org))
        .map(|row| {
            let mut item = records::view(caller, row)?;
            records::hide_links(&mut item, &hidden);
            Ok(item)
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(json!({
        "items": items,
        "total": total,
        "next_page_token": next,
        "facets": facet_counts,
    })))
}

/// The row keys of records of `kinds` matching a full-text query, when one
/// was given, ascending.
pub async fn full_text_keys(
    store: &Store,
    kinds: &[RecordKind],
    words: Option<&Vec<String>>,
) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(words) = words.cloned() else {
        return Ok(None);
    };
    let kinds = kinds.to_vec();
    let keys = store
        .read(move |conn| search::full_text(conn, &kinds, &words))
        .await?;
    Ok(Some(keys))
}

/// `GET /v1/systems`.
pub async fn systems(
    req: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    facets: web::Data<FacetService>,
) -> Result<HttpResponse, ApiError> {
    search(RecordKind::System, &req, &caller, &store, &facets).await
}

/// `GET /v1/deployments`.
pub async fn deployments(
    req: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    facets: web::Data<FacetService>,
) -> Result<HttpResponse, ApiError> {
    search(RecordKind::Deployment, &req, &caller, &store, &facets).await
}
