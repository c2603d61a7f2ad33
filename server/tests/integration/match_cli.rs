//! `binome match --input FILE.json --output FILE.json`: the binary run on
//! files, with no database and no configuration (an empty environment and a
//! database URL that would fail if it were used).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const BINARY: &str = env!("CARGO_BIN_EXE_binome");

/// Runs `binome match` on `input` in `dir`, writing `dir/out.json`.
fn run_in(dir: &Path, input: &str) -> Output {
    let input_path = dir.join("in.json");
    std::fs::write(&input_path, input).expect("write the input");
    binome(dir, &input_path, &dir.join("out.json"))
}

fn binome(dir: &Path, input: &Path, output: &Path) -> Output {
    Command::new(BINARY)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // Would stop any command that opened the database.
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .current_dir(dir)
        .stdin(Stdio::null())
        .arg("match")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run binome")
}

/// Runs a valid input and returns the output file, parsed.
fn solve(input: &Value) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run_in(dir.path(), &input.to_string());
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let text = std::fs::read_to_string(dir.path().join("out.json")).expect("the output file");
    assert!(text.ends_with("}\n"), "a trailing newline");
    assert!(text.contains("\n  \"proposals\": ["), "pretty-printed");
    serde_json::from_str(&text).expect("JSON output")
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn monday(from: &str, to: &str) -> Value {
    json!([{"day": "mon", "from": from, "to": to}])
}

/// The pupils p1 and p2 and the tutor t1 of the issue's example.
fn issue_example() -> Value {
    json!({
        "start": "2027-03-15", "weeks": 4, "session_minutes": 60,
        "weights": {"subject": 100, "waiting_day": 1, "priority": 1},
        "pupils": [
            {"id": "p1", "niveau": "premiere_generale",
             "subjects": ["spe_mathematiques", "spe_physique_chimie"], "time_zone": "Europe/Paris",
             "availability": [{"day": "mon", "from": "17:00", "to": "19:00"}],
             "waiting_days": 12, "priority": 0, "mode": "online",
             "location": {"lat": 43.6, "lon": 1.44}},
            {"id": "p2", "niveau": "terminale_generale",
             "subjects": ["spe_mathematiques"], "time_zone": "Europe/Paris",
             "availability": [{"day": "mon", "from": "17:00", "to": "18:30"}]}
        ],
        "tutors": [
            {"id": "t1", "capacity": 2, "time_zone": "Indian/Reunion", "mode": "online",
             "location": {"lat": 43.6, "lon": 1.44}, "max_km": 10,
             "availability": [{"day": "mon", "from": "20:00", "to": "22:30"}],
             "teaches": [{"subject": "spe_mathematiques", "up_to": "terminale_generale"}]}
        ]
    })
}

#[test]
fn the_issue_example_gives_the_issue_proposal() {
    // Réunion is UTC+4; Paris UTC+1 until 28 March 2027, UTC+2 after: t1's
    // 20:00–22:30 is 17:00–19:30 in Paris, then 18:00–20:30, so only
    // 18:00–19:00 fits p1 all four weeks. Score: 100 × 1 subject + 12 days.
    let out = solve(&issue_example());
    assert_eq!(
        out["proposals"],
        json!([{"pupil": "p1", "tutor": "t1", "subjects": ["spe_mathematiques"],
                "slot": {"day": "mon", "from": "18:00", "time_zone": "Europe/Paris"},
                "score": 112}])
    );
    // p2's 17:00–18:30 shares only 18:00–18:30 every week.
    assert_eq!(out["unmatched"].as_array().map(Vec::len), Some(1));
    let p2 = &out["unmatched"][0];
    assert_eq!(p2["pupil"], "p2");
    assert_eq!(p2["reason"], "no_shared_slot");
    assert_eq!(
        p2["text"],
        "Aucun tuteur ne partage un créneau de 60 min\u{202f}; le plus proche\u{202f}: \
         t1, 30 min en commun le lundi de 18:00 à 18:30, il manquerait 30 min \
         (heures de l’élève)."
    );
    assert_eq!(
        out["summary"],
        json!({"pupils": 2, "tutors": 1, "matched": 1, "total_score": 112, "greedy_matched": 1})
    );
}

