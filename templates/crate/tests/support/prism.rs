//! Prism (`@stoplight/prism-cli`), started on 127.0.0.1 for one test and stopped when dropped.
//!
//! `GR4VY_PRISM` names its executable; `cargo xtask test` installs it into `.tools/` and sets the
//! variable. Without it the test fails and says how to get it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STARTUP: Duration = Duration::from_secs(60);
/// Prism is up once it answers this with anything (it is in no spec, so Prism says 404).
const PROBE: &str = "/";

/// The Prism executable from `GR4VY_PRISM`.
pub fn prism_binary() -> PathBuf {
    let how = "run `cargo xtask test`, which installs Prism into .tools/ and sets GR4VY_PRISM";
    let Some(path) = std::env::var_os("GR4VY_PRISM") else {
        panic!("GR4VY_PRISM is not set: {how}");
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "GR4VY_PRISM is {}, which does not exist: {how}",
        path.display()
    );
    path
}

/// A running Prism, stopped when dropped (a failing test included).
pub struct Prism {
    child: Child,
    pub port: u16,
}

impl Prism {
    /// Starts `prism mock ARGS... SPEC` on a free port of 127.0.0.1 (`args` picks the mode, `-d` for
    /// dynamic responses) and waits until it answers. Its output goes to `log` in the target's
    /// temporary directory and is shown when it does not come up.
    pub fn mock(binary: &Path, spec: &Path, args: &[&str], log: &str) -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("no free port on 127.0.0.1")
            .port();
        let log_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(log);
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let child = Command::new(binary)
            .arg("mock")
            .args(args)
            .args(["-v", "warn", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
        let mut prism = Prism { child, port };
        let deadline = Instant::now() + STARTUP;
        loop {
            if answers(port) {
                return prism;
            }
            let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before answering; its output:\n{}",
                    log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not answer on port {port} within {STARTUP:?}; its output:\n{}",
                log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Does something on `port` answer an HTTP request with an HTTP response?
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET {PROBE} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}
