//! Importing the national school directory: the CSV of the Ministry of
//! Education's open dataset "Annuaire de l'éducation"
//! (`fr-en-annuaire-education`), in the columns of
//! `lycees-occitanie.csv`:
//!
//! `uai,nom,nature,statut,commune,code_postal,departement,academie,region,
//! voie_generale,voie_technologique,voie_professionnelle,latitude,longitude`
//!
//! An import is all or nothing: every row is checked first and every bad
//! row reported with its line number and reason; if there is none, all rows
//! are upserted by UAI in one transaction. Importing the same file twice
//! changes nothing.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Uai, UaiError};
use crate::academies::french_sort_key;
use crate::db::{Db, Tx};
use crate::i18n::Lang;

/// The columns a directory file must have (others are ignored).
pub const COLUMNS: [&str; 13] = [
    "uai",
    "nom",
    "nature",
    "statut",
    "commune",
    "code_postal",
    "departement",
    "academie",
    "voie_generale",
    "voie_technologique",
    "voie_professionnelle",
    "latitude",
    "longitude",
];

/// The ministry's `nature` of schools that teach only after the
/// baccalauréat (BTS, classes préparatoires): they have no lycée pupils.
pub const POST_BACCALAUREATE_ONLY_NATURE: &str = "ECOLES COMPOSEES UNIQT DE STS ET OU CPGE";

/// Public or private (*sous contrat* or not, the directory does not say).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Public,
    Private,
}

impl Sector {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Public => "public",
            Sector::Private => "private",
        }
    }
}

/// One school as the directory describes it, checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolRecord {
    pub uai: Uai,
    pub name: String,
    /// The ministry's label, e.g. `LYCEE POLYVALENT`.
    pub nature: String,
    pub sector: Sector,
    pub commune: String,
    pub postal_code: String,
    pub department: String,
    /// Code of the académie (see `academies`).
    pub academy_code: String,
    /// Whether the school teaches each voie; `None` when the directory does
    /// not say.
    pub general_track: Option<bool>,
    pub technological_track: Option<bool>,
    pub vocational_track: Option<bool>,
    /// WGS84 degrees, when known.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Teaches only after the baccalauréat: never offered to pupils.
    pub post_baccalaureate_only: bool,
}

impl SchoolRecord {
    /// The words a search looks for (see [`crate::schools::search`]).
    pub fn search_key(&self) -> String {
        crate::schools::search::search_words(&format!(
            "{} {} {}",
            self.name, self.commune, self.uai
        ))
        .join(" ")
    }
}

/// What is wrong with one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RowProblem {
    /// The file lacks required columns (reported on line 1).
    MissingColumns {
        columns: Vec<String>,
    },
    /// The line cannot be read as CSV (wrong number of fields, bad quoting).
    Malformed {
        detail: String,
    },
    Uai {
        value: String,
        error: UaiErrorKind,
    },
    /// The same UAI appears on an earlier line.
    DuplicateUai {
        value: String,
        first_line: u64,
    },
    /// A required column is empty.
    Missing {
        column: String,
    },
    UnknownAcademy {
        value: String,
    },
    Sector {
        value: String,
    },
    Track {
        column: String,
        value: String,
    },
    PostalCode {
        value: String,
    },
    /// Latitude or longitude out of range, not a number, or only one given.
    Coordinates {
        latitude: String,
        longitude: String,
    },
}

/// [`UaiError`], as it travels in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UaiErrorKind {
    Format,
    CheckLetter,
}

impl From<UaiError> for UaiErrorKind {
    fn from(error: UaiError) -> UaiErrorKind {
        match error {
            UaiError::Format => UaiErrorKind::Format,
            UaiError::CheckLetter => UaiErrorKind::CheckLetter,
        }
    }
}

/// A bad row: its line in the file (the header is line 1) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub problem: RowProblem,
}

