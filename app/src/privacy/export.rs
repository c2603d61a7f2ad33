//! What the platform holds about one person (GDPR art. 15 and 20): every
//! row of every table that is about them, read with one query per table.
//!
//! "About them" is decided table by table in [`TABLES`], each with the
//! reason where a row or a value is left out; [`NO_PERSONAL_DATA`] lists the
//! tables that hold nothing about anyone. A test checks that these two lists
//! cover every table of the schema, so that a new table cannot be
//! forgotten.
//!
//! Secrets are never exported (password hash, link and feed tokens): they
//! are not information about the person, and a leaked export must not open
//! the account.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use super::{Cell, Section};
use crate::db::Db;

/// One table's rows about a person: `SELECT {columns} FROM {table} WHERE
/// {filter} ORDER BY 1`, where the filter reads `$1` (the account's id),
/// `$2` (its address in lowercase) and `$3` (its id as text).
#[derive(Clone, Copy, Debug)]
pub struct TableExport {
    pub table: &'static str,
    /// Plain column names, or `expression AS name`.
    pub columns: &'static [&'static str],
    pub filter: &'static str,
}

/// Every table with rows about a person, in the order of the export.
pub const TABLES: &[TableExport] = &[
    TableExport {
        table: "users",
        // Not the password hash (a secret), the lowercase key (a copy of the
        // address) nor the login epoch (a counter).
        columns: &[
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "status",
            "language",
            "time_zone",
            "created_at",
            "confirmed_at",
            "updated_at",
        ],
        filter: "id = $1",
    },
    TableExport {
        table: "pupils",
        columns: &[
            "user_id",
            "birth_month",
            "birth_year",
            "school_uai",
            "level_code",
            "parent_user_id",
            "consent",
            "consent_changed_at",
            "created_at",
            "updated_at",
        ],
        // A parent's export holds the link to each child (not the child's
        // data: the child's own export has it).
        filter: "user_id = $1 OR parent_user_id = $1",
    },
    TableExport {
        table: "tutors",
        columns: &[
            "user_id",
            "institution",
            "field_of_study",
            "study_year",
            "charter_accepted_at",
            "status",
            "status_changed_at",
            "check_outcome",
            "check_done_on",
            "check_expires_on",
            "check_recorded_by",
            "check_recorded_at",
            "created_at",
            "updated_at",
        ],
        filter: "user_id = $1",
    },
    TableExport {
        table: "tutor_academies",
        columns: &["tutor_user_id", "academy_code", "position"],
        filter: "tutor_user_id = $1",
    },
    TableExport {
        table: "coordinator_academies",
        columns: &["user_id", "academy_code", "via_region_code"],
        filter: "user_id = $1",
    },
    TableExport {
        table: "availability_intervals",
        columns: &["user_id", "weekday", "from_minute", "to_minute"],
        filter: "user_id = $1",
    },
    TableExport {
        table: "tutor_offers",
        columns: &[
            "tutor_user_id",
            "capacity",
            "mode",
            "meeting_school_uai",
            "max_distance_km",
            "languages",
            "paused_at",
            "updated_at",
        ],
        filter: "tutor_user_id = $1",
    },
    TableExport {
        table: "tutor_offer_subjects",
        columns: &["tutor_user_id", "subject_code", "up_to_level_code"],
        filter: "tutor_user_id = $1",
    },
    TableExport {
        table: "help_requests",
        columns: &[
            "id",
            "pupil_user_id",
            "status",
            "difficulty",
            "mode",
            "deadline",
            "sessions_per_week",
            "requested_at",
            "updated_at",
            "withdrawn_at",
        ],
        filter: "pupil_user_id = $1",
    },
    TableExport {
        table: "help_request_subjects",
        columns: &["request_id", "subject_code", "position"],
        filter: "request_id IN (SELECT id FROM help_requests WHERE pupil_user_id = $1)",
    },
    TableExport {
        table: "match_proposals",
        // Not the answer link's hashes (secrets).
        columns: &[
            "id",
            "request_id",
            "pupil_user_id",
            "tutor_user_id",
            "subjects",
            "weekday",
            "start_minute",
            "minutes",
            "time_zone",
            "score",
            "manual_reason",
            "status",
            "published_by",
            "published_at",
            "remind_at",
            "reminded_at",
            "expires_at",
            "answered_at",
            "decline_reason",
        ],
        filter: "pupil_user_id = $1 OR tutor_user_id = $1",
    },
    TableExport {
        table: "matches",
        // The note of an ending is for the coordinators and never shown to
        // the other side (issue 8): only its writer gets it.
        columns: &[
            "id",
            "proposal_id",
            "request_id",
            "pupil_user_id",
            "tutor_user_id",
            "status",
            "requested_at",
            "started_at",
            "ended_at",
            "end_reason",
            "ended_by_user_id",
            "CASE WHEN ended_by_user_id = $1 THEN end_note END AS end_note",
            "video_room",
        ],
        filter: "pupil_user_id = $1 OR tutor_user_id = $1",
    },
    TableExport {
        table: "session_series",
        columns: &[
            "id",
            "match_id",
            "uid",
            "status",
            "mode",
            "place_uai",
            "slot_number",
            "time_zone",
            "weekday",
            "start_minute",
            "minutes",
            "first_date",
            "last_date",
            "sequence",
            "proposed_by",
            "proposed_at",
            "confirmed_at",
        ],
        filter:
            "match_id IN (SELECT id FROM matches WHERE pupil_user_id = $1 OR tutor_user_id = $1)",
    },
    TableExport {
        table: "session_occurrences",
        columns: &[
            "id",
            "series_id",
            "original_date",
            "status",
            "starts_at",
            "ends_at",
            "reason",
            "changed_by",
            "changed_at",
            "feedback_asked_at",
        ],
        filter: "series_id IN (SELECT id FROM session_series WHERE match_id IN \
                 (SELECT id FROM matches WHERE pupil_user_id = $1 OR tutor_user_id = $1))",
    },
    TableExport {
        table: "session_reminders",
        columns: &["occurrence_id", "minutes_before", "sent_at"],
        filter: "occurrence_id IN (SELECT o.id FROM session_occurrences o \
                 JOIN session_series s ON s.id = o.series_id WHERE s.match_id IN \
                 (SELECT id FROM matches WHERE pupil_user_id = $1 OR tutor_user_id = $1))",
    },
    TableExport {
        table: "session_feedback",
        // One's own answers; the other side's are theirs.
        columns: &[
            "occurrence_id",
            "side",
            "user_id",
            "took_place",
            "rating",
            "confidence",
            "worked_on",
            "comment",
            "given_at",
        ],
        filter: "user_id = $1",
    },
    TableExport {
        table: "calendar_feeds",
        // Not the feed's token (a secret that opens the calendar).
        columns: &["user_id", "created_at"],
        filter: "user_id = $1",
    },
    TableExport {
        table: "account_tokens",
        // Not the link's hash (a secret).
        columns: &[
            "id",
            "user_id",
            "purpose",
            "created_at",
            "expires_at",
            "used_at",
        ],
        filter: "user_id = $1",
    },
    TableExport {
        table: "second_factors",
        // Not the secret (it makes the codes).
        columns: &["user_id", "created_at", "confirmed_at"],
        filter: "user_id = $1",
    },
    TableExport {
        table: "recovery_codes",
        // Not the codes' hashes (secrets).
        columns: &["user_id", "created_at", "used_at"],
        filter: "user_id = $1",
    },
    TableExport {
        table: "problem_reports",
        // A report about a pupil is listed in the pupil's export, but its
        // text and its author only in the author's: telling a pupil who
        // reported a concern about them, and in which words, could put the
        // reporter or the pupil at risk (GDPR art. 15(4), rights of others).
        columns: &[
            "id",
            "CASE WHEN reporter_user_id = $1 THEN reporter_user_id END AS reporter_user_id",
            "pupil_user_id",
            "match_id",
            "academy_code",
            "CASE WHEN reporter_user_id = $1 THEN body END AS body",
            "status",
            "created_at",
            "closed_at",
            "closed_by_user_id",
            "CASE WHEN closed_by_user_id = $1 THEN closing_note END AS closing_note",
        ],
        filter: "reporter_user_id = $1 OR pupil_user_id = $1 OR closed_by_user_id = $1",
    },
    TableExport {
        table: "matching_choices",
        columns: &[
            "coordinator_user_id",
            "pupil_user_id",
            "tutor_user_id",
            "kind",
            "reason",
            "created_at",
        ],
        filter: "coordinator_user_id = $1 OR pupil_user_id = $1 OR tutor_user_id = $1",
    },
    TableExport {
        table: "matching_runs",
        columns: &["academy_code", "coordinator_user_id", "started_at", "stage"],
        filter: "coordinator_user_id = $1",
    },
    TableExport {
        table: "school_priorities",
        columns: &["uai", "priority", "updated_by", "updated_at"],
        filter: "updated_by = $1",
    },
    TableExport {
        table: "alerts",
        // Alerts about the person (their page is the alert's link), about
        // their matches (`match:ID`), and those they acknowledged.
        columns: &[
            "id",
            "kind",
            "subject",
            "academy_code",
            "label",
            "raised_at",
            "acknowledged_at",
            "acknowledged_by",
            "note",
            "closed_at",
        ],
        filter: "acknowledged_by = $1 OR link = '/coordination/eleves/' || $3 \
                 OR link = '/coordination/tuteurs/' || $3 \
                 OR subject IN (SELECT 'match:' || CAST(id AS TEXT) \
                 FROM matches WHERE pupil_user_id = $1 OR tutor_user_id = $1)",
    },
    TableExport {
        table: "audit_log",
        // What the person did, and what was done to their account.
        columns: &[
            "id",
            "at",
            "actor_user_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "details",
        ],
        filter: "actor_user_id = $1 OR (object_type IN ('user', 'pupil', 'tutor') \
                 AND object_id = $3)",
    },
    TableExport {
        table: "email_outbox",
        // The emails sent to the person, as sent (text version; the HTML one
        // says the same), without the sending machinery's fields.
        columns: &[
            "id",
            "kind",
            "recipient_address",
            "recipient_name",
            "language",
            "subject",
            "body_text",
            "state",
            "created_at",
            "sent_at",
        ],
        filter: "LOWER(recipient_address) = $2",
    },
    TableExport {
        table: "email_attachments",
        // Their names and kinds; the files (calendar invitations, the
        // attestation) say again what the email and the tables above say.
        columns: &["email_id", "position", "filename", "content_type"],
        filter: "email_id IN (SELECT id FROM email_outbox WHERE LOWER(recipient_address) = $2)",
    },
];

