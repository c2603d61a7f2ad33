//! Weekly sessions of a match through the real router and database
//! (SQLite, or PostgreSQL with `BINOME_TEST_POSTGRES_URL`): the tutor
//! proposes a slot among those both share, bad input changes nothing, the
//! pupil confirms, and both calendars list the sessions in their own zone
//! across the change of 28 March 2027 in Paris.
//!
//! Inès (Toulouse, Europe/Paris) is free on Tuesdays 18:00–20:00; Maëlys
//! (Indian/Reunion, UTC+4 all year) 21:00–23:00 her time, which is
//! 18:00–20:00 in Paris until 28 March (UTC+1) and 19:00–21:00 after
//! (UTC+2). Every week from Sunday 21 March, the one-hour slot both have is
//! Tuesday 19:00 Paris.

use crate::common;

use std::sync::Arc;

use app::clock::Clock;
use axum::http::StatusCode;
use chrono::TimeDelta;
use common::needs::{json_of, pupil_in_premiere, saturday_20_march_2027};
use common::pairs::{active_match, tuesdays_from_23_march};
use common::people::confirmed;
use common::visitor::{field_errors, outbox, pairs, Visitor, PASSWORD};
use common::TestApp;
use serde_json::{json, Value};

/// The test application's `BINOME_PUBLIC_URL`.
const URL: &str = "http://127.0.0.1:3000";

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("a count"))
}

/// A session still to come as the calendar lists it (without its id).
fn entry(date: &str, weekday: u8, from: &str, to: &str, zone: &str, with: &str) -> Value {
    json!({
        "date": date, "weekday": weekday, "from": from, "to": to, "time_zone": zone,
        "other_name": with, "as_tutor": zone == "Indian/Reunion", "status": "scheduled",
        "cancellable": true, "minutes": 60,
    })
}

/// `entry` without its id and venue.
fn without_id(entry: &Value) -> Value {
    let mut entry = entry.clone();
    let fields = entry.as_object_mut().expect("an object");
    fields.remove("id");
    fields.remove("venue");
    entry
}

/// The video room name of the match `match_id`.
async fn video_room(app: &TestApp, match_id: i64) -> String {
    app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT video_room FROM matches WHERE id = $1"
    )
    .bind(match_id)
    .fetch_one(pool)
    .await
    .expect("a room"))
}

