//! `binome match --input FILE.json --output FILE.json`: matching on a pool
//! given as a JSON file, with no database and no configuration. The same
//! solver as the web ([`domain::matching::solve`]); the formats are
//! documented in the README ("Matching on the command line").
//!
//! Three parts: the [input types](Input) (serde, unknown fields refused),
//! their [validation](parse) into a [`Problem`] with every error found, as
//! `JSON-pointer: reason` lines, and the [output types](Output) with a
//! sentence in French for each pupil left out.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use app::availability::clock;
use app::i18n::Lang;
use app::levels::{Level, LEVELS};
use app::matching::explain;
use app::meeting::Mode;
use app::subjects::{Subject, SUBJECTS};
use chrono::NaiveDate;
use chrono_tz::Tz;
use domain::availability::{parse_zone, WeeklyAvailability, WeeklyInterval, WeeklySlot, WEEKDAYS};
use domain::matching::candidates::MAX_SUBJECTS;
use domain::matching::{
    solve, Location, Modes, Outcome, Problem, ProblemError, Pupil, Tutor, Weights,
};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Exit code of an invalid input file (nothing written).
pub const EXIT_INVALID: u8 = 2;
/// Exit code of an input that cannot be read or an output that cannot be
/// written (`EX_IOERR` of sysexits.h).
pub const EXIT_IO: u8 = 74;

/// The narrow no-break space French typography puts before `;` `:` `?` `!`
/// and inside « ».
const NNBSP: char = '\u{202f}';

/// The day codes of the files, Monday first (the order of [`WEEKDAYS`]).
pub const DAY_CODES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Limits of the input.
pub const MAX_WEEKS: u32 = 52;
pub const MAX_SESSION_MINUTES: u32 = 240;
pub const MAX_CAPACITY: u32 = 5;
pub const MAX_PRIORITY: u32 = 100;

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/// The input file. `P` and `T` are the pupils' and tutors' types: the
/// defaults for the whole file; [`IgnoredAny`] to read the top level alone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input<P = PupilInput, T = TutorInput> {
    /// The first day of the first week, `YYYY-MM-DD`, a date of each
    /// pupil's own zone.
    pub start: String,
    /// How many weeks the slot must recur in: 1–52.
    #[serde(default = "default_weeks")]
    pub weeks: u32,
    /// A positive multiple of 30, at most 240.
    #[serde(default = "default_session_minutes")]
    pub session_minutes: u32,
    #[serde(default)]
    pub weights: WeightsInput,
    pub pupils: Vec<P>,
    pub tutors: Vec<T>,
}

fn default_weeks() -> u32 {
    4
}

fn default_session_minutes() -> u32 {
    60
}

/// The weights of a pair's score; each defaults on its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsInput {
    #[serde(default = "default_subject_weight")]
    pub subject: u32,
    #[serde(default = "one")]
    pub waiting_day: u32,
    #[serde(default = "one")]
    pub priority: u32,
}

impl Default for WeightsInput {
    fn default() -> Self {
        let weights = Weights::default();
        WeightsInput {
            subject: weights.subject,
            waiting_day: weights.waiting_day,
            priority: weights.priority,
        }
    }
}

fn default_subject_weight() -> u32 {
    Weights::default().subject
}

fn one() -> u32 {
    1
}

/// A pupil with an open help request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PupilInput {
    pub id: String,
    /// A code of `reference/niveaux.csv`.
    pub niveau: String,
    /// Codes of `reference/matieres-lycee.csv`, each taught at the niveau.
    pub subjects: Vec<String>,
    pub time_zone: String,
    pub availability: Vec<IntervalInput>,
    #[serde(default)]
    pub waiting_days: u32,
    /// 0–100.
    #[serde(default)]
    pub priority: u32,
    /// `online`, `in_person` or `both` (the default).
    #[serde(default)]
    pub mode: Option<String>,
    /// Where they can meet in person (their school); absent: nowhere.
    #[serde(default)]
    pub location: Option<LocationInput>,
}

/// A tutor who can take pupils.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TutorInput {
    pub id: String,
    /// 1–5 pupils.
    pub capacity: u32,
    pub time_zone: String,
    /// `online`, `in_person` or `both` (the default).
    #[serde(default)]
    pub mode: Option<String>,
    /// Where they meet in person; absent: no session in person.
    #[serde(default)]
    pub location: Option<LocationInput>,
    /// The farthest distance from `location` for sessions in person, in
    /// km; absent: no session in person.
    #[serde(default)]
    pub max_km: Option<f64>,
    pub availability: Vec<IntervalInput>,
    pub teaches: Vec<TeachesInput>,
}