/// The tables that hold nothing about a person, and why.
pub const NO_PERSONAL_DATA: &[(&str, &str)] = &[
    ("regions", "reference data"),
    ("academies", "reference data"),
    ("levels", "reference data"),
    ("subjects", "reference data"),
    ("subject_levels", "reference data"),
    ("schools", "the public directory of schools"),
    ("demo", "whether the demo population is loaded"),
    (
        "login_sessions",
        "opaque login cookies' state, which ends with them: no one's data but the server's",
    ),
    ("_sqlx_migrations", "the schema's version"),
];

/// How a column's values are read, from its name: times end in `_at`
/// (or are `at`), the dates of the tables above are listed, `took_place`
/// is a yes/no; everything else is a number or a text.
fn kind_of(column: &str) -> Kind {
    if column == "at" || column.ends_with("_at") {
        Kind::Time
    } else if matches!(column, "deadline" | "check_done_on" | "check_expires_on") {
        Kind::Date
    } else if column == "took_place" {
        Kind::Bool
    } else {
        Kind::Other
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Time,
    Date,
    Bool,
    Other,
}

/// The name a column of [`TableExport::columns`] is exported under.
pub fn column_name(column: &str) -> &str {
    column.rsplit(" AS ").next().unwrap_or(column)
}

/// The value at `$i` of `$row`, read as `$kind` says; a number or a text
/// otherwise, whatever integer width the engine stores.
macro_rules! cell {
    ($row:expr, $i:expr, $kind:expr) => {{
        use sqlx::Row as _;
        match $kind {
            Kind::Time => $row
                .try_get::<Option<DateTime<Utc>>, _>($i)?
                .map_or(Cell::Null, |at| {
                    Cell::Text(at.to_rfc3339_opts(SecondsFormat::Secs, true))
                }),
            Kind::Date => $row
                .try_get::<Option<NaiveDate>, _>($i)?
                .map_or(Cell::Null, |day| Cell::Text(day.to_string())),
            Kind::Bool => $row
                .try_get::<Option<bool>, _>($i)?
                .map_or(Cell::Null, Cell::Bool),
            Kind::Other => {
                if let Ok(value) = $row.try_get::<Option<i64>, _>($i) {
                    value.map_or(Cell::Null, Cell::Int)
                } else if let Ok(value) = $row.try_get::<Option<i32>, _>($i) {
                    value.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))
                } else if let Ok(value) = $row.try_get::<Option<String>, _>($i) {
                    value.map_or(Cell::Null, Cell::Text)
                } else {
                    $row.try_get::<Option<f64>, _>($i)?
                        .map_or(Cell::Null, Cell::Real)
                }
            }
        }
    }};
}

