//! Where a series' sessions take place (issue 7): online, in a video room
//! of the région's server, or in person at a school of the directory (by
//! default the pupil's), never at a private address.
//!
//! The video link is `BINOME_VIDEO_URL_TEMPLATE` with `{room}` replaced by
//! the match's room name: 128 random bits in hexadecimal, drawn when the
//! match's first series is proposed and kept for all its series, so that
//! the link is stable for the pair and nobody else can guess it.

use serde::{Deserialize, Serialize};

use crate::i18n::{text, Lang};

/// The placeholder of `BINOME_VIDEO_URL_TEMPLATE` that the room name
/// replaces.
pub const ROOM_PLACEHOLDER: &str = "{room}";

/// Where the sessions of a series take place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Venue {
    /// Online; `url` is the pair's video link, `None` when the platform has
    /// no video server configured (or in a choice, before the proposal).
    Online { url: Option<String> },
    /// In person at the school `uai` of the directory.
    InPerson {
        uai: String,
        name: String,
        commune: String,
    },
}

impl Venue {
    /// What a form sends back for it: `online` or `school:<UAI>`.
    pub fn code(&self) -> String {
        match self {
            Venue::Online { .. } => "online".into(),
            Venue::InPerson { uai, .. } => format!("school:{uai}"),
        }
    }