/// One weekly interval `[from, to)` of local time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalInput {
    /// `mon` … `sun`.
    pub day: String,
    /// `HH:MM` on the 30-minute grid.
    pub from: String,
    /// `HH:MM` on the 30-minute grid, after `from`, `24:00` at the latest.
    pub to: String,
}

/// WGS 84 degrees.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    pub lat: f64,
    pub lon: f64,
}

/// "Subject up to niveau".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeachesInput {
    pub subject: String,
    pub up_to: String,
}

// ---------------------------------------------------------------------------
// Errors of the input
// ---------------------------------------------------------------------------

/// One thing wrong with the input: where (an RFC 6901 JSON pointer; empty
/// for the whole document) and why, in French.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub pointer: String,
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.reason)
    }
}

#[derive(Debug, Default)]
struct Errors(Vec<InputError>);

impl Errors {
    fn push(&mut self, pointer: impl Into<String>, reason: impl Into<String>) {
        self.0.push(InputError {
            pointer: pointer.into(),
            reason: reason.into(),
        });
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// A serde error met while reading the value at `at`.
    fn serde(&mut self, at: &str, error: &serde_path_to_error::Error<serde_json::Error>) {
        let mut pointer = at.to_owned();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
                serde_path_to_error::Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(key));
                }
                serde_path_to_error::Segment::Enum { variant } => {
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(variant));
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        let inner = error.inner();
        if inner.is_syntax() || inner.is_eof() {
            self.push(pointer, syntax_reason(inner));
            return;
        }
        let (field, reason) = serde_reason(&without_position(&inner.to_string()));
        if let Some(field) = field {
            pointer.push('/');
            pointer.push_str(&escape_pointer(&field));
        }
        self.push(pointer, reason);
    }
}

/// A reference token of a JSON pointer (RFC 6901: `~` is `~0`, `/` is `~1`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// serde_json's message without its " at line L column C".
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn syntax_reason(error: &serde_json::Error) -> String {
    let message = without_position(&error.to_string());
    let what = if message.starts_with("EOF while parsing") {
        "le fichier se termine trop tôt".to_owned()
    } else {
        match message.as_str() {
            "trailing comma" => "virgule en trop".to_owned(),
            "trailing characters" => "texte après la fin du document".to_owned(),
            "expected value" => "valeur attendue".to_owned(),
            "key must be a string" => "une clé doit être une chaîne entre guillemets".to_owned(),
            _ => message,
        }
    };
    format!(
        "JSON invalide ligne {}, colonne {}{NNBSP}: {what}",
        error.line(),
        error.column()
    )
}

/// A serde data error in French: the missing field to add to the pointer,
/// if any, and the reason.
fn serde_reason(message: &str) -> (Option<String>, String) {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`').to_owned();
        return (Some(field), "champ obligatoire absent".to_owned());
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let expected = rest
            .split_once("`, expected ")
            .map(|(_, expected)| expected.strip_prefix("one of ").unwrap_or(expected))
            .map(|expected| expected.replace('`', "").replace(" or ", " ou "));
        return match expected {
            Some(expected) => (
                None,
                format!("champ inconnu{NNBSP}; champs possibles{NNBSP}: {expected}"),
            ),
            None => (None, "champ inconnu".to_owned()),
        };
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let field = rest.trim_end_matches('`').to_owned();
        return (Some(field), "champ donné deux fois".to_owned());
    }
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some((found, expected)) = rest.and_then(|rest| rest.rsplit_once(", expected ")) {
        return (
            None,
            format!(
                "attendu{NNBSP}: {}, reçu{NNBSP}: {}",
                expected_in_french(expected),
                found_in_french(found)
            ),
        );
    }
    (None, message.to_owned())
}

fn expected_in_french(expected: &str) -> String {
    match expected {
        "u16" => "un entier de 0 à 65535".to_owned(),
        "u32" => "un entier de 0 à 4294967295".to_owned(),
        "u64" => "un entier positif ou nul".to_owned(),
        "f64" => "un nombre".to_owned(),
        "a string" => "une chaîne".to_owned(),
        "a sequence" => "un tableau".to_owned(),
        "a map" => "un objet".to_owned(),
        other if other.starts_with("struct ") => "un objet".to_owned(),
        other => other.to_owned(),
    }
}