impl RowError {
    /// The reason, in `lang`, without the line number.
    pub fn reason(&self, lang: Lang) -> String {
        use rust_i18n::t;
        let l = lang.code();
        match &self.problem {
            RowProblem::MissingColumns { columns } => {
                t!(
                    "import.problem.columns",
                    locale = l,
                    columns = columns.join(", ")
                )
            }
            RowProblem::Malformed { detail } => {
                t!("import.problem.malformed", locale = l, detail = detail)
            }
            RowProblem::Uai {
                value,
                error: UaiErrorKind::Format,
            } => {
                t!("import.problem.uai_format", locale = l, value = value)
            }
            RowProblem::Uai {
                value,
                error: UaiErrorKind::CheckLetter,
            } => {
                t!("import.problem.uai_check_letter", locale = l, value = value)
            }
            RowProblem::DuplicateUai { value, first_line } => t!(
                "import.problem.duplicate",
                locale = l,
                value = value,
                first_line = first_line
            ),
            RowProblem::Missing { column } => {
                t!("import.problem.missing", locale = l, column = column)
            }
            RowProblem::UnknownAcademy { value } => {
                t!("import.problem.academy", locale = l, value = value)
            }
            RowProblem::Sector { value } => t!("import.problem.sector", locale = l, value = value),
            RowProblem::Track { column, value } => {
                t!(
                    "import.problem.track",
                    locale = l,
                    column = column,
                    value = value
                )
            }
            RowProblem::PostalCode { value } => {
                t!("import.problem.postal_code", locale = l, value = value)
            }
            RowProblem::Coordinates {
                latitude,
                longitude,
            } => t!(
                "import.problem.coordinates",
                locale = l,
                latitude = latitude,
                longitude = longitude
            ),
        }
        .into_owned()
    }

    /// `line N: reason`, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        rust_i18n::t!(
            "import.problem.line",
            locale = lang.code(),
            line = self.line,
            reason = self.reason(lang)
        )
        .into_owned()
    }
}

