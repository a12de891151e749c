//! Fuzzes `fucha check` with damaged copies of the project's own intake
//! files, deterministically from a seed, and reports crashes, hangs and
//! peak memory. Failing inputs are kept for regression fixtures.
//!
//! ```sh
//! cargo build --release && cargo run --release --example fuzz -- --cases 2000 --seed 1
//! ```
//!
//! Options: `--cases N` (default 1000), `--seed S` (default 1), `--jobs J`
//! (default: the cores), `--timeout SECS` (default 10: a case running longer
//! is a hang), `--keep DIR` (default `target/fuzz-failures`), `--fucha PATH`
//! (default: the `fucha` binary beside this example's folder).
//!
//! The corpus is every committed intake file: the 13 default xlsx workbooks,
//! the xls and ods fixtures, and the GBK csv fixture with a UTF-8 copy made
//! from it. Case `i` draws its format, its file and its mutation from a
//! generator seeded by (seed, i), so a case reproduces alone and the result
//! does not depend on `--jobs`. Mutations: byte flips, overwrites of 16- and
//! 32-bit words with boundary values (what reaches length and sector fields
//! in compound files), truncation, splices from another file, and damage to
//! the XML parts inside xlsx and ods packages, re-zipped so that it reaches
//! the parser behind the zip layer.
//!
//! Exit code: 0 when every case ended with exit 0 or 1 and a JSON report
//! naming the file; 1 otherwise.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Xlsx,
    Xls,
    Ods,
    CsvUtf8,
    CsvGbk,
}

impl Kind {
    fn ext(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Xls => "xls",
            Kind::Ods => "ods",
            Kind::CsvUtf8 | Kind::CsvGbk => "csv",
        }
    }

    fn zipped(self) -> bool {
        matches!(self, Kind::Xlsx | Kind::Ods)
    }
}

struct Options {
    cases: usize,
    seed: u64,
    jobs: usize,
    timeout: Duration,
    keep: PathBuf,
    fucha: PathBuf,
}

