//! A report of tens of thousands of rows is written as it is drawn: bytes
//! reach the reader page by page, and the process's peak memory grows by far
//! less than the document (`user_big`'s accounts report lists 20,000+
//! transactions; the budget is that no copy of the whole PDF is ever held).

use ponte_pdf::{Chrome, Column, Document};
use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;

/// Counts what it is given and keeps none of it, like a socket.
struct Counter(Rc<Cell<u64>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The process's peak resident set (`VmHWM`), in KiB.
#[cfg(target_os = "linux")]
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse().ok())
        .expect("VmHWM")
}

#[cfg(not(target_os = "linux"))]
fn peak_kib() -> u64 {
    0
}

#[test]
fn sixty_thousand_rows_stream_out_page_by_page_within_bounded_memory() {
    let written = Rc::new(Cell::new(0u64));
    let before = peak_kib();
    let chrome = Chrome {
        title: "Contas".into(),
        running: "Titular: Maria da Silva · CPF ***.456.789-**".into(),
        footer: "Relatório de teste".into(),
        page_word: "Página",
        of_word: "de",
    };
    let mut d = Document::new(Counter(written.clone()), chrome).expect("header");
    d.begin_table_continued(
        "Conta 0001 — transações (continuação)",
        &[
            Column::left("Data", 60.0),
            Column::left("Descrição", 260.0),
            Column::right("Valor", 90.0),
            Column::right("Saldo", 89.0),
        ],
    );
    let mut seen_mid_document = 0;
    for i in 0..60_000u32 {
        d.row(&[
            format!("{:02}/{:02}/2024", i % 28 + 1, i % 12 + 1),
            format!("PIX ENVIADO — MERCADO DO BAIRRO LTDA {i:06}"),
            format!("-R$ {},{:02}", i % 900, i % 100),
            format!("R$ {}.{:03},00", 10 + i % 80, i % 1000),
        ]);
        if i == 30_000 {
            seen_mid_document = written.get();
        }
    }
    d.end_table();
    let pages = d.pages();
    d.finish().expect("written");
    let total = written.get();
    let growth = peak_kib().saturating_sub(before);
    eprintln!("{pages} pages, {total} bytes, peak grew {growth} KiB");
    assert!(pages > 1_000, "{pages} pages");
    // Half-way through, about half the bytes have already gone out.
    assert!(
        seen_mid_document > total / 3,
        "{seen_mid_document} of {total} bytes out half-way"
    );
    // Holding the document (or its pages) anywhere would grow the peak by at
    // least its size; only the page list (a number per page) grows with it.
    assert!(
        growth * 1024 < total / 2,
        "peak memory grew {growth} KiB for a {total}-byte document"
    );
}
