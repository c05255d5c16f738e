//! What the benchmarks share.

/// A positive whole number from the environment, or `default` when unset;
/// anything else stops the benchmark rather than measure something else.
pub fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Err(_) => default,
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => panic!("{name} must be a positive whole number, not {text:?}"),
        },
    }
}
