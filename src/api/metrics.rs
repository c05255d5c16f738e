//! `GET /metrics`: Prometheus metrics in the OpenMetrics text format.
//!
//! - `http_requests_total{method, route, status}` and
//!   `http_request_duration_seconds{method, route}`, per route pattern (never
//!   the raw path, so ids do not multiply the series);
//! - `registrations{kind, outcome, scope}`: registrations by classification
//!   outcome, over the public section (`scope="public"`) and over all
//!   (`scope="all"`), counted from the overview's index at scrape time, so
//!   they agree with the overview and survive restarts.
//!
//! Metrics are for those who run and oversee the registry (admin,
//! authority, auditor), not for the public: the count of successful
//! registrations minus the public totals of the overview would give the
//! exact size of the non-public section, which the public may learn only as
//! the overview's thresholded figures. For the same reason an admin, who
//! reads the register as the public does, is shown neither `scope="all"`
//! nor any series of a route that writes (its requests and their timings
//! count non-public registrations too); the Art. 74(8) readers and
//! auditors see every series.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use super::auth::Caller;
use super::error::ApiError;
use super::matrix::{route_pattern, Matrix};
use crate::access::visibility;
use crate::classify::Outcome;
use crate::domain::RecordKind;
use crate::index::{FacetService, Selection, Visibility};
use crate::store::Store;

/// The media type of the exposition.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegistrationLabels {
    kind: String,
    outcome: String,
    scope: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The service's metrics; one per process, shared by the workers.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    registrations: Family<RegistrationLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern and status",
            requests.clone(),
        );
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request (until the response starts), by route pattern",
            latency.clone(),
        );
        let registrations = Family::<RegistrationLabels, Gauge>::default();
        registry.register(
            "registrations",
            "Registrations by kind and classification outcome, in the public section and in all",
            registrations.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            registrations,
        }
    }
}

/// Middleware: counts and times every request under its route pattern.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let route = route_pattern(&req).unwrap_or_else(|| "unmatched".to_owned());
    // Methods outside HTTP's own would each make new series.
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "other",
    }
    .to_owned();
    let response = next.call(req).await?;
    if let Some(metrics) = metrics {
        let status = response.status().as_u16().to_string();
        metrics
            .latency
            .get_or_create(&RouteLabels {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(started.elapsed().as_secs_f64());
        metrics
            .requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }
    Ok(response)
}

/// `GET /metrics`.
pub async fn metrics(
    caller: Caller,
    matrix: web::Data<Matrix>,
    metrics: web::Data<Metrics>,
    facets: web::Data<FacetService>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let counts = facets
        .query(&store, |index| {
            let mut counts = Vec::new();
            for kind in [RecordKind::System, RecordKind::Deployment] {
                let table = index.table(kind);
                for (scope, vis) in [("public", Visibility::Public), ("all", Visibility::All)] {
                    let tally = table.tally(&vis, None, &Selection::default());
                    counts.push((kind, scope, table.counts(&tally, "outcome")));
                }
            }
            counts
        })
        .await?;
    for (kind, scope, outcomes) in counts {
        for outcome in Outcome::ALL {
            let n = outcomes
                .iter()
                .find(|(code, _)| code == outcome.as_str())
                .map_or(0, |(_, n)| *n);
            metrics
                .registrations
                .get_or_create(&RegistrationLabels {
                    kind: kind.as_str().to_owned(),
                    outcome: outcome.as_str().to_owned(),
                    scope: scope.to_owned(),
                })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }
    let mut body = String::new();
    encode(&mut body, &metrics.registry)
        .map_err(|e| ApiError::Internal(format!("metrics encoding: {e}")))?;
    if !visibility(&caller).sees_non_public() {
        body = without_non_public(&body, &matrix);
    }
    Ok(HttpResponse::Ok().content_type(OPENMETRICS).body(body))
}

/// The exposition without the samples that count the non-public section:
/// the `scope="all"` gauges and every series of a route that writes.
fn without_non_public(body: &str, matrix: &Matrix) -> String {
    let writes: Vec<String> = matrix
        .writes()
        .map(|(method, path)| format!(r#"method="{method}",route="{path}""#))
        .collect();
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let counts_non_public = !line.starts_with('#')
            && (line.contains(r#"scope="all""#) || writes.iter().any(|w| line.contains(w)));
        if !counts_non_public {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
