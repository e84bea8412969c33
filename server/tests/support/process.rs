//! The real `ranselpost` binary as a child process (`serve --demo` on a free port, with its own
//! data folder), its output captured for the test to read. Stopped and cleaned up when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Served {
    pub child: Child,
    /// `http://localhost:<port>`.
    pub base: String,
    /// Its data folder (the SQLite database is `ranselpost.db` in it).
    pub dir: PathBuf,
    log: Arc<Mutex<String>>,
}

impl Served {
    /// Starts `ranselpost serve --demo` with `extra` flags at log level `rust_log`, and waits
    /// until it listens.
    pub async fn demo(extra: &[&str], rust_log: &str) -> Served {
        Served::on(None, extra, rust_log).await
    }

    /// As [`Served::demo`], on the database at `database_url` when given (a second process on
    /// the same database, or the same one started again).
    pub async fn on(database_url: Option<&str>, extra: &[&str], rust_log: &str) -> Served {
        let dir =
            std::env::temp_dir().join(format!("ranselpost-{}", uuid::Uuid::new_v4().simple()));
        let mut command = Command::new(binary());
        command
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(extra)
            .arg("--data-dir")
            .arg(&dir)
            .env_remove("DATABASE_URL");
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url);
        }
        let mut child = command
            .env("RUST_LOG", rust_log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        let mut served = Served { child, base: String::new(), dir, log };
        for _ in 0..600 {
            if let Some(port) = served.port() {
                served.base = format!("http://localhost:{port}");
                return served;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start: {}", served.log());
    }

    fn port(&self) -> Option<u16> {
        self.log()
            .split("listening on http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|p| p.parse().ok())
    }

    /// Its memory in KiB as /proc tells it: `field` is `VmRSS` (resident now) or `VmHWM` (the
    /// most it has been resident).
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    }

    /// Everything it has written so far, stdout and stderr.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Kills it at once (SIGKILL: nothing runs on the way out), as a crash or an OOM killer.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops it and returns everything it wrote.
    pub fn stop(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log()
    }
}

/// The binary to run: `RANSELPOST_SERVER_BIN` when set (the release build, for measuring
/// speed), else the test build of this one.
pub fn binary() -> PathBuf {
    std::env::var_os("RANSELPOST_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_ranselpost")))
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
