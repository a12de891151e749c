//! What the browser test runs beside itself: a season copied from
//! `input/`, the workbench (the built `fucha serve`), and chromedriver
//! with a headless Chromium. Every process started here is ended by
//! [`Processes`]'s `Drop`, so a failing step leaves nothing running.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the default season (`input/`) into `to`, without any register
/// a developer's own runs left there: the season starts with nothing
/// received. `input/` itself is only read.
pub fn copy_season(to: &Path) {
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .unwrap_or_else(|e| panic!("{}: {e}", from.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains(".sqlite") || name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(&path, &to.join(&name));
            } else {
                std::fs::copy(&path, to.join(&name)).unwrap();
            }
        }
    }
    walk(&repo().join("input"), to);
}

/// A fontconfig file naming only the repository's `fonts/`, so the
/// screenshots show the Chinese text in the same font on every machine,
/// whatever (if anything) the system has installed.
pub fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = repo().join("fonts");
    let cache = dir.join("fontconfig-cache");
    let conf = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <!-- Every family the style sheet or Chromium asks for (YaHei, Arial,
       sans-serif) is set in FandolHei, a plain sans-serif like a
       clerk's system font; its Latin letters serve for the rest. -->
  <match target="pattern">
    <edit name="family" mode="prepend" binding="strong"><string>FandolHei</string></edit>
  </match>
</fontconfig>
"#,
        fonts = fonts.display(),
        cache = cache.display()
    );
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// The processes this test started, each ended when dropped (also when a
/// step panics). chromedriver runs in a process group of its own, so
/// ending the group ends the Chromium it started as well.
#[derive(Default)]
pub struct Processes {
    server: Option<Child>,
    driver: Option<Child>,
}

impl Drop for Processes {
    fn drop(&mut self) {
        if let Some(driver) = &mut self.driver {
            let group = driver.id() as libc::pid_t;
            // SAFETY: kill(2) with the negated id of a process group this
            // test created (process_group(0) below); no memory is involved.
            unsafe {
                libc::kill(-group, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && matches!(driver.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(50));
            }
            // SAFETY: as above; whatever of the group is left.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
            let _ = driver.wait();
        }
        if let Some(server) = &mut self.server {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}

impl Processes {
    /// Starts `fucha serve` on the season of `config` in the folder `cwd`
    /// (its documents go to `cwd/output`, as the page then says), on a
    /// free port of the loopback; returns the address it printed.
    pub fn start_server(&mut self, config: &Path, cwd: &Path) -> SocketAddr {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fucha"))
            .arg("serve")
            .arg("--config")
            .arg(config)
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start fucha serve");
        let stdout = child.stdout.take().unwrap();
        self.server = Some(child);
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next()
            .expect("fucha serve printed its address")
            .unwrap();
        // Keep reading, so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let url = first
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        url.trim_end_matches('/').parse().unwrap()
    }

    /// Starts chromedriver (`$CHROMEDRIVER`, default /usr/bin/chromedriver)
    /// on a free loopback port, with `FONTCONFIG_FILE` for the browser it
    /// starts; returns its URL once it answers.
    pub fn start_driver(&mut self, fonts_conf: &Path) -> String {
        use std::os::unix::process::CommandExt;
        let driver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .env("FONTCONFIG_FILE", fonts_conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver} (apt-get install chromium chromium-driver): {e}")
            });
        self.driver = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(reply) = get(&format!("127.0.0.1:{port}"), "/status", None)
                && reply.status == 200
            {
                return format!("http://127.0.0.1:{port}");
            }
            assert!(Instant::now() < deadline, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// An HTTP answer: status, headers (names lower-cased) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 GET on the loopback with an optional Cookie header:
/// what the test fetches beside the browser (a download, chromedriver's
/// status). `target` may hold raw UTF-8; it is percent-encoded here.
pub fn get(host: &str, target: &str, cookie: Option<&str>) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        encode_target(target)
    );
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    // Read the head, then as much body as it announces: a server may keep
    // the connection open whatever the request asked (chromedriver does).
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other("connection closed in the headers"));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = raw.split_off(split + 4);
    let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < length {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
        }
        body.truncate(length);
    } else if chunked {
        while !body.ends_with(b"0\r\n\r\n") {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
        }
        body = dechunk(&body);
    } else {
        stream.read_to_end(&mut body)?;
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// Percent-encodes the bytes a request line may not carry raw (non-ASCII,
/// spaces); `%` sequences already there are kept.
fn encode_target(target: &str) -> String {
    target
        .bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Decodes `%XX` sequences (UTF-8), for comparing a link with a name.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(Ok(b)) = hex.map(|h| u8::from_str_radix(h, 16))
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = String::from_utf8_lossy(&body[..end]);
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = end + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
}