/// Reads and checks a directory file. `academies` maps académie names (as
/// [`french_sort_key`] gives them) to codes.
///
/// # Errors
/// Every bad row, in file order; nothing is returned then.
pub fn parse(
    mut reader: impl Read,
    academies: &HashMap<String, String>,
) -> Result<Vec<SchoolRecord>, Vec<RowError>> {
    let mut bytes = Vec::new();
    if let Err(error) = reader.read_to_end(&mut bytes) {
        return Err(vec![RowError {
            line: 1,
            problem: RowProblem::Malformed {
                detail: error.to_string(),
            },
        }]);
    }
    // Spreadsheets often save a UTF-8 byte order mark; it is not data.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let lines = LineIndex::new(bytes);
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = match csv.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_owned()).collect(),
        Err(error) => {
            return Err(vec![RowError {
                line: 1,
                problem: RowProblem::Malformed {
                    detail: error.to_string(),
                },
            }])
        }
    };
    let missing: Vec<String> = COLUMNS
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            line: 1,
            problem: RowProblem::MissingColumns { columns: missing },
        }]);
    }
    let index = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let columns: HashMap<&str, usize> = COLUMNS.iter().map(|c| (*c, index(c))).collect();

    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (number, result) in csv.records().enumerate() {
        // Without a position (the csv crate always gives one), count records.
        let fallback_line = number as u64 + 2;
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error
                    .position()
                    .map_or(fallback_line, |p| lines.line_at(p.byte()));
                errors.push(RowError {
                    line,
                    problem: RowProblem::Malformed {
                        detail: error.to_string(),
                    },
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback_line, |p| lines.line_at(p.byte()));
        let field = |name: &str| record.get(columns[name]).unwrap_or_default().trim();
        match check_row(&field, academies) {
            Ok(school) => {
                if let Some(first_line) = seen.get(school.uai.as_str()) {
                    errors.push(RowError {
                        line,
                        problem: RowProblem::DuplicateUai {
                            value: school.uai.to_string(),
                            first_line: *first_line,
                        },
                    });
                } else {
                    seen.insert(school.uai.to_string(), line);
                    records.push(school);
                }
            }
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|problem| RowError { line, problem }),
            ),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Line numbers of byte offsets, counted as an editor does (the csv
/// crate's own count is one short for files with CRLF line ends: a record's
/// position is taken before the `\n` that ends the previous line).
struct LineIndex {
    /// Offsets of every `\n`.
    newlines: Vec<u64>,
    /// Offsets of every `\r` and `\n`.
    line_ends: std::collections::HashSet<u64>,
    len: u64,
}

impl LineIndex {
    fn new(bytes: &[u8]) -> LineIndex {
        let mut newlines = Vec::new();
        let mut line_ends = std::collections::HashSet::new();
        for (offset, byte) in (0_u64..).zip(bytes) {
            if *byte == b'\n' {
                newlines.push(offset);
            }
            if matches!(byte, b'\n' | b'\r') {
                line_ends.insert(offset);
            }
        }
        LineIndex {
            newlines,
            line_ends,
            len: bytes.len() as u64,
        }
    }

    /// The 1-based line of the first byte at or after `offset` that does not
    /// end a line.
    fn line_at(&self, mut offset: u64) -> u64 {
        while offset < self.len && self.line_ends.contains(&offset) {
            offset += 1;
        }
        self.newlines.partition_point(|&n| n < offset) as u64 + 1
    }
}

/// Checks one row, reporting every problem it has.
fn check_row<'a>(
    field: &impl Fn(&str) -> &'a str,
    academies: &HashMap<String, String>,
) -> Result<SchoolRecord, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let uai = Uai::parse(field("uai"))
        .map_err(|error| {
            problems.push(RowProblem::Uai {
                value: field("uai").to_owned(),
                error: error.into(),
            });
        })
        .ok();
    let mut required = |column: &str| {
        let value = field(column);
        if value.is_empty() {
            problems.push(RowProblem::Missing {
                column: column.to_owned(),
            });
        }
        value.to_owned()
    };
    let name = required("nom");
    let nature = required("nature");
    let commune = required("commune");
    let department = required("departement");
    let academy_name = required("academie");
    let statut = required("statut");

    let academy_code = academies.get(&french_sort_key(&academy_name)).cloned();
    if academy_code.is_none() && !academy_name.is_empty() {
        problems.push(RowProblem::UnknownAcademy {
            value: academy_name,
        });
    }
    let sector = match statut.as_str() {
        "Public" => Some(Sector::Public),
        "Privé" | "Prive" => Some(Sector::Private),
        "" => None,
        other => {
            problems.push(RowProblem::Sector {
                value: other.to_owned(),
            });
            None
        }
    };
    let postal_code = field("code_postal").to_owned();
    if postal_code.len() != 5 || !postal_code.chars().all(|c| c.is_ascii_digit()) {
        problems.push(RowProblem::PostalCode {
            value: postal_code.clone(),
        });
    }
    let mut track = |column: &str| match field(column) {
        "1" => Some(true),
        "0" => Some(false),
        "" => None,
        other => {
            problems.push(RowProblem::Track {
                column: column.to_owned(),
                value: other.to_owned(),
            });
            None
        }
    };
    let general_track = track("voie_generale");
    let technological_track = track("voie_technologique");
    let vocational_track = track("voie_professionnelle");

    let (latitude, longitude) = match (field("latitude"), field("longitude")) {
        ("", "") => (None, None),
        (lat, lon) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                (Some(lat), Some(lon))
            }
            _ => {
                problems.push(RowProblem::Coordinates {
                    latitude: lat.to_owned(),
                    longitude: lon.to_owned(),
                });
                (None, None)
            }
        },
    };

    match (uai, sector, academy_code) {
        (Some(uai), Some(sector), Some(academy_code)) if problems.is_empty() => Ok(SchoolRecord {
            uai,
            post_baccalaureate_only: nature == POST_BACCALAUREATE_ONLY_NATURE,
            name,
            nature,
            sector,
            commune,
            postal_code,
            department,
            academy_code,
            general_track,
            technological_track,
            vocational_track,
            latitude,
            longitude,
        }),
        _ => Err(problems),
    }
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Rows in the file.
    pub total: usize,
    /// Schools that were not in the database.
    pub inserted: usize,
    /// Schools whose data changed.
    pub updated: usize,
    /// Schools already as the file says.
    pub unchanged: usize,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad row(s)", .0.len())]
    Rows(Vec<RowError>),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The académies by [`french_sort_key`] of their name, to codes.
