//! `ponte clients update`: every setting of a client after its creation.

use crate::clients::ClientIdArg;
use crate::flag_error;
use clap::Args;
use ponte_server::services::client_locale;
use ponte_server::services::duplicates::{self, DuplicatePolicy};
use ponte_server::services::{clients, webhook_settings};
use ponte_server::web::lang::Locale;
use ponte_server::App;

#[derive(Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    client: ClientIdArg,
    /// Where events (CONSENT_STATUS_CHANGED…) are posted; "" removes it.
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
    /// Where reports are posted, if not to --webhook-url; "" removes it.
    #[arg(long, value_name = "URL")]
    report_webhook_url: Option<String>,
    /// Retrieve every allowed product as soon as a consent is authorised.
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    auto_delivery: Option<bool>,
    /// The name end users see in the widget (at most 60 characters).
    #[arg(long)]
    display_name: Option<String>,
    /// An https URL of the logo shown in the widget.
    #[arg(long, value_name = "URL")]
    logo_url: Option<String>,
    /// A hex colour such as #0f766e; one too light for white text is darkened.
    #[arg(long, value_name = "HEX")]
    primary_color: Option<String>,
    /// The privacy policy the widget links to.
    #[arg(long, value_name = "URL")]
    privacy_policy_url: Option<String>,
    /// Origins allowed to frame the widget, space- or comma-separated.
    #[arg(long, value_name = "ORIGINS")]
    frame_origins: Option<String>,
    /// Register a redirect URL (repeatable): once a client has any, every
    /// redirectUrl on its links and consents must be one of them exactly.
    #[arg(long = "redirect-url", value_name = "URL")]
    redirect_urls: Vec<String>,
    /// Forget every registered redirect URL first (none: no check).
    #[arg(long)]
    clear_redirect_urls: bool,
    /// A consent for a person already AUTHORISED at the same institution:
    /// allow it (it names the other as `duplicateOf`), warn the end user in
    /// the widget, or refuse it (409 DUPLICATE_CONNECTION).
    #[arg(long, value_name = "allow|warn|refuse", value_parser = parse_duplicates)]
    duplicates: Option<DuplicatePolicy>,
    /// The language of the client's end users' pages when neither they nor
    /// the link chose one (before their browser's); `none` lets the browser decide.
    #[arg(long, value_name = "pt-BR|en|none", value_parser = parse_locale)]
    locale: Option<LocaleChoice>,
    /// Print the result on one line of JSON.
    #[arg(long)]
    json: bool,
}

fn parse_on_off(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(format!("{raw:?} is not on or off")),
    }
}

fn parse_duplicates(raw: &str) -> Result<DuplicatePolicy, String> {
    DuplicatePolicy::parse("duplicates", raw).map_err(|e| e.message)
}

/// `--locale`'s value: a language, or none (not clap's `Option<Option<_>>`,
/// which would make a bare `--locale` clear it).
#[derive(Debug, Clone, Copy)]
pub struct LocaleChoice(Option<Locale>);

fn parse_locale(raw: &str) -> Result<LocaleChoice, String> {
    client_locale::parse("locale", raw)
        .map(LocaleChoice)
        .map_err(|e| e.message)
}

fn not_found(client: &str) -> impl Fn(ponte_server::Error) -> anyhow::Error + '_ {
    move |e| match e {
        ponte_server::Error::NotFound(_) => anyhow::anyhow!("--client-id {client}: no such client"),
        other => flag_error(other),
    }
}

pub async fn run(app: &App, args: UpdateArgs) -> anyhow::Result<()> {
    let client = args.client.client_id.as_str();
    // Checked first: a typo in the id must not look like a bad URL.
    if crate::clients_view::detail(app, client).await?.is_none() {
        return Err(anyhow::anyhow!("--client-id {client}: no such client"));
    }
    let delivery = webhook_settings::WebhookSettingsChange {
        webhook_url: args.webhook_url.as_deref(),
        report_webhook_url: args.report_webhook_url.as_deref(),
        auto_delivery: args.auto_delivery,
    };
    if delivery.webhook_url.is_some()
        || delivery.report_webhook_url.is_some()
        || delivery.auto_delivery.is_some()
    {
        webhook_settings::update(app, client, &delivery)
            .await
            .map_err(not_found(client))?;
    }
    if let Some(policy) = args.duplicates {
        duplicates::set_policy(app, client, policy)
            .await
            .map_err(not_found(client))?;
    }
    if let Some(LocaleChoice(locale)) = args.locale {
        client_locale::set(app, client, locale)
            .await
            .map_err(not_found(client))?;
    }
    if args.clear_redirect_urls || !args.redirect_urls.is_empty() {
        ponte_server::services::redirect_urls::update(
            app,
            client,
            &args.redirect_urls,
            args.clear_redirect_urls,
        )
        .await
        .map_err(not_found(client))?;
    }
    let change = clients::BrandingChange {
        display_name: args.display_name.as_deref(),
        logo_url: args.logo_url.as_deref(),
        primary_color: args.primary_color.as_deref(),
        privacy_policy_url: args.privacy_policy_url.as_deref(),
        frame_origins: args.frame_origins.as_deref(),
    };
    let branding = clients::update_branding(app, client, &change)
        .await
        .map_err(not_found(client))?;
    if let (Some(given), Some(used)) = (&branding.primary_color, branding.readable_color()) {
        if *given != used {
            eprintln!(
                "--primary-color {given} is too light for white text; the widget uses {used}"
            );
        }
    }
    let detail = crate::clients_view::detail(app, client)
        .await?
        .ok_or_else(|| anyhow::anyhow!("--client-id {client}: no such client"))?;
    if args.json {
        println!("{}", serde_json::to_string(&detail)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&detail)?);
    }
    Ok(())
}