#[tokio::test]
async fn the_tutor_proposes_a_shared_slot_the_pupil_confirms_and_both_calendars_show_it() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(Arc::clone(&clock) as Arc<dyn Clock>).await;
    let (mut ines, mut maelys, match_id) = active_match(&app).await;
    let m = match_id.to_string();

    // The slots both share every week of the next four.
    let choice = json_of(
        &maelys
            .post("/api/seances/creneaux", &[("match_id", &m)])
            .await,
    );
    assert_eq!(
        choice,
        json!({
            "slots": [{
                "code": "2-1140",
                "pupil": {"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"},
                "tutor": {"weekday": 2, "from": "22:00", "to": "23:00", "time_zone": "Indian/Reunion"},
            }],
            "first_date": "2027-03-21",
            "venues": [{"mode": "online", "url": null}],
            "slot_number": 1,
        })
    );
    // The pupil sees the same slots, in her own time only.
    let hers = json_of(&ines.post("/api/binomes", &[]).await);
    assert_eq!(
        hers[0]["shared_slots"],
        json!([{"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"}])
    );
    assert_eq!(hers[0]["slot_choice"], Value::Null);
    // Only the tutor of the match.
    let not_hers = ines
        .post("/api/seances/creneaux", &[("match_id", &m)])
        .await;
    assert_eq!(not_hers.status, StatusCode::NOT_FOUND, "{}", not_hers.body);

    // Bad input: every field's error at once, nothing written.
    let bad = maelys
        .post(
            "/api/seances/proposer",
            &[
                ("match_id", &m),
                ("slot", "9-99"),
                ("minutes", "45"),
                ("first_date", "2027-02-30"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[
            ("minutes", "errors.sessions.length"),
            ("slot", "errors.sessions.slot"),
            ("first_date", "errors.sessions.date"),
        ])
    );
    for (slot, minutes, date, field, key) in [
        ("9-99", "60", "2027-03-22", "slot", "errors.sessions.slot"),
        ("2-1150", "60", "2027-03-22", "slot", "errors.sessions.slot"),
        (
            "2-1140",
            "60",
            "2027-03-20",
            "first_date",
            "errors.sessions.date_range",
        ),
        (
            "2-1140",
            "60",
            "2027-05-16",
            "first_date",
            "errors.sessions.date_range",
        ),
        // 18:00 Paris is not Maëlys's after the change; 19:00 for two
        // hours is not Inès's.
        (
            "2-1080",
            "60",
            "2027-03-22",
            "slot",
            "errors.sessions.not_shared",
        ),
        (
            "2-1140",
            "120",
            "2027-03-22",
            "slot",
            "errors.sessions.not_shared",
        ),
    ] {
        let refused = maelys
            .post(
                "/api/seances/proposer",
                &[
                    ("match_id", &m),
                    ("slot", slot),
                    ("minutes", minutes),
                    ("first_date", date),
                ],
            )
            .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[(field, key)]),
            "{slot} {minutes} {date}"
        );
    }
    let as_pupil = ines
        .post(
            "/api/seances/proposer",
            &[
                ("match_id", &m),
                ("slot", "2-1140"),
                ("minutes", "60"),
                ("first_date", "2027-03-22"),
            ],
        )
        .await;
    assert_eq!(as_pupil.status, StatusCode::NOT_FOUND, "{}", as_pupil.body);
    // Nor another tutor, whose match it is not.
    let mut hugo = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    for path in ["/api/seances/creneaux", "/api/seances/proposer"] {
        let refused = hugo
            .post(
                path,
                &[
                    ("match_id", &m),
                    ("slot", "2-1140"),
                    ("minutes", "60"),
                    ("first_date", "2027-03-22"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            refused.body
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session_series").await, 0);

    // A proposal from Monday 22: the first session is Tuesday 23; then a
    // second one from Monday 29 replaces it.
    for date in ["2027-03-22", "2027-03-29"] {
        let done = maelys
            .post(
                "/api/seances/proposer",
                &[
                    ("match_id", &m),
                    ("slot", "2-1140"),
                    ("minutes", "60"),
                    ("first_date", date),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM session_series WHERE status = 'replaced'"
        )
        .await,
        1
    );
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    let series = &seen[0]["series"];
    assert_eq!(series["status"], "proposed");
    assert_eq!(series["first_date"], "2027-03-30");
    assert_eq!(
        series["slot"],
        json!({"weekday": 2, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    let hers = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(
        hers[0]["series"]["slot"],
        json!({"weekday": 2, "from": "21:00", "to": "22:00", "time_zone": "Indian/Reunion"}),
        "30 March is after the change: 19:00 Paris is 21:00 in Réunion"
    );
    let to_ines: Vec<_> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "series_proposed" && to == "ines@exemple.fr")
        .collect();
    assert_eq!(to_ines.len(), 2);
    assert!(
        to_ines[1].2.contains("mardi 19:00–20:00 (Europe/Paris)"),
        "{}",
        to_ines[1].2
    );

    // Only the pupil confirms, and only the live proposal.
    let series_id = series["id"].as_i64().expect("an id").to_string();
    let by_tutor = maelys
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(by_tutor.status, StatusCode::NOT_FOUND, "{}", by_tutor.body);
    let replaced: i64 = count(
        &app,
        "SELECT id FROM session_series WHERE status = 'replaced'",
    )
    .await;
    let stale = ines
        .post(
            "/api/seances/confirmer",
            &[("series_id", &replaced.to_string())],
        )
        .await;
    assert_eq!(
        field_errors(&stale),
        pairs(&[("form", "errors.sessions.closed")])
    );
    // Nor another pupil.
    let mut zoe = pupil_in_premiere(&app, "zoe@exemple.fr").await;
    let not_zoes = zoe
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(
        field_errors(&not_zoes),
        pairs(&[("form", "errors.sessions.closed")])
    );
    let done = ines
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let again = ines
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("form", "errors.sessions.closed")])
    );
    // Once confirmed, the tutor can no longer propose another slot.
    let late_proposal = maelys
        .post(
            "/api/seances/proposer",
            &[
                ("match_id", &m),
                ("slot", "2-1140"),
                ("minutes", "60"),
                ("first_date", "2027-03-29"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&late_proposal),
        pairs(&[("form", "errors.sessions.closed")])
    );

    // Tuesdays from 30 March up to 8 weeks after Saturday 20 March (15
    // May): 30 March, 6, 13, 20 and 27 April, 4 and 11 May.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM session_occurrences").await,
        7
    );
    let calendar = json_of(&ines.post("/api/calendrier", &[]).await);
    let calendar = calendar.as_array().expect("a list");
    assert_eq!(calendar.len(), 7);
    assert_eq!(
        without_id(&calendar[0]),
        entry(
            "2027-03-30",
            2,
            "19:00",
            "20:00",
            "Europe/Paris",
            "Maëlys Payet"
        )
    );
    assert_eq!(
        without_id(&calendar[6]),
        entry(
            "2027-05-11",
            2,
            "19:00",
            "20:00",
            "Europe/Paris",
            "Maëlys Payet"
        )
    );
    let theirs = json_of(&maelys.post("/api/calendrier", &[]).await);
    assert_eq!(
        without_id(&theirs[0]),
        entry(
            "2027-03-30",
            2,
            "21:00",
            "22:00",
            "Indian/Reunion",
            "Inès Roux"
        )
    );
    // Online: both see the pair's video link, the test template with the
    // match's room, 128 random bits in hexadecimal.
    let room = video_room(&app, match_id).await;
    assert_eq!(room.len(), 32, "{room}");
    assert!(room
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    let link = format!("https://visio.example.fr/binome-{room}");
    for listed in calendar.iter().chain(theirs.as_array().expect("a list")) {
        assert_eq!(listed["venue"], json!({"mode": "online", "url": link}));
    }
    let emails = outbox(&app).await;
    let booked: Vec<&str> = emails
        .iter()
        .filter(|(kind, _, _)| kind == "series_confirmed")
        .map(|(_, to, _)| to.as_str())
        .collect();
    assert_eq!(booked, ["ines@exemple.fr", "maelys@exemple.fr"]);
    for (kind, _, text) in &emails {
        if kind == "series_confirmed" {
            assert!(text.contains(&link), "{text}");
        }
    }
    // Inès is 17: no parent is emailed.
    assert!(!emails
        .iter()
        .any(|(kind, _, _)| kind == "series_booked_parent"));

    // The page, without JavaScript.
    let page = ines.get("/calendrier").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("19:00–20:00"), "{}", page.body);
    assert!(page.body.contains("2027-03-30"), "{}", page.body);
    let anonymous = Visitor::new(&app).post("/api/calendrier", &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Inès cancels the first session, with a reason; Maëlys is emailed in
    // her time; the other weeks stay.
    assert_eq!(calendar[0]["cancellable"], true);
    let first = calendar[0]["id"].as_i64().expect("an id").to_string();
    for (reason, key) in [
        ("  ".to_owned(), "errors.sessions.reason_needed"),
        ("x".repeat(301), "errors.sessions.reason_long"),
    ] {
        let refused = ines
            .post(
                "/api/seances/annuler",
                &[("occurrence_id", &first), ("reason", &reason)],
            )
            .await;
        assert_eq!(field_errors(&refused), pairs(&[("reason", key)]));
    }
    let not_his = hugo
        .post(
            "/api/seances/annuler",
            &[("occurrence_id", &first), ("reason", "Je ne sais pas")],
        )
        .await;
    assert_eq!(not_his.status, StatusCode::NOT_FOUND, "{}", not_his.body);
    let cancelled = ines
        .post(
            "/api/seances/annuler",
            &[
                ("occurrence_id", &first),
                ("reason", "Contrôle de physique le lendemain"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let twice = maelys
        .post(
            "/api/seances/annuler",
            &[("occurrence_id", &first), ("reason", "Aussi")],
        )
        .await;
    assert_eq!(
        field_errors(&twice),
        pairs(&[("form", "errors.sessions.not_cancellable")])
    );
    let after = json_of(&maelys.post("/api/calendrier", &[]).await);
    assert_eq!(after[0]["status"], "cancelled");
    assert_eq!(after[0]["cancellable"], false);
    assert_eq!(after[1]["status"], "scheduled");
    assert_eq!(after.as_array().map(Vec::len), Some(7));
    let told: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "session_cancelled" && to == "maelys@exemple.fr")
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].contains("mardi 30 mars 2027, 21:00 (Indian/Reunion)")
            && told[0].contains("Contrôle de physique le lendemain"),
        "{}",
        told[0]
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(sequence AS BIGINT) FROM session_series WHERE status = 'confirmed'"
        )
        .await,
        1
    );

    // A week later, housekeeping adds Tuesday 18 May, once.
    clock.advance(TimeDelta::days(7));
    let added = app::sessions::horizon::extend_all(&app.db, URL, clock.now())
        .await
        .expect("extended");
    assert_eq!(added, 1);
    let added = app::sessions::horizon::extend_all(&app.db, URL, clock.now())
        .await
        .expect("extended");
    assert_eq!(added, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM session_occurrences").await,
        8
    );

    // A session that has begun cannot be cancelled: on Wednesday 7 April,
    // Tuesday 6 April's is past.
    clock.advance(TimeDelta::days(11));
    // Signed in again: the login session lapsed after 30 idle minutes.
    let again = ines.sign_in("ines@exemple.fr", PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let listed = json_of(&ines.post("/api/calendrier", &[]).await);
    let past = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["date"] == "2027-04-06")
        .expect("6 April is listed");
    assert_eq!(past["cancellable"], false);
    let late = ines
        .post(
            "/api/seances/annuler",
            &[
                (
                    "occurrence_id",
                    &past["id"].as_i64().expect("an id").to_string(),
                ),
                ("reason", "Trop tard"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&late),
        pairs(&[("form", "errors.sessions.not_cancellable")])
    );
}

/// A Sunday 02:30 series in Paris over the change of 28 March 2027 (02:00
/// → 03:00): that week is stored as skipped, with no instant, and left out
/// of both calendars; the weeks around it keep 02:30 Paris time (01:30 UTC
/// before, 00:30 UTC after).
#[tokio::test]
async fn a_week_whose_local_time_does_not_exist_is_stored_as_skipped_and_not_listed() {
    use chrono::TimeZone;
    let app = TestApp::spawn_with_clock(saturday_20_march_2027()).await;
    let (mut ines, _maelys, match_id) = active_match(&app).await;
    // A proposal whose first session is today (Saturday 20 March) is stale:
    // the pupil can no longer confirm it.
    let stale: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "INSERT INTO session_series (match_id, uid, status, time_zone, weekday, start_minute, \
         minutes, first_date, proposed_by, proposed_at) \
         SELECT $1, 'stale-test@binome', 'proposed', 'Europe/Paris', 6, 1140, 60, \
         '2027-03-20', tutor_user_id, started_at FROM matches WHERE id = $1 RETURNING id"
    )
    .bind(match_id)
    .fetch_one(pool)
    .await
    .expect("a stale proposal"));
    let refused = ines
        .post(
            "/api/seances/confirmer",
            &[("series_id", &stale.to_string())],
        )
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("form", "errors.sessions.closed")])
    );
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE session_series SET status = 'replaced' WHERE id = $1"
    )
    .bind(stale)
    .execute(pool)
    .await
    .expect("set aside")
    .rows_affected());
    // Stored as the pupil's confirmation would: a proposal and its
    // confirmation at once (the slot is not one both share).
    app::on_db!(&app.db, |pool| sqlx::query(
        "INSERT INTO session_series (match_id, uid, status, time_zone, weekday, start_minute, \
         minutes, first_date, proposed_by, proposed_at) \
         SELECT $1, 'skipped-test@binome', 'confirmed', 'Europe/Paris', 7, 150, 60, \
         '2027-03-21', tutor_user_id, started_at FROM matches WHERE id = $1"
    )
    .bind(match_id)
    .execute(pool)
    .await
    .expect("a series")
    .rows_affected());
    let now = saturday_20_march_2027().now();
    let added = app::sessions::horizon::extend_all(&app.db, URL, now)
        .await
        .expect("filled");
    // Sundays from 21 March to 9 May (the horizon is 15 May).
    assert_eq!(added, 8);
    let stored: Vec<(String, String, Option<chrono::DateTime<chrono::Utc>>)> =
        app::on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT original_date, status, starts_at FROM session_occurrences \
             ORDER BY original_date LIMIT 3"
        )
        .fetch_all(pool)
        .await
        .expect("occurrences"));
    let utc = |d: u32, h: u32, m: u32| {
        chrono::Utc
            .with_ymd_and_hms(2027, if d > 20 { 3 } else { 4 }, d, h, m, 0)
            .single()
    };
    assert_eq!(
        stored,
        [
            (
                "2027-03-21".to_owned(),
                "scheduled".to_owned(),
                utc(21, 1, 30)
            ),
            ("2027-03-28".to_owned(), "skipped".to_owned(), None),
            (
                "2027-04-04".to_owned(),
                "scheduled".to_owned(),
                utc(4, 0, 30)
            ),
        ]
    );
    let calendar = json_of(&ines.post("/api/calendrier", &[]).await);
    let dates: Vec<&str> = calendar
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["date"].as_str().expect("a date"))
        .collect();
    assert_eq!(dates.len(), 7, "{dates:?}");
    assert!(!dates.contains(&"2027-03-28"));
    assert_eq!(calendar[0]["from"], "02:30");
    assert_eq!(calendar[1]["from"], "02:30");

    // Both sides are told of the week without a session, in the pupil's
    // dates; once only, then again when the next year's change (Sunday 26
    // March 2028) comes within the horizon.
    let told = |emails: Vec<(String, String, String)>| -> Vec<(String, String)> {
        emails
            .into_iter()
            .filter(|(kind, _, _)| kind == "sessions_skipped")
            .map(|(_, to, text)| {
                let line = text
                    .lines()
                    .find(|l| l.starts_with("Pas de séance le"))
                    .expect("a date")
                    .to_owned();
                (to, line)
            })
            .collect()
    };
    let line = |date: &str| {
        format!(
            "Pas de séance le {date}\u{202f}: on change d’heure ce jour-là, et ce créneau n’existe pas."
        )
    };
    let first = vec![
        ("ines@exemple.fr".to_owned(), line("28 mars 2027")),
        ("maelys@exemple.fr".to_owned(), line("28 mars 2027")),
    ];
    assert_eq!(told(outbox(&app).await), first);
    let again = app::sessions::horizon::extend_all(&app.db, URL, now)
        .await
        .expect("filled");
    assert_eq!(again, 0);
    assert_eq!(told(outbox(&app).await), first);
    let next_year = chrono::Utc
        .with_ymd_and_hms(2028, 3, 4, 9, 0, 0)
        .single()
        .expect("an instant");
    app::sessions::horizon::extend_all(&app.db, URL, next_year)
        .await
        .expect("filled");
    let mut expected = first.clone();
    expected.extend([
        ("ines@exemple.fr".to_owned(), line("26 mars 2028")),
        ("maelys@exemple.fr".to_owned(), line("26 mars 2028")),
    ]);
    assert_eq!(told(outbox(&app).await), expected);
}