fn found_in_french(found: &str) -> String {
    let literal = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|rest| rest.trim_matches('`').to_owned())
    };
    if let Some(rest) = found.strip_prefix("string ") {
        return format!("la chaîne {rest}");
    }
    if let Some(number) = literal("integer ") {
        return format!("l’entier {number}");
    }
    if let Some(number) = literal("floating point ") {
        return format!("le nombre {number}");
    }
    if let Some(value) = literal("boolean ") {
        return format!("le booléen {value}");
    }
    match found {
        "map" => "un objet".to_owned(),
        "sequence" => "un tableau".to_owned(),
        "null" | "unit" => "null".to_owned(),
        other => other.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/// A valid input: the problem for the solver, and the ids of its pupils and
/// tutors by index.
#[derive(Clone, Debug)]
pub struct Validated {
    pub problem: Problem,
    pub pupil_ids: Vec<String>,
    pub tutor_ids: Vec<String>,
}

/// Reads and checks an input file's content: the problem, or every error
/// found, in the order of the document.
///
/// # Errors
/// The errors: a syntax error alone (nothing else can be read then), else
/// each structural error (missing or unknown field, wrong type; the first
/// one of the top level and of each pupil and tutor) and each invalid value.
pub fn parse(bytes: &[u8]) -> Result<Validated, Vec<InputError>> {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => {
            // The typed reading fails at the same place and says where in
            // the document that is.
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            let typed: Result<Input, _> = serde_path_to_error::deserialize(&mut deserializer);
            let mut errors = Errors::default();
            match typed {
                Err(typed)
                    if typed.inner().line() == error.line()
                        && typed.inner().column() == error.column() =>
                {
                    errors.serde("", &typed);
                }
                _ => errors.push("", syntax_reason(&error)),
            }
            return Err(errors.0);
        }
    };
    let mut errors = Errors::default();
    let validated = validate(&value, &mut errors);
    if errors.0.is_empty() {
        // What the tree of values cannot show: a key given twice.
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let typed: Result<Input, _> = serde_path_to_error::deserialize(&mut deserializer);
        if let Err(error) = typed {
            errors.serde("", &error);
        }
    }
    match validated {
        Some(validated) if errors.0.is_empty() => Ok(validated),
        _ => Err(errors.0),
    }
}

/// Whether `value` is an array where an object is expected: serde would
/// read the fields in order from it, which the format does not allow.
fn array_for_object(value: Option<&Value>, at: &str, errors: &mut Errors) -> bool {
    if matches!(value, Some(Value::Array(_))) {
        errors.push(at, "un objet est attendu, pas un tableau");
        true
    } else {
        false
    }
}

/// `value` as a `T`, or its first structural error in `errors`.
fn read<T: for<'de> Deserialize<'de>>(value: &Value, at: &str, errors: &mut Errors) -> Option<T> {
    match serde_path_to_error::deserialize(value) {
        Ok(read) => Some(read),
        Err(error) => {
            errors.serde(at, &error);
            None
        }
    }
}

/// Whether the nested objects of a pupil or tutor are objects.
fn shapes_ok(value: &Value, at: &str, errors: &mut Errors) -> bool {
    let before = errors.len();
    if !value.is_object() {
        errors.push(at, "un objet est attendu");
        return false;
    }
    array_for_object(value.get("location"), &format!("{at}/location"), errors);
    for list in ["availability", "teaches"] {
        if let Some(Value::Array(entries)) = value.get(list) {
            for (j, entry) in entries.iter().enumerate() {
                array_for_object(Some(entry), &format!("{at}/{list}/{j}"), errors);
            }
        }
    }
    errors.len() == before
}

