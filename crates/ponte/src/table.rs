//! The one table every `list` command prints without `--json`: a header row
//! in capitals, columns padded to their widest cell, the last one unpadded.

/// Prints `rows` under `headers`, or `empty` when there are none.
pub fn print(headers: &[&str], rows: &[Vec<String>], empty: &str) {
    if rows.is_empty() {
        println!("{empty}");
        return;
    }
    print!("{}", render(headers, rows));
}

fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
                .max(h.chars().count())
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            if i == last {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:w$}  ", w = widths[i]));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_line_up_under_their_headers() {
        let rows = vec![
            vec!["a".to_string(), "longer value".to_string(), "x".to_string()],
            vec!["bbbbbb".to_string(), "v".to_string(), "last".to_string()],
        ];
        let out = super::render(&["ID", "VALUE", "END"], &rows);
        assert_eq!(
            out,
            "ID      VALUE         END\na       longer value  x\nbbbbbb  v             last\n"
        );
    }
}
