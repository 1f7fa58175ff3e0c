//! The FreeBSD simulator of the test hosts (tests/sim/bin) answers in the
//! formats Warden's parsers read from real hosts: each simulated output is
//! parsed by the same parser as the recorded sample of that command, and the
//! quirks Warden must survive (a start that exits 0 and does nothing) are
//! there. Runs the scripts locally with a private state directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use warden_freebsd::service::{parse_service_enabled, parse_service_status, ServiceState};
use warden_freebsd::sysrc::{parse_sysrc_changes, parse_sysrc_vars};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../freebsd/tests/samples")
}

struct Sim {
    state: PathBuf,
}

impl Sim {
    /// A host with four services (sshd, nginx, php-fpm, redis) of which
    /// redis dies at start.
    fn new() -> Sim {
        let sim = Sim::empty();
        sim.write(
            "services",
            "/etc/rc.d/sshd\n/usr/local/etc/rc.d/nginx\n/usr/local/etc/rc.d/php-fpm\n/usr/local/etc/rc.d/redis\n",
        );
        sim.write("broken", "redis\n");
        sim
    }

    /// A host with nothing seeded.
    fn empty() -> Sim {
        let state = std::env::temp_dir().join(format!("warden-sim-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&state).unwrap();
        Sim { state }
    }

    /// A host where these jail managers are installed (`$ROOT/managers`).
    fn with_managers(managers: &str) -> Sim {
        let sim = Sim::empty();
        sim.write("managers", &format!("{managers}\n"));
        sim
    }

    /// Writes a state file (parent directories created).
    fn write(&self, path: &str, content: &str) {
        let path = self.state.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.state.join(path)).unwrap()
    }

    fn exists(&self, path: &str) -> bool {
        self.state.join(path).exists()
    }

    /// (exit code, stdout, stderr); stdin is empty (EOF at once).
    fn run(&self, tool: &str, args: &[&str]) -> (i32, String, String) {
        self.run_with_input(tool, args, "")
    }

    fn run_with_input(&self, tool: &str, args: &[&str], input: &str) -> (i32, String, String) {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/bin").join(tool);
        let mut child = Command::new(bin)
            .args(args)
            .env("WARDEN_SIM_STATE", &self.state)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A tool that exits without reading its input closes the pipe: not an error here.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let out = child.wait_with_output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }

    /// Exit code 0 and stdout, or a panic showing what the tool said.
    fn ok(&self, tool: &str, args: &[&str]) -> String {
        let (code, out, err) = self.run(tool, args);
        assert_eq!(code, 0, "{tool} {args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    /// The JID `jls -j NAME jid` reports, `None` when the jail does not run.
    fn jid(&self, name: &str) -> Option<u32> {
        let (code, out, _) = self.run("jls", &["-j", name, "jid"]);
        (code == 0).then(|| out.trim().parse().unwrap())
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.state);
    }
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(samples().join(name)).unwrap()
}

#[path = "simulator/jailconf.rs"]
mod jailconf;
#[path = "simulator/managers.rs"]
mod managers;
#[path = "simulator/services.rs"]
mod services;
