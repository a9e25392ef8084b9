//! Helvetica and Helvetica-Bold, the two standard fonts every PDF reader
//! has: WinAnsi bytes for the text and the fonts' own advance widths, so a
//! cell can be wrapped where it really ends instead of cut short.

/// Advance widths (thousandths of an em) of ASCII 32..=126, from the
/// Adobe font metrics of Helvetica.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// The same for Helvetica-Bold.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The letter an accented Latin-1 letter is drawn on: it has its width.
fn base_letter(c: char) -> char {
    match c {
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ñ' => 'N',
        'Ò'..='Ö' => 'O',
        'Ù'..='Ü' => 'U',
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' => 'o',
        'ù'..='ü' => 'u',
        'º' | 'ª' => 'o',
        other => other,
    }
}

/// Width of `text` at `size` points.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &BOLD } else { &REGULAR };
    let em: u32 = text
        .chars()
        .map(|c| {
            let c = base_letter(c);
            match c as u32 {
                code @ 32..=126 => u32::from(table[code as usize - 32]),
                // Dashes, quotes and the rest: as wide as the widest of them.
                _ => 1000,
            }
        })
        .sum();
    em as f32 / 1000.0 * size
}

/// Text in WinAnsi bytes; characters outside it become `?`.
pub fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// `text` in lines no wider than `max` points: broken at spaces, and a
/// word wider than a line is broken between letters. Nothing is dropped.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if width(&line, size, bold) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_and_keep_every_letter() {
        let label = "Transferência entre contas da mesma instituição";
        let lines = wrap(label, 8.5, false, 80.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| width(l, 8.5, false) <= 80.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), label);
        let word = wrap("FOLHA_PAGAMENTO_COM_UM_NOME_MUITO_LONGO", 8.5, false, 40.0);
        assert_eq!(word.concat(), "FOLHA_PAGAMENTO_COM_UM_NOME_MUITO_LONGO");
    }

    #[test]
    fn helvetica_widths() {
        assert!((width("R$ 1.234,56", 10.0, false) - 54.48).abs() < 0.01);
        assert!(width("Água", 10.0, true) > width("agua", 10.0, true));
    }
}
