//! The portals' PDFs read back with `pdftotext`, as a person or a tax program
//! would read them: statements add up line by line, the 1099s carry the
//! statements' figures, and the same document is the same bytes every time.

use std::process::Command;

use rust_decimal::Decimal;

const YEAR: i64 = 2024;

fn pdf(portal: &str, user: &str, id: &str) -> Vec<u8> {
    ponte_sandbox::document_pdf(portal, user, id).unwrap_or_else(|| panic!("{portal} has no {id}"))
}

/// The PDF's text; `layout` keeps each printed row on one line.
fn text(bytes: &[u8], layout: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn money(token: &str) -> Option<Decimal> {
    let t = token.replace([',', '$'], "");
    if !t.contains('.') {
        return None;
    }
    t.parse().ok()
}

/// The amount printed right after `label` (the box's `$ value`).
fn after(text: &str, label: &str) -> Decimal {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} not in:\n{text}"));
    text[at + label.len()..]
        .split_whitespace()
        .find_map(money)
        .unwrap_or_else(|| panic!("no amount after {label:?}"))
}

/// The amounts of the first line that starts with `head`, in order.
fn row(text: &str, head: &str) -> Vec<Decimal> {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with(head))
        .unwrap_or_else(|| panic!("no line starting {head:?} in:\n{text}"))
        .split_whitespace()
        .filter_map(money)
        .collect()
}

struct Parsed {
    beginning: Decimal,
    ending: Decimal,
    deposits: Decimal,
    withdrawals: Decimal,
    interest: Decimal,
}

/// Checks a statement's arithmetic line by line and returns its figures.
fn check_statement(month: u32) -> Parsed {
    let t = text(
        &pdf(
            "harborline",
            "user_good",
            &format!("statement-{YEAR}-{month:02}"),
        ),
        true,
    );
    let detail = &t[t
        .find("TRANSACTION DETAIL")
        .expect("a transaction detail section")..];
    let beginning = *row(detail, "Beginning Balance").last().unwrap();
    let mut balance = beginning;
    let (mut deposits, mut withdrawals, mut interest) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut lines = 0;
    for line in detail.lines().map(str::trim) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let dated = tokens.first().is_some_and(|d| {
            d.len() == 5
                && d.as_bytes()[2] == b'/'
                && d.replace('/', "").bytes().all(|b| b.is_ascii_digit())
        });
        if !dated || tokens.len() < 4 {
            continue;
        }
        let amount = money(tokens[tokens.len() - 2]).expect("an amount column");
        let after = money(tokens[tokens.len() - 1]).expect("a balance column");
        balance += amount;
        assert_eq!(
            balance, after,
            "running balance after {line:?} in month {month}"
        );
        if amount > Decimal::ZERO {
            deposits += amount;
        } else {
            withdrawals -= amount;
        }
        if line.contains("INTEREST PAYMENT") {
            interest += amount;
        }
        lines += 1;
    }
    assert!(lines >= 8, "month {month} has only {lines} lines");
    let ending = *row(detail, "Ending Balance").last().unwrap();
    assert_eq!(
        balance, ending,
        "month {month}: the lines end at the ending balance"
    );
    // The summary box agrees with the detail (its amount is the row's first:
    // the interest figures share the printed line).
    assert_eq!(row(&t, "Beginning Balance")[0], beginning);
    assert_eq!(row(&t, "Deposits and Additions")[0], deposits);
    assert_eq!(row(&t, "Withdrawals and Debits")[0], -withdrawals);
    assert_eq!(row(&t, "Ending Balance")[0], ending);
    assert_eq!(beginning + deposits - withdrawals, ending);
    assert_eq!(after(&t, "Interest Paid This Period"), interest);
    assert!(interest > Decimal::ZERO);
    Parsed {
        beginning,
        ending,
        deposits,
        withdrawals,
        interest,
    }
}

#[test]
fn statements_add_up_and_chain_month_to_month() {
    let months: Vec<Parsed> = (1..=12).map(check_statement).collect();
    for pair in months.windows(2) {
        assert_eq!(
            pair[0].ending, pair[1].beginning,
            "a month opens where the last one closed"
        );
    }
    let t = text(
        &pdf("harborline", "user_good", &format!("statement-{YEAR}-03")),
        false,
    );
    assert!(t.contains("March 1, 2024 through March 31, 2024"), "{t}");
    assert!(t.contains("Account Number: XXXXXX"));
}