fn validate(value: &Value, errors: &mut Errors) -> Option<Validated> {
    let Value::Object(fields) = value else {
        errors.push("", "un objet JSON est attendu");
        return None;
    };
    // The top level without its pupils and tutors (read one by one below)
    // and without weights given as an array.
    let weights_array = array_for_object(value.get("weights"), "/weights", errors);
    let head: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| !(weights_array && key.as_str() == "weights"))
        .map(|(key, field)| match field {
            Value::Array(_) if key == "pupils" || key == "tutors" => {
                (key.clone(), Value::Array(Vec::new()))
            }
            _ => (key.clone(), field.clone()),
        })
        .collect();
    let top = read::<Input<IgnoredAny, IgnoredAny>>(&Value::Object(head), "", errors)
        .filter(|_| !weights_array);
    let start = top.as_ref().and_then(|top| check_top(top, errors));

    let elements = |name: &str| match value.get(name) {
        Some(Value::Array(elements)) => elements.as_slice(),
        _ => &[],
    };
    let mut complete = top.is_some();

    let mut pupils = Vec::new();
    let mut pupil_ids = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, element) in elements("pupils").iter().enumerate() {
        let at = format!("/pupils/{i}");
        let input = if shapes_ok(element, &at, errors) {
            read::<PupilInput>(element, &at, errors)
        } else {
            None
        };
        let Some(input) = input else {
            complete = false;
            continue;
        };
        check_id(&input.id, "pupils", i, &mut seen, errors);
        match pupil(&input, &at, errors) {
            Some(pupil) => {
                pupils.push(pupil);
                pupil_ids.push(input.id);
            }
            None => complete = false,
        }
    }

    let mut tutors = Vec::new();
    let mut tutor_ids = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, element) in elements("tutors").iter().enumerate() {
        let at = format!("/tutors/{i}");
        let input = if shapes_ok(element, &at, errors) {
            read::<TutorInput>(element, &at, errors)
        } else {
            None
        };
        let Some(input) = input else {
            complete = false;
            continue;
        };
        check_id(&input.id, "tutors", i, &mut seen, errors);
        match tutor(&input, &at, errors) {
            Some(tutor) => {
                tutors.push(tutor);
                tutor_ids.push(input.id);
            }
            None => complete = false,
        }
    }

    let (top, start) = (top?, start?);
    if !complete {
        return None;
    }
    Some(Validated {
        problem: Problem {
            pupils,
            tutors,
            start,
            weeks: top.weeks,
            session_minutes: u16::try_from(top.session_minutes).ok()?,
            weights: Weights {
                subject: top.weights.subject,
                waiting_day: top.weights.waiting_day,
                priority: top.weights.priority,
            },
            excluded: Vec::new(),
            fixed: Vec::new(),
        },
        pupil_ids,
        tutor_ids,
    })
}

/// Checks the top level's values; the start date when all are valid.
fn check_top(top: &Input<IgnoredAny, IgnoredAny>, errors: &mut Errors) -> Option<NaiveDate> {
    let before = errors.len();
    let start = parse_date(&top.start);
    if start.is_none() {
        errors.push(
            "/start",
            format!("date invalide{NNBSP}: AAAA-MM-JJ attendu, par exemple 2027-03-15"),
        );
    }
    if !(1..=MAX_WEEKS).contains(&top.weeks) {
        errors.push("/weeks", format!("entre 1 et {MAX_WEEKS} semaines"));
    }
    let minutes = top.session_minutes;
    if minutes == 0 || !minutes.is_multiple_of(30) || minutes > MAX_SESSION_MINUTES {
        errors.push(
            "/session_minutes",
            format!("un multiple de 30 entre 30 et {MAX_SESSION_MINUTES} minutes"),
        );
    }
    if errors.len() == before {
        start
    } else {
        None
    }
}

/// A date written exactly `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn check_id(
    id: &str,
    list: &str,
    index: usize,
    seen: &mut HashMap<String, usize>,
    errors: &mut Errors,
) {
    let at = format!("/{list}/{index}/id");
    if id.trim().is_empty() {
        errors.push(at, "identifiant vide");
        return;
    }
    match seen.get(id) {
        Some(first) => errors.push(
            at,
            format!("identifiant en double{NNBSP}: déjà celui de /{list}/{first}"),
        ),
        None => {
            seen.insert(id.to_owned(), index);
        }
    }
}

fn quoted(text: &str) -> String {
    format!("«{NNBSP}{text}{NNBSP}»")
}

fn level_index(code: &str) -> Option<usize> {
    LEVELS.iter().position(|level| level.code == code)
}

fn subject_index(code: &str) -> Option<usize> {
    SUBJECTS.iter().position(|subject| subject.code == code)
}

