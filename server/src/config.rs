//! Configuration: defaults → `warden.toml` → `WARDEN_*` environment.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The effective configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:3000`.
    pub listen: String,
    /// Where the SQLite database and other state live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `<data_dir>/warden.db`.
    pub database_url: String,
    /// The URL people open, e.g. `https://warden.example.org`; empty means
    /// `http://<listen>`. HTTPS here turns on `__Host-` secure cookies and HSTS.
    pub public_url: String,
    /// Minutes without activity after which a sign-in ends.
    pub session_idle_minutes: i64,
    /// Hours after which a sign-in ends whatever the activity.
    pub session_absolute_hours: i64,
    /// Minutes the first-start setup link stays valid.
    pub setup_link_minutes: i64,
    /// The master key that seals Warden's SSH private key; empty means
    /// `<data_dir>/master.key`. Keep it out of database backups.
    pub master_key_file: PathBuf,
    /// Jobs the worker inside `warden serve` runs at once; 0 leaves all jobs
    /// to separate `warden worker` processes.
    pub workers: i64,
    /// Seconds a job stays claimed without a heartbeat: after a crash, its
    /// jobs are marked interrupted this long after the last heartbeat.
    pub job_lease_seconds: i64,
    /// Seconds to wait for a host to answer a new SSH connection.
    pub ssh_connect_timeout_seconds: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:3000".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            public_url: String::new(),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            setup_link_minutes: 60,
            master_key_file: PathBuf::new(),
            workers: 16,
            job_lease_seconds: 30,
            ssh_connect_timeout_seconds: 5,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid: {source}")]
    Parse { path: PathBuf, source: toml::de::Error },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Where the master key lives (created 0600 at first start when absent).
    pub fn master_key_file(&self) -> PathBuf {
        if self.master_key_file.as_os_str().is_empty() {
            self.data_dir.join("master.key")
        } else {
            self.master_key_file.clone()
        }
    }

    /// Loads `file` (or `./warden.toml` when it exists), then applies the
    /// environment through `env` (a parameter so tests need not touch the
    /// process environment).
    pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("warden.toml").exists() => Self::from_file(Path::new("warden.toml"))?,
            None => Config::default(),
        };
        if let Some(v) = env("WARDEN_LISTEN") {
            config.listen = v;
        }
        if let Some(v) = env("WARDEN_DATA_DIR") {
            config.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("WARDEN_DATABASE_URL") {
            config.database_url = v;
        }
        if let Some(v) = env("WARDEN_PUBLIC_URL") {
            config.public_url = v;
        }
        if let Some(v) = env("WARDEN_MASTER_KEY_FILE") {
            config.master_key_file = PathBuf::from(v);
        }
        let number = |name: &'static str, v: String| {
            v.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError::Env { name, message: "must be a positive whole number".into() })
        };
        if let Some(v) = env("WARDEN_SESSION_IDLE_MINUTES") {
            config.session_idle_minutes = number("WARDEN_SESSION_IDLE_MINUTES", v)?;
        }
        if let Some(v) = env("WARDEN_WORKERS") {
            config.workers = v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or(ConfigError::Env {
                name: "WARDEN_WORKERS",
                message: "must be 0 or a positive whole number".into(),
            })?;
        }
        if let Some(v) = env("WARDEN_JOB_LEASE_SECONDS") {
            config.job_lease_seconds = number("WARDEN_JOB_LEASE_SECONDS", v)?;
        }
        if let Some(v) = env("WARDEN_SSH_CONNECT_TIMEOUT_SECONDS") {
            config.ssh_connect_timeout_seconds = number("WARDEN_SSH_CONNECT_TIMEOUT_SECONDS", v)?;
        }
        if let Some(v) = env("WARDEN_SESSION_ABSOLUTE_HOURS") {
            config.session_absolute_hours = number("WARDEN_SESSION_ABSOLUTE_HOURS", v)?;
        }
        config.validate()?;
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse { path: path.into(), source })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "listen = {:?} is not an address like 127.0.0.1:3000",
                self.listen
            )));
        }
        let url = self.public_url();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ConfigError::Invalid(format!("public_url = {url:?} must start with http:// or https://")));
        }
        if self.workers < 0 || self.job_lease_seconds <= 0 || self.ssh_connect_timeout_seconds <= 0 {
            return Err(ConfigError::Invalid(
                "workers must be 0 or more; job_lease_seconds and ssh_connect_timeout_seconds positive".into(),
            ));
        }
        if self.session_idle_minutes <= 0 || self.session_absolute_hours <= 0 || self.setup_link_minutes <= 0 {
            return Err(ConfigError::Invalid("session and setup durations must be positive".into()));
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("warden.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The public URL without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    pub fn is_https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// The configuration as TOML with the database password replaced by `***`.
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url_password(&self.database_url());
        toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot render the configuration: {e}"))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.find('@') else {
        return url.to_string();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{}://{}:***{}", &url[..scheme_end], &userinfo[..colon], &rest[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        let env = |k: &str| match k {
            "WARDEN_LISTEN" => Some("127.0.0.1:4000".to_string()),
            "WARDEN_DATABASE_URL" => Some("postgres://w:hunter2@db/warden".to_string()),
            _ => None,
        };
        let c = Config::load(None, env).unwrap();
        assert_eq!(c.listen, "127.0.0.1:4000");
        assert_eq!(c.public_url(), "http://127.0.0.1:4000");
        assert!(!c.redacted_toml().contains("hunter2"));
        assert!(c.redacted_toml().contains("postgres://w:***@db/warden"));
    }

    #[test]
    fn bad_values_are_refused_with_the_name() {
        let err = Config::load(None, |k| (k == "WARDEN_LISTEN").then(|| "nowhere".to_string())).unwrap_err();
        assert!(err.to_string().contains("listen"), "{err}");
        let err = Config::load(None, |k| (k == "WARDEN_SESSION_IDLE_MINUTES").then(|| "-1".to_string())).unwrap_err();
        assert!(err.to_string().contains("WARDEN_SESSION_IDLE_MINUTES"), "{err}");
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        assert_eq!(Config::default().database_url(), "sqlite://data/warden.db?mode=rwc");
    }
}