/// The calendar attachments of the emails of `kind` to `to`: (content
/// type, text), oldest first.
async fn invitations(app: &TestApp, kind: &str, to: &str) -> Vec<(String, String)> {
    let rows: Vec<(String, Vec<u8>)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT a.content_type, a.content FROM email_attachments a \
         JOIN email_outbox o ON o.id = a.email_id \
         WHERE o.kind = $1 AND o.recipient_address = $2 ORDER BY o.id, a.position"
    )
    .bind(kind)
    .bind(to)
    .fetch_all(pool)
    .await
    .expect("attachments"));
    rows.into_iter()
        .map(|(kind, bytes)| (kind, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

/// `ics` with its folded lines joined (RFC 5545, section 3.1).
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

/// The UTC starts (`YYYY-MM-DDTHH:MM:SSZ`) of the sessions `ics` states in
/// `[from, to)`, as `server/tests/ics_sessions.py` reads them with the
/// Python `icalendar` package and the file's own `VTIMEZONE`.
fn sessions_in(ics: &str, from: &str, to: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("../.tools/smtp-venv/bin/python");
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::io::Write::write_all(&mut file, ics.as_bytes()).expect("written");
    let output = std::process::Command::new(&python)
        .arg(root.join("tests/ics_sessions.py"))
        .arg(file.path())
        .args([from, to])
        .output()
        .unwrap_or_else(|e| panic!("{} runs (scripts/bootstrap --test): {e}", python.display()));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON list")
}

/// The UTC starts of the stored sessions that take place, as
/// `sessions_in` gives them.
async fn stored_starts(app: &TestApp) -> Vec<String> {
    let starts: Vec<chrono::DateTime<chrono::Utc>> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
            "SELECT starts_at FROM session_occurrences WHERE status IN ('scheduled', 'moved') \
         ORDER BY starts_at",
        )
        .fetch_all(pool)
        .await
        .expect("starts")
    });
    starts
        .iter()
        .map(|s| s.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect()
}

