//! Decoding a workbook where its failure cannot take the run with it.
//!
//! The legacy binary formats (xls, xlsb) go through calamine code that a
//! damaged file can make panic, or ask for terabytes and abort the process,
//! which no `catch_unwind` can stop; calamine's ODS reader can loop forever. Once a front end names a decoder
//! program ([`decode_in_child_processes`], the `fucha` binary itself), such
//! files are decoded in a child process under an address-space and a time
//! limit: whatever the decoder does, the parent gets sheets or an error for
//! that one file. Every other format, and every format when no program is
//! named (the library in tests), is decoded in-process behind
//! `catch_unwind`, so a panic is still that file's error.

use super::{Format, IngestError, Sheet};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The address space a decoding child may map. calamine holds an xls as
/// bytes plus a dense grid of its used range (bounded by `xls_guard`), far
/// below this; the damaged files that asked for more asked for terabytes.
pub const CHILD_MEMORY_BYTES: u64 = 1 << 30;

/// How long a decoding child may run before it is killed as hung. A
/// county's workbook decodes in milliseconds.
pub const CHILD_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The hidden subcommand a decoder program answers to.
pub const DECODE_COMMAND: &str = "__decode";

static DECODER: OnceLock<PathBuf> = OnceLock::new();

/// Decode the fragile formats (xls, xlsb, ods) in child processes of `program`, which must
/// answer `program __decode --max-rows N FILE` with [`decode_child_main`].
/// Called once by a front end; later calls are ignored.
pub fn decode_in_child_processes(program: PathBuf) {
    let _ = DECODER.set(program);
}

/// Whether a format is decoded in a child process when one is set up: the
/// binary formats, and ODS, whose reader loops forever on some damaged
/// `content.xml` (the guard refuses the case found; the child stops others).
/// xlsx stays in-process: it is most of every batch, and 100,000 fuzzed
/// copies never took calamine's xlsx reader past a panic.
fn fragile(format: Format) -> bool {
    matches!(format, Format::Xls | Format::Xlsb | Format::Ods)
}

/// What a child writes on its standard output.
#[derive(Serialize, Deserialize)]
enum ChildAnswer {
    Sheets(Vec<Sheet>),
    Encrypted,
    Corrupt(String),
}

/// Decodes the sheets of a file whose bytes passed the guards: in a child
/// process for the fragile formats when a decoder program is set up, else
/// here (inside [`catching_panics`]).
pub(super) fn decode(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    max_rows: usize,
) -> Result<Vec<Sheet>, IngestError> {
    match DECODER.get() {
        Some(program) if fragile(format) => decode_in_child(program, path, format, max_rows),
        _ => super::sheets::read_sheets(path, bytes, format, max_rows),
    }
}

thread_local! {
    static DECODING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread decodes a workbook: a panic hook can stay quiet
/// then, since the panic becomes the file's error message.
pub fn is_decoding() -> bool {
    DECODING.with(|d| d.get())
}

/// Runs `read` (all of reading one file) so that a panic anywhere in it
/// becomes that file's error instead of ending the run.
pub(super) fn catching_panics<T>(
    path: &Path,
    read: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    let was = DECODING.with(|d| d.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    DECODING.with(|d| d.set(was));
    result.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "未知错误".into());
        Err(IngestError::Crashed {
            path: path.to_path_buf(),
            message: what,
        })
    })
}

fn corrupt(path: &Path, format: Format, message: String) -> IngestError {
    IngestError::Corrupt {
        path: path.to_path_buf(),
        format,
        message,
    }
}

/// Runs the decoder program on the file and waits at most
/// [`CHILD_TIME_LIMIT`].
fn decode_in_child(
    program: &Path,
    path: &Path,
    format: Format,
    max_rows: usize,
) -> Result<Vec<Sheet>, IngestError> {
    let failed = |what: String| corrupt(path, format, what);
    let mut child = Command::new(program)
        .arg(DECODE_COMMAND)
        .arg("--max-rows")
        .arg(max_rows.to_string())
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("无法启动读取进程：{e}")))?;
    // Read the answer on another thread so that a full pipe never blocks
    // the child while we wait for it.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut answer = Vec::new();
        stdout.read_to_end(&mut answer).map(|_| answer)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > CHILD_TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(failed(format!("读取进程异常：{e}"))),
        }
    };
    let answer = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let Some(status) = status else {
        return Err(failed(format!(
            "读取超过 {} 秒仍未完成，已停止",
            CHILD_TIME_LIMIT.as_secs()
        )));
    };
    match serde_json::from_slice::<ChildAnswer>(&answer) {
        Ok(ChildAnswer::Sheets(sheets)) => Ok(sheets),
        Ok(ChildAnswer::Encrypted) => Err(IngestError::Encrypted {
            path: path.to_path_buf(),
        }),
        Ok(ChildAnswer::Corrupt(message)) => Err(failed(message)),
        Err(_) if status.success() => Err(failed("读取进程的结果无法识别".into())),
        Err(_) => Err(failed(describe_exit(status))),
    }
}

/// Why a decoding child ended without an answer, for the clerk.
fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => "读取时需要的内存超出上限，文件结构异常".into(),
        Some(signal) => format!("读取进程异常终止（信号 {signal}）"),
        None => format!("读取进程异常退出（退出码 {}）", status.code().unwrap_or(-1)),
    }
}

/// The body of `fucha __decode`: limits this process, decodes one file and
/// writes the answer as JSON on standard output. Returns the exit code.
pub fn decode_child_main(path: &Path, max_rows: usize) -> u8 {
    limit_this_process();
    let answer = match super::guard::read_bounded(path)
        .and_then(|bytes| super::guard::detect_format(path, &bytes).map(|f| (bytes, f)))
        .and_then(|(bytes, format)| super::sheets::read_sheets(path, bytes, format, max_rows))
    {
        Ok(sheets) => ChildAnswer::Sheets(sheets),
        Err(IngestError::Encrypted { .. }) => ChildAnswer::Encrypted,
        Err(IngestError::Corrupt { message, .. }) => ChildAnswer::Corrupt(message),
        Err(other) => ChildAnswer::Corrupt(other.to_string()),
    };
    let stdout = std::io::stdout();
    match serde_json::to_writer(stdout.lock(), &answer) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}

/// Caps this process's address space and CPU time, so that a decoder that
/// runs away fails here instead of taking the machine's memory.
fn limit_this_process() {
    let cap = |resource, value: u64| {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: setrlimit reads the struct we pass and changes only this
        // process's limits; failure leaves them as they were.
        unsafe { libc::setrlimit(resource, &limit) };
    };
    cap(libc::RLIMIT_AS, CHILD_MEMORY_BYTES);
    cap(libc::RLIMIT_CPU, CHILD_TIME_LIMIT.as_secs() + 1);
}
