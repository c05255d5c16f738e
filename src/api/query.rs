//! Query parameters of search and the overview: filters by dimension,
//! dates, full text, language. Unknown parameters and bad values are a 400,
//! never silently ignored.

use actix_web::HttpRequest;

use super::error::ApiError;
use crate::domain::RecordKind;
use crate::index::{day_number, dim_def, Filter};
use crate::labels::Lang;

/// The parameters every listing understands besides its filters.
#[derive(Debug)]
pub struct Params {
    /// Filters, one per dimension, values ORed.
    pub filters: Vec<Filter>,
    /// `registered_from` as `yyyymmdd`.
    pub from_day: Option<u32>,
    /// `registered_to` as `yyyymmdd`.
    pub to_day: Option<u32>,
    /// The words of `q`, if given.
    pub words: Option<Vec<String>>,
    /// `lang`, English by default.
    pub lang: Lang,
    /// Everything else, for the caller to check: (name, value).
    pub rest: Vec<(String, String)>,
}

fn parse_day(name: &str, value: &str) -> Result<u32, ApiError> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|d| day_number(&d.to_string()))
        .map_err(|_| ApiError::InvalidParameter(format!("{name} must be a date, YYYY-MM-DD")))
}

/// Reads the query string. `kinds` are the record kinds the endpoint lists:
/// a filter is accepted when it applies to one of them.
pub fn parse(req: &HttpRequest, kinds: &[RecordKind]) -> Result<Params, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| ApiError::InvalidParameter(format!("the query string cannot be read: {e}")))?;
    let mut params = Params {
        filters: Vec::new(),
        from_day: None,
        to_day: None,
        words: None,
        lang: Lang::En,
        rest: Vec::new(),
    };
    for (name, value) in pairs {
        match name.as_str() {
            "q" => {
                // A query without letters or digits filters nothing.
                let words = crate::store::search::words(&value);
                params.words = (!words.is_empty()).then_some(words);
            }
            "registered_from" => params.from_day = Some(parse_day(&name, &value)?),
            "registered_to" => params.to_day = Some(parse_day(&name, &value)?),
            "lang" => {
                params.lang = Lang::parse(&value)
                    .ok_or_else(|| ApiError::InvalidParameter("lang must be en or nl".into()))?;
            }
            _ => {
                match dim_def(&name).filter(|d| d.filter && kinds.iter().any(|k| d.applies_to(*k)))
                {
                    Some(def) => {
                        let values = def.vocabulary.parse(&value).map_err(|bad| {
                            ApiError::InvalidParameter(format!(
                                "{bad:?} is not a value of {}",
                                def.name
                            ))
                        })?;
                        match params.filters.iter_mut().find(|f| f.dim.name == def.name) {
                            Some(existing) => existing.values.extend(values),
                            None => params.filters.push(Filter { dim: def, values }),
                        }
                    }
                    None => params.rest.push((name, value)),
                }
            }
        }
    }
    if let (Some(from), Some(to)) = (params.from_day, params.to_day) {
        if to < from {
            return Err(ApiError::InvalidParameter(
                "registered_to is before registered_from".into(),
            ));
        }
    }
    Ok(params)
}

/// The 400 for a parameter nobody understands.
pub fn unknown(name: &str) -> ApiError {
    ApiError::InvalidParameter(format!("unknown query parameter {name:?}"))
}
