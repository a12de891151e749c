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
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The address space a decoding child may map. calamine holds an xls as
/// bytes plus a dense grid of its used range (bounded by `xls_guard`), far
/// below this; the damaged files that asked for more asked for terabytes.
const CHILD_MEMORY_BYTES: u64 = 1 << 30;

/// How long a decoding child may run before it is killed as hung. A
/// county's workbook decodes in milliseconds.
const CHILD_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The hidden subcommand a decoder program answers to.
const DECODE_COMMAND: &str = "__decode";

/// The words every message about a failed decoder carries (a panic, a
/// crashed or killed child), so a clerk reads the same cause whichever
/// way it failed and tools such as the fuzz harness can tell these cases.
pub const DECODER_FAILED: &str = "读取程序出错";

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
        Some(program) if fragile(format) => decode_in_child(program, path, bytes, format, max_rows),
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
            .unwrap_or_else(|| "未知原因".into());
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
    bytes: Vec<u8>,
    format: Format,
    max_rows: usize,
) -> Result<Vec<Sheet>, IngestError> {
    let failed = |what: String| corrupt(path, format, format!("{DECODER_FAILED}：{what}"));
    let mut child = Command::new(program)
        .arg(DECODE_COMMAND)
        .arg("--max-rows")
        .arg(max_rows.to_string())
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("无法启动（{e}）")))?;
    // The child decodes the very bytes the guards passed, sent on its
    // standard input: the file is read once, and a file replaced meanwhile
    // cannot slip past them. Writing and reading happen on their own
    // threads so that neither full pipe blocks the child while we wait.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // A child that dies early closes the pipe; its status says why.
        let _ = stdin.write_all(&bytes);
    });
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
            Err(e) => return Err(failed(format!("无法等待其结束（{e}）"))),
        }
    };
    let _ = writer.join();
    let answer = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let Some(status) = status else {
        return Err(failed(format!(
            "超过 {} 秒仍未读完，已停止",
            CHILD_TIME_LIMIT.as_secs()
        )));
    };
    match serde_json::from_slice::<ChildAnswer>(&answer) {
        Ok(ChildAnswer::Sheets(sheets)) => Ok(sheets),
        Ok(ChildAnswer::Encrypted) => Err(IngestError::Encrypted {
            path: path.to_path_buf(),
        }),
        Ok(ChildAnswer::Corrupt(message)) => Err(corrupt(path, format, message)),
        Err(_) if status.success() => Err(failed("结果无法识别".into())),
        Err(_) => Err(failed(describe_exit(status))),
    }
}

/// Why a decoding child ended without an answer, for the clerk.
fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => "文件结构异常，读取所需的内存超出上限".into(),
        Some(signal) => format!("读取中途异常终止（信号 {signal}）"),
        None => format!("读取中途异常退出（退出码 {}）", status.code().unwrap_or(-1)),
    }
}

/// The body of `fucha __decode`: limits this process, decodes the bytes on
/// standard input (the file at `path`, named in messages) and writes the
/// answer as JSON on standard output. Returns the exit code.
pub fn decode_child_main(path: &Path, max_rows: usize) -> u8 {
    limit_this_process();
    let mut bytes = Vec::new();
    let limit = super::MAX_FILE_BYTES + 1;
    if std::io::stdin()
        .take(limit)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return 2;
    }
    let decoded = catching_panics(path, move || {
        let format = super::guard::detect_format(path, &bytes)?;
        super::sheets::read_sheets(path, bytes, format, max_rows)
    });
    let answer = match decoded {
        Ok(sheets) => ChildAnswer::Sheets(sheets),
        Err(IngestError::Encrypted { .. }) => ChildAnswer::Encrypted,
        Err(IngestError::Corrupt { message, .. }) => ChildAnswer::Corrupt(message),
        Err(IngestError::Crashed { message, .. }) => {
            ChildAnswer::Corrupt(format!("{DECODER_FAILED}（技术信息：{message}）"))
        }
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
