//! The embedded default: a private PostgreSQL cluster that planspor starts
//! itself from the machine's server binaries when no `DATABASE_URL` is given.
//! It keeps its data in the data directory, listens only on a unix socket
//! there, and is stopped again when the service stops.
//!
//! PostgreSQL refuses to run as root. When planspor runs as root (as on our CI
//! machines), the cluster's files belong to the unprivileged `postgres` system
//! user and its processes run as that user.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Name of the database the service uses inside the cluster.
pub const DATABASE: &str = "planspor";
const SUPERUSER: &str = "postgres";

/// A running private cluster.
#[derive(Debug)]
pub struct Cluster {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    /// Whether we started it (and so must stop it).
    owned: bool,
}

/// Why the embedded cluster could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// No `initdb`/`pg_ctl` on this machine.
    #[error(
        "no PostgreSQL server binaries found (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin). \
         Install them (Debian/Ubuntu: `apt-get install postgresql`) or set DATABASE_URL to an existing server."
    )]
    NoBinaries,
    /// Running as root but there is no `postgres` user to run the cluster as.
    #[error(
        "running as root needs an unprivileged `postgres` system user to run PostgreSQL (apt-get install postgresql creates it)"
    )]
    NoPostgresUser,
    /// A command or file operation failed.
    #[error("{0}")]
    Failed(String),
}

fn failed(context: &str, error: impl std::fmt::Display) -> EmbeddedError {
    EmbeddedError::Failed(format!("{context}: {error}"))
}

/// The directory holding `initdb` and `pg_ctl`: PATH first, then the newest
/// version under /usr/lib/postgresql.
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path.into_iter().find(|dir| has_tools(dir)) {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

fn is_root() -> bool {
    // /proc/self belongs to the process's effective user: no unsafe libc call needed.
    fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// uid and gid of the `postgres` user, from /etc/passwd.
fn postgres_user() -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres") && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

impl Cluster {
    /// Starts (creating it first if needed) the cluster under `data_dir`:
    /// `data_dir/postgres` holds the cluster, `data_dir/run` its socket and log.
    pub fn start(data_dir: &Path) -> Result<Self, EmbeddedError> {
        let bin_dir = find_bin_dir().ok_or(EmbeddedError::NoBinaries)?;
        let run_as = if is_root() {
            Some(postgres_user().ok_or(EmbeddedError::NoPostgresUser)?)
        } else {
            None
        };
        fs::create_dir_all(data_dir)
            .map_err(|e| failed(&format!("creating {}", data_dir.display()), e))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(|e| failed("resolving the data directory", e))?;
        let mut cluster = Self {
            bin_dir,
            cluster_dir: data_dir.join("postgres"),
            socket_dir: data_dir.join("run"),
            run_as,
            owned: false,
        };
        cluster.prepare_directories(&data_dir)?;
        if !cluster.cluster_dir.join("PG_VERSION").is_file() {
            cluster.initdb()?;
        }
        if cluster.is_running() {
            log::info!(
                "embedded PostgreSQL in {} is already running; using it",
                cluster.cluster_dir.display()
            );
        } else {
            cluster.pg_ctl_start()?;
            cluster.owned = true;
        }
        Ok(cluster)
    }

    fn prepare_directories(&self, data_dir: &Path) -> Result<(), EmbeddedError> {
        // The cluster's user must be able to reach its directories.
        fs::set_permissions(data_dir, fs::Permissions::from_mode(0o755))
            .map_err(|e| failed("making the data directory traversable", e))?;
        for dir in [&self.cluster_dir, &self.socket_dir] {
            fs::create_dir_all(dir)
                .map_err(|e| failed(&format!("creating {}", dir.display()), e))?;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| failed(&format!("restricting {}", dir.display()), e))?;
            if let Some((uid, gid)) = self.run_as {
                std::os::unix::fs::chown(dir, Some(uid), Some(gid)).map_err(|e| {
                    failed(
                        &format!("handing {} to the postgres user", dir.display()),
                        e,
                    )
                })?;
            }
        }
        Ok(())
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin_dir.join(program));
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
            command.env("HOME", &self.socket_dir);
        }
        command.current_dir(&self.socket_dir);
        command
    }

    fn run(&self, mut command: Command, what: &str) -> Result<Output, EmbeddedError> {
        let output = command.output().map_err(|e| failed(what, e))?;
        if output.status.success() {
            Ok(output)
        } else {
            let mut message = format!("{what} failed ({})", output.status);
            message.push_str(&format!(
                "\n{}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            if let Ok(log) = fs::read_to_string(self.log_file()) {
                let tail: Vec<&str> = log.lines().rev().take(10).collect();
                message.push_str("\nserver log:\n");
                message.push_str(&tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
            }
            Err(EmbeddedError::Failed(message))
        }
    }

    fn log_file(&self) -> PathBuf {
        self.socket_dir.join("postgres.log")
    }

    fn initdb(&self) -> Result<(), EmbeddedError> {
        let mut command = self.command("initdb");
        command
            .arg("--pgdata")
            .arg(&self.cluster_dir)
            .args([
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ])
            .arg("--no-instructions");
        self.run(command, "initdb")?;
        Ok(())
    }

    fn is_running(&self) -> bool {
        let mut command = self.command("pg_ctl");
        command.arg("status").arg("--pgdata").arg(&self.cluster_dir);
        command
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        // Only a unix socket in a directory no one else may enter: trust
        // authentication is then safe, and nothing listens on the network.
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c unix_socket_permissions=0700 -c max_connections=200 -c fsync=on",
            self.socket_dir.display()
        );
        let mut command = self.command("pg_ctl");
        command
            .arg("start")
            .arg("--pgdata")
            .arg(&self.cluster_dir)
            .arg("--log")
            .arg(self.log_file())
            .args(["--wait", "--timeout", "60", "--options", &options]);
        self.run(command, "pg_ctl start")?;
        Ok(())
    }

    /// URL of database `name` in this cluster, over the unix socket.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@localhost/{name}?host={}",
            self.socket_dir.display()
        )
    }

    /// Stops the cluster if this process started it.
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if !self.owned {
            return Ok(());
        }
        let mut command = self.command("pg_ctl");
        command
            .arg("stop")
            .arg("--pgdata")
            .arg(&self.cluster_dir)
            .args(["--mode", "fast", "--wait"]);
        self.run(command, "pg_ctl stop")?;
        Ok(())
    }
}