/// The booking emails carry an RFC 5545 invitation, for its recipient
/// alone, whose sessions (read by another program, with the file's own
/// time-zone rules) are exactly the stored ones across the change of 28
/// March; a cancellation carries a CANCEL of that one session; and each
/// side's private feed follows, until it is replaced or revoked.
#[tokio::test]
async fn invitations_and_feeds_state_the_stored_sessions() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    // Tuesdays 19:00 Paris from 23 March: the first one is before the
    // change (18:00 UTC), the others after (17:00 UTC).
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;

    let (window_from, window_to) = ("2027-03-20T00:00:00Z", "2027-05-16T00:00:00Z");
    let stored = stored_starts(&app).await;
    assert_eq!(stored.len(), 8);
    assert_eq!(stored[0], "2027-03-23T18:00:00Z");
    assert_eq!(stored[1], "2027-03-30T17:00:00Z");
    for (to, other) in [
        ("ines@exemple.fr", "maelys@exemple.fr"),
        ("maelys@exemple.fr", "ines@exemple.fr"),
    ] {
        let sent = invitations(&app, "series_confirmed", to).await;
        assert_eq!(sent.len(), 1, "one invitation to {to}");
        let (content_type, ics) = &sent[0];
        assert_eq!(content_type, "text/calendar; charset=utf-8; method=REQUEST");
        let ics = &unfold(ics);
        assert!(ics.contains("METHOD:REQUEST"), "{ics}");
        assert!(ics.contains(&format!(":mailto:{to}")), "{ics}");
        assert!(
            !ics.contains(other),
            "{other} is not revealed to {to}:\n{ics}"
        );
        assert!(ics.contains("mailto:no-reply@binome.localhost"), "{ics}");
        assert_eq!(sessions_in(ics, window_from, window_to), stored, "{ics}");
    }

    // Inès cancels 30 March: Maëlys's email cancels that session alone,
    // with the series' SEQUENCE after the change.
    let listed = json_of(&ines.post("/api/calendrier", &[]).await);
    let second = listed[1]["id"].as_i64().expect("an id").to_string();
    let cancelled = ines
        .post(
            "/api/seances/annuler",
            &[("occurrence_id", &second), ("reason", "Sortie scolaire")],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let sent = invitations(&app, "session_cancelled", "maelys@exemple.fr").await;
    assert_eq!(sent.len(), 1);
    let (content_type, ics) = &sent[0];
    assert_eq!(content_type, "text/calendar; charset=utf-8; method=CANCEL");
    let unfolded = unfold(ics);
    for line in [
        "METHOD:CANCEL",
        "RECURRENCE-ID;TZID=Europe/Paris:20270330T190000",
        "SEQUENCE:1",
        "STATUS:CANCELLED",
    ] {
        assert!(
            unfolded.contains(&format!("{line}\r\n")),
            "{line} in\n{ics}"
        );
    }
    assert!(!ics.contains("ines@exemple.fr"), "{ics}");
    // Inès's own calendar gets the same cancellation.
    let own = invitations(&app, "session_cancelled", "ines@exemple.fr").await;
    assert_eq!(own.len(), 1);
    assert!(unfold(&own[0].1).contains("RECURRENCE-ID;TZID=Europe/Paris:20270330T190000\r\n"));

    // The feed: none at first; once made, readable without a login
    // session and equal to the stored sessions (30 March cancelled).
    assert_eq!(
        json_of(&ines.post("/api/calendrier/lien", &[]).await),
        Value::Null
    );
    let anonymous = Visitor::new(&app)
        .post("/api/calendrier/lien/nouveau", &[])
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let made = ines.post("/api/calendrier/lien/nouveau", &[]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let link = json_of(&ines.post("/api/calendrier/lien", &[]).await);
    let link = link.as_str().expect("a link").to_owned();
    let path = link
        .strip_prefix("http://127.0.0.1:3000")
        .expect("under the public URL")
        .to_owned();
    assert!(
        path.starts_with("/calendrier/flux/") && path.ends_with(".ics"),
        "{path}"
    );
    let feed = Visitor::new(&app).get(&path).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(!feed.body.contains("mailto:"), "{}", feed.body);
    assert!(unfold(&feed.body).contains("Maëlys Payet"), "{}", feed.body);
    let after = stored_starts(&app).await;
    assert_eq!(after.len(), 7);
    assert!(!after.contains(&"2027-03-30T17:00:00Z".to_owned()));
    assert_eq!(sessions_in(&feed.body, window_from, window_to), after);
    // Maëlys's own feed reads the same sessions.
    let made = maelys.post("/api/calendrier/lien/nouveau", &[]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let hers = json_of(&maelys.post("/api/calendrier/lien", &[]).await);
    let hers = hers
        .as_str()
        .expect("a link")
        .replace("http://127.0.0.1:3000", "");
    assert_ne!(hers, path);
    let her_feed = Visitor::new(&app).get(&hers).await;
    assert!(
        unfold(&her_feed.body).contains("Inès Roux"),
        "{}",
        her_feed.body
    );
    assert_eq!(sessions_in(&her_feed.body, window_from, window_to), after);

    // Replaced: the old link is gone at once. Revoked: no link works.
    let renewed = ines.post("/api/calendrier/lien/nouveau", &[]).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    assert_eq!(
        Visitor::new(&app).get(&path).await.status,
        StatusCode::NOT_FOUND
    );
    let new_link = json_of(&ines.post("/api/calendrier/lien", &[]).await);
    let new_path = new_link
        .as_str()
        .expect("a link")
        .replace("http://127.0.0.1:3000", "");
    assert_ne!(new_path, path);
    assert_eq!(
        Visitor::new(&app).get(&new_path).await.status,
        StatusCode::OK
    );
    let revoked = ines.post("/api/calendrier/lien/supprimer", &[]).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(
        Visitor::new(&app).get(&new_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        json_of(&ines.post("/api/calendrier/lien", &[]).await),
        Value::Null
    );
    for bad in [
        "/calendrier/flux/.ics",
        "/calendrier/flux/abc",
        "/calendrier/flux/%27%20OR%201=1.ics",
    ] {
        assert_eq!(
            Visitor::new(&app).get(bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    // The page offers the link, without JavaScript.
    let page = maelys.get("/calendrier").await;
    assert!(page.body.contains(&hers), "{}", page.body);
}

/// The reminders queued so far: (recipient, text), oldest first.
async fn reminders_sent(app: &TestApp) -> Vec<(String, String)> {
    outbox(app)
        .await
        .into_iter()
        .filter(|(kind, _, _)| kind == "session_reminder")
        .map(|(_, to, text)| (to, text))
        .collect()
}

/// Reminders 24 h and 1 h of real time before each session, with an
/// injected clock: one of each kind per session to each side, never twice,
/// none for a cancelled session, only the nearest kind when both fell due
/// while no server ran, and none once the session has begun.
///
/// Sundays 19:00 Paris from 21 March 2027: 21 March is 18:00 UTC (UTC+1);
/// 28 March, after that night's change, 17:00 UTC (UTC+2), so its 24-hour
/// reminder is due on Saturday 27 March at 17:00 UTC, 18:00 in Paris.
#[tokio::test]
async fn reminders_go_out_24_hours_and_1_hour_of_real_time_before_each_session() {
    use app::sessions::reminders::{send_due, Links, DEFAULT_OFFSETS};
    use chrono::TimeZone;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, _maelys, match_id) = active_match(&app).await;
    app::on_db!(&app.db, |pool| sqlx::query(
        "INSERT INTO session_series (match_id, uid, status, time_zone, weekday, start_minute, \
         minutes, first_date, proposed_by, proposed_at) \
         SELECT $1, 'reminders-test@binome', 'confirmed', 'Europe/Paris', 7, 1140, 60, \
         '2027-03-21', tutor_user_id, started_at FROM matches WHERE id = $1"
    )
    .bind(match_id)
    .execute(pool)
    .await
    .expect("a series")
    .rows_affected());
    app::sessions::horizon::extend_all(&app.db, URL, clock.now())
        .await
        .expect("filled");
    let utc = |month: u32, day: u32, hour: u32, minute: u32, second: u32| {
        chrono::Utc
            .with_ymd_and_hms(2027, month, day, hour, minute, second)
            .single()
            .expect("an instant")
    };
    let links = Links {
        public_url: "http://127.0.0.1:3000",
        video_url_template: Some(common::VIDEO_URL_TEMPLATE),
    };
    let send = |at| send_due(&app.db, &DEFAULT_OFFSETS, links, at);

    // Saturday 20 March, 09:00 UTC: nothing is within 24 hours.
    assert_eq!(send(utc(3, 20, 9, 0, 0)).await.expect("sent"), 0);
    // Saturday 20 March, 18:00 UTC: 24 hours before 21 March: both sides,
    // each in their own time.
    assert_eq!(send(utc(3, 20, 18, 0, 0)).await.expect("sent"), 2);
    assert_eq!(send(utc(3, 20, 18, 1, 0)).await.expect("sent"), 0);
    let sent = reminders_sent(&app).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].0, "ines@exemple.fr");
    assert!(
        sent[0]
            .1
            .contains("dimanche 21 mars 2027, 19:00 (Europe/Paris)"),
        "{}",
        sent[0].1
    );
    assert_eq!(sent[1].0, "maelys@exemple.fr");
    assert!(
        sent[1]
            .1
            .contains("dimanche 21 mars 2027, 22:00 (Indian/Reunion)"),
        "{}",
        sent[1].1
    );
    // 1 hour before: 21 March 17:00 UTC; a second look sends nothing more.
    assert_eq!(send(utc(3, 21, 16, 59, 59)).await.expect("sent"), 0);
    assert_eq!(send(utc(3, 21, 17, 0, 0)).await.expect("sent"), 2);
    assert_eq!(send(utc(3, 21, 17, 30, 0)).await.expect("sent"), 0);

    // 28 March, after the change: 24 hours of real time before is Saturday
    // 27 March 17:00 UTC, not a second earlier.
    assert_eq!(send(utc(3, 27, 16, 59, 59)).await.expect("sent"), 0);
    assert_eq!(send(utc(3, 27, 17, 0, 0)).await.expect("sent"), 2);
    let sent = reminders_sent(&app).await;
    assert!(
        sent[4]
            .1
            .contains("dimanche 28 mars 2027, 19:00 (Europe/Paris)"),
        "{}",
        sent[4].1
    );
    // Its 1-hour reminder was due at 16:00 UTC, when no look was made: once
    // the session has begun, it is not sent.
    assert_eq!(send(utc(3, 28, 17, 0, 1)).await.expect("sent"), 0);

    // 4 April is cancelled (through the page's form): no reminder at all.
    clock.advance(utc(3, 29, 8, 0, 0) - clock.now());
    let again = ines.sign_in("ines@exemple.fr", PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let listed = json_of(&ines.post("/api/calendrier", &[]).await);
    let fourth = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["date"] == "2027-04-04")
        .expect("4 April is listed");
    let cancelled = ines
        .post(
            "/api/seances/annuler",
            &[
                (
                    "occurrence_id",
                    &fourth["id"].as_i64().expect("an id").to_string(),
                ),
                ("reason", "Vacances en famille"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let before = reminders_sent(&app).await.len();
    for at in [
        utc(4, 3, 16, 0, 0),
        utc(4, 4, 16, 0, 0),
        utc(4, 4, 16, 30, 0),
    ] {
        assert_eq!(send(at).await.expect("sent"), 0, "{at}");
    }
    assert_eq!(reminders_sent(&app).await.len(), before);

    // No server ran from Friday 9 April to Sunday 11 April 16:30 UTC: both
    // kinds of 11 April (17:00 UTC) are due; only "in 1 hour" goes, once.
    assert_eq!(send(utc(4, 11, 16, 30, 0)).await.expect("sent"), 2);
    assert_eq!(send(utc(4, 11, 16, 45, 0)).await.expect("sent"), 0);
    let kinds: Vec<i64> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(r.minutes_before AS BIGINT) FROM session_reminders r \
         JOIN session_occurrences o ON o.id = r.occurrence_id \
         WHERE o.original_date = '2027-04-11' ORDER BY r.minutes_before"
    )
    .fetch_all(pool)
    .await
    .expect("kinds"));
    assert_eq!(kinds, [60, 1440], "both recorded, so neither is sent later");
    // Over the whole run: 21 March, 28 March (24 h only so far), 11 April.
    assert_eq!(reminders_sent(&app).await.len(), 2 + 2 + 2 + 2);
}

/// `fields` as the visitor's `post` takes them.
fn as_pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// A session moved to less than 24 hours ahead gets no 24-hour reminder
/// (the move's email has just told both sides), only the 1-hour one.
#[tokio::test]
async fn a_session_moved_within_a_day_gets_only_the_reminders_due_after() {
    use app::sessions::reminders::{send_due, Links, DEFAULT_OFFSETS};
    use chrono::TimeZone;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, _maelys) = tuesdays_from_23_march(&app).await;
    let calendar = json_of(&ines.post("/api/calendrier", &[]).await);
    let first = calendar[0]["id"].as_i64().expect("an id").to_string();
    // On Saturday 20 March, 09:00 UTC, to Sunday 21 March, 09:30 Paris
    // (08:30 UTC): its 24-hour reminder was due on Saturday 08:30 UTC,
    // before the move; the 1-hour one is due on Sunday 07:30 UTC.
    let moved = ines
        .post(
            "/api/seances/deplacer",
            &[
                ("occurrence_id", &first),
                ("date", "2027-03-21"),
                ("start", "570"),
                ("minutes", "60"),
                ("reason", "Stage la semaine prochaine"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let links = Links {
        public_url: URL,
        video_url_template: None,
    };
    let utc = |day: u32, hour: u32, minute: u32| {
        chrono::Utc
            .with_ymd_and_hms(2027, 3, day, hour, minute, 0)
            .single()
            .expect("an instant")
    };
    let send = |at| send_due(&app.db, &DEFAULT_OFFSETS, links, at);
    assert_eq!(send(utc(20, 9, 1)).await.expect("sent"), 0);
    assert_eq!(send(utc(21, 7, 29)).await.expect("sent"), 0);
    assert_eq!(send(utc(21, 7, 30)).await.expect("sent"), 2);
    let sent = reminders_sent(&app).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0]
            .1
            .contains("dimanche 21 mars 2027, 09:30 (Europe/Paris)")
            || sent[1]
                .1
                .contains("dimanche 21 mars 2027, 09:30 (Europe/Paris)"),
        "{sent:?}"
    );
}

/// Moving one session: each bad field is named and nothing changes; the
/// new time is read in the mover's zone; the other side sees it in theirs,
/// is emailed with the reason and an updated invitation whose sessions are
/// the stored ones; the other weeks stay.
#[tokio::test]
async fn either_side_moves_one_session_in_their_own_time() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let listed = json_of(&ines.post("/api/calendrier", &[]).await);
    assert_eq!(listed[1]["date"], "2027-03-30");
    let second = listed[1]["id"].as_i64().expect("an id").to_string();
    let stored_before = stored_starts(&app).await;
    let move_to = |date: &str, start: &str, minutes: &str, reason: &str| {
        vec![
            ("occurrence_id".to_owned(), second.clone()),
            ("date".to_owned(), date.to_owned()),
            ("start".to_owned(), start.to_owned()),
            ("minutes".to_owned(), minutes.to_owned()),
            ("reason".to_owned(), reason.to_owned()),
        ]
    };

    // Everything wrong at once: each field says what.
    let all_wrong = move_to("31/03/2027", "1085", "45", "  ");
    let refused = ines
        .post("/api/seances/deplacer", &as_pairs(&all_wrong))
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[
            ("date", "errors.sessions.date"),
            ("start", "errors.sessions.start"),
            ("minutes", "errors.sessions.length"),
            ("reason", "errors.sessions.move_reason_needed"),
        ])
    );
    for (fields, expected) in [
        // More than 8 weeks ahead (15 May).
        (
            move_to("2027-06-30", "1050", "60", "Oral"),
            ("date", "errors.sessions.move_range"),
        ),
        // 28 March 02:30 does not exist in Paris.
        (
            move_to("2027-03-28", "150", "60", "Oral"),
            ("start", "errors.sessions.nonexistent"),
        ),
        // Today 08:00 Paris (07:00 UTC) is past at 09:00 UTC.
        (
            move_to("2027-03-20", "480", "60", "Oral"),
            ("start", "errors.sessions.past"),
        ),
        (
            move_to("2027-03-31", "1050", "60", &"x".repeat(301)),
            ("reason", "errors.sessions.reason_long"),
        ),
    ] {
        let refused = ines.post("/api/seances/deplacer", &as_pairs(&fields)).await;
        assert_eq!(field_errors(&refused), pairs(&[expected]), "{fields:?}");
    }
    // Maëlys reads times in Réunion: 1 April 01:30 there is 31 March 23:30
    // in Paris, and 90 minutes would end after the pupil's midnight.
    let late = move_to("2027-04-01", "90", "90", "Décalage");
    let refused = maelys.post("/api/seances/deplacer", &as_pairs(&late)).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("start", "errors.sessions.ends_by_midnight")])
    );
    let anonymous = Visitor::new(&app)
        .post("/api/seances/deplacer", &as_pairs(&late))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(stored_starts(&app).await, stored_before, "nothing changed");
    assert!(outbox(&app)
        .await
        .iter()
        .all(|(kind, _, _)| kind != "session_moved"));

    // Inès moves 30 March to Wednesday 31 March, 17:30–19:00 Paris (15:30
    // UTC), 19:30–21:00 in Réunion.
    let good = move_to("2027-03-31", "1050", "90", "Entraînement décalé");
    let moved = ines.post("/api/seances/deplacer", &as_pairs(&good)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let hers = json_of(&ines.post("/api/calendrier", &[]).await);
    assert_eq!(
        (
            &hers[1]["date"],
            &hers[1]["from"],
            &hers[1]["to"],
            &hers[1]["status"]
        ),
        (
            &json!("2027-03-31"),
            &json!("17:30"),
            &json!("19:00"),
            &json!("moved")
        )
    );
    assert_eq!(hers[2]["date"], "2027-04-06", "the other weeks stay");
    let theirs = json_of(&maelys.post("/api/calendrier", &[]).await);
    assert_eq!(
        (&theirs[1]["date"], &theirs[1]["from"], &theirs[1]["to"]),
        (&json!("2027-03-31"), &json!("19:30"), &json!("21:00"))
    );
    let told: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "session_moved" && to == "maelys@exemple.fr")
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].contains("mardi 30 mars 2027, 21:00 (Indian/Reunion)")
            && told[0].contains("mercredi 31 mars 2027, 19:30 (Indian/Reunion)")
            && told[0].contains("Entraînement décalé"),
        "{}",
        told[0]
    );
    // Inès's own calendar gets the same update.
    let own: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "session_moved" && to == "ines@exemple.fr")
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(own.len(), 1);
    assert!(
        own[0].contains("Vous avez déplacé la séance du mardi 30 mars 2027, 19:00 (Europe/Paris)"),
        "{}",
        own[0]
    );
    assert_eq!(
        invitations(&app, "session_moved", "ines@exemple.fr")
            .await
            .len(),
        1
    );
    let sent = invitations(&app, "session_moved", "maelys@exemple.fr").await;
    assert_eq!(sent.len(), 1);
    let ics = unfold(&sent[0].1);
    for line in [
        "METHOD:REQUEST",
        "SEQUENCE:1",
        "RECURRENCE-ID;TZID=Europe/Paris:20270330T190000",
        "DTSTART;TZID=Europe/Paris:20270331T173000",
        "DURATION:PT90M",
    ] {
        assert!(ics.contains(&format!("{line}\r\n")), "{line} in\n{ics}");
    }
    assert!(
        !ics.contains("EXDATE"),
        "the override alone replaces it:\n{ics}"
    );
    let stored = stored_starts(&app).await;
    assert!(
        stored.contains(&"2027-03-31T15:30:00Z".to_owned()),
        "{stored:?}"
    );
    assert!(
        !stored.contains(&"2027-03-30T17:00:00Z".to_owned()),
        "{stored:?}"
    );
    assert_eq!(
        sessions_in(&ics, "2027-03-20T00:00:00Z", "2027-05-16T00:00:00Z"),
        stored
    );
}

