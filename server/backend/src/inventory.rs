//! The inventory: groups, hosts, jails, services and their tags.
//!
//! Every use-case takes the caller and checks the permission against the
//! target's group (a host's group; a jail or service inherits its host's).
//! Objects outside the caller's reach answer `NotFound`, exactly like absent
//! ones, and lists only ever contain what the caller may read. Every change
//! commits together with its audit record, which names the changed fields
//! with their values before and after.

mod bulk;
pub(crate) mod changes;
mod dashboard;
pub(crate) mod discovered;
mod groups;
mod host_list;
mod hosts;
mod jail_list;
mod jails;
mod placed_list;
pub(crate) mod reach;
mod rows;
mod seed;
mod service_list;
mod services;
mod tags;

pub use bulk::{bulk_delete, bulk_preview};
pub use dashboard::dashboard;
pub use groups::{create_group, delete_group, list_groups, update_group};
pub use host_list::list_hosts;
pub use hosts::{create_host, delete_host, get_host, host_delete_impact, update_host};
pub use jail_list::list_jails;
pub use jails::{adopt_jail, create_jail, delete_jail, get_jail, update_jail};
pub use seed::{seed, SeedSize};
pub use service_list::list_services;
pub use services::{create_service, delete_service, get_service, update_service};
