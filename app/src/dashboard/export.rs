//! The dashboard's figures as a file (`indicateurs.csv`): one line for the
//! whole scope, then one per subject and one per school, in the format of
//! the coordinator's other exports (`crate::spreadsheet`). Decimals use a
//! comma, as a spreadsheet in French settings reads them; programs read
//! them with a decimal comma (`pandas.read_csv(sep=";", decimal=",")`).
//! An empty cell is a figure with nothing to average.

use super::{Dashboard, Figures};
use crate::i18n::{decimal, text, Lang};
use crate::spreadsheet::text_cell;

/// The columns, after the scope (`total`, `subject`, `school`), its code
/// and its name.
const FIGURES: [&str; 12] = [
    "waiting",
    "median_wait_days",
    "active_pairs",
    "held_this_week",
    "missed_this_week",
    "held_this_year",
    "missed_this_year",
    "volunteer_hours",
    "average_rating",
    "ratings",
    "confidence_change",
    "median_days_to_first_session",
];

fn cells(f: &Figures) -> [String; 12] {
    let number = |value: Option<f64>, places: usize| {
        value.map_or_else(String::new, |v| decimal(Lang::Fr, v, places))
    };
    [
        f.waiting.to_string(),
        number(f.median_wait_days, 1),
        f.active_pairs.to_string(),
        f.held_this_week.to_string(),
        f.missed_this_week.to_string(),
        f.held_this_year.to_string(),
        f.missed_this_year.to_string(),
        number(Some(f64::from(f.volunteer_minutes) / 60.0), 2),
        number(f.average_rating, 2),
        f.ratings.to_string(),
        number(f.confidence_change, 2),
        number(f.median_days_to_first_session, 1),
    ]
}

/// The file's lines, the header's words in `lang`; subjects named in
/// `lang`, schools by their name.
pub fn rows(found: &Dashboard, lang: Lang) -> Vec<Vec<String>> {
    let header: Vec<String> = ["scope", "code", "name"]
        .into_iter()
        .chain(FIGURES)
        .map(|key| text(lang, &format!("dashboard.csv.{key}")))
        .collect();
    let line = |scope: &str, code: &str, name: String, f: &Figures| {
        let mut line = vec![scope.to_owned(), code.to_owned(), text_cell(name)];
        line.extend(cells(f));
        line
    };
    let mut rows = vec![
        header,
        line(
            "total",
            &found.academies.join(","),
            crate::academies::academy_names(&found.academies),
            &found.total,
        ),
    ];
    for row in &found.subjects {
        let name = crate::pages::needs::subject_label(&row.code, lang);
        rows.push(line("subject", &row.code, name, &row.figures));
    }
    for row in &found.schools {
        rows.push(line("school", &row.code, row.name.clone(), &row.figures));
    }
    rows
}
