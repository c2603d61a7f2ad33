//! CSV files made for spreadsheets in French settings, which open them as
//! they are: UTF-8 with a byte-order mark, `;` between fields, CRLF line
//! ends; programs read them too (one header line). Every CSV download of
//! the platform is written here.

/// `text`, typed by someone, made safe to open in a spreadsheet: one that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be
/// read as a formula, so it gets a leading `'` (OWASP's advice on CSV
/// injection). Codes, numbers and dates are ours and left as they are.
pub fn text_cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// `rows` (the header first) as such a file.
///
/// # Errors
/// Only if writing to memory fails (it does not).
pub fn to_csv(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}