fn index_u16(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn pupil(input: &PupilInput, at: &str, errors: &mut Errors) -> Option<Pupil> {
    let before = errors.len();
    let level = level_index(&input.niveau);
    if level.is_none() {
        errors.push(
            format!("{at}/niveau"),
            format!("niveau inconnu{NNBSP}: {}", quoted(&input.niveau)),
        );
    }
    if input.subjects.is_empty() {
        errors.push(format!("{at}/subjects"), "au moins une matière");
    }
    if input.subjects.len() > MAX_SUBJECTS {
        errors.push(
            format!("{at}/subjects"),
            format!("{MAX_SUBJECTS} matières au plus"),
        );
    }
    let mut subjects = Vec::new();
    for (j, code) in input.subjects.iter().enumerate() {
        let here = format!("{at}/subjects/{j}");
        let Some(index) = subject_index(code) else {
            errors.push(here, format!("matière inconnue{NNBSP}: {}", quoted(code)));
            continue;
        };
        let subject = &SUBJECTS[index];
        if input.subjects[..j].contains(code) {
            errors.push(here, format!("matière en double{NNBSP}: {}", quoted(code)));
            continue;
        }
        if let Some(level) = level.map(|l| &LEVELS[l]) {
            if !subject.is_taught_at(level) {
                errors.push(
                    here,
                    format!(
                        "{} n’est pas enseignée en {}",
                        quoted(code),
                        quoted(level.code)
                    ),
                );
            }
        }
        subjects.push(index_u16(index));
    }
    let zone = time_zone(&input.time_zone, at, errors);
    let availability = availability(zone, &input.availability, at, errors);
    if input.priority > MAX_PRIORITY {
        errors.push(
            format!("{at}/priority"),
            format!("entre 0 et {MAX_PRIORITY}"),
        );
    }
    let modes = modes(input.mode.as_deref(), at, errors);
    let location = input
        .location
        .as_ref()
        .and_then(|l| location(l, at, errors));
    if errors.len() > before {
        return None;
    }
    Some(Pupil {
        level: index_u16(level?),
        subjects,
        availability: availability?,
        waiting_days: input.waiting_days,
        priority: input.priority,
        modes: modes?,
        location,
    })
}

fn tutor(input: &TutorInput, at: &str, errors: &mut Errors) -> Option<Tutor> {
    let before = errors.len();
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        errors.push(
            format!("{at}/capacity"),
            format!("entre 1 et {MAX_CAPACITY} élèves"),
        );
    }
    let zone = time_zone(&input.time_zone, at, errors);
    let modes = modes(input.mode.as_deref(), at, errors);
    let location = input
        .location
        .as_ref()
        .and_then(|l| location(l, at, errors));
    if let Some(max_km) = input.max_km {
        if max_km < 0.0 {
            errors.push(
                format!("{at}/max_km"),
                "une distance positive ou nulle, en km",
            );
        }
    }
    let availability = availability(zone, &input.availability, at, errors);
    let mut covers = Vec::new();
    for (j, entry) in input.teaches.iter().enumerate() {
        let here = format!("{at}/teaches/{j}");
        let subject = subject_index(&entry.subject);
        if subject.is_none() {
            errors.push(
                format!("{here}/subject"),
                format!("matière inconnue{NNBSP}: {}", quoted(&entry.subject)),
            );
        }
        let up_to = level_index(&entry.up_to);
        if up_to.is_none() {
            errors.push(
                format!("{here}/up_to"),
                format!("niveau inconnu{NNBSP}: {}", quoted(&entry.up_to)),
            );
        }
        let (Some(subject), Some(up_to)) = (subject, up_to) else {
            continue;
        };
        let covered = covered_levels(&SUBJECTS[subject], &LEVELS[up_to]);
        if covered.is_empty() {
            errors.push(
                here,
                format!(
                    "ne couvre aucun niveau{NNBSP}: {} n’est enseignée à aucun niveau jusqu’à {}",
                    quoted(&entry.subject),
                    quoted(&entry.up_to)
                ),
            );
        }
        covers.extend(
            covered
                .into_iter()
                .map(|level| (index_u16(subject), index_u16(level))),
        );
    }
    covers.sort_unstable();
    covers.dedup();
    if errors.len() > before {
        return None;
    }
    Some(Tutor {
        capacity: input.capacity,
        availability: availability?,
        modes: modes?,
        location,
        max_km: input.max_km,
        covers,
    })
}

/// The indices in [`LEVELS`] that "`subject` up to `up_to`" covers.
fn covered_levels(subject: &Subject, up_to: &Level) -> Vec<usize> {
    subject
        .covered_levels(up_to)
        .into_iter()
        .filter_map(|level| level_index(level.code))
        .collect()
}

fn time_zone(name: &str, at: &str, errors: &mut Errors) -> Option<Tz> {
    match parse_zone(name) {
        Ok(zone) => Some(zone),
        Err(_) => {
            errors.push(
                format!("{at}/time_zone"),
                format!(
                    "fuseau horaire inconnu{NNBSP}: {} (un nom IANA, par exemple Europe/Paris)",
                    quoted(name)
                ),
            );
            None
        }
    }
}

