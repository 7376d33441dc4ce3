//! `planspor admin …`: administration without a database console. Uses the
//! same configuration as the server and works whether or not it is running.
//! Creating commands print the new id (or JSON with `--json`) on stdout;
//! errors go to stderr with a non-zero exit.

use std::collections::HashMap;
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;

use crate::audit::Actor;
use crate::auth::{key_dir, token_settings, tokens::TokenIssuer};
use crate::config::{AuthMode, Config};
use crate::db::{self, PgConn};
use crate::domain::{OrganizationKind, Role};
use crate::error::ApiError;
use crate::memberships::{self, MembershipInput};
use crate::organizations::{self, OrganizationInput};
use crate::pagination::PageParams;
use crate::users::{self, UserInput};

/// Usage of `planspor admin`.
pub const USAGE: &str = "\
Usage: planspor admin <command> [options]

  create-org  --name N [--kind municipality|task_force] [--code 330] [--json]
  create-user --name N [--email E] [--admin] [--subject S] [--language da|en] [--json]
  grant       --user <id|email> --org <id|code> --role consultant|editor|viewer [--json]
  revoke      --user <id|email> --org <id|code>
  list-users  [--json]
  issue-token --user <id|email> [--ttl 8h]   (standalone mode; prints only the token)
  backup  FILE    write a backup of the database (pg_dump custom format)
  restore FILE    replace the database's contents with a backup
";

/// Runs one admin command; `Err` carries the message for stderr.
pub fn run(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(USAGE.into());
    };
    let config = Config::from_env().map_err(|e| e.to_string())?;
    if let ("backup" | "restore", [file]) = (command.as_str(), rest) {
        return backup_or_restore(command, std::path::Path::new(file), &config);
    }
    let options = Options::parse(rest)?;
    if command == "issue-token" && config.auth.mode != AuthMode::Standalone {
        return Err("issue-token needs PLANSPOR_AUTH_MODE=standalone; with an external provider, it issues the tokens".into());
    }
    let (url, cluster) = db::prepare(&config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))?;
    let result = runtime.block_on(async {
        let mut conn = AsyncPgConnection::establish(&url)
            .await
            .map_err(|e| format!("connecting: {e}"))?;
        execute(command, &options, &config, &mut conn).await
    });
    if let Some(cluster) = cluster {
        cluster.stop().map_err(|e| e.to_string())?;
    }
    println!("{}", result?);
    Ok(())
}

fn backup_or_restore(command: &str, file: &std::path::Path, config: &Config) -> Result<(), String> {
    let (url, cluster) = db::prepare(config)?;
    let result = if command == "backup" {
        db::backup::backup(&url, file)
    } else {
        db::backup::restore(&url, file)
    };
    if let Some(cluster) = cluster {
        cluster.stop().map_err(|e| e.to_string())?;
    }
    result?;
    println!("{}", file.display());
    Ok(())
}

struct Options {
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut values = HashMap::new();
        let mut flags = Vec::new();
        let mut iter = args.iter().peekable();
        while let Some(arg) = iter.next() {
            let name = arg
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {arg:?}\n\n{USAGE}"))?;
            match iter.peek() {
                Some(value) if !value.starts_with("--") => {
                    values.insert(name.to_owned(), (*value).clone());
                    iter.next();
                }
                _ => flags.push(name.to_owned()),
            }
        }
        Ok(Self { values, flags })
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.values
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required\n\n{USAGE}"))
    }

    fn optional(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }

    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|flag| flag == name)
    }
}

fn message(error: ApiError) -> String {
    match error {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.problem().detail,
    }
}

fn output<T: Serialize>(options: &Options, id: String, value: &T) -> Result<String, String> {
    if options.flag("json") {
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())
    } else {
        Ok(id)
    }
}