/// The rows of `spec` about the account `user_id` whose address is
/// `email` (any case).
///
/// # Errors
/// The database's error.
pub async fn table(
    db: &Db,
    spec: &TableExport,
    user_id: i64,
    email: &str,
) -> Result<Section, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY 1",
        spec.columns.join(", "),
        spec.table,
        spec.filter
    );
    let names: Vec<String> = spec
        .columns
        .iter()
        .map(|column| column_name(column).to_owned())
        .collect();
    let kinds: Vec<Kind> = names.iter().map(|name| kind_of(name)).collect();
    // Each placeholder up to the highest one the query reads is bound.
    let bound = if sql.contains("$3") {
        3
    } else if sql.contains("$2") {
        2
    } else {
        1
    };
    let email = email.to_lowercase();
    let id_text = user_id.to_string();
    let rows: Vec<Vec<Cell>> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query(&sql).bind(user_id);
        if bound >= 2 {
            query = query.bind(&email);
        }
        if bound >= 3 {
            query = query.bind(&id_text);
        }
        let found = query.fetch_all(pool).await?;
        let mut rows = Vec::with_capacity(found.len());
        for row in &found {
            let mut cells = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                cells.push(cell!(row, i, *kind));
            }
            rows.push(cells);
        }
        rows
    });
    Ok(Section {
        table: spec.table.to_owned(),
        columns: names,
        rows,
    })
}