fn modes(code: Option<&str>, at: &str, errors: &mut Errors) -> Option<Modes> {
    let mode = match code {
        None => Mode::Both,
        Some(code) => {
            if let Some(mode) = Mode::parse(code) {
                mode
            } else {
                errors.push(
                    format!("{at}/mode"),
                    format!(
                        "mode inconnu{NNBSP}: {}{NNBSP}; online, in_person ou both",
                        quoted(code)
                    ),
                );
                return None;
            }
        }
    };
    Some(Modes {
        online: mode != Mode::InPerson,
        in_person: mode.in_person(),
    })
}

fn location(input: &LocationInput, at: &str, errors: &mut Errors) -> Option<Location> {
    let mut ok = true;
    if !(-90.0..=90.0).contains(&input.lat) {
        errors.push(format!("{at}/location/lat"), "une latitude entre -90 et 90");
        ok = false;
    }
    if !(-180.0..=180.0).contains(&input.lon) {
        errors.push(
            format!("{at}/location/lon"),
            "une longitude entre -180 et 180",
        );
        ok = false;
    }
    ok.then_some(Location {
        lat: input.lat,
        lon: input.lon,
    })
}

fn availability(
    zone: Option<Tz>,
    entries: &[IntervalInput],
    at: &str,
    errors: &mut Errors,
) -> Option<WeeklyAvailability> {
    let mut intervals = Vec::new();
    let mut ok = zone.is_some();
    for (j, entry) in entries.iter().enumerate() {
        let here = format!("{at}/availability/{j}");
        let day = DAY_CODES.iter().position(|code| *code == entry.day);
        if day.is_none() {
            errors.push(
                format!("{here}/day"),
                format!(
                    "jour inconnu{NNBSP}: {}{NNBSP}; mon, tue, wed, thu, fri, sat ou sun",
                    quoted(&entry.day)
                ),
            );
        }
        let from = time_of_day(&entry.from, &format!("{here}/from"), errors);
        let to = time_of_day(&entry.to, &format!("{here}/to"), errors);
        let (Some(day), Some(from), Some(to)) = (day, from, to) else {
            ok = false;
            continue;
        };
        if from >= to {
            errors.push(
                here,
                format!(
                    "le début ({}) doit précéder la fin ({})",
                    entry.from, entry.to
                ),
            );
            ok = false;
            continue;
        }
        match WeeklyInterval::new(WEEKDAYS[day], from, to) {
            Ok(interval) => intervals.push(interval),
            Err(error) => {
                errors.push(here, error.to_string());
                ok = false;
            }
        }
    }
    let zone = zone?;
    ok.then(|| WeeklyAvailability::new(zone, intervals).0)
}

