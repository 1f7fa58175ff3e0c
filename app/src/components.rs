//! Reusable pieces of the UI.

pub mod action_buttons;
pub mod confirm;
pub mod copy;
pub mod fields;
pub mod flash;
pub mod job_badge;
pub mod layout;
pub mod listing;
pub mod live_log;
pub mod problem;
