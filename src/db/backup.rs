//! Backups of the service's database with PostgreSQL's own tools (pg_dump's
//! custom format), for the embedded cluster and for a given DATABASE_URL alike.

use std::path::Path;
use std::process::Command;

use super::embedded::find_bin_dir;

fn tool(name: &str) -> Command {
    match find_bin_dir()
        .map(|dir| dir.join(name))
        .filter(|path| path.is_file())
    {
        Some(path) => Command::new(path),
        None => Command::new(name),
    }
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: {e} (is the PostgreSQL client installed?)"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Writes a backup of the database at `url` to `file`.
pub fn backup(url: &str, file: &Path) -> Result<(), String> {
    let mut command = tool("pg_dump");
    command
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(file)
        .arg(format!("--dbname={url}"));
    run(command, "pg_dump")
}

/// Restores `file` into the database at `url`, replacing what is there. The
/// frozen-report and append-only triggers are off while the rows go back in
/// exactly as they were (this needs a superuser, as the embedded cluster's is).
pub fn restore(url: &str, file: &Path) -> Result<(), String> {
    let mut command = tool("pg_restore");
    command
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--disable-triggers",
            "--single-transaction",
        ])
        .arg(format!("--dbname={url}"))
        .arg(file);
    run(command, "pg_restore")
}
