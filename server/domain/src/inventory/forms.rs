//! What the create and edit forms send: raw text, exactly as typed. The back
//! end parses each field into its validated type and answers field errors.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct GroupForm {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct HostForm {
    pub name: String,
    pub address: String,
    pub ssh_port: String,
    pub ssh_user: String,
    /// Group name; empty for none.
    pub group: String,
    /// Tags separated by commas or spaces.
    pub tags: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct JailForm {
    /// Host id (a select on the form); ignored when editing.
    pub host_id: String,
    pub name: String,
    pub manager: String,
    pub state: String,
    /// Addresses separated by commas or spaces, IPv4 and IPv6 mixed.
    pub addresses: String,
    pub hostname: String,
    pub path: String,
    pub tags: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ServiceForm {
    /// Host id; ignored when editing.
    pub host_id: String,
    /// Jail id on that host, or empty for the host itself; ignored when editing.
    pub jail_id: String,
    pub name: String,
    /// "on" when the checkbox is ticked (HTML forms send nothing otherwise).
    pub enabled: String,
    pub state: String,
    /// e.g. `tcp/80, tcp/443`.
    pub ports: String,
    pub tags: String,
    pub notes: String,
}