#[test]
fn each_reason_a_pupil_is_left_out_is_given_with_a_text() {
    let paris = json!({"lat": 48.8566, "lon": 2.3522});
    let toulouse = json!({"lat": 43.6047, "lon": 1.4442});
    let pupil = |id: &str, niveau: &str, subject: &str, waiting: u32| {
        json!({"id": id, "niveau": niveau, "subjects": [subject], "time_zone": "Europe/Paris",
               "availability": monday("17:00", "19:00"), "waiting_days": waiting, "mode": "online"})
    };
    let mut first = pupil("first", "premiere_generale", "spe_mathematiques", 30);
    first["availability"] = json!([
        {"day": "mon", "from": "17:00", "to": "19:00"},
        {"day": "sun", "from": "23:00", "to": "24:00"}
    ]);
    let second = pupil("second", "premiere_generale", "spe_mathematiques", 5);
    let nobody = pupil(
        "nobody",
        "premiere_generale",
        "enseignement_scientifique",
        0,
    );
    let online = pupil("online", "terminale_generale", "philosophie", 0);
    let mut far = pupil("far", "terminale_generale", "philosophie", 0);
    far["mode"] = json!("in_person");
    far["location"] = toulouse;
    let mut near = pupil("near", "terminale_generale", "philosophie", 0);
    near["mode"] = json!("in_person");
    near["location"] = json!({"lat": 48.87, "lon": 2.36});
    let mut tuesday = pupil("tuesday", "premiere_generale", "spe_mathematiques", 0);
    tuesday["availability"] = json!([{"day": "tue", "from": "10:00", "to": "11:00"}]);
    let input = json!({
        "start": "2027-03-15",
        "pupils": [first, second, nobody, online, far, near, tuesday],
        "tutors": [
            {"id": "maths", "capacity": 1, "time_zone": "Europe/Paris", "mode": "online",
             "availability": monday("17:00", "19:00"),
             "teaches": [{"subject": "spe_mathematiques", "up_to": "terminale_generale"}]},
            {"id": "philo", "capacity": 2, "time_zone": "Europe/Paris", "mode": "in_person",
             "location": paris, "max_km": 10,
             "availability": monday("17:00", "19:00"),
             "teaches": [{"subject": "philosophie", "up_to": "terminale_generale"}]}
        ]
    });
    let out = solve(&input);

    let pairs: Vec<(String, String)> = out["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .map(|p| (p["pupil"].to_string(), p["tutor"].to_string()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("\"first\"".to_owned(), "\"maths\"".to_owned()),
            ("\"near\"".to_owned(), "\"philo\"".to_owned())
        ]
    );
    let reasons: Vec<(&str, &str)> = out["unmatched"]
        .as_array()
        .expect("unmatched")
        .iter()
        .map(|u| {
            (
                u["pupil"].as_str().expect("pupil"),
                u["reason"].as_str().expect("reason"),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("second", "tutors_full"),
            ("nobody", "no_tutor_for_subject"),
            ("online", "no_compatible_mode"),
            ("far", "no_compatible_mode"),
            ("tuesday", "no_shared_slot"),
        ]
    );
    let text = |i: usize| {
        out["unmatched"][i]["text"]
            .as_str()
            .expect("text")
            .to_owned()
    };
    assert!(text(0).contains("maths"), "{}", text(0));
    assert!(
        text(1).contains("«\u{202f}Enseignement scientifique\u{202f}»"),
        "{}",
        text(1)
    );
    assert!(text(2).contains("présentiel seulement"), "{}", text(2));
    // Toulouse is about 590 km from Paris.
    assert!(text(3).contains("au-delà de ses 10 km"), "{}", text(3));
    assert!(text(3).contains(" 58"), "{}", text(3));
    assert!(
        text(4).contains("maths, aucun moment en commun"),
        "{}",
        text(4)
    );
    assert_eq!(
        out["summary"],
        json!({"pupils": 7, "tutors": 2, "matched": 2, "total_score": 230, "greedy_matched": 2})
    );
}