/// Ending the weekly sessions from a date: bad fields named, nothing
/// changed; from 13 April, the sessions before stay and the other side is
/// emailed an invitation whose rule stops on 12 April; from before the
/// first session, nothing is left, the invitation cancels the series and
/// the tutor can propose another slot.
#[tokio::test]
async fn either_side_ends_the_sessions_from_a_date() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let seen = json_of(&maelys.post("/api/binomes", &[]).await);
    let series_id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let before = stored_starts(&app).await;
    assert_eq!(before.len(), 8);

    let refused = maelys
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "13/04/2027"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[
            ("date", "errors.sessions.date"),
            ("reason", "errors.sessions.end_reason_needed"),
        ])
    );
    // Today (20 March) has begun: the first day without sessions must be
    // after it.
    let today = maelys
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "2027-03-20"),
                ("reason", "Fin"),
            ],
        )
        .await;
    assert_eq!(
        field_errors(&today),
        pairs(&[("date", "errors.sessions.end_date")])
    );
    let anonymous = Visitor::new(&app)
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "2027-04-13"),
                ("reason", "Fin"),
            ],
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(stored_starts(&app).await, before, "nothing changed");

    // Maëlys ends them from Tuesday 13 April: 23 and 30 March and 6 April
    // stay.
    let ended = maelys
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "2027-04-13"),
                ("reason", "Nouvel emploi du temps"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let stored = stored_starts(&app).await;
    assert_eq!(stored, before[..3].to_vec());
    let dates: Vec<Value> = json_of(&ines.post("/api/calendrier", &[]).await)
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["date"].clone())
        .collect();
    assert_eq!(
        dates,
        [
            json!("2027-03-23"),
            json!("2027-03-30"),
            json!("2027-04-06")
        ]
    );
    // Housekeeping adds nothing past the end.
    let added = app::sessions::horizon::extend_all(&app.db, URL, clock.now())
        .await
        .expect("extended");
    assert_eq!(added, 0);
    let told: Vec<String> = outbox(&app)
        .await
        .into_iter()
        .filter(|(kind, to, _)| kind == "series_ended" && to == "ines@exemple.fr")
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].contains("13 avril 2027") && told[0].contains("Nouvel emploi du temps"),
        "{}",
        told[0]
    );
    let sent = invitations(&app, "series_ended", "ines@exemple.fr").await;
    assert_eq!(sent[0].0, "text/calendar; charset=utf-8; method=REQUEST");
    let ics = unfold(&sent[0].1);
    // 12 April 23:59:59 in Paris (UTC+2) is 21:59:59 UTC.
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270412T215959Z\r\n"),
        "{ics}"
    );
    assert!(ics.contains("SEQUENCE:1\r\n"), "{ics}");
    assert_eq!(
        sessions_in(&ics, "2027-03-20T00:00:00Z", "2027-06-01T00:00:00Z"),
        stored
    );

    // Inès ends them from Monday 22 March, before the first session:
    // nothing is left, the series is cancelled, and Maëlys may propose
    // another slot.
    let all = ines
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "2027-03-22"),
                ("reason", "Je déménage"),
            ],
        )
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert!(stored_starts(&app).await.is_empty());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM session_series WHERE status = 'ended'"
        )
        .await,
        1
    );
    // Maëlys's own REQUEST of the first change, then this CANCEL.
    let sent = invitations(&app, "series_ended", "maelys@exemple.fr").await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].0, "text/calendar; charset=utf-8; method=CANCEL");
    let ics = unfold(&sent[1].1);
    assert!(
        ics.contains("STATUS:CANCELLED\r\n") && ics.contains("SEQUENCE:2\r\n"),
        "{ics}"
    );
    assert!(!ics.contains("RECURRENCE-ID"), "{ics}");
    let again = ines
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", &series_id),
                ("date", "2027-03-22"),
                ("reason", "Encore"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    let seen = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(seen[0]["series"], Value::Null);
    assert!(seen[0]["slot_choice"].is_object(), "{}", seen[0]);
}

