//! Load benchmark of the workbench's uploads (issue #15): every county
//! account of the L campaign (200 reporting bodies) uploads its own
//! workbook at once to a `fucha serve` on loopback, and the register is
//! read afterwards to see that no upload was lost.
//!
//! Run with `cargo bench --bench load` (not part of `cargo test`; see
//! bench/README.md for the figures). Environment:
//!
//! - `LOAD_SEED=1`: the generator's seed.
//! - `LOAD_CONCURRENCY=200`: requests in flight at most (client threads);
//!   each thread sends its share of the uploads one after another.
//! - `LOAD_TIMEOUT_SECS=30`: the limit of one request, connect to last
//!   byte; a request over it counts as an error. No request is retried.
//! - `LOAD_DIR=`: where to write the campaign and its register (default a
//!   fresh temporary folder, removed afterwards); it must not exist yet.
//!
//! Steps: synthesize L (`fucha::synth`, as `examples/synth.rs`), create
//! one county account per body (`pipeline::add_account`), serve
//! `serve::router` on 127.0.0.1:0 in a thread, log every account in as a
//! browser does (GET /login for the login cookie and token, POST /login,
//! GET /upload for the session's CSRF token), then release every upload
//! at once behind a barrier. An upload's latency runs from opening its
//! connection to reading the last byte of the answer; the logins (argon2)
//! are not in it. Exit status 1 when any upload failed or is not in the
//! register with exactly the bytes sent.
//!
//! The client is a few lines of HTTP/1.1 over `std::net::TcpStream`, one
//! thread per connection, `Connection: close`: the requests are 200 known
//! forms to our own server, and hyper's client would need its `client`
//! feature (or hyper-util), which changes the features hyper and axum are
//! built with for every test build in the tree.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fucha::pipeline::{self, Context};
use fucha::register::{Register, Role, content_hash};
use fucha::synth::{Size, write_campaign};

/// Every account's password (the rules want 10 characters of 3 kinds).
const PASSWORD: &str = "Load-test-2020!";
/// The target of issue #15.
const TARGET_P99: Duration = Duration::from_secs(2);
/// Threads logging the accounts in before the uploads (argon2, 19 MiB each).
const LOGIN_THREADS: usize = 4;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One county body: its account, workbook and, once logged in, session.
struct County {
    body: String,
    account: String,
    file_name: String,
    bytes: Vec<u8>,
    hash: String,
    cookie: String,
    csrf: String,
}

/// How one upload ended.
struct Outcome {
    started: Instant,
    latency: Duration,
    error: Option<String>,
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("load: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    // `cargo bench` passes `--bench` and any filter: nothing to filter here.
    let seed = env_number("LOAD_SEED", 1);
    let timeout = Duration::from_secs(env_number("LOAD_TIMEOUT_SECS", 30));
    let temp;
    let dir = match std::env::var_os("LOAD_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            temp = tempfile::tempdir().map_err(|e| e.to_string())?;
            temp.path().join("L")
        }
    };

    let started = Instant::now();
    let summary = write_campaign(&Size::L.spec(seed), &dir).map_err(|e| e.to_string())?;
    let ctx = Context::load(&summary.config, None).map_err(|e| e.to_string())?;
    let counties = counties(&ctx, &dir)?;
    let concurrency = (env_number("LOAD_CONCURRENCY", 200) as usize).clamp(1, counties.len());
    eprintln!(
        "synthesized L (seed {seed}): {} units, {} workbooks in {:.1} s",
        summary.units,
        counties.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    add_accounts(&ctx, &counties)?;
    eprintln!(
        "{} county accounts in {:.1} s",
        counties.len(),
        started.elapsed().as_secs_f64()
    );

    let server_ctx = Context::load(&summary.config, None).map_err(|e| e.to_string())?;
    let addr = start_server(server_ctx)?;

    let started = Instant::now();
    let counties = log_in(addr, counties, timeout)?;
    eprintln!(
        "{} logins in {:.1} s (argon2; not in the upload latencies)",
        counties.len(),
        started.elapsed().as_secs_f64()
    );

    let (outcomes, wall, cpu) = upload_all(addr, &counties, concurrency, timeout);
    let errors = report(&outcomes, wall, cpu, concurrency);
    let lost = verify(&ctx, &counties)?;
    Ok(errors == 0 && lost == 0)
}

/// Serves the workbench's routes on 127.0.0.1 (a free port) in a thread
/// of its own, as `serve::serve` does: a tokio runtime with two workers,
/// `axum::serve` over `serve::router`. (The router is the stable entry
/// point; `serve::serve` also takes the CLI's settings.)
fn start_server(ctx: Context) -> Result<SocketAddr, String> {
    let app = fucha::serve::router(ctx).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        if let Err(e) = runtime.block_on(async move { axum::serve(listener, app).await }) {
            eprintln!("load: the server stopped: {e}");
            std::process::exit(2);
        }
    });
    Ok(addr)
}

