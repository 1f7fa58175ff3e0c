//! Why talking to a host failed, sorted into what the job engine must do
//! about it: retry later (transient) or fail at once (permanent).

use std::io;

/// A failure of the SSH layer, with the message the job page shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshFailure {
    /// Nothing listens on the SSH port (sshd stopped, host rebooting).
    #[error("connection refused")]
    Refused,
    /// No answer within the connect timeout (host down, link down, firewall).
    #[error("connect timeout: the host did not answer")]
    Unreachable,
    /// The host presented another key than the pinned one. Never retried.
    #[error("host key changed: the host presented a key other than the approved one")]
    HostKeyChanged,
    /// No approved key for this host: Warden does not connect.
    #[error("host key not approved: fetch and approve the host key first")]
    HostKeyNotApproved,
    /// The host refused Warden's key.
    #[error("authentication denied: the host does not accept Warden's key for {user}")]
    AuthDenied { user: String },
    /// The link died while a command ran (or the master went away).
    #[error("connection lost")]
    ConnectionLost,
    /// Anything else ssh reported; kept verbatim for the admin.
    #[error("ssh: {0}")]
    Other(String),
}

impl SshFailure {
    /// Worth another try after a pause: the host may come back.
    pub fn is_transient(&self) -> bool {
        matches!(self, SshFailure::Refused | SshFailure::Unreachable)
    }

    /// Sorts a connect error by ssh's own message (the `Debug` of the
    /// `openssh` error carries it; its `Display` is vague).
    pub fn from_connect(err: &openssh::Error, user: &str) -> SshFailure {
        let text = match err {
            openssh::Error::Connect(e) | openssh::Error::Master(e) => format!("{e} {:?}", e.kind()),
            other => format!("{other:?}"),
        };
        classify(&text, user)
    }

    /// Sorts an error met while running a command on an open session.
    pub fn from_command(err: &openssh::Error) -> SshFailure {
        match err {
            openssh::Error::Disconnected | openssh::Error::RemoteProcessTerminated => SshFailure::ConnectionLost,
            openssh::Error::SshMux(_) | openssh::Error::ChildIo(_) => SshFailure::ConnectionLost,
            openssh::Error::Remote(e) if e.kind() == io::ErrorKind::NotFound => {
                SshFailure::Other("the command was not found on the host".into())
            }
            other => SshFailure::Other(format!("{other:?}")),
        }
    }
}

fn classify(text: &str, user: &str) -> SshFailure {
    let lower = text.to_ascii_lowercase();
    if lower.contains("host key verification failed")
        || lower.contains("remote host identification has changed")
        || lower.contains("host key for") && lower.contains("has changed")
    {
        SshFailure::HostKeyChanged
    } else if lower.contains("permission denied (") || lower.contains("too many authentication failures") {
        SshFailure::AuthDenied { user: user.to_string() }
    } else if lower.contains("connection refused") || lower.contains("connectionrefused") {
        SshFailure::Refused
    } else if lower.contains("timed out")
        || lower.contains("timedout")
        || lower.contains("no route to host")
        || lower.contains("network is unreachable")
    {
        SshFailure::Unreachable
    } else if lower.contains("connection closed by") || lower.contains("connection reset") {
        SshFailure::ConnectionLost
    } else {
        SshFailure::Other(text.trim().chars().take(300).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_messages_sort_into_transient_and_permanent() {
        let c = |t: &str| classify(t, "root");
        assert_eq!(c("ssh: connect to host 10.77.0.2 port 22: Connection refused"), SshFailure::Refused);
        assert_eq!(c("ssh: connect to host 10.77.0.2 port 22: Connection timed out"), SshFailure::Unreachable);
        assert_eq!(c("Host key verification failed."), SshFailure::HostKeyChanged);
        assert_eq!(c("root@10.77.0.2: Permission denied (publickey)."), SshFailure::AuthDenied { user: "root".into() });
        assert!(c("ssh: connect to host x port 22: No route to host").is_transient());
        assert!(!SshFailure::HostKeyChanged.is_transient());
        assert!(!SshFailure::ConnectionLost.is_transient());
        assert!(matches!(c("something new"), SshFailure::Other(_)));
    }
}