///
/// # Errors
/// The database's error.
pub async fn academy_codes(db: &Db) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = crate::on_db!(db, |pool| {
        sqlx::query_as("SELECT name, code FROM academies")
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(name, code)| (french_sort_key(&name), code))
        .collect())
}

/// Checks the whole file, then upserts every school by UAI in one
/// transaction. `progress(done, total)` is called as rows are written (every
/// 50 rows and at the end).
///
/// # Errors
/// [`ImportError::Rows`] with every bad row, or the database's error;
/// nothing is written either way.
pub async fn import(
    db: &Db,
    file: impl Read,
    now: DateTime<Utc>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ImportReport, ImportError> {
    let records = check(db, file).await?;
    let mut tx = db.begin_write().await?;
    let report = write(&mut tx, &records, now, progress).await?;
    tx.commit().await?;
    Ok(report)
}

/// Reads and checks a whole directory file against the académies of `db`.
///
/// # Errors
/// [`ImportError::Rows`] with every bad row, or the database's error.
pub async fn check(db: &Db, file: impl Read) -> Result<Vec<SchoolRecord>, ImportError> {
    let academies = academy_codes(db).await?;
    parse(file, &academies).map_err(ImportError::Rows)
}

/// Upserts checked `records` by UAI inside `tx` (the caller commits, with
/// its audit entry if it writes one). `progress` as for [`import`].
///
/// # Errors
/// The database's error; the caller's transaction should roll back.
pub async fn write(
    tx: &mut Tx,
    records: &[SchoolRecord],
    now: DateTime<Utc>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ImportReport, sqlx::Error> {
    let total = records.len();
    let mut report = ImportReport {
        total,
        ..ImportReport::default()
    };
    for (done, school) in records.iter().enumerate() {
        let existed: Option<String> = crate::on_tx!(tx, |conn| {
            sqlx::query_scalar("SELECT uai FROM schools WHERE uai = $1")
                .bind(school.uai.as_str())
                .fetch_optional(&mut *conn)
                .await?
        });
        let changed = crate::on_tx!(tx, |conn| {
            sqlx::query(UPSERT)
                .bind(school.uai.as_str())
                .bind(&school.name)
                .bind(&school.nature)
                .bind(school.sector.as_str())
                .bind(&school.commune)
                .bind(&school.postal_code)
                .bind(&school.department)
                .bind(&school.academy_code)
                .bind(school.general_track)
                .bind(school.technological_track)
                .bind(school.vocational_track)
                .bind(school.latitude)
                .bind(school.longitude)
                .bind(school.post_baccalaureate_only)
                .bind(school.search_key())
                .bind(now)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        match (existed.is_some(), changed) {
            (false, _) => report.inserted += 1,
            (true, 0) => report.unchanged += 1,
            (true, _) => report.updated += 1,
        }
        if (done + 1) % 50 == 0 || done + 1 == total {
            progress(done + 1, total);
        }
    }
    Ok(report)
}

/// Insert, or update when anything differs (so `rows_affected` is 0 for an
/// unchanged school). `IS DISTINCT FROM` compares NULLs as values, on both
/// engines.
const UPSERT: &str = "INSERT INTO schools (uai, name, nature, sector, commune, postal_code, \
     department, academy_code, general_track, technological_track, vocational_track, latitude, \
     longitude, post_baccalaureate_only, search_key, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
     ON CONFLICT (uai) DO UPDATE SET name = excluded.name, nature = excluded.nature, \
     sector = excluded.sector, commune = excluded.commune, postal_code = excluded.postal_code, \
     department = excluded.department, academy_code = excluded.academy_code, \
     general_track = excluded.general_track, technological_track = excluded.technological_track, \
     vocational_track = excluded.vocational_track, latitude = excluded.latitude, \
     longitude = excluded.longitude, post_baccalaureate_only = excluded.post_baccalaureate_only, \
     search_key = excluded.search_key, updated_at = excluded.updated_at \
     WHERE schools.name IS DISTINCT FROM excluded.name \
     OR schools.nature IS DISTINCT FROM excluded.nature \
     OR schools.sector IS DISTINCT FROM excluded.sector \
     OR schools.commune IS DISTINCT FROM excluded.commune \
     OR schools.postal_code IS DISTINCT FROM excluded.postal_code \
     OR schools.department IS DISTINCT FROM excluded.department \
     OR schools.academy_code IS DISTINCT FROM excluded.academy_code \
     OR schools.general_track IS DISTINCT FROM excluded.general_track \
     OR schools.technological_track IS DISTINCT FROM excluded.technological_track \
     OR schools.vocational_track IS DISTINCT FROM excluded.vocational_track \
     OR schools.latitude IS DISTINCT FROM excluded.latitude \
     OR schools.longitude IS DISTINCT FROM excluded.longitude \
     OR schools.post_baccalaureate_only IS DISTINCT FROM excluded.post_baccalaureate_only";

/// How many schools each académie has, by académie code.
///
/// # Errors
/// The database's error.
pub async fn count_by_academy(db: &Db) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = crate::on_db!(db, |pool| {
        sqlx::query_as("SELECT academy_code, COUNT(*) FROM schools GROUP BY academy_code")
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn academies() -> HashMap<String, String> {
        [("toulouse", "toulouse"), ("montpellier", "montpellier")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    const HEADER: &str = "uai,nom,nature,statut,commune,code_postal,departement,academie,region,voie_generale,voie_technologique,voie_professionnelle,latitude,longitude\n";

    #[test]
    fn a_good_row_becomes_a_school() {
        let file = format!("{HEADER}0090002D,Lycée Gabriel Fauré,LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE,Public,Foix,09007,Ariège,Toulouse,Occitanie,1,1,,42.96,1.60\n");
        let schools = parse(file.as_bytes(), &academies()).expect("valid");
        assert_eq!(schools.len(), 1);
        let school = &schools[0];
        assert_eq!(school.uai.as_str(), "0090002D");
        assert_eq!(school.academy_code, "toulouse");
        assert_eq!(school.sector, Sector::Public);
        assert_eq!(
            (
                school.general_track,
                school.technological_track,
                school.vocational_track
            ),
            (Some(true), Some(true), None)
        );
        assert_eq!(
            (school.latitude, school.longitude),
            (Some(42.96), Some(1.60))
        );
        assert!(!school.post_baccalaureate_only);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_reason() {
        let file = format!(
            "{HEADER}\
             0090002E,Lycée A,LYCEE POLYVALENT,Public,Foix,09007,Ariège,Toulouse,Occitanie,1,1,0,42.9,1.6\n\
             0090003E,Lycée B,LYCEE POLYVALENT,Public,Foix,09007,Ariège,Toulouse,Occitanie,1,1,0,42.9,1.6\n\
             0090003E,Lycée C,LYCEE POLYVALENT,Privé,Foix,09007,Ariège,Toulouse,Occitanie,1,1,0,42.9,1.6\n\
             0310024H,,LYCEE POLYVALENT,Public,Toulouse,31000,Haute-Garonne,Gotham,Occitanie,oui,1,0,91,1.6\n\
             0340039H,Lycée D,LYCEE POLYVALENT,Associatif,Montpellier,3400,Hérault,Montpellier,Occitanie,1,1,0,43.6,\n\
             0340039H,too,few,fields\n"
        );
        let errors = parse(file.as_bytes(), &academies()).expect_err("bad rows");
        let found: Vec<(u64, &str)> = errors
            .iter()
            .map(|e| {
                let kind = match &e.problem {
                    RowProblem::Uai { .. } => "uai",
                    RowProblem::DuplicateUai { first_line: 3, .. } => "duplicate of line 3",
                    RowProblem::Missing { column } if column == "nom" => "missing nom",
                    RowProblem::UnknownAcademy { .. } => "academy",
                    RowProblem::Track { column, .. } if column == "voie_generale" => "track",
                    RowProblem::Coordinates { .. } => "coordinates",
                    RowProblem::Sector { .. } => "sector",
                    RowProblem::PostalCode { .. } => "postal code",
                    RowProblem::Malformed { .. } => "malformed",
                    other => panic!("unexpected {other:?}"),
                };
                (e.line, kind)
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (2, "uai"),
                (4, "duplicate of line 3"),
                (5, "missing nom"),
                (5, "academy"),
                (5, "track"),
                (5, "coordinates"),
                (6, "sector"),
                (6, "postal code"),
                (6, "coordinates"),
                (7, "malformed"),
            ]
        );
        let french = errors[0].describe(Lang::Fr);
        assert!(french.starts_with("ligne 2"), "{french}");
        assert!(french.contains("0090002E"), "{french}");
        let english = errors[1].describe(Lang::En);
        assert!(english.starts_with("line 4"), "{english}");
        assert!(english.contains("line 3"), "{english}");
    }

    #[test]
    fn line_numbers_are_right_with_crlf_line_ends_and_a_byte_order_mark() {
        let row = "0090002D,Lycée A,LYCEE POLYVALENT,Public,Foix,09007,Ariège,Toulouse,Occitanie,1,1,0,42.9,1.6";
        let bad = row.replacen("0090002D", "0090002E", 1);
        let file = format!("\u{feff}{}\r\n{row}\r\n{bad}\r\n", HEADER.trim_end());
        let errors = parse(file.as_bytes(), &academies()).expect_err("a bad row");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        let good = format!("\u{feff}{}\r\n{row}\r\n", HEADER.trim_end());
        assert_eq!(parse(good.as_bytes(), &academies()).map(|s| s.len()), Ok(1));
    }

    #[test]
    fn a_file_without_the_expected_columns_is_refused_at_once() {
        let errors =
            parse("uai,name\n0090002D,x\n".as_bytes(), &academies()).expect_err("bad header");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(
            matches!(&errors[0].problem, RowProblem::MissingColumns { columns } if columns.contains(&"nom".to_owned()))
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        #[test]
        fn any_bytes_are_read_or_refused_row_by_row_and_never_a_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        ) {
            let _ = parse(bytes.as_slice(), &academies());
        }

        #[test]
        fn rows_of_any_fields_under_the_real_header_never_panic(
            rows in proptest::collection::vec(
                proptest::collection::vec("\\PC{0,8}|\"[^\"]*\"|-?[0-9]{1,4}(\\.[0-9]{1,3})?|0090002D", 0..16),
                0..6,
            ),
        ) {
            let mut file = HEADER.to_owned();
            for row in &rows {
                file.push_str(&row.join(","));
                file.push('\n');
            }
            if let Ok(records) = parse(file.as_bytes(), &academies()) {
                proptest::prop_assert!(records.len() <= rows.len());
            }
        }
    }
}
