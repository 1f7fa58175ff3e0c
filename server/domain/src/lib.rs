//! Types shared by Warden's browser UI and its back end.
//!
//! Everything here compiles to wasm32 too: no I/O, no database, no Leptos.
#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod error;
pub mod inventory;
pub mod jobs;
pub mod names;
pub mod page;
pub mod ssh;
pub mod timefmt;
pub mod users;

pub use access::{Actor, GroupRole, Permission, Reach, Role, Scope};
pub use error::{AppError, FieldErrors};
pub use names::{
    GroupName, HostAddress, HostName, JailName, NameError, PackageName, ServiceName, SshPort, SshUser, TagName,
    Username,
};
pub use page::{Flash, FlashLevel, PageContext, Viewer};
