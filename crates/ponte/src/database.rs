//! Every command but `serve` works on an existing database: run in the wrong
//! folder or with a mistyped variable, it must say where it looked instead
//! of quietly starting an empty Ponte there.

use ponte_server::config::settings::masked;
use ponte_server::config::Config;
use std::path::PathBuf;

/// The file behind a `sqlite:` URL; `None` for an in-memory database or
/// another scheme.
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

fn where_it_looked(config: &Config) -> String {
    let database = match std::env::var("PONTE_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            format!("PONTE_DATABASE_URL={}", masked("PONTE_DATABASE_URL", &url))
        }
        _ => "PONTE_DATABASE_URL unset (the default: <data dir>/ponte.db)".to_string(),
    };
    format!(
        "PONTE_DATA_DIR={} and {database}",
        config.data_dir.display()
    )
}

/// Fails, naming the path and the variables, unless the database (and on
/// PostgreSQL the master key that opens its secrets) is there, or `init`.
pub fn ensure_exists(config: &Config, init: bool) -> anyhow::Result<()> {
    if init {
        ponte_server::crypto::create_private_dir(&config.data_dir)?;
        return Ok(());
    }
    let hint = "run it with the PONTE_DATA_DIR / PONTE_DATABASE_URL of your `ponte serve`, \
                or pass --init to create a new database here";
    if let Some(file) = sqlite_file(&config.database_url) {
        if !file.is_file() {
            anyhow::bail!(
                "no Ponte database at {} ({}): {hint}",
                file.display(),
                where_it_looked(config)
            );
        }
        return Ok(());
    }
    // PostgreSQL: a missing database is the connection's to name. The master
    // key is not in it, though: a new one generated here would make every
    // stored secret unreadable to this command.
    let key = config.data_dir.join("master.key");
    if config.master_key.is_none() && !key.is_file() {
        anyhow::bail!(
            "no master key: PONTE_MASTER_KEY is unset and there is no {} ({}): set \
             PONTE_MASTER_KEY to the key of the servers on this database, or pass --init \
             to generate one",
            key.display(),
            where_it_looked(config)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://./ponte-data/ponte.db?mode=rwc"),
            Some(PathBuf::from("./ponte-data/ponte.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:/var/lib/ponte/p.db"),
            Some(PathBuf::from("/var/lib/ponte/p.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://db/ponte"), None);
    }
}
