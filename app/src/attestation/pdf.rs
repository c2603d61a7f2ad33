//! The volunteer attestation as a PDF file: one A4 page saying what the
//! printable page says ([`super::wording`]), for a tutor to send to their
//! university. Written with `printpdf` in the PDF standard fonts
//! (Helvetica), which every reader has, so no font file ships with it.
//!
//! Those fonts encode text in Windows-1252 (PDF 1.7, annex D): French and
//! English text fits; any other character is written `?`. The no-break
//! spaces of French punctuation become plain spaces (lopdf, which writes
//! the bytes, has no code for them) and soft hyphens are left out. The
//! document's title stays ASCII: printpdf 0.7 writes it as UTF-8, which
//! readers would show garbled.

use printpdf::{BuiltinFont, IndirectFontRef, Mm, PdfDocument, PdfLayerReference};

use super::{wording, Attestation};
use crate::i18n::Lang;

/// Left margin and the start of the facts' values, in millimetres.
const LEFT: f32 = 25.0;
const VALUES: f32 = 80.0;
/// Characters per line of 11-point Helvetica on 160 mm, and of a value on
/// the 105 mm right of the labels (French text averages a little under
/// half the font size a character; measured on the rendered page).
const BODY_CHARS: usize = 90;
const VALUE_CHARS: usize = 58;
/// One typographic point, in millimetres.
const POINT: f32 = 0.3528;

/// The characters Windows-1252 has above ASCII.
const WINDOWS_1252_EXTRA: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

/// `text` as the standard fonts can show it.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\u{ad}')
        .map(|c| match c {
            '\u{202f}' | '\u{a0}' => ' ',
            ' '..='~' | '\u{a1}'..='\u{ff}' => c,
            _ if WINDOWS_1252_EXTRA.contains(c) => c,
            _ => '?',
        })
        .collect()
}

/// Writes lines from the top of the page down.
struct Writer {
    layer: PdfLayerReference,
    /// The next baseline, in millimetres from the bottom.
    y: f32,
}

impl Writer {
    fn line(&mut self, text: &str, size: f32, x: f32, font: &IndirectFontRef) {
        self.layer
            .use_text(printable(text), size, Mm(x), Mm(self.y), font);
        self.y -= size * POINT * 1.45;
    }

    /// `text` wrapped to the page's width at `size` points.
    fn paragraph(&mut self, text: &str, size: f32, font: &IndirectFontRef) {
        let chars = (BODY_CHARS as f32 * 11.0 / size) as usize;
        for line in textwrap::wrap(text, chars) {
            self.line(&line, size, LEFT, font);
        }
        self.y -= size * POINT;
    }
}

/// The PDF file of `found`, in `lang`.
///
/// # Errors
/// `printpdf`'s, in words.
pub fn render(found: &Attestation, lang: Lang) -> Result<Vec<u8>, String> {
    let words = wording(found, lang);
    let (doc, page, layer) = PdfDocument::new(
        format!("Binome - attestation {} {}", found.from, found.to),
        Mm(210.0),
        Mm(297.0),
        "attestation",
    );
    let regular = doc
        .add_builtin_font(BuiltinFont::Helvetica)
        .map_err(|e| e.to_string())?;
    let bold = doc
        .add_builtin_font(BuiltinFont::HelveticaBold)
        .map_err(|e| e.to_string())?;
    let mut out = Writer {
        layer: doc.get_page(page).get_layer(layer),
        y: 265.0,
    };
    out.line("Binôme", 10.0, LEFT, &bold);
    out.y -= 6.0;
    out.line(&words.title, 20.0, LEFT, &bold);
    out.y -= 6.0;
    out.paragraph(&words.body, 11.0, &regular);
    for (_, label, value) in &words.facts {
        let top = out.y;
        out.line(label, 11.0, LEFT, &bold);
        let below_label = out.y;
        out.y = top;
        for line in textwrap::wrap(value, VALUE_CHARS) {
            out.line(&line, 11.0, VALUES, &regular);
        }
        out.y = out.y.min(below_label) - 2.0;
    }
    out.y -= 6.0;
    out.paragraph(&words.issued, 9.0, &regular);
    doc.save_to_bytes().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Attestation {
        Attestation {
            tutor_id: 7,
            tutor_name: "Maëlys Payet".to_owned(),
            institution: "Université de La Réunion".to_owned(),
            field_of_study: "Mathématiques".to_owned(),
            from: "2027-03-01".to_owned(),
            to: "2027-03-31".to_owned(),
            sessions: 3,
            minutes: 150,
            pupils: 2,
            subjects: vec!["spe_mathematiques".to_owned()],
            issued_on: "2027-04-02".to_owned(),
            issued_by: Some("Camille Durand".to_owned()),
            academies: vec!["toulouse".to_owned()],
        }
    }

    #[test]
    fn the_file_says_what_the_page_says_accents_included() {
        let bytes = render(&sample(), Lang::Fr).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        let document = lopdf::Document::load_mem(&bytes).expect("a readable PDF");
        let pages = document.get_pages();
        assert_eq!(pages.len(), 1);
        // Every shown string, read as the fonts declare it: Windows-1252.
        let content = document
            .get_and_decode_page_content(pages[&1])
            .expect("its content");
        let lines: Vec<String> = content
            .operations
            .iter()
            .filter(|op| op.operator == "Tj")
            .filter_map(|op| match op.operands.first() {
                Some(lopdf::Object::String(bytes, _)) => {
                    Some(encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned())
                }
                _ => None,
            })
            .collect();
        // Wrapped lines joined again.
        let text = lines.join(" ");
        assert_eq!(lines[0], "Binôme");
        assert_eq!(lines[1], "Attestation de bénévolat");
        for expected in [
            "Maëlys Payet a accompagné bénévolement des lycéens de l’académie de Toulouse \
             du 1er mars 2027 au 31 mars 2027",
            "Étudiant·e",
            "Université de La Réunion",
            "Séances tenues",
            "2 h 30",
            "Mathématiques (spécialité)",
            "Camille Durand",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text:?}");
        }
    }

    #[test]
    fn characters_the_standard_fonts_lack_become_question_marks() {
        assert_eq!(
            printable("Łukasz «\u{a0}œuvre\u{a0}» 5\u{202f}€ dé\u{ad}but"),
            "?ukasz « œuvre » 5 € début"
        );
        assert_eq!(printable("名前"), "??");
    }
}