/// Every table's rows about the account `user_id` (address `email`), in
/// the order of [`TABLES`], tables without rows included.
///
/// # Errors
/// The database's error.
pub async fn collect(db: &Db, user_id: i64, email: &str) -> Result<Vec<Section>, sqlx::Error> {
    let mut sections = Vec::with_capacity(TABLES.len());
    for spec in TABLES {
        sections.push(table(db, spec, user_id, email).await?);
    }
    Ok(sections)
}

/// The export as a JSON document: `{"format": "binome-export/1",
/// "generated_at": RFC 3339, "user_id": N, "tables": {table: [{column:
/// value}]}}`, values as stored (times in UTC, RFC 3339).
pub fn to_json(sections: &[Section], user_id: i64, generated_at: DateTime<Utc>) -> String {
    use serde_json::{Map, Value};
    let cell = |cell: &Cell| match cell {
        Cell::Null => Value::Null,
        Cell::Int(value) => Value::from(*value),
        Cell::Real(value) => Value::from(*value),
        Cell::Bool(value) => Value::from(*value),
        Cell::Text(value) => Value::from(value.as_str()),
    };
    let mut tables = Map::new();
    for section in sections {
        let rows: Vec<Value> = section
            .rows
            .iter()
            .map(|row| {
                Value::Object(
                    section
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(name, value)| (name.clone(), cell(value)))
                        .collect(),
                )
            })
            .collect();
        tables.insert(section.table.clone(), Value::Array(rows));
    }
    let document = serde_json::json!({
        "format": "binome-export/1",
        "generated_at": generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "user_id": user_id,
        "tables": tables,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_the_alias_or_the_column() {
        assert_eq!(column_name("id"), "id");
        assert_eq!(
            column_name("CASE WHEN ended_by_user_id = $1 THEN end_note END AS end_note"),
            "end_note"
        );
    }

    #[test]
    fn no_secret_is_exported() {
        for spec in TABLES {
            for column in spec.columns {
                let name = column_name(column);
                assert!(
                    !matches!(
                        name,
                        "password_hash"
                            | "token_hash"
                            | "previous_token_hash"
                            | "token"
                            | "secret"
                            | "code_hash"
                    ),
                    "{}.{name}",
                    spec.table
                );
            }
        }
    }

    #[test]
    fn a_table_is_either_exported_or_said_to_hold_no_personal_data() {
        for spec in TABLES {
            assert!(
                !NO_PERSONAL_DATA
                    .iter()
                    .any(|(table, _)| *table == spec.table),
                "{}",
                spec.table
            );
        }
    }
}
