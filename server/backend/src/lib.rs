//! Everything behind Warden's API: the database, accounts and access, the audit
//! log and the inventory.
//!
//! Every use-case takes the acting user and calls [`access::authorize`] first.
//! No Leptos here: the back end builds and tests without the UI.
#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod clock;
pub mod db;
pub mod error;
pub mod inventory;
pub mod jobs;
pub mod services;
pub mod ssh;

pub use db::Db;
pub use error::BackendError;
pub use services::{JobSignals, RequestIdentity, Services};