/// The county bodies and their workbooks, by name. The synthesized intake
/// folder is moved aside to `sent/` (the counties' own machines), so that
/// the season starts with nothing received, as the uploads find it.
fn counties(ctx: &Context, dir: &Path) -> Result<Vec<County>, String> {
    let sent = dir.join("sent");
    std::fs::rename(dir.join(&ctx.campaign.intake), &sent).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for body in ctx.roster.jurisdictions() {
        let file_name = format!("{body}.xlsx");
        let bytes = std::fs::read(sent.join(&file_name))
            .map_err(|e| format!("{}: {e}", sent.join(&file_name).display()))?;
        out.push(County {
            body: body.to_string(),
            account: format!("{body}文明办"),
            hash: content_hash(&bytes),
            file_name,
            bytes,
            cookie: String::new(),
            csrf: String::new(),
        });
    }
    Ok(out)
}

/// One county account per body, on every core (each is an argon2 hash).
fn add_accounts(ctx: &Context, counties: &[County]) -> Result<(), String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    while let Some(c) = counties.get(next.fetch_add(1, Ordering::Relaxed)) {
                        pipeline::add_account(
                            ctx,
                            &c.account,
                            &Role::County(c.body.clone()),
                            PASSWORD,
                        )
                        .map_err(|e| format!("account {}: {e}", c.account))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("account thread"))
    })
}

/// Logs every account in as a browser does; fills in its session cookie
/// and CSRF token.
fn log_in(
    addr: SocketAddr,
    mut counties: Vec<County>,
    timeout: Duration,
) -> Result<Vec<County>, String> {
    let next = AtomicUsize::new(0);
    let sessions: Vec<Result<(usize, String, String), String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..LOGIN_THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(c) = counties.get(i) else { break };
                        out.push(log_in_one(addr, c, timeout).map(|(k, v)| (i, k, v)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("login thread"))
            .collect()
    });
    for session in sessions {
        let (i, cookie, csrf) = session?;
        counties[i].cookie = cookie;
        counties[i].csrf = csrf;
    }
    Ok(counties)
}

/// GET /login, POST /login, GET /upload: the session cookie and the
/// session's CSRF token.
fn log_in_one(
    addr: SocketAddr,
    county: &County,
    timeout: Duration,
) -> Result<(String, String), String> {
    let who = &county.account;
    let form = request(addr, "GET", "/login", &[], &[], timeout)?;
    let login_token = form
        .cookie("fucha_login")
        .ok_or(format!("{who}: no login cookie"))?;
    let csrf = hidden_csrf(&form.body).ok_or(format!("{who}: no token in the login form"))?;
    let fields = format!(
        "name={}&password={}&csrf={}",
        percent(who),
        percent(PASSWORD),
        percent(&csrf)
    );
    let cookie = format!("fucha_login={login_token}");
    let reply = request(
        addr,
        "POST",
        "/login",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        fields.as_bytes(),
        timeout,
    )?;
    let session = reply
        .cookie("fucha_session")
        .ok_or(format!("{who}: login refused ({})", reply.status))?;
    let cookie = format!("fucha_session={session}");
    let page = request(addr, "GET", "/upload", &[("Cookie", &cookie)], &[], timeout)?;
    let csrf = hidden_csrf(&page.body).ok_or(format!("{who}: no token in the upload form"))?;
    Ok((cookie, csrf))
}

/// Posts every upload at once (after a barrier), at most `concurrency` in
/// flight; returns each upload's outcome, the wall time from the first
/// request's start to the last one's end, and the CPU time the process
/// (server and client) used meanwhile.
fn upload_all(
    addr: SocketAddr,
    counties: &[County],
    concurrency: usize,
    timeout: Duration,
) -> (Vec<Outcome>, Duration, Duration) {
    let barrier = Barrier::new(concurrency + 1);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let mut out = Vec::new();
                    while let Some(c) = counties.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.push(upload_one(addr, c, timeout));
                    }
                    out
                })
            })
            .collect();
        let cpu = process_cpu();
        barrier.wait();
        let outcomes: Vec<Outcome> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("upload thread"))
            .collect();
        let cpu = process_cpu().saturating_sub(cpu);
        let first = outcomes.iter().map(|o| o.started).min();
        let last = outcomes.iter().map(|o| o.started + o.latency).max();
        let wall = first.zip(last).map_or(Duration::ZERO, |(a, b)| b - a);
        (outcomes, wall, cpu)
    })
}

