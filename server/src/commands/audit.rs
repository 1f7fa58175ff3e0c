//! `warden audit verify` and `warden audit export`.

use crate::cli::ExportFormat;
use crate::config::Config;
use crate::web::export::{render, Format};
use futures::StreamExt;
use std::io::Write;
use std::process::ExitCode;
use warden_backend::audit::{verify_chain, ExportBatches, VerifyReport};
use warden_domain::audit::AuditFilter;

pub async fn verify(config: &Config) -> Result<ExitCode, String> {
    let db = super::open_db(config).await?;
    match verify_chain(&db).await.map_err(|e| format!("cannot read the audit log: {e}"))? {
        VerifyReport::Intact { rows } => {
            println!("audit log intact: {rows} rows, every hash matches");
            Ok(ExitCode::SUCCESS)
        }
        VerifyReport::Broken { id, reason } => {
            println!("audit log BROKEN at row {id}: {reason}");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub async fn export(config: &Config, format: ExportFormat, since: Option<&str>) -> Result<ExitCode, String> {
    let since = match since {
        Some(d) => {
            Some(warden_domain::timefmt::parse_date(d).ok_or(format!("--since {d:?}: use a date like 2026-12-01"))?)
        }
        None => None,
    };
    let db = super::open_db(config).await?;
    let filter = AuditFilter { since, ..Default::default() };
    let format = match format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    let mut out = std::io::stdout().lock();
    let stream = render(ExportBatches::new(db, filter), format);
    futures::pin_mut!(stream);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("export failed: {e}"))?;
        out.write_all(&chunk).map_err(|e| format!("cannot write: {e}"))?;
    }
    out.flush().map_err(|e| format!("cannot write: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
