//! `ai-registry health`: asks a running service whether it is ready, for a
//! container's health check (the runtime image has no HTTP client).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use crate::config::DEFAULT_BIND;

use super::error::CliError;

#[derive(clap::Args)]
pub struct Args {
    /// The address the service listens on, as given to `serve`; an
    /// unspecified one (`0.0.0.0:8080`) is asked on the loopback.
    #[arg(long, env = "AI_REGISTRY_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    /// `/readyz` (the database answers) or `/healthz` (the process is up).
    #[arg(long, default_value = "/readyz")]
    path: String,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 5)]
    timeout: u64,
}

/// Exit status 0 when the service answers the path with a 2xx status.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let timeout = Duration::from_secs(args.timeout.max(1));
    let unhealthy = |why: String| CliError::Unhealthy {
        bind: args.bind.clone(),
        path: args.path.clone(),
        why,
    };
    let addr = args
        .bind
        .to_socket_addrs()
        .map_err(|e| unhealthy(e.to_string()))?
        .next()
        .map(on_loopback)
        .ok_or_else(|| unhealthy("the address names no host".into()))?;
    let status = ask(addr, &args.path, timeout).map_err(|e| unhealthy(e.to_string()))?;
    if status
        .split(' ')
        .nth(1)
        .is_some_and(|code| code.starts_with('2'))
    {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(unhealthy(format!("it answered {status}")))
    }
}

/// A service bound to every address is asked on the loopback.
fn on_loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, addr.port()).into(),
        _ => addr,
    }
}

/// One `GET` over HTTP/1.1; the status line of the answer.
fn ask(addr: SocketAddr, path: &str, timeout: Duration) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    Ok(answer.lines().next().unwrap_or("nothing").to_owned())
}
