//! `ponte config check`: the configuration `serve` would run with, read by
//! the same parser, printed with secrets masked.

use clap::Subcommand;
use ponte_server::config::Config;

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Validate the settings (environment over ponte.toml) and print each
    /// with its value in force; a bad value exits with code 2 naming it.
    Check {
        /// Print a JSON object {variable: value} instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs once the configuration parsed; a bad one never gets here (exit 2).
pub fn run(config: &Config, command: ConfigCommand) -> anyhow::Result<()> {
    let ConfigCommand::Check { json } = command;
    let values = config.describe();
    if json {
        let map: serde_json::Map<String, serde_json::Value> = values
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
            .collect();
        println!("{}", serde_json::to_string_pretty(&map)?);
        return Ok(());
    }
    println!("configuration is valid");
    let width = values.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (variable, value) in values {
        println!("  {variable:width$}  {value}");
    }
    Ok(())
}
