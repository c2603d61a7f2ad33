//! Académies and régions académiques: the territories coordinators answer for.
//!
//! The 30 académies, their région académique and the IANA time zone their
//! local times use are seeded by the first migration from
//! `reference/academies.csv` (public administrative organisation since 2020).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One académie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Academy {
    /// Stable identifier, a slug of the name (`toulouse`, `la-reunion`).
    pub code: String,
    /// Official name, in French (`Orléans-Tours`).
    pub name: String,
    /// IANA time zone of local times in the académie (`Europe/Paris`,
    /// `Indian/Reunion`).
    pub time_zone: String,
}

/// A région académique and its académies, sorted by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub academies: Vec<Academy>,
}

/// Every région académique with its académies, in French alphabetical order.
///
/// Public reference data: anyone may read it, signed in or not.
#[server(prefix = "/api", endpoint = "academies")]
pub async fn list_regions() -> Result<Vec<Region>, AppError> {
    let state = use_context::<crate::state::AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the context"));
    let result = match state {
        Ok(state) => queries::regions(&state.db).await.map_err(AppError::from_db),
        Err(error) => Err(error),
    };
    crate::error::respond(result)
}

/// The code and name of every académie, as the first migration seeds them
/// (a test checks the two agree), for pages that show an académie's name
/// where the data holds its code.
pub const ACADEMY_NAMES: [(&str, &str); 30] = [
    ("clermont-ferrand", "Clermont-Ferrand"),
    ("grenoble", "Grenoble"),
    ("lyon", "Lyon"),
    ("besancon", "Besançon"),
    ("dijon", "Dijon"),
    ("rennes", "Rennes"),
    ("orleans-tours", "Orléans-Tours"),
    ("corse", "Corse"),
    ("nancy-metz", "Nancy-Metz"),
    ("reims", "Reims"),
    ("strasbourg", "Strasbourg"),
    ("amiens", "Amiens"),
    ("lille", "Lille"),
    ("creteil", "Créteil"),
    ("paris", "Paris"),
    ("versailles", "Versailles"),
    ("normandie", "Normandie"),
    ("bordeaux", "Bordeaux"),
    ("limoges", "Limoges"),
    ("poitiers", "Poitiers"),
    ("montpellier", "Montpellier"),
    ("toulouse", "Toulouse"),
    ("nantes", "Nantes"),
    ("aix-marseille", "Aix-Marseille"),
    ("nice", "Nice"),
    ("guadeloupe", "Guadeloupe"),
    ("guyane", "Guyane"),
    ("martinique", "Martinique"),
    ("mayotte", "Mayotte"),
    ("la-reunion", "La Réunion"),
];

/// The name of the académie `code`; the code itself if it is unknown.
pub fn academy_name(code: &str) -> &str {
    ACADEMY_NAMES
        .iter()
        .find(|(known, _)| *known == code)
        .map_or(code, |(_, name)| name)
}

/// The names of `codes`, joined by commas.
pub fn academy_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| academy_name(code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A sort key that orders French names as a reader expects: accents and case
/// do not count (`Île-de-France` sorts with `I`, not after `Z`).
pub fn french_sort_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub mod queries {
    //! Reading académies from the database.

    use super::{french_sort_key, Academy, Region};
    use crate::db::Db;
    use crate::on_db;

    #[derive(sqlx::FromRow)]
    struct Row {
        region_code: String,
        region_name: String,
        code: String,
        name: String,
        time_zone: String,
    }

    /// The code of every académie.
    ///
    /// # Errors
    /// The database's error.
    pub async fn codes(db: &Db) -> Result<Vec<String>, sqlx::Error> {
        on_db!(db, |pool| sqlx::query_scalar("SELECT code FROM academies")
            .fetch_all(pool)
            .await)
    }

    /// The académies of région `region_code` (none for an unknown one).
    ///
    /// # Errors
    /// The database's error.
    pub async fn of_region(db: &Db, region_code: &str) -> Result<Vec<String>, sqlx::Error> {
        on_db!(db, |pool| sqlx::query_scalar(
            "SELECT code FROM academies WHERE region_code = $1 ORDER BY code"
        )
        .bind(region_code)
        .fetch_all(pool)
        .await)
    }

    /// Every région with its académies, sorted with [`french_sort_key`].
    ///
    /// # Errors
    /// The database's error.
    pub async fn regions(db: &Db) -> Result<Vec<Region>, sqlx::Error> {
        const SQL: &str = "SELECT r.code AS region_code, r.name AS region_name, \
                           a.code, a.name, a.time_zone \
                           FROM academies a JOIN regions r ON r.code = a.region_code";
        let rows: Vec<Row> = on_db!(db, |pool| sqlx::query_as(SQL).fetch_all(pool).await)?;

        let mut regions: Vec<Region> = Vec::new();
        for row in rows {
            let academy = Academy {
                code: row.code,
                name: row.name,
                time_zone: row.time_zone,
            };
            match regions.iter_mut().find(|r| r.code == row.region_code) {
                Some(region) => region.academies.push(academy),
                None => regions.push(Region {
                    code: row.region_code,
                    name: row.region_name,
                    academies: vec![academy],
                }),
            }
        }
        regions.sort_by_cached_key(|r| french_sort_key(&r.name));
        for region in &mut regions {
            region
                .academies
                .sort_by_cached_key(|a| french_sort_key(&a.name));
        }
        Ok(regions)
    }
}

#[cfg(test)]
mod tests {
    use super::french_sort_key;

    #[test]
    fn accents_and_case_do_not_change_the_order() {
        let mut names = vec![
            "Occitanie",
            "Île-de-France",
            "Bretagne",
            "Éducation",
            "hauts",
        ];
        names.sort_by_cached_key(|n| french_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Bretagne",
                "Éducation",
                "hauts",
                "Île-de-France",
                "Occitanie"
            ]
        );
    }
}