fn options() -> Options {
    let root = repo();
    let exe = std::env::current_exe().expect("own path");
    let mut o = Options {
        cases: 1000,
        seed: 1,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        timeout: Duration::from_secs(10),
        keep: root.join("target").join("fuzz-failures"),
        // target/release/examples/fuzz → target/release/fucha
        fucha: exe
            .parent()
            .and_then(Path::parent)
            .expect("target folder")
            .join("fucha"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--cases" => o.cases = value.parse().expect("--cases N"),
            "--seed" => o.seed = value.parse().expect("--seed S"),
            "--jobs" => o.jobs = value.parse().expect("--jobs J"),
            "--timeout" => o.timeout = Duration::from_secs(value.parse().expect("--timeout SECS")),
            "--keep" => o.keep = PathBuf::from(value),
            "--fucha" => o.fucha = PathBuf::from(value),
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    o
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed intake files, by kind.
fn corpus() -> Vec<(Kind, Vec<Vec<u8>>)> {
    let root = repo();
    let mut xlsx: Vec<PathBuf> = std::fs::read_dir(root.join("input/报送"))
        .expect("input/报送")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    xlsx.sort();
    let read = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
    let fixtures = root.join("tests/fixtures/check");
    let gbk = read(&fixtures.join("华容县.csv"));
    let (utf8, _, _) = encoding_rs::GBK.decode(&gbk);
    vec![
        (Kind::Xlsx, xlsx.iter().map(|p| read(p)).collect()),
        (Kind::Xls, vec![read(&fixtures.join("岳阳县.xls"))]),
        (Kind::Ods, vec![read(&fixtures.join("岳阳县.ods"))]),
        (Kind::CsvUtf8, vec![utf8.into_owned().into_bytes()]),
        (Kind::CsvGbk, vec![gbk]),
    ]
}

/// Boundary values that reach length, count and sector fields.
const WORDS: [u32; 10] = [
    0,
    1,
    0x7F,
    0xFF,
    0xFFFF,
    0x7FFF_FFFF,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    0x1000,
    0x0010_0000,
];

/// Damages bytes in place: one of flips, word overwrites, truncation,
/// a cut range, a duplicated range, or a splice from `other`.
fn damage(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    if bytes.is_empty() {
        bytes.push(rng.u8(..));
        return;
    }
    let len = bytes.len();
    match rng.u8(..7) {
        0 => {
            for _ in 0..rng.usize(1..=16) {
                let at = rng.usize(..len);
                bytes[at] ^= 1 << rng.u8(..8);
            }
        }
        1 => {
            for _ in 0..rng.usize(1..=8) {
                let at = rng.usize(..len);
                bytes[at] = rng.u8(..);
            }
        }
        2 => {
            for _ in 0..rng.usize(1..=4) {
                let word = WORDS[rng.usize(..WORDS.len())];
                let at = rng.usize(..len.saturating_sub(4).max(1));
                let width = if rng.bool() { 4 } else { 2 };
                for (k, byte) in word.to_le_bytes().into_iter().take(width).enumerate() {
                    if let Some(b) = bytes.get_mut(at + k) {
                        *b = byte;
                    }
                }
            }
        }
        3 => bytes.truncate(rng.usize(..len)),
        4 => {
            let from = rng.usize(..len);
            let to = (from + rng.usize(1..=len.min(4096))).min(len);
            bytes.drain(from..to);
        }
        5 => {
            let from = rng.usize(..len);
            let to = (from + rng.usize(1..=len.min(4096))).min(len);
            let copy = bytes[from..to].to_vec();
            let at = rng.usize(..=bytes.len());
            bytes.splice(at..at, copy);
        }
        _ => {
            if other.is_empty() {
                return;
            }
            let from = rng.usize(..other.len());
            let to = (from + rng.usize(1..=other.len().min(4096))).min(other.len());
            let at = rng.usize(..len);
            let end = (at + (to - from)).min(len);
            bytes.splice(at..end, other[from..to].iter().copied());
        }
    }
}

/// Damages one part of a zip package (an XML part when there is one) and
/// zips it again, so that the damage passes the zip layer.
fn damage_inside_zip(rng: &mut fastrand::Rng, bytes: &[u8], other: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        let name = f.name().ok()?.to_string();
        parts.push((name, data));
    }
    let xml: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml"))
        .collect();
    let target = if xml.is_empty() || rng.u8(..8) == 0 {
        rng.usize(..parts.len())
    } else {
        xml[rng.usize(..xml.len())]
    };
    damage(rng, &mut parts[target].1, other);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in &parts {
        out.start_file(name.as_str(), options).ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Case `i`'s file: its kind and bytes.
fn case(seed: u64, i: usize, corpus: &[(Kind, Vec<Vec<u8>>)]) -> (Kind, Vec<u8>) {
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i as u64);
    let (kind, files) = &corpus[rng.usize(..corpus.len())];
    let mut bytes = files[rng.usize(..files.len())].clone();
    let (_, donors) = &corpus[rng.usize(..corpus.len())];
    let other = &donors[rng.usize(..donors.len())];
    let rounds = rng.usize(1..=3);
    if kind.zipped() && rng.bool() {
        for _ in 0..rounds {
            if let Some(b) = damage_inside_zip(&mut rng, &bytes, other) {
                bytes = b;
            }
        }
    } else {
        for _ in 0..rounds {
            damage(&mut rng, &mut bytes, other);
        }
    }
    (*kind, bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Ok,
    /// Reported as unreadable because the decoder panicked or its child
    /// process died: handled, but worth a regression fixture.
    Caught,
    Crash,
    Hang,
    Failed,
}

struct Outcome {
    verdict: Verdict,
    peak_kb: i64,
    elapsed: Duration,
    detail: String,
}

/// Runs `fucha check` on one file, waiting at most `timeout`; peak memory
/// from the child's resource usage.
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4 below, which also gives its peak memory"
)]
fn run_check(o: &Options, config: &Path, file: &Path) -> Outcome {
    let started = Instant::now();
    let mut child = std::process::Command::new(&o.fucha)
        .args(["check", "--format", "json", "--config"])
        .arg(config)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("fucha runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut hung = false;
    loop {
        // SAFETY: waits for our own child; status and usage are ours to fill.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() > o.timeout && !hung {
            hung = true;
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    let (verdict, detail) = judge(o, status, hung, &stdout, &stderr, file);
    Outcome {
        verdict,
        peak_kb: usage.ru_maxrss,
        elapsed: started.elapsed(),
        detail,
    }
}

/// What a finished `fucha check` run says about its case.
fn judge(
    o: &Options,
    status: i32,
    hung: bool,
    stdout: &[u8],
    stderr: &str,
    file: &Path,
) -> (Verdict, String) {
    let tail: String = stderr
        .lines()
        .last()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    if hung {
        return (Verdict::Hang, format!("over {:?}", o.timeout));
    }
    if libc::WIFSIGNALED(status) {
        let signal = libc::WTERMSIG(status);
        return (Verdict::Crash, format!("signal {signal}: {tail}"));
    }
    let code = libc::WEXITSTATUS(status);
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let json: Option<serde_json::Value> = serde_json::from_slice(stdout).ok();
    let names_file = json.as_ref().is_some_and(|j| j.to_string().contains(&name));
    // Every message about a panicked or dead decoder carries these words.
    let caught = String::from_utf8_lossy(stdout).contains(fucha::ingest::isolate::DECODER_FAILED);
    match (code == 0 || code == 1) && names_file {
        true if caught => (Verdict::Caught, String::new()),
        true => (Verdict::Ok, String::new()),
        false => (Verdict::Failed, format!("exit {code}: {tail}")),
    }
}

#[derive(Default)]
struct Tally {
    by_kind: std::collections::BTreeMap<String, [usize; 5]>,
    peak_kb: i64,
    peak_case: usize,
    slowest: Duration,
    slowest_case: usize,
    failures: Vec<String>,
    caught_kept: usize,
}

impl Tally {
    /// Counts one finished case and keeps its file if it needs looking at;
    /// returns the number of cases done.
    fn record(
        &mut self,
        o: &Options,
        i: usize,
        kind: Kind,
        outcome: &Outcome,
        bytes: &[u8],
    ) -> usize {
        let slot = match outcome.verdict {
            Verdict::Ok => 0,
            Verdict::Crash => 1,
            Verdict::Hang => 2,
            Verdict::Failed => 3,
            Verdict::Caught => 4,
        };
        self.by_kind.entry(format!("{kind:?}")).or_default()[slot] += 1;
        if outcome.peak_kb > self.peak_kb {
            self.peak_kb = outcome.peak_kb;
            self.peak_case = i;
        }
        if outcome.elapsed > self.slowest {
            self.slowest = outcome.elapsed;
            self.slowest_case = i;
        }
        let keep = match outcome.verdict {
            Verdict::Ok => false,
            // Handled; a few are kept as regression fixtures.
            Verdict::Caught => {
                self.caught_kept += 1;
                self.caught_kept <= 20
            }
            _ => true,
        };
        if keep {
            let kept = o.keep.join(format!(
                "{:?}-seed{}-case{i}.{}",
                outcome.verdict,
                o.seed,
                kind.ext()
            ));
            std::fs::write(&kept, bytes).unwrap();
            if outcome.verdict != Verdict::Caught {
                self.failures.push(format!("{kept:?}: {}", outcome.detail));
            }
        }
        self.by_kind.values().map(|v| v.iter().sum::<usize>()).sum()
    }

    /// Prints the table and the verdict line; false when anything crashed,
    /// hung or failed to run.
    fn report(&self, o: &Options, elapsed: Duration) -> bool {
        let sum = |slot: usize| self.by_kind.values().map(|v| v[slot]).sum::<usize>();
        println!(
            "fuzz: seed {}, {} cases in {:.0} s",
            o.seed,
            o.cases,
            elapsed.as_secs_f64()
        );
        println!(
            "| format | cases | read or refused | decoder failure caught | crashes | hangs | failed runs |"
        );
        println!("|---|---|---|---|---|---|---|");
        for (kind, v) in &self.by_kind {
            println!(
                "| {kind} | {} | {} | {} | {} | {} | {} |",
                v.iter().sum::<usize>(),
                v[0],
                v[4],
                v[1],
                v[2],
                v[3]
            );
        }
        println!(
            "peak memory {:.1} MB (case {}), slowest case {:.2} s (case {})",
            self.peak_kb as f64 / 1024.0,
            self.peak_case,
            self.slowest.as_secs_f64(),
            self.slowest_case
        );
        if sum(4) > 0 {
            println!(
                "{} decoder failures caught as unreadable-file (the first {} kept in {:?})",
                sum(4),
                sum(4).min(20),
                o.keep
            );
        }
        for f in &self.failures {
            println!("kept {f}");
        }
        println!(
            "fuzz: {} cases, {} crashes, {} hangs, {} failed runs",
            o.cases,
            sum(1),
            sum(2),
            sum(3)
        );
        sum(1) + sum(2) + sum(3) == 0
    }
}

fn main() {
    let o = Arc::new(options());
    assert!(
        o.fucha.is_file(),
        "{:?} missing: run `cargo build --release` first",
        o.fucha
    );
    let corpus = Arc::new(corpus());
    let config = repo().join("input/fucha.toml");
    let work = tempfile::tempdir().expect("a temp folder");
    std::fs::create_dir_all(&o.keep).expect("the keep folder");
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let workers: Vec<_> = (0..o.jobs)
        .map(|w| {
            let (o, corpus, next, tally) = (o.clone(), corpus.clone(), next.clone(), tally.clone());
            let (config, dir) = (config.clone(), work.path().join(format!("w{w}")));
            std::thread::spawn(move || {
                std::fs::create_dir_all(&dir).unwrap();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= o.cases {
                        break;
                    }
                    let (kind, bytes) = case(o.seed, i, &corpus);
                    let file = dir.join(format!("case{i}.{}", kind.ext()));
                    std::fs::write(&file, &bytes).unwrap();
                    let outcome = run_check(&o, &config, &file);
                    let mut t = tally.lock().unwrap();
                    let done = t.record(&o, i, kind, &outcome, &bytes);
                    if done.is_multiple_of(10_000) {
                        eprintln!("{done} cases, {:.0} s", started.elapsed().as_secs_f64());
                    }
                    drop(t);
                    let _ = std::fs::remove_file(&file);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a worker");
    }
    let t = tally.lock().unwrap();
    if !t.report(&o, started.elapsed()) {
        std::process::exit(1);
    }
}