/// Where: the tutor chooses among the places the pair qualifies for as
/// matching decides (online; in person at the pupil's school or at the
/// tutor's meeting school when it is within the tutor's distance); an
/// other place is refused with nothing written; the room name stays the
/// match's; an in-person series names its school in the calendars and the
/// invitation; the parent of a pupil under 15 is told of the booking.
#[tokio::test]
async fn sessions_take_place_in_the_pairs_video_room_or_at_a_school() {
    use common::people::{MONTPELLIER_SCHOOL, TOULOUSE_SCHOOL};
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(Arc::clone(&clock) as Arc<dyn Clock>).await;
    let (mut ines, mut maelys, match_id) = active_match(&app).await;
    let m = match_id.to_string();
    let execute = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            app::on_db!(&db, |pool| sqlx::query(sql)
                .execute(pool)
                .await
                .expect("updated")
                .rows_affected());
        }
    };
    let venues = |choice: Value| choice["venues"].clone();

    // Both would meet in person too; Maëlys meets pupils at the lycée of
    // Carcassonne, 66.8 km from Inès's in Foix by the haversine formula
    // (R = 6371 km) on the directory's coordinates.
    execute("UPDATE help_requests SET mode = 'both'").await;
    execute(
        "UPDATE tutor_offers SET mode = 'both', meeting_school_uai = '0110004V', \
         max_distance_km = 60",
    )
    .await;
    let choice = json_of(
        &maelys
            .post("/api/seances/creneaux", &[("match_id", &m)])
            .await,
    );
    assert_eq!(venues(choice), json!([{"mode": "online", "url": null}]));
    execute("UPDATE tutor_offers SET max_distance_km = 70").await;
    let choice = json_of(
        &maelys
            .post("/api/seances/creneaux", &[("match_id", &m)])
            .await,
    );
    assert_eq!(
        venues(choice),
        json!([
            {"mode": "online", "url": null},
            {"mode": "in_person", "uai": TOULOUSE_SCHOOL,
             "name": "Lycée général et technologique Gabriel Fauré", "commune": "Foix"},
            {"mode": "in_person", "uai": MONTPELLIER_SCHOOL,
             "name": "Lycée Paul Sabatier", "commune": "Carcassonne"},
        ])
    );

    let propose = |venue: &'static str| {
        [
            ("match_id", m.clone()),
            ("slot", "2-1140".to_owned()),
            ("minutes", "60".to_owned()),
            ("first_date", "2027-03-22".to_owned()),
            ("venue", venue.to_owned()),
        ]
    };
    // A place off the list: refused, nothing written.
    for bad in ["school:0310036W", "home", "school:"] {
        let form = propose(bad);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = maelys.post("/api/seances/proposer", &form).await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("venue", "errors.sessions.venue")]),
            "{bad}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session_series").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM matches WHERE video_room IS NOT NULL"
        )
        .await,
        0
    );

    // Online first, then at Inès's school: the room stays the match's.
    let mut rooms = Vec::new();
    for venue in ["online", "school:0090002D"] {
        let form = propose(venue);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = maelys.post("/api/seances/proposer", &form).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        rooms.push(video_room(&app, match_id).await);
    }
    assert_eq!(rooms[0], rooms[1]);
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    assert_eq!(
        seen[0]["series"]["venue"],
        json!({"mode": "in_person", "uai": TOULOUSE_SCHOOL,
               "name": "Lycée général et technologique Gabriel Fauré", "commune": "Foix"})
    );

    // Inès is made 14, with her mother's consent, before she confirms.
    execute(
        "INSERT INTO users (email, email_key, first_name, last_name, role, status, language, \
         created_at, updated_at) VALUES ('sophie@exemple.fr', 'sophie@exemple.fr', 'Sophie', \
         'Roux', 'parent', 'active', 'fr', '2027-03-01T00:00:00Z', '2027-03-01T00:00:00Z')",
    )
    .await;
    execute(
        "UPDATE pupils SET birth_year = 2013, consent = 'given', parent_user_id = \
         (SELECT id FROM users WHERE email_key = 'sophie@exemple.fr')",
    )
    .await;
    let series_id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let done = ines
        .post("/api/seances/confirmer", &[("series_id", &series_id)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let place = "Lycée général et technologique Gabriel Fauré, Foix";
    let calendar = json_of(&maelys.post("/api/calendrier", &[]).await);
    assert_eq!(calendar[0]["venue"]["mode"], "in_person");
    assert_eq!(calendar[0]["venue"]["uai"], TOULOUSE_SCHOOL);
    let ics = invitations(&app, "series_confirmed", "maelys@exemple.fr").await;
    let text = unfold(&ics[0].1);
    assert!(
        text.contains(&format!("LOCATION:{}", place.replace(',', "\\,"))),
        "{text}"
    );
    assert!(!text.contains("CONFERENCE"), "{text}");
    let emails = outbox(&app).await;
    let to_parent: Vec<&(String, String, String)> = emails
        .iter()
        .filter(|(kind, _, _)| kind == "series_booked_parent")
        .collect();
    assert_eq!(to_parent.len(), 1);
    let (_, to, body) = to_parent[0];
    assert_eq!(to, "sophie@exemple.fr");
    for expected in [
        "Inès",
        "Maëlys Payet",
        "mardi 19:00–20:00 (Europe/Paris)",
        "23 mars 2027",
        place,
    ] {
        assert!(body.contains(expected), "{expected} missing from {body}");
    }
    // No video link for an in-person series, in any email.
    assert!(!emails
        .iter()
        .filter(|(kind, _, _)| kind == "series_confirmed")
        .any(|(_, _, body)| body.contains("visio.example.fr")));
}

/// Pausing for school holidays: bad fields named and nothing changed; the
/// sessions held in the period are cancelled in one action, both sides are
/// emailed the list in their own time and an invitation without them (as
/// an independent reader finds); a period beyond the stored weeks is kept
/// cancelled when housekeeping adds those weeks later.
#[tokio::test]
async fn either_side_pauses_the_sessions_over_a_holiday() {
    use chrono::TimeZone;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    let series_id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let sequence = || count(&app, "SELECT CAST(sequence AS BIGINT) FROM session_series");
    let sequence_before = sequence().await;
    let before = stored_starts(&app).await;
    assert_eq!(before.len(), 8);

    let pause = |from: &str, to: &str, reason: &str| {
        vec![
            ("series_id", series_id.clone()),
            ("from", from.to_owned()),
            ("to", to.to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    for (form, expected) in [
        (
            pause("17/04/2027", "", " "),
            vec![
                ("from", "errors.sessions.date"),
                ("to", "errors.sessions.date"),
                ("reason", "errors.sessions.pause_reason_needed"),
            ],
        ),
        // Today has begun.
        (
            pause("2027-03-20", "2027-03-28", "Vacances"),
            vec![("from", "errors.sessions.pause_past")],
        ),
        (
            pause("2027-04-20", "2027-04-19", "Vacances"),
            vec![("to", "errors.sessions.pause_order")],
        ),
        // 1 April to 2 July is 93 days in all, more than 92.
        (
            pause("2027-04-01", "2027-07-02", "Vacances"),
            vec![("to", "errors.sessions.pause_long")],
        ),
        (
            pause("2027-04-01", "2027-04-01", &"x".repeat(301)),
            vec![("reason", "errors.sessions.reason_long")],
        ),
        // Wednesday 21 to Monday 26 April: no Tuesday.
        (
            pause("2027-04-21", "2027-04-26", "Vacances"),
            vec![("form", "errors.sessions.pause_empty")],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = ines.post("/api/seances/suspendre", &form).await;
        assert_eq!(field_errors(&refused), pairs(&expected), "{form:?}");
    }
    assert_eq!(stored_starts(&app).await, before);
    assert_eq!(sequence().await, sequence_before);
    let form = pause("2027-04-17", "2027-05-02", "Vacances de printemps");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut stranger = confirmed(&app, "tutor", "Hugo", "Bernard", "hugo@exemple.fr").await;
    let not_his = stranger.post("/api/seances/suspendre", &form).await;
    assert_eq!(not_his.status, StatusCode::NOT_FOUND, "{}", not_his.body);

    // Inès pauses the spring holidays, 17 April to 2 May: Tuesdays 20 and
    // 27 April, 19:00 Paris (UTC+2), 17:00 UTC, 21:00 in Réunion.
    let done = ines.post("/api/seances/suspendre", &form).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(sequence().await, sequence_before + 1);
    let gone = ["2027-04-20T17:00:00Z", "2027-04-27T17:00:00Z"];
    let after = stored_starts(&app).await;
    let expected: Vec<String> = before
        .iter()
        .filter(|s| !gone.contains(&s.as_str()))
        .cloned()
        .collect();
    assert_eq!(after, expected);
    assert_eq!(after.len(), 6);
    let calendar = json_of(&maelys.post("/api/calendrier", &[]).await);
    let statuses: Vec<(&str, &str)> = calendar
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            (
                e["date"].as_str().expect("a date"),
                e["status"].as_str().expect("a status"),
            )
        })
        .filter(|(_, status)| *status == "cancelled")
        .collect();
    assert_eq!(
        statuses,
        [("2027-04-20", "cancelled"), ("2027-04-27", "cancelled")]
    );
    let emails = outbox(&app).await;
    let paused: Vec<&(String, String, String)> = emails
        .iter()
        .filter(|(kind, _, _)| kind == "sessions_paused")
        .collect();
    assert_eq!(paused.len(), 2);
    assert_eq!(paused[0].1, "maelys@exemple.fr");
    assert_eq!(paused[1].1, "ines@exemple.fr");
    for expected in [
        "Inès Roux a suspendu vos séances du 17 avril 2027 au 2 mai 2027.",
        "Vacances de printemps",
        "mardi 20 avril 2027, 21:00 (Indian/Reunion)",
        "mardi 27 avril 2027, 21:00 (Indian/Reunion)",
    ] {
        assert!(
            paused[0].2.contains(expected),
            "{expected} in {}",
            paused[0].2
        );
    }
    assert!(paused[1]
        .2
        .contains("mardi 20 avril 2027, 19:00 (Europe/Paris)"));
    for to in ["maelys@exemple.fr", "ines@exemple.fr"] {
        let ics = invitations(&app, "sessions_paused", to).await;
        assert_eq!(ics.len(), 1);
        assert!(ics[0].0.contains("method=REQUEST"), "{}", ics[0].0);
        assert_eq!(
            sessions_in(&ics[0].1, "2027-03-20T00:00:00Z", "2027-05-16T00:00:00Z"),
            after
        );
    }
    // Pausing the same days again finds nothing left to cancel.
    let again = ines.post("/api/seances/suspendre", &form).await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("form", "errors.sessions.pause_empty")])
    );

    // Beyond the stored weeks (up to 15 May): Maëlys's exams, 1 to 10 June.
    let form = pause("2027-06-01", "2027-06-10", "Partiels");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = maelys.post("/api/seances/suspendre", &form).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let later = chrono::Utc
        .with_ymd_and_hms(2027, 5, 20, 9, 0, 0)
        .single()
        .expect("an instant");
    app::sessions::horizon::extend_all(&app.db, URL, later)
        .await
        .expect("extended");
    let june: Vec<(String, String)> = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT original_date, status FROM session_occurrences \
         WHERE original_date >= '2027-05-25' AND original_date <= '2027-06-22' \
         ORDER BY original_date"
    )
    .fetch_all(pool)
    .await
    .expect("rows"));
    assert_eq!(
        june,
        [
            ("2027-05-25".to_owned(), "scheduled".to_owned()),
            ("2027-06-01".to_owned(), "cancelled".to_owned()),
            ("2027-06-08".to_owned(), "cancelled".to_owned()),
            ("2027-06-15".to_owned(), "scheduled".to_owned()),
            ("2027-06-22".to_owned(), "scheduled".to_owned()),
        ]
    );
}