    /// It in words, in `lang`, e.g. `En ligne, en visio` or `Au lycée :
    /// Lycée Pierre de Fermat, Toulouse`. The link is not included.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Venue::Online { .. } => text(lang, "sessions.venue.online"),
            Venue::InPerson { name, commune, .. } => text(lang, "sessions.venue.in_person")
                .replace("%{name}", name)
                .replace("%{commune}", commune),
        }
    }

    /// It in words with the video link when there is one: what emails and
    /// calendar files state.
    pub fn full_text(&self, lang: Lang) -> String {
        match self {
            Venue::Online { url: Some(url) } => {
                text(lang, "sessions.venue.online_link").replace("%{url}", url)
            }
            Venue::Online { url: None } => text(lang, "sessions.venue.online_no_link"),
            Venue::InPerson { .. } => self.text(lang),
        }
    }

    /// RFC 5545 `LOCATION`: the video link, or the school and its
    /// commune, or `En ligne` when there is no link.
    pub fn location(&self, lang: Lang) -> String {
        match self {
            Venue::Online { url: Some(url) } => url.clone(),
            Venue::Online { url: None } => text(lang, "sessions.venue.online"),
            Venue::InPerson { name, commune, .. } => format!("{name}, {commune}"),
        }
    }

    /// The video link, for an online venue that has one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Venue::Online { url } => url.as_deref(),
            Venue::InPerson { .. } => None,
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use domain::matching::{haversine_km, Location};
    use rand::RngCore;

    use super::{Venue, ROOM_PLACEHOLDER};
    use crate::db::{Db, Tx};

    /// Checks a `BINOME_VIDEO_URL_TEMPLATE`: an `https://` (or `http://`)
    /// address holding [`ROOM_PLACEHOLDER`] once.
    ///
    /// # Errors
    /// What is wrong, in English, for the start-up error.
    pub fn check_template(template: &str) -> Result<(), &'static str> {
        let template = template.trim();
        if !(template.starts_with("https://") || template.starts_with("http://")) {
            return Err("must start with https:// (or http://)");
        }
        if template.matches(ROOM_PLACEHOLDER).count() != 1 {
            return Err("must hold {room} once, e.g. https://visio.example.fr/{room}");
        }
        if template.chars().any(char::is_whitespace) {
            return Err("must not hold spaces");
        }
        Ok(())
    }

    /// The video link of the room `room` by `template`.
    pub fn video_url(template: &str, room: &str) -> String {
        template.trim().replace(ROOM_PLACEHOLDER, room)
    }

    /// A new room name: 128 random bits as 32 lowercase hexadecimal digits
    /// (letters and digits only, which every video server accepts).
    pub fn new_room() -> String {
        let mut bytes = [0_u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether a request's or offer's mode (`online`, `in_person`, `both`)
    /// allows `wanted`.
    fn allows(mode: &str, wanted: &str) -> bool {
        mode == wanted || mode == "both"
    }

    type SchoolRow = (String, String, String, Option<f64>, Option<f64>);

    const SCHOOL_SQL: &str =
        "SELECT uai, name, commune, latitude, longitude FROM schools WHERE uai = $1";

    fn school_venue(row: &SchoolRow) -> Venue {
        Venue::InPerson {
            uai: row.0.clone(),
            name: row.1.clone(),
            commune: row.2.clone(),
        }
    }

    fn location(row: &SchoolRow) -> Option<Location> {
        Some(Location {
            lat: row.3?,
            lon: row.4?,
        })
    }

    /// Where the active match `match_id` may meet now, as matching decides
    /// (issue 6): online when both the request and the offer allow it; in
    /// person when both allow it, both schools' places are known and the
    /// pupil's school is within the tutor's distance of their meeting
    /// school: then at the pupil's school, or at the tutor's meeting
    /// school. Online first; empty when nothing qualifies any more.
    ///
    /// # Errors
    /// The database's error.
    pub async fn options(db: &Db, match_id: i64) -> Result<Vec<Venue>, sqlx::Error> {
        type Found = (String, Option<String>, Option<String>, Option<i32>, String);
        let found: Option<Found> = crate::on_db!(db, |pool| sqlx::query_as(
            "SELECT r.mode, o.mode, o.meeting_school_uai, o.max_distance_km, p.school_uai \
             FROM matches m JOIN help_requests r ON r.id = m.request_id \
             JOIN pupils p ON p.user_id = m.pupil_user_id \
             LEFT JOIN tutor_offers o ON o.tutor_user_id = m.tutor_user_id \
             WHERE m.id = $1"
        )
        .bind(match_id)
        .fetch_optional(pool)
        .await?);
        let Some((request_mode, offer_mode, meeting, max_km, pupil_school)) = found else {
            return Ok(Vec::new());
        };
        let offer_mode = offer_mode.unwrap_or_default();
        let mut venues = Vec::new();
        if allows(&request_mode, "online") && allows(&offer_mode, "online") {
            venues.push(Venue::Online { url: None });
        }
        if allows(&request_mode, "in_person") && allows(&offer_mode, "in_person") {
            let (Some(meeting), Some(max_km)) = (meeting, max_km) else {
                return Ok(venues);
            };
            let school = |uai: String| async move {
                let row: Option<SchoolRow> = crate::on_db!(db, |pool| sqlx::query_as(SCHOOL_SQL)
                    .bind(uai)
                    .fetch_optional(pool)
                    .await?);
                Ok::<_, sqlx::Error>(row)
            };
            let (Some(pupils), Some(tutors)) =
                (school(pupil_school).await?, school(meeting).await?)
            else {
                return Ok(venues);
            };
            if let (Some(a), Some(b)) = (location(&pupils), location(&tutors)) {
                if haversine_km(a, b) <= f64::from(max_km) {
                    venues.push(school_venue(&pupils));
                    if tutors.0 != pupils.0 {
                        venues.push(school_venue(&tutors));
                    }
                }
            }
        }
        Ok(venues)
    }

    type Parts = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    const SERIES_SQL: &str = "SELECT s.mode, s.place_uai, sc.name, sc.commune, m.video_room \
                              FROM session_series s JOIN matches m ON m.id = s.match_id \
                              LEFT JOIN schools sc ON sc.uai = s.place_uai WHERE s.id = $1";

    fn from_parts(parts: Parts, template: Option<&str>) -> Venue {
        let (mode, uai, name, commune, room) = parts;
        match (mode.as_str(), uai) {
            ("in_person", Some(uai)) => Venue::InPerson {
                name: name.unwrap_or_else(|| uai.clone()),
                commune: commune.unwrap_or_default(),
                uai,
            },
            _ => Venue::Online {
                url: template.zip(room).map(|(t, room)| video_url(t, &room)),
            },
        }
    }

    /// Where the sessions of the series `series_id` take place, the video
    /// link built by `template` (`BINOME_VIDEO_URL_TEMPLATE`); online
    /// without a link when the series is not found.
    ///
    /// # Errors
    /// The database's error.
    pub async fn of_series(
        db: &Db,
        series_id: i64,
        template: Option<&str>,
    ) -> Result<Venue, sqlx::Error> {
        let parts: Option<Parts> = crate::on_db!(db, |pool| sqlx::query_as(SERIES_SQL)
            .bind(series_id)
            .fetch_optional(pool)
            .await?);
        Ok(parts.map_or(Venue::Online { url: None }, |p| from_parts(p, template)))
    }

    /// [`of_series`] inside the transaction `tx`.
    ///
    /// # Errors
    /// The database's error.
    pub async fn of_series_in(
        tx: &mut Tx,
        series_id: i64,
        template: Option<&str>,
    ) -> Result<Venue, sqlx::Error> {
        let parts: Option<Parts> = crate::on_tx!(tx, |conn| sqlx::query_as(SERIES_SQL)
            .bind(series_id)
            .fetch_optional(&mut *conn)
            .await?);
        Ok(parts.map_or(Venue::Online { url: None }, |p| from_parts(p, template)))
    }

    /// Gives the match `match_id` a room name if it has none yet.
    ///
    /// # Errors
    /// The database's error.
    pub async fn ensure_room(tx: &mut Tx, match_id: i64) -> Result<(), sqlx::Error> {
        let room = new_room();
        crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE matches SET video_room = $2 WHERE id = $1 AND video_room IS NULL"
        )
        .bind(match_id)
        .bind(&room)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_template_needs_an_address_and_the_room_once() {
            assert_eq!(check_template("https://visio.example.fr/{room}"), Ok(()));
            assert_eq!(
                check_template("  http://bbb.example.fr/b/binome-{room}?x=1 "),
                Ok(())
            );
            for bad in [
                "visio.example.fr/{room}",
                "https://visio.example.fr/",
                "https://visio.example.fr/{room}/{room}",
                "https://visio.example.fr/ {room}",
                "ftp://visio.example.fr/{room}",
            ] {
                assert!(check_template(bad).is_err(), "{bad}");
            }
        }

        #[test]
        fn the_link_is_the_template_with_the_room() {
            assert_eq!(
                video_url(" https://meet.example.fr/binome-{room} ", "0a1b"),
                "https://meet.example.fr/binome-0a1b"
            );
        }

        #[test]
        fn rooms_are_128_bits_of_hexadecimal_and_differ() {
            let rooms: Vec<String> = (0..64).map(|_| new_room()).collect();
            for room in &rooms {
                assert_eq!(room.len(), 32, "{room}");
                assert!(room
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
            }
            let distinct: std::collections::BTreeSet<&String> = rooms.iter().collect();
            assert_eq!(distinct.len(), rooms.len());
        }

        #[test]
        fn a_stored_venue_reads_back() {
            let online = (
                "online".to_owned(),
                None,
                None,
                None,
                Some("ab12".to_owned()),
            );
            assert_eq!(
                from_parts(online.clone(), Some("https://v.example.fr/{room}")),
                Venue::Online {
                    url: Some("https://v.example.fr/ab12".into())
                }
            );
            assert_eq!(from_parts(online, None), Venue::Online { url: None });
            let school = (
                "in_person".to_owned(),
                Some("0310036W".to_owned()),
                Some("Lycée Pierre de Fermat".to_owned()),
                Some("Toulouse".to_owned()),
                Some("ab12".to_owned()),
            );
            assert_eq!(
                from_parts(school, Some("https://v.example.fr/{room}")),
                Venue::InPerson {
                    uai: "0310036W".into(),
                    name: "Lycée Pierre de Fermat".into(),
                    commune: "Toulouse".into(),
                }
            );
        }
    }
}