#[test]
fn mathematiques_does_not_cover_spe_mathematiques() {
    let input = json!({
        "start": "2027-03-15",
        "pupils": [
            {"id": "spe", "niveau": "premiere_generale", "subjects": ["spe_mathematiques"],
             "time_zone": "Europe/Paris", "availability": monday("17:00", "19:00")},
            {"id": "tronc", "niveau": "seconde_gt", "subjects": ["mathematiques"],
             "time_zone": "Europe/Paris", "availability": monday("17:00", "19:00")}
        ],
        "tutors": [
            {"id": "t", "capacity": 2, "time_zone": "Europe/Paris",
             "availability": monday("17:00", "19:00"),
             "teaches": [{"subject": "mathematiques", "up_to": "terminale_generale"}]}
        ]
    });
    let out = solve(&input);
    assert_eq!(out["proposals"].as_array().map(Vec::len), Some(1));
    assert_eq!(out["proposals"][0]["pupil"], "tronc");
    assert_eq!(out["proposals"][0]["subjects"], json!(["mathematiques"]));
    assert_eq!(out["unmatched"][0]["pupil"], "spe");
    assert_eq!(out["unmatched"][0]["reason"], "no_tutor_for_subject");
}

/// An input with many errors, in several pupils and tutors, of structure
/// and of values; and the pointers of every error, in document order.
fn invalid_input() -> (String, Vec<&'static str>) {
    let input = json!({
        "start": "2027-3-15", "weeks": 0, "session_minutes": 45,
        "pupils": [
            {"id": "p1", "niveau": "premiere", "subjects": ["spe_mathematiques"],
             "time_zone": "Europe/Paris", "availability": monday("17:15", "19:00")},
            {"id": "p1", "niveau": "premiere_generale", "subjects": ["mathematiques"],
             "time_zone": "Europe/Pariss", "priority": 101,
             "availability": [{"day": "mon", "from": "19:00", "to": "17:00"},
                              {"day": "lun", "from": "20:00", "to": "24:30"}]},
            {"id": "p3", "niveau": "seconde_gt", "subjects": ["mathematiques"],
             "time_zone": "Europe/Paris", "availability": [], "colour": "red"},
            {"id": "p4", "subjects": ["mathematiques"],
             "time_zone": "Europe/Paris", "availability": []},
            {"id": "p5", "niveau": "seconde_gt", "subjects": ["mathematiques"],
             "time_zone": "Europe/Paris", "availability": [], "waiting_days": "x"},
            {"id": " ", "niveau": "seconde_gt", "subjects": [],
             "time_zone": "Europe/Paris", "availability": [], "location": {"lat": 91, "lon": 2}},
            {"id": "p7", "niveau": "seconde_gt", "subjects": ["mathematiques"],
             "time_zone": "Europe/Paris", "availability": [], "location": [43.6, 1.44]}
        ],
        "tutors": [
            {"id": "t1", "capacity": 0, "time_zone": "Europe/Paris", "mode": "visio",
             "max_km": -1, "availability": monday("17:00", "9:00"),
             "teaches": [{"subject": "spe_mathematiques", "up_to": "seconde_gt"}]},
            {"id": "t1", "capacity": 6, "time_zone": "Europe/Paris",
             "availability": [],
             "teaches": [{"subject": "latin_grec", "up_to": "bac"}]}
        ]
    });
    let pointers = vec![
        "/start",
        "/weeks",
        "/session_minutes",
        "/pupils/0/niveau",
        "/pupils/0/availability/0/from",
        "/pupils/1/id",
        "/pupils/1/subjects/0",
        "/pupils/1/time_zone",
        "/pupils/1/availability/0",
        "/pupils/1/availability/1/day",
        "/pupils/1/availability/1/to",
        "/pupils/1/priority",
        "/pupils/2/colour",
        "/pupils/3/niveau",
        "/pupils/4/waiting_days",
        "/pupils/5/id",
        "/pupils/5/subjects",
        "/pupils/5/location/lat",
        "/pupils/6/location",
        "/tutors/0/capacity",
        "/tutors/0/mode",
        "/tutors/0/max_km",
        "/tutors/0/availability/0/to",
        "/tutors/0/teaches/0",
        "/tutors/1/id",
        "/tutors/1/capacity",
        "/tutors/1/teaches/0/subject",
        "/tutors/1/teaches/0/up_to",
    ];
    (input.to_string(), pointers)
}