/// Posts `form` to `/api/seances/proposer` as `who`.
async fn post_proposal(who: &mut Visitor<'_>, form: &[(&str, String)]) -> common::TestResponse {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    who.post("/api/seances/proposer", &fields).await
}

/// Two sessions a week: only for a pupil who asked for two, once the first
/// is confirmed, on another day both share; each series is confirmed on
/// its own and both fill the calendars.
#[tokio::test]
async fn a_pupil_who_asks_for_two_sessions_a_week_gets_a_second_slot() {
    use common::needs::save_availability;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys, match_id) = active_match(&app).await;
    let m = match_id.to_string();
    let propose = |slot: &str, number: &str| {
        vec![
            ("match_id", m.clone()),
            ("slot", slot.to_owned()),
            ("minutes", "60".to_owned()),
            ("first_date", "2027-03-22".to_owned()),
            ("slot_number", number.to_owned()),
        ]
    };

    // Inès asked for one session a week.
    let refused = post_proposal(&mut maelys, &propose("2-1140", "2")).await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("slot_number", "errors.sessions.one_a_week")])
    );
    let request = |per_week: &'static str| {
        vec![
            ("subjects[]", "spe_mathematiques"),
            ("difficulty", "Les suites et les dérivées."),
            ("mode", "online"),
            ("deadline", "2027-06-15"),
            ("sessions_per_week", per_week),
        ]
    };
    let bad = ines
        .post("/api/eleve/demande/enregistrer", &request("3"))
        .await;
    assert_eq!(
        field_errors(&bad),
        pairs(&[("sessions_per_week", "errors.request.sessions_per_week")])
    );
    let asked = ines
        .post("/api/eleve/demande/enregistrer", &request("2"))
        .await;
    assert!(
        asked.status.is_success() || asked.status.is_redirection(),
        "{}",
        asked.body
    );
    // The first one first.
    let early = post_proposal(&mut maelys, &propose("2-1140", "2")).await;
    assert_eq!(
        field_errors(&early),
        pairs(&[("slot_number", "errors.sessions.first_first")])
    );
    let bad_number = post_proposal(&mut maelys, &propose("2-1140", "3")).await;
    assert_eq!(
        field_errors(&bad_number),
        pairs(&[("slot_number", "errors.sessions.slot_number")])
    );
    let first = post_proposal(&mut maelys, &propose("2-1140", "")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    assert_eq!(seen[0]["sessions_per_week"], 2);
    let id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let confirmed_first = ines
        .post("/api/seances/confirmer", &[("series_id", &id)])
        .await;
    assert_eq!(
        confirmed_first.status,
        StatusCode::OK,
        "{}",
        confirmed_first.body
    );

    // Now the second: Tuesday is the only day both share, and it is taken.
    let hers = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(hers[0]["slot_choice"]["slot_number"], 2);
    assert_eq!(hers[0]["slot_choice"]["slots"], json!([]));
    assert_eq!(hers[0]["second_series"], Value::Null);
    let same_day = post_proposal(&mut maelys, &propose("2-1140", "2")).await;
    assert_eq!(
        field_errors(&same_day),
        pairs(&[("slot", "errors.sessions.same_day")])
    );
    // Both free on Thursdays too, at the same hours as on Tuesdays.
    let saved = save_availability(
        &mut ines,
        "",
        &[("2", "1080", "1200"), ("4", "1080", "1200")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved = save_availability(
        &mut maelys,
        "",
        &[("2", "1260", "1380"), ("4", "1260", "1380")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let hers = json_of(&maelys.post("/api/binomes", &[]).await);
    let codes: Vec<&str> = hers[0]["slot_choice"]["slots"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["4-1140"]);
    let second = post_proposal(&mut maelys, &propose("4-1140", "2")).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let seen = json_of(&ines.post("/api/binomes", &[]).await);
    assert_eq!(seen[0]["series"]["status"], "confirmed");
    assert_eq!(seen[0]["second_series"]["status"], "proposed");
    assert_eq!(seen[0]["second_series"]["slot_number"], 2);
    assert_eq!(
        seen[0]["second_series"]["slot"],
        json!({"weekday": 4, "from": "19:00", "to": "20:00", "time_zone": "Europe/Paris"})
    );
    let id = seen[0]["second_series"]["id"]
        .as_i64()
        .expect("an id")
        .to_string();
    let confirmed_second = ines
        .post("/api/seances/confirmer", &[("series_id", &id)])
        .await;
    assert_eq!(
        confirmed_second.status,
        StatusCode::OK,
        "{}",
        confirmed_second.body
    );
    // No third, and no other proposal for the second once confirmed.
    let again = post_proposal(&mut maelys, &propose("4-1140", "2")).await;
    assert_eq!(
        field_errors(&again),
        pairs(&[("form", "errors.sessions.closed")])
    );

    // Tuesdays 23 March to 11 May and Thursdays 25 March to 13 May, the 8
    // weeks from Saturday 20 March: 8 of each, at 19:00 Paris.
    let calendar = json_of(&ines.post("/api/calendrier", &[]).await);
    let listed: Vec<(u64, &str)> = calendar
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            (
                e["weekday"].as_u64().expect("a weekday"),
                e["from"].as_str().expect("a time"),
            )
        })
        .collect();
    assert_eq!(listed.len(), 16, "{listed:?}");
    assert_eq!(listed.iter().filter(|(day, _)| *day == 2).count(), 8);
    assert_eq!(listed.iter().filter(|(day, _)| *day == 4).count(), 8);
    assert!(
        listed.iter().all(|(_, from)| *from == "19:00"),
        "{listed:?}"
    );

    // Back to one a week is refused while the second is booked.
    let back = ines
        .post("/api/eleve/demande/enregistrer", &request("1"))
        .await;
    assert_eq!(
        field_errors(&back),
        pairs(&[("sessions_per_week", "errors.request.second_live")])
    );
    // When the Tuesdays end before their first session, the Thursdays
    // become the first weekly session, and a second is proposed on
    // another day than Thursday.
    let tuesdays = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let ended = maelys
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", tuesdays.as_str()),
                ("date", "2027-03-21"),
                ("reason", "Mardi soir pris par les partiels"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let hers = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(hers[0]["series"]["slot_number"], 1);
    assert_eq!(hers[0]["series"]["pupil_weekday"], 4);
    assert_eq!(hers[0]["second_series"], Value::Null);
    assert_eq!(hers[0]["slot_choice"]["slot_number"], 2);
    let codes: Vec<&str> = hers[0]["slot_choice"]["slots"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["2-1140"]);
    let thursday_again = post_proposal(&mut maelys, &propose("4-1140", "2")).await;
    assert_eq!(
        field_errors(&thursday_again),
        pairs(&[("slot", "errors.sessions.same_day")])
    );
}

/// A series ended from a date ends for good once its last session is past
/// everywhere: the tutor may then propose another slot.
#[tokio::test]
async fn a_series_ended_from_a_date_is_closed_after_its_last_session() {
    use chrono::TimeZone;
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let seen = json_of(&maelys.post("/api/binomes", &[]).await);
    let series_id = seen[0]["series"]["id"].as_i64().expect("an id").to_string();
    let ended = maelys
        .post(
            "/api/seances/arreter",
            &[
                ("series_id", series_id.as_str()),
                ("date", "2027-04-13"),
                ("reason", "Nouvel emploi du temps"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let at = |day: u32| {
        chrono::Utc
            .with_ymd_and_hms(2027, 4, day, 9, 0, 0)
            .single()
            .expect("an instant")
    };
    let status = || {
        count(
            &app,
            "SELECT COUNT(*) FROM session_series WHERE status = 'confirmed'",
        )
    };
    // The last session is Tuesday 6 April, the last date Monday 12 April:
    // on 13 April (UTC) it may still be the 12th somewhere.
    app::sessions::horizon::extend_all(&app.db, URL, at(13))
        .await
        .expect("extended");
    assert_eq!(status().await, 1);
    let seen = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(seen[0]["slot_choice"], Value::Null);
    app::sessions::horizon::extend_all(&app.db, URL, at(14))
        .await
        .expect("extended");
    assert_eq!(status().await, 0);
    let seen = json_of(&maelys.post("/api/binomes", &[]).await);
    assert_eq!(seen[0]["series"], Value::Null);
    assert!(seen[0]["slot_choice"].is_object(), "{}", seen[0]);
}

/// The week view: Monday to Sunday in the viewer's zone, from this week to
/// the last stored one, each day with its sessions; also as a page without
/// JavaScript.
#[tokio::test]
async fn the_calendar_shows_one_week_at_a_time_in_each_zone() {
    let clock = saturday_20_march_2027();
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (mut ines, mut maelys) = tuesdays_from_23_march(&app).await;
    let week = |who: &Value| -> Vec<(String, Vec<String>)> {
        who["days"]
            .as_array()
            .expect("days")
            .iter()
            .map(|day| {
                (
                    day["date"].as_str().expect("a date").to_owned(),
                    day["entries"]
                        .as_array()
                        .expect("entries")
                        .iter()
                        .map(|e| {
                            format!(
                                "{}–{}",
                                e["from"].as_str().expect("from"),
                                e["to"].as_str().expect("to")
                            )
                        })
                        .collect(),
                )
            })
            .collect()
    };
    let days = |monday: u32, month: u32, with: &[(usize, &str)]| -> Vec<(String, Vec<String>)> {
        use chrono::{Duration, NaiveDate};
        let first = NaiveDate::from_ymd_opt(2027, month, monday).expect("a date");
        (0..7)
            .map(|i| {
                let sessions = with
                    .iter()
                    .filter(|(day, _)| *day == i)
                    .map(|(_, time)| (*time).to_owned())
                    .collect();
                (
                    (first + Duration::days(i64::try_from(i).expect("small"))).to_string(),
                    sessions,
                )
            })
            .collect()
    };

    // Saturday 20 March: this week has no session yet; the first is next
    // Tuesday.
    let this_week = json_of(&ines.post("/api/calendrier/semaine", &[("start", "")]).await);
    assert_eq!(week(&this_week), days(15, 3, &[]));
    assert_eq!(this_week["previous"], Value::Null);
    assert_eq!(this_week["next"], "2027-03-22");
    let garbage = json_of(
        &ines
            .post("/api/calendrier/semaine", &[("start", "31/03")])
            .await,
    );
    assert_eq!(garbage, this_week);
    // Any day of a week shows that week: Tuesday 30 March, 19:00 Paris
    // (UTC+2 by then), 21:00 in Réunion.
    let hers = json_of(
        &ines
            .post("/api/calendrier/semaine", &[("start", "2027-03-31")])
            .await,
    );
    assert_eq!(week(&hers), days(29, 3, &[(1, "19:00–20:00")]));
    assert_eq!(hers["previous"], "2027-03-22");
    assert_eq!(hers["next"], "2027-04-05");
    assert_eq!(hers["time_zone"], "Europe/Paris");
    let theirs = json_of(
        &maelys
            .post("/api/calendrier/semaine", &[("start", "2027-03-31")])
            .await,
    );
    assert_eq!(week(&theirs), days(29, 3, &[(1, "21:00–22:00")]));
    // Sessions are stored up to Saturday 15 May: the week of 10 May is the
    // last one shown.
    let far = json_of(
        &ines
            .post("/api/calendrier/semaine", &[("start", "2027-12-01")])
            .await,
    );
    assert_eq!(week(&far), days(10, 5, &[(1, "19:00–20:00")]));
    assert_eq!(far["next"], Value::Null);
    let anonymous = Visitor::new(&app)
        .post("/api/calendrier/semaine", &[("start", "")])
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // The page, without JavaScript.
    let page = ines.get("/calendrier?vue=semaine&du=2027-03-31").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "data-testid=\"week\"",
        "30 mars 2027",
        "19:00–20:00",
        "/calendrier?vue=semaine&amp;du=2027-04-05",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
}
