//! Reusable pieces of the UI.

pub mod fields;
pub mod flash;
pub mod layout;
pub mod problem;
