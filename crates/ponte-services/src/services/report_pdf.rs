//! A report as a PDF a lender can file: besides the report, who the holder
//! is, which institution sent the data (name, CNPJ, COMPE), the consent's
//! permissions, and the language: `?locale=` if asked, else the link's,
//! else Brazilian Portuguese.

use super::links::LinkDetails;
use super::reports::{
    body, head, signed_row, stored_text, stored_whole, DownloadError, Format, ReportDoc, ReportText,
};
use super::slots;
use crate::pdf::report::{Context, DataText, Holder, InstitutionInfo, Locale};
use crate::App;
use ponte_core::event::ReportOutcome;
use ponte_store::{Conn, ReportRow};
use serde_json::Value;

/// A report and everything its PDF prints besides.
pub struct PdfReport {
    /// Without its data (`null`): `text` reads it.
    pub doc: ReportDoc,
    pub context: Context,
    pub text: StoredText,
}

/// A stored report's text, inflated as it is read, from its start again each
/// time: the deflated bytes (a sixth of the text) are all that is held.
pub struct StoredText(ReportText);

impl StoredText {
    fn rewound(&mut self) -> &mut ReportText {
        let taken = std::mem::replace(
            &mut self.0,
            ReportText::Plain(std::io::Cursor::new(Vec::new())),
        );
        self.0 = match taken {
            ReportText::Plain(mut text) => {
                text.set_position(0);
                ReportText::Plain(text)
            }
            ReportText::Deflated(z) => {
                let mut packed = z.into_inner();
                packed.set_position(0);
                ReportText::Deflated(Box::new(flate2::read::GzDecoder::new(packed)))
            }
            // Its chunks read from the store again.
            ReportText::Chunked(z) => {
                let mut chunks = z.into_inner();
                chunks.rewind();
                ReportText::chunked(chunks)
            }
        };
        &mut self.0
    }
}

impl DataText for StoredText {
    fn read(&mut self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(self.rewound()))
    }
}

/// The report behind a signed PDF URL, in `locale` when one is asked for.
pub async fn pdf(
    app: &App,
    report_id: &str,
    expires: &str,
    sig: &str,
    locale: Option<Locale>,
) -> Result<PdfReport, DownloadError> {
    let row = signed_row(app, report_id, Format::Pdf, expires, sig).await?;
    let mut conn = app
        .store
        .read()
        .await
        .map_err(|_| DownloadError::NotFound)?;
    let doc = head(&mut conn, &row).await.map_err(|e| match e {
        crate::Error::Conflict(_) => DownloadError::Gone,
        _ => DownloadError::NotFound,
    })?;
    // A registration names its holder: it is small, read whole for that.
    let registration = match doc.product == "registration" {
        true => Some(stored_whole(app, &mut conn, &row.id).await?),
        false => None,
    };
    let text = StoredText(stored_text(app, &mut conn, &row.id).await?);
    let context = context(app, &mut conn, &row, registration.as_deref(), locale).await;
    Ok(PdfReport { doc, context, text })
}

/// What Ponte knows around the report. Each part is optional: a missing
/// link or registration leaves a "not provided", never a failed PDF.
async fn context(
    app: &App,
    conn: &mut Conn,
    row: &ReportRow,
    registration: Option<&str>,
    requested: Option<Locale>,
) -> Context {
    let institution = match app.directory.get(&row.institution_code) {
        Some(i) => InstitutionInfo {
            code: i.institution_code.clone(),
            name: i.name.clone(),
            cnpj: i.cnpj.clone(),
            compe_code: i.compe_code.clone(),
        },
        None => InstitutionInfo {
            code: row.institution_code.clone(),
            name: row.institution_code.clone(),
            ..InstitutionInfo::default()
        },
    };
    let permissions = match ponte_store::consent_by_id(conn, &row.consent_id).await {
        Ok(Some(consent)) => serde_json::from_str(&consent.permissions).unwrap_or_default(),
        _ => Vec::new(),
    };
    let link = ponte_store::link_for_client(conn, &row.client_id, &row.link_id)
        .await
        .ok()
        .flatten();
    let link_locale = link.as_ref().and_then(|l| {
        serde_json::from_str::<Value>(&l.external_info)
            .ok()?
            .get("locale")?
            .as_str()
            .and_then(Locale::parse)
    });
    let details: Option<LinkDetails> = link.as_ref().and_then(|l| {
        app.crypto
            .open_json(slots::link_details(&l.id), &l.details_enc)
            .ok()
    });
    let mut holder = registration_holder(app, conn, row, registration).await;
    if holder.tax_id.is_none() {
        holder.tax_id = details
            .as_ref()
            .and_then(|d| d.personal_tax_id.clone().or(d.business_tax_id.clone()));
    }
    if holder.name.is_none() {
        if let Some(link) = &link {
            let client = ponte_core::ClientId::from_trusted(row.client_id.clone());
            holder.name = super::end_users::find(app, &client, &link.end_user_id)
                .await
                .ok()
                .and_then(|u| u.profile.full_name);
        }
    }
    Context {
        locale: requested.or(link_locale).unwrap_or_default(),
        institution,
        holder,
        permissions,
    }
}

/// The holder as the institution registers them: from this report when it
/// is the registration (its text, `registration`), else from the consent's
/// latest registration report.
async fn registration_holder(
    app: &App,
    conn: &mut Conn,
    row: &ReportRow,
    registration: Option<&str>,
) -> Holder {
    if let Some(text) = registration {
        return holder_of(text);
    }
    let latest = ponte_store::report_versions(conn, &row.consent_id, "registration")
        .await
        .ok()
        .and_then(|ids| ids.last().cloned());
    let Some(id) = latest else {
        return Holder::default();
    };
    let Ok(Some(reg_row)) = ponte_store::report_by_id(conn, &id).await else {
        return Holder::default();
    };
    match body(app, conn, &reg_row).await {
        Ok(reg) if reg.status == ReportOutcome::Success => holder_of(reg.data.get()),
        _ => Holder::default(),
    }
}

/// Name and CPF (or company name and CNPJ) of a registration report's data.
fn holder_of(raw: &str) -> Holder {
    let Ok(data) = serde_json::from_str::<Value>(raw) else {
        return Holder::default();
    };
    let id = &data["identifications"][0];
    let text = |v: &Value| v.as_str().map(str::to_string);
    Holder {
        name: text(&id["civilName"]).or(text(&id["companyName"])),
        tax_id: text(&id["documents"]["cpfNumber"])
            .or(text(&id["cnpjNumber"]))
            .or(text(&id["companyCnpj"][0])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_comes_from_the_registration() {
        let h = holder_of(
            r#"{"identifications":[{"civilName":"João Pereira Alves","documents":{"cpfNumber":"52998224725"}}]}"#,
        );
        assert_eq!(h.name.as_deref(), Some("João Pereira Alves"));
        assert_eq!(h.tax_id.as_deref(), Some("52998224725"));
        assert!(holder_of("null").name.is_none());
    }
}