/// `HH:MM`, on the 30-minute grid, 24:00 at the latest: minutes after
/// midnight.
fn time_of_day(text: &str, at: &str, errors: &mut Errors) -> Option<u16> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit());
    let digits = |range: std::ops::Range<usize>| text[range].parse::<u16>().ok();
    let parsed = if shape {
        digits(0..2).zip(digits(3..5)).filter(|&(_, m)| m < 60)
    } else {
        None
    };
    let Some((hours, minutes)) = parsed else {
        errors.push(
            at,
            format!(
                "heure invalide{NNBSP}: {} (HH:MM attendu, par exemple 17:30)",
                quoted(text)
            ),
        );
        return None;
    };
    let value = hours * 60 + minutes;
    if value > 24 * 60 {
        errors.push(at, format!("après 24:00{NNBSP}: {}", quoted(text)));
        return None;
    }
    if !value.is_multiple_of(30) {
        errors.push(
            at,
            format!(
                "pas sur la grille de 30 minutes{NNBSP}: {} (HH:00 ou HH:30)",
                quoted(text)
            ),
        );
        return None;
    }
    Some(value)
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// The output file.
#[derive(Debug, Serialize)]
pub struct Output {
    /// By pupil, in input order.
    pub proposals: Vec<ProposalOutput>,
    /// By pupil, in input order.
    pub unmatched: Vec<UnmatchedOutput>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub struct ProposalOutput {
    pub pupil: String,
    pub tutor: String,
    /// The pupil's requested subjects the tutor covers, in the pupil's
    /// order.
    pub subjects: Vec<String>,
    pub slot: SlotOutput,
    pub score: u64,
}

/// The weekly slot, in the pupil's zone.
#[derive(Debug, Serialize)]
pub struct SlotOutput {
    pub day: String,
    pub from: String,
    pub time_zone: String,
}

#[derive(Debug, Serialize)]
pub struct UnmatchedOutput {
    pub pupil: String,
    /// [`Reason::code`].
    pub reason: String,
    /// Why, for a coordinator, in French.
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub pupils: usize,
    pub tutors: usize,
    pub matched: usize,
    pub total_score: u64,
    pub greedy_matched: usize,
}

/// Runs the solver on a valid input.
///
/// # Errors
/// The solver's own checks, as input errors (they cannot fail on what
/// [`parse`] accepts).
pub fn run_matching(validated: &Validated) -> Result<Output, Vec<InputError>> {
    let outcome = solve(&validated.problem).map_err(|error| {
        let pointer = match error {
            ProblemError::NoWeeks => "/weeks",
            ProblemError::SessionLength => "/session_minutes",
            _ => "",
        };
        vec![InputError {
            pointer: pointer.to_owned(),
            reason: error.to_string(),
        }]
    })?;
    Ok(output(validated, &outcome))
}

fn output(validated: &Validated, outcome: &Outcome) -> Output {
    let problem = &validated.problem;
    let mut proposals: Vec<_> = outcome.proposals.iter().collect();
    proposals.sort_by_key(|p| p.pupil);
    let mut unmatched: Vec<_> = outcome.unmatched.iter().collect();
    unmatched.sort_by_key(|u| u.pupil);

    // The feasible tutors of the pupils left out because those are full.
    let feasible = explain::feasible_of_full(problem, &outcome.unmatched);
    let pupil_levels: Vec<usize> = problem
        .pupils
        .iter()
        .map(|p| usize::from(p.level))
        .collect();
    let explainer = explain::Explainer {
        problem,
        lang: Lang::Fr,
        tutor_names: &validated.tutor_ids,
        pupil_levels: &pupil_levels,
    };
    Output {
        proposals: proposals
            .iter()
            .map(|p| ProposalOutput {
                pupil: validated.pupil_ids[p.pupil].clone(),
                tutor: validated.tutor_ids[p.tutor].clone(),
                subjects: p
                    .subjects
                    .iter()
                    .map(|&s| SUBJECTS[usize::from(s)].code.to_owned())
                    .collect(),
                slot: SlotOutput {
                    day: DAY_CODES[weekday_index(&p.slot)].to_owned(),
                    from: clock(p.slot.start),
                    time_zone: problem.pupils[p.pupil]
                        .availability
                        .zone()
                        .name()
                        .to_owned(),
                },
                score: p.score.total(),
            })
            .collect(),
        unmatched: unmatched
            .iter()
            .map(|u| UnmatchedOutput {
                pupil: validated.pupil_ids[u.pupil].clone(),
                reason: u.reason.code().to_owned(),
                text: explainer.unmatched(u, feasible.get(&u.pupil).map_or(&[], Vec::as_slice)),
            })
            .collect(),
        summary: Summary {
            pupils: problem.pupils.len(),
            tutors: problem.tutors.len(),
            matched: outcome.proposals.len(),
            total_score: outcome.total_score,
            greedy_matched: outcome.greedy_matched,
        },
    }
}

fn weekday_index(slot: &WeeklySlot) -> usize {
    slot.weekday.num_days_from_monday() as usize
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

/// Why the command failed.
#[derive(Debug)]
pub enum MatchError {
    /// The input is invalid: every error found.
    Invalid(Vec<InputError>),
    /// A file could not be read or written.
    Io(String),
}

impl MatchError {
    pub fn exit_code(&self) -> u8 {
        match self {
            MatchError::Invalid(_) => EXIT_INVALID,
            MatchError::Io(_) => EXIT_IO,
        }
    }
}

/// Reads `input`, matches, and writes `output` (replaced atomically, only
/// on success).
///
/// # Errors
/// [`MatchError::Invalid`] for an invalid input (nothing written),
/// [`MatchError::Io`] when a file cannot be read or written.
pub fn run(input: &Path, output: &Path) -> Result<Summary, MatchError> {
    let bytes = fs::read(input).map_err(|e| {
        MatchError::Io(format!(
            "lecture de {} impossible{NNBSP}: {e}",
            input.display()
        ))
    })?;
    let validated = parse(&bytes).map_err(MatchError::Invalid)?;
    let result = run_matching(&validated).map_err(MatchError::Invalid)?;
    let mut json = serde_json::to_string_pretty(&result)
        .map_err(|e| MatchError::Io(format!("sérialisation impossible{NNBSP}: {e}")))?;
    json.push('\n');
    write_atomically(output, json.as_bytes()).map_err(|e| {
        MatchError::Io(format!(
            "écriture de {} impossible{NNBSP}: {e}",
            output.display()
        ))
    })?;
    Ok(result.summary)
}

/// `binome match`: runs [`run`] and reports on standard error; the exit
/// code is 0, [`EXIT_INVALID`] or [`EXIT_IO`].
pub fn command(input: &Path, output: &Path) -> ExitCode {
    let result = run(input, output);
    let mut err = io::stderr().lock();
    match result {
        Ok(summary) => {
            let _ = writeln!(
                err,
                "binome match{NNBSP}: {} élève(s) placé(s) sur {} (glouton{NNBSP}: {}), score total {}{NNBSP}; résultat dans {}",
                summary.matched,
                summary.pupils,
                summary.greedy_matched,
                summary.total_score,
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            match &error {
                MatchError::Invalid(errors) => {
                    for line in errors {
                        let _ = writeln!(err, "{line}");
                    }
                }
                MatchError::Io(message) => {
                    let _ = writeln!(err, "binome match{NNBSP}: {message}");
                }
            }
            ExitCode::from(error.exit_code())
        }
    }
}

/// Writes `bytes` to a new file beside `path`, then renames it over `path`:
/// a reader sees the old content or the new, never a part; on failure the
/// old file is left as it was.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "ce n’est pas un nom de fichier",
        )
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut temporary = OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".{}-{nanos}.tmp", std::process::id()));
    let temporary = dir.join(temporary);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any JSON value, with the input format's own field names and
    /// plausible texts more often than chance would give them.
    fn json() -> impl Strategy<Value = Value> {
        const KEYS: [&str; 29] = [
            "start",
            "weeks",
            "session_minutes",
            "weights",
            "subject",
            "waiting_day",
            "priority",
            "pupils",
            "tutors",
            "id",
            "niveau",
            "subjects",
            "time_zone",
            "availability",
            "waiting_days",
            "mode",
            "location",
            "capacity",
            "max_km",
            "teaches",
            "day",
            "from",
            "to",
            "lat",
            "lon",
            "up_to",
            "online",
            "x",
            "",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u32>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,12}".prop_map(Value::from),
            prop::sample::select(vec![
                "2027-03-15",
                "2027-02-30",
                "mon",
                "sun",
                "17:00",
                "24:00",
                "23:59",
                "Europe/Paris",
                "Mars/Olympus",
                "premiere_generale",
                "spe_mathematiques",
                "online",
                "in_person",
                "both",
                "p1",
                "t1",
            ])
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..10)
                    .prop_map(|fields| Value::Object(
                        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                    )),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Issue 10: whatever the input file holds, the answer is the
        /// input or errors that point into it, never a panic.
        #[test]
        fn any_document_is_an_input_or_pointed_errors_and_never_a_panic(value in json()) {
            let bytes = serde_json::to_vec(&value).expect("a value writes");
            if let Err(errors) = parse(&bytes) {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(error.pointer.is_empty() || error.pointer.starts_with('/'));
                    prop_assert!(!error.reason.is_empty());
                }
            }
        }

        #[test]
        fn any_bytes_are_an_input_or_errors_and_never_a_panic(
            bytes in prop::collection::vec(any::<u8>(), 0..300),
        ) {
            let _ = parse(&bytes);
        }
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(escape_pointer("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn times_are_on_the_grid_and_end_at_24() {
        let mut errors = Errors::default();
        assert_eq!(time_of_day("17:30", "", &mut errors), Some(1050));
        assert_eq!(time_of_day("24:00", "", &mut errors), Some(1440));
        assert!(errors.0.is_empty());
        for bad in ["7:30", "17:15", "24:30", "17:60", "1730", "17:3a"] {
            assert_eq!(time_of_day(bad, "/x", &mut errors), None, "{bad}");
        }
        assert_eq!(errors.0.len(), 6);
    }

    #[test]
    fn dates_are_exactly_iso() {
        assert!(parse_date("2027-03-15").is_some());
        for bad in ["2027-3-15", "2027-02-30", "15/03/2027", "+2027-03-15", ""] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn serde_messages_are_said_in_french() {
        assert_eq!(
            serde_reason("missing field `niveau`"),
            (
                Some("niveau".to_owned()),
                "champ obligatoire absent".to_owned()
            )
        );
        assert_eq!(
            serde_reason("invalid type: string \"x\", expected u32").1,
            format!("attendu{NNBSP}: un entier de 0 à 4294967295, reçu{NNBSP}: la chaîne \"x\"")
        );
        assert_eq!(
            serde_reason("unknown field `colour`, expected `lat` or `lon`").1,
            format!("champ inconnu{NNBSP}; champs possibles{NNBSP}: lat ou lon")
        );
    }
}