#[test]
fn an_invalid_input_reports_every_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (input, pointers) = invalid_input();
    let output = run_in(dir.path(), &input);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let lines = stderr_lines(&output);
    let found: Vec<&str> = lines
        .iter()
        .map(|line| line.split_once(": ").expect("pointer: reason").0)
        .collect();
    assert_eq!(found, pointers, "stderr:\n{}", lines.join("\n"));
    for line in &lines {
        let reason = line.split_once(": ").expect("pointer: reason").1;
        assert!(!reason.trim().is_empty(), "{line}");
    }
    let line = |pointer: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{pointer}: ")))
            .expect("a line")
            .clone()
    };
    assert!(line("/pupils/0/availability/0/from").contains("grille de 30 minutes"));
    assert!(line("/pupils/1/id").contains("/pupils/0"));
    assert!(line("/pupils/2/colour").contains("champ inconnu"));
    assert!(line("/pupils/3/niveau").contains("obligatoire"));
    assert!(line("/tutors/0/teaches/0").contains("aucun niveau"));
    assert!(!dir.path().join("out.json").exists(), "no output file");
    let left: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert_eq!(left, [dir.path().join("in.json")], "no temporary file left");
}

#[test]
fn an_invalid_input_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.json");
    std::fs::write(&out, "previous run\n").expect("an old output");
    let (input, _) = invalid_input();
    let output = run_in(dir.path(), &input);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out).expect("still there"),
        "previous run\n"
    );

    // A valid input replaces it.
    let output = run_in(dir.path(), &issue_example().to_string());
    assert_eq!(output.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).expect("the new output");
    assert!(text.contains("\"score\": 112"), "{text}");
}

#[test]
fn a_syntax_error_is_one_line_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run_in(
        dir.path(),
        "{\"start\": \"2027-03-15\",\n \"pupils\": [{\"id\": \"p1\",}],\n \"tutors\": []}",
    );
    assert_eq!(output.status.code(), Some(2));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("/pupils/0"), "{lines:?}");
    assert!(lines[0].contains("ligne 2"), "{lines:?}");
    assert!(!dir.path().join("out.json").exists());

    let output = run_in(dir.path(), "");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_lines(&output).len(), 1);
}

#[test]
fn a_key_given_twice_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run_in(
        dir.path(),
        r#"{"start": "2027-03-15", "start": "2027-03-22", "pupils": [], "tutors": []}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("/start: "), "{lines:?}");
}

#[test]
fn files_that_cannot_be_read_or_written_exit_74() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = binome(
        dir.path(),
        &dir.path().join("absent.json"),
        &dir.path().join("out.json"),
    );
    assert_eq!(missing.status.code(), Some(74));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("absent.json"));
    assert!(!dir.path().join("out.json").exists());

    let input = dir.path().join("in.json");
    std::fs::write(&input, issue_example().to_string()).expect("write the input");
    let nowhere = dir.path().join("no-such-folder").join("out.json");
    let unwritable = binome(dir.path(), &input, &nowhere);
    assert_eq!(unwritable.status.code(), Some(74));
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("no-such-folder"));
}

#[test]
fn the_defaults_and_an_empty_pool_give_an_empty_result() {
    let out = solve(&json!({"start": "2027-03-15", "pupils": [], "tutors": []}));
    assert_eq!(
        out,
        json!({"proposals": [], "unmatched": [],
               "summary": {"pupils": 0, "tutors": 0, "matched": 0, "total_score": 0,
                           "greedy_matched": 0}})
    );
}
