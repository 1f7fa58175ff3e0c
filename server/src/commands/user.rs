//! `warden user add --username NAME --role ROLE --password-stdin`

use crate::config::Config;
use std::io::BufRead;
use std::process::ExitCode;
use warden_backend::access::{add_user_from_cli, PasswordHasher};

pub async fn add(config: &Config, username: &str, role: &str) -> Result<ExitCode, String> {
    // Passwords never travel in argv (visible in `ps`): one line on stdin.
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    let db = super::open_db(config).await?;
    let hasher = PasswordHasher::new(1);
    match add_user_from_cli(&db, &hasher, username, role, password).await {
        Ok(id) => {
            println!("user {username} created (id {id}, role {role})");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let app = e.into_app_error();
            match &app {
                warden_domain::AppError::Validation(fields) => {
                    for (field, messages) in fields {
                        eprintln!("{field}: {}", messages.join(" "));
                    }
                    Err("the user was not created".into())
                }
                other => Err(other.to_string()),
            }
        }
    }
}
