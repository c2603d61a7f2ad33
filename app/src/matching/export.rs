//! The supply gap as a CSV file a spreadsheet in French settings opens
//! as it is (UTF-8 with a byte-order mark, `;` between fields, CRLF line
//! ends) and a program reads too (one header line, codes beside labels).

use tower_sessions::Session;

use super::handlers::{first_day, run, scope_today};
use super::GapRow;
use crate::accounts::actor::Actor;
use crate::accounts::Role;
use crate::availability::WEEKDAY_KEYS;
use crate::error::AppError;
use crate::i18n::{text, Lang};
use crate::levels::level;
use crate::state::AppState;
use crate::subjects::subject;

/// The file's name for a run starting on `start` (`YYYY-MM-DD`).
pub fn file_name(start: &str) -> String {
    format!("besoins-non-couverts-{start}.csv")
}

/// The rows as CSV, headers in `lang`.
///
/// # Errors
/// Only if writing to memory fails (it does not).
pub fn to_csv(rows: &[GapRow], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut lines = vec![vec![
        text(lang, "matching.gap.subject"),
        "subject_code".to_owned(),
        text(lang, "matching.gap.level"),
        "level_code".to_owned(),
        text(lang, "matching.gap.weekday"),
        text(lang, "matching.gap.band"),
        text(lang, "matching.gap.pupils"),
    ]];
    for row in rows {
        let day = usize::from(row.weekday.clamp(1, 7) - 1);
        lines.push(vec![
            subject(&row.subject).map_or(row.subject.clone(), |s| s.label(lang).to_owned()),
            row.subject.clone(),
            level(&row.level).map_or(row.level.clone(), |l| l.label(lang).to_owned()),
            row.level.clone(),
            text(lang, WEEKDAY_KEYS[day]),
            text(lang, row.band.label_key()),
            row.pupils.to_string(),
        ]);
    }
    crate::spreadsheet::to_csv(&lines)
}

/// `GET /coordination/appariement/besoins.csv?debut=YYYY-MM-DD`: the
/// supply gap of a dry run on the coordinator's scope. Returns the file's
/// name and bytes.
///
/// # Errors
/// As [`super::matching_dry_run`].
pub async fn supply_gap_csv(
    state: &AppState,
    session: &Session,
    start: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let actor = Actor::require_on(state, session, &[Role::Coordinator]).await?;
    let today = scope_today(state, &actor).await?;
    let first = first_day(start, today)?;
    let lang = actor.user.lang;
    let run = run(state, &actor, first, lang).await?;
    let bytes = to_csv(&run.gaps, lang).map_err(|e| AppError::internal(e.to_string()))?;
    Ok((file_name(&run.start), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Band;

    #[test]
    fn the_file_opens_in_a_french_spreadsheet_and_reads_back() {
        let rows = vec![GapRow {
            subject: "spe_mathematiques".into(),
            level: "premiere_generale".into(),
            weekday: 3,
            band: Band::Afternoon,
            pupils: 4,
        }];
        let bytes = to_csv(&rows, Lang::Fr).expect("CSV");
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        assert!(text.ends_with("\r\n"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let headers = reader.headers().expect("headers").clone();
        assert_eq!(headers.get(1), Some("subject_code"));
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(records.len(), 1);
        let row = &records[0];
        assert_eq!(row.get(0), Some("Mathématiques (spécialité)"));
        assert_eq!(row.get(1), Some("spe_mathematiques"));
        assert_eq!(row.get(2), Some("Première générale"));
        assert_eq!(row.get(3), Some("premiere_generale"));
        assert_eq!(row.get(4), Some("mercredi"));
        assert_eq!(row.get(5), Some("après-midi"));
        assert_eq!(row.get(6), Some("4"));
    }
}
