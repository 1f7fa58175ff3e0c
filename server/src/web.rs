//! The HTTP edge: middleware (identity, security headers, cross-site check)
//! and the handlers of plain HTML form posts and downloads. Handlers are thin:
//! extract, call one back-end use-case, answer.

pub mod account_forms;
pub mod action_forms;
pub mod auth_forms;
pub mod export;
pub mod flash;
pub mod health;
pub mod identity;
pub mod inventory_forms;
pub mod job_forms;
pub mod job_stream;
pub mod security;
pub mod user_forms;
