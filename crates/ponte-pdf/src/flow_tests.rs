//! The writer read back by `pdftotext` (poppler-utils), as a reader would.

use super::*;

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext refused the file");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn chrome() -> Chrome {
    Chrome {
        title: "Extrato".into(),
        running: "Titular: Maria".into(),
        footer: "Relatório r1".into(),
        page_word: "Página",
        of_word: "de",
    }
}

#[test]
fn a_long_table_runs_over_pages_numbered_n_of_total_with_its_header_and_caption() {
    let mut d = Document::new(Vec::new(), chrome()).expect("header written");
    d.heading("Transações");
    d.begin_table_continued(
        "Conta 1 — Transações (continuação)",
        &[Column::left("Data", 80.0), Column::right("Valor", 120.0)],
    );
    for i in 0..300 {
        d.row(&[format!("linha {i:03}"), format!("R$ {i},00")]);
    }
    d.end_table();
    let pages = d.pages();
    let text = text_of(&d.finish().expect("written"));
    assert!(pages >= 5, "{pages} pages");
    for n in 1..=pages {
        assert!(
            text.contains(&format!("Página {n} de {pages}")),
            "page {n}\n{text}"
        );
    }
    assert_eq!(text.matches("Titular: Maria").count(), pages);
    assert_eq!(text.matches("(continuação)").count(), pages - 1);
    assert_eq!(text.matches("Valor").count(), pages);
    for i in 0..300 {
        assert!(text.contains(&format!("linha {i:03}")), "row {i}");
    }
}

#[test]
fn a_cell_wider_than_its_column_wraps_and_keeps_every_word() {
    let mut d = Document::new(Vec::new(), chrome()).expect("header written");
    let long = "Transferência entre contas da mesma instituição com um nome comprido";
    d.table(
        &[Column::left("Tipo", 90.0), Column::right("Valor", 60.0)],
        &[vec![long.to_string(), "R$ 1,00".into()]],
    );
    let text = text_of(&d.finish().expect("written"));
    for word in long.split(' ') {
        assert!(text.contains(word), "{word} is missing\n{text}");
    }
    assert!(!text.contains('…'));
}

/// A writer whose reader went away after `left` bytes.
struct Closing {
    left: usize,
}

impl Write for Closing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left < buf.len() {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "gone"));
        }
        self.left -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_reader_that_goes_away_stops_the_document_with_the_error() {
    let mut d = Document::new(Closing { left: 2_000 }, chrome()).expect("header written");
    d.begin_table(&[Column::left("Data", 80.0)]);
    for i in 0..500 {
        d.row(&[format!("linha {i}")]);
    }
    d.end_table();
    let err = d.finish().err().expect("the write error comes back");
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
}

#[test]
fn the_document_is_titled_for_the_reader() {
    let d = Document::new(Vec::new(), chrome()).expect("header written");
    let pdf = d.finish().expect("written");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let out = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    let info = String::from_utf8_lossy(&out.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Title:") && l.ends_with("Extrato")),
        "{info}"
    );
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 1")),
        "{info}"
    );
}