/// User and system CPU time of this process so far.
fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn upload_one(addr: SocketAddr, county: &County, timeout: Duration) -> Outcome {
    let boundary = "----fuchaLoadBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{}\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
        county.csrf, county.file_name
    )
    .into_bytes();
    body.extend_from_slice(&county.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let started = Instant::now();
    let reply = request(
        addr,
        "POST",
        "/upload",
        &[("Cookie", &county.cookie), ("Content-Type", &content_type)],
        &body,
        timeout,
    );
    let latency = started.elapsed();
    let error = match reply {
        Err(e) => Some(e),
        Ok(r) if r.status != 200 => Some(format!("HTTP {}", r.status)),
        Ok(r) if !r.body.contains("已登记为新版本") => {
            Some("200 without \"已登记为新版本\"".to_string())
        }
        Ok(_) => None,
    };
    Outcome {
        started,
        latency,
        error: error.map(|e| format!("{}: {e}", county.account)),
    }
}

/// An answer: status, `Set-Cookie` values and the body as text.
struct Reply {
    status: u16,
    set_cookies: Vec<String>,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            let value = c.strip_prefix(name)?.strip_prefix('=')?;
            let value = value.split(';').next()?;
            Some(value.to_string()).filter(|v| !v.is_empty())
        })
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`, so
/// the answer ends at EOF), within `timeout` from connect to last byte.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> Result<Reply, String> {
    let deadline = Instant::now() + timeout;
    let left = || {
        deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("timed out after {} s", timeout.as_secs()))
    };
    let mut stream = TcpStream::connect_timeout(&addr, left()?).map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .set_write_timeout(Some(left()?))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("sending: {e}"))?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        stream
            .set_read_timeout(Some(left()?))
            .map_err(|e| e.to_string())?;
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Err(e) => return Err(format!("reading: {e}")),
        }
    }
    parse(&answer)
}

fn parse(answer: &[u8]) -> Result<Reply, String> {
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("an answer without headers")?;
    let head = std::str::from_utf8(&answer[..end]).map_err(|_| "headers not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let set_cookies = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, value)| value.trim().to_string())
        .collect();
    Ok(Reply {
        status,
        set_cookies,
        body: String::from_utf8_lossy(&answer[end + 4..]).into_owned(),
    })
}

/// The hidden `csrf` field's value in a page.
fn hidden_csrf(html: &str) -> Option<String> {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker)? + marker.len();
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_string())
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Prints the latencies and errors; returns the number of errors.
fn report(outcomes: &[Outcome], wall: Duration, cpu: Duration, concurrency: usize) -> usize {
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort();
    // Nearest rank: the smallest latency at or above p% of the uploads.
    let pct = |p: usize| latencies[(latencies.len() * p).div_ceil(100).max(1) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let errors: Vec<&str> = outcomes.iter().filter_map(|o| o.error.as_deref()).collect();
    for e in errors.iter().take(10) {
        println!("ERROR {e}");
    }
    if errors.len() > 10 {
        println!("… and {} more errors", errors.len() - 10);
    }
    let p99 = pct(99);
    println!(
        "uploads {} (at most {concurrency} in flight)  errors {}  \
         p50 {:.0} ms  p90 {:.0} ms  p99 {:.0} ms  max {:.0} ms  wall {:.2} s  \
         ({:.1} uploads/s, CPU {:.2} s = {:.1} ms an upload)",
        outcomes.len(),
        errors.len(),
        ms(pct(50)),
        ms(pct(90)),
        ms(p99),
        ms(latencies[latencies.len() - 1]),
        wall.as_secs_f64(),
        outcomes.len() as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64(),
        ms(cpu) / outcomes.len() as f64,
    );
    println!(
        "target p99 < {} s: {}",
        TARGET_P99.as_secs(),
        if p99 < TARGET_P99 { "met" } else { "MISSED" }
    );
    errors.len()
}

/// Whether every body has exactly one submission in the register, with
/// the bytes it sent; prints MISSING (or WRONG) for each that has not and
/// returns how many.
fn verify(ctx: &Context, counties: &[County]) -> Result<usize, String> {
    let register = Register::open(&ctx.campaign.register).map_err(|e| e.to_string())?;
    let submissions = register
        .submissions(ctx.campaign.campaign.year)
        .map_err(|e| e.to_string())?;
    let mut lost = 0;
    for c in counties {
        let of_body: Vec<_> = submissions
            .iter()
            .filter(|s| s.body.as_deref() == Some(c.body.as_str()))
            .collect();
        match of_body.as_slice() {
            [one] if one.hash == c.hash => {}
            [] => {
                lost += 1;
                println!("MISSING {}: no submission in the register", c.body);
            }
            other => {
                lost += 1;
                println!(
                    "WRONG {}: {} submissions, hashes {:?}, sent {}",
                    c.body,
                    other.len(),
                    other.iter().map(|s| &s.hash[..12]).collect::<Vec<_>>(),
                    &c.hash[..12]
                );
            }
        }
    }
    println!(
        "register: {} submissions; every upload in the register: {}",
        submissions.len(),
        if lost == 0 {
            "yes".to_string()
        } else {
            format!("NO, {lost} lost or wrong")
        }
    );
    Ok(lost)
}