async fn execute(
    command: &str,
    options: &Options,
    config: &Config,
    conn: &mut PgConn,
) -> Result<String, String> {
    let actor = Actor::command_line();
    match command {
        "create-org" => {
            let kind = match options.optional("kind").as_deref() {
                None | Some("municipality") => OrganizationKind::Municipality,
                Some("task_force") => OrganizationKind::TaskForce,
                Some(other) => {
                    return Err(format!(
                        "--kind must be municipality or task_force, not {other}"
                    ));
                }
            };
            let input = OrganizationInput {
                name: options.required("name")?.to_owned(),
                kind,
                municipality_code: options.optional("code"),
            };
            let fields = input.parse().map_err(message)?;
            let organization = organizations::create(conn, &actor, fields)
                .await
                .map_err(message)?;
            output(options, organization.id.to_string(), &organization)
        }
        "create-user" => {
            let input = UserInput {
                display_name: options.required("name")?.to_owned(),
                email: options.optional("email"),
                is_admin: Some(options.flag("admin")),
                subject: options.optional("subject"),
                language: options
                    .optional("language")
                    .map(|code| code.parse())
                    .transpose()?,
            };
            let user = input.parse(&config.auth.issuer).map_err(message)?;
            let user = users::create(conn, &actor, user).await.map_err(message)?;
            output(options, user.id.to_string(), &user)
        }
        "grant" => {
            let user = users::queries::find_by_id_or_email(conn, options.required("user")?)
                .await
                .map_err(message)?;
            let organization = find_organization(conn, options.required("org")?).await?;
            let role: Role = options.required("role")?.parse()?;
            let input = MembershipInput {
                user_id: user.id,
                organization_id: organization,
                role,
            };
            let membership = memberships::grant(conn, &actor, input)
                .await
                .map_err(message)?;
            output(options, membership.id.to_string(), &membership)
        }
        "revoke" => {
            let user = users::queries::find_by_id_or_email(conn, options.required("user")?)
                .await
                .map_err(message)?;
            let organization = find_organization(conn, options.required("org")?).await?;
            let membership = memberships::queries::find_for(conn, user.id, organization)
                .await
                .map_err(message)?
                .ok_or("the user has no role in that organization")?;
            memberships::revoke(conn, &actor, membership)
                .await
                .map_err(message)?;
            Ok("revoked".into())
        }
        "list-users" => {
            let page = PageParams {
                limit: Some(crate::pagination::MAX_LIMIT),
                cursor: None,
                updated_since: None,
            }
            .parse()
            .map_err(message)?;
            let users = users::queries::list(conn, page).await.map_err(message)?;
            if options.flag("json") {
                return serde_json::to_string_pretty(&users).map_err(|e| e.to_string());
            }
            Ok(users
                .iter()
                .map(|u| {
                    let admin = if u.is_admin { " (admin)" } else { "" };
                    format!(
                        "{}\t{}\t{}{admin}",
                        u.id,
                        u.email.as_deref().unwrap_or("-"),
                        u.display_name
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        "issue-token" => {
            let user = users::queries::find_by_id_or_email(conn, options.required("user")?)
                .await
                .map_err(message)?;
            if user.issuer != config.auth.issuer {
                return Err(format!(
                    "{} signs in through {}, not through planspor",
                    user.display_name, user.issuer
                ));
            }
            let ttl = parse_duration(options.optional("ttl").as_deref().unwrap_or("8h"))?;
            let issuer = TokenIssuer::load_or_create(
                &key_dir(&config.data_dir),
                &token_settings(&config.auth),
            )
            .map_err(|e| e.to_string())?;
            issuer
                .issue(
                    &user.subject,
                    Some(&user.display_name),
                    user.email.as_deref(),
                    ttl,
                )
                .map_err(|e| e.to_string())
        }
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    }
}

async fn find_organization(
    conn: &mut PgConn,
    key: &str,
) -> Result<crate::domain::OrganizationId, String> {
    if let Ok(id) = uuid::Uuid::parse_str(key) {
        return Ok(organizations::find(conn, crate::domain::OrganizationId(id))
            .await
            .map_err(message)?
            .id);
    }
    organizations::find_by_code(conn, key)
        .await
        .map_err(message)
        .map(|o| o.id)
}

/// `30s`, `15m`, `8h`, `7d`: at least a minute, at most 90 days.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("--ttl {text:?}: use a number with s, m, h or d, e.g. 8h");
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .ok_or_else(invalid)?,
    );
    let number: u64 = number.parse().map_err(|_| invalid())?;
    let seconds = match unit {
        "s" => number,
        "m" => number * 60,
        "h" => number * 3600,
        "d" => number * 86_400,
        _ => return Err(invalid()),
    };
    if (60..=90 * 86_400).contains(&seconds) {
        Ok(Duration::from_secs(seconds))
    } else {
        Err(format!(
            "--ttl {text:?}: must be between 1 minute and 90 days"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_a_unit_and_stay_in_range() {
        assert_eq!(parse_duration("8h"), Ok(Duration::from_secs(8 * 3600)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("8").is_err());
        assert!(parse_duration("10s").is_err());
        assert!(parse_duration("91d").is_err());
        assert!(parse_duration("h").is_err());
    }
}