#[test]
fn the_1099_int_and_the_year_end_summary_carry_the_statements_interest() {
    let months: Vec<Parsed> = (1..=12).map(check_statement).collect();
    let interest: Decimal = months.iter().map(|m| m.interest).sum();

    let form = text(
        &pdf("harborline", "user_good", &format!("1099-int-{YEAR}")),
        false,
    );
    assert_eq!(after(&form, "Interest income"), interest);
    for must in [
        "Form 1099-INT",
        "OMB No. 1545-0112",
        "For calendar year",
        "Copy B",
        "PAYER'S TIN",
        "RECIPIENT'S TIN",
        "HARBORLINE BANK, N.A.",
        "Early withdrawal penalty",
        "Federal income tax withheld",
    ] {
        assert!(
            form.contains(must),
            "{must:?} missing from the 1099-INT:\n{form}"
        );
    }
    assert!(form.contains(&YEAR.to_string()));
    // The recipient's TIN is masked: only the last four digits show.
    let tin = form
        .lines()
        .find(|l| l.starts_with("***-**-"))
        .expect("a masked TIN");
    assert_eq!(tin.trim().len(), 11);

    let summary = text(
        &pdf(
            "harborline",
            "user_good",
            &format!("year-end-summary-{YEAR}"),
        ),
        true,
    );
    assert_eq!(
        after(&summary, "(reported on Form 1099-INT, box 1)"),
        interest
    );
    let total = row(&summary, "Year total");
    let deposits: Decimal = months.iter().map(|m| m.deposits).sum();
    let withdrawals: Decimal = months.iter().map(|m| m.withdrawals).sum();
    assert_eq!(
        total,
        vec![
            months[0].beginning,
            deposits,
            -withdrawals,
            interest,
            months[11].ending
        ]
    );
}

#[test]
fn brokerage_1099s_agree_with_the_year_end_report() {
    let div = text(
        &pdf("summitridge", "user_good", &format!("1099-div-{YEAR}")),
        false,
    );
    let report = text(
        &pdf(
            "summitridge",
            "user_good",
            &format!("year-end-summary-{YEAR}"),
        ),
        true,
    );
    for (box_label, report_label) in [
        (
            "Total ordinary dividends",
            "Total ordinary dividends (box 1a)",
        ),
        ("Qualified dividends", "Qualified dividends (box 1b)"),
        (
            "Total capital gain distr.",
            "Total capital gain distributions (box 2a)",
        ),
        ("Foreign tax paid", "Foreign tax paid (box 7)"),
    ] {
        assert_eq!(
            after(&div, box_label),
            after(&report, report_label),
            "{box_label}"
        );
    }
    assert!(div.contains("Form 1099-DIV") && div.contains("OMB No. 1545-0110"));
    // The report's dividend lines add up to box 1a.
    let detail = &report[report.find("DIVIDENDS AND DISTRIBUTIONS RECEIVED").unwrap()..];
    let ordinary: Decimal = detail
        .lines()
        .filter(|l| l.trim().get(2..3) == Some("/"))
        .map(|l| l.split_whitespace().filter_map(money).next().unwrap())
        .sum();
    assert_eq!(ordinary, after(&div, "Total ordinary dividends"));

    let b = text(
        &pdf("summitridge", "user_good", &format!("1099-b-{YEAR}")),
        true,
    );
    assert!(b.contains("1099-B") && b.contains("OMB No. 1545-0715"));
    assert!(b.contains("Proceeds From Broker and"));
    let form_total = row(&b, "Total ");
    let realized = &report[report.find("REALIZED GAINS AND LOSSES").unwrap()..];
    let report_total = row(realized, "Total ");
    assert_eq!(form_total.len(), 4);
    assert_eq!(
        form_total, report_total,
        "proceeds, cost, wash sale and gain agree"
    );
    assert_eq!(form_total[0] - form_total[1] + form_total[2], form_total[3]);
    // Each section's totals row adds up its transactions.
    let short = row(&b, "Short-term, basis reported");
    let long = row(&b, "Long-term, basis reported");
    for i in 0..4 {
        assert_eq!(short[i] + long[i], form_total[i]);
    }
}

#[test]
fn crypto_1099_b_matches_its_gain_loss_summary() {
    let b = text(&pdf("lumen", "user_good", &format!("1099-b-{YEAR}")), true);
    let summary = text(
        &pdf("lumen", "user_good", &format!("year-end-summary-{YEAR}")),
        true,
    );
    assert!(b.contains("Digital assets"));
    assert_eq!(row(&b, "Total "), row(&summary, "Total "));
    assert_eq!(row(&b, "Total ").len(), 4);
    assert!(
        ponte_sandbox::document_pdf("lumen", "user_good", &format!("1099-int-{YEAR}")).is_none()
    );
}

#[test]
fn documents_are_the_same_bytes_every_time_and_differ_per_user() {
    for (portal, id) in [
        ("harborline", format!("statement-{YEAR}-07")),
        ("harborline", format!("1099-int-{YEAR}")),
        ("summitridge", format!("1099-b-{YEAR}")),
        ("lumen", format!("year-end-summary-{YEAR}")),
    ] {
        let a = pdf(portal, "user_good", &id);
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, pdf(portal, "user_good", &id), "{portal} {id}");
        assert_ne!(
            a,
            pdf(portal, "user_mfa", &id),
            "{portal} {id} must depend on the user"
        );
    }
}
