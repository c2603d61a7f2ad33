//! Finding a school by name, commune or UAI, as a pupil does when signing up.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a search shows of a school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSummary {
    pub uai: String,
    pub name: String,
    pub commune: String,
    pub academy_code: String,
}

/// Most schools a search returns.
pub const SEARCH_LIMIT: u32 = 20;
/// Fewest characters a search needs (fewer would match half the directory).
pub const SEARCH_MIN_CHARS: usize = 2;

/// The words of `text` as the search compares them: lowercase, without
/// French accents, apostrophes and hyphens as spaces (`Saint-Gaudens` and
/// `saint gaudens` are the same words).
pub fn search_words(text: &str) -> Vec<String> {
    crate::academies::french_sort_key(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Schools whose name, commune or UAI contain every word of `query`, sorted
/// by name, at most [`SEARCH_LIMIT`]. Schools that teach only after the
/// baccalauréat are left out (they have no lycée pupils). A query shorter
/// than [`SEARCH_MIN_CHARS`] finds nothing.
///
/// Public reference data (the ministry's open directory): anyone may search.
#[server(prefix = "/api", endpoint = "etablissements")]
pub async fn search_schools(query: String) -> Result<Vec<SchoolSummary>, AppError> {
    let state = use_context::<crate::state::AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the context"));
    let result = match state {
        Ok(state) => queries::search(&state.db, &query, SEARCH_LIMIT)
            .await
            .map_err(AppError::from_db),
        Err(error) => Err(error),
    };
    crate::error::respond(result)
}

#[cfg(feature = "ssr")]
pub mod queries {
    //! The search in the database.

    use super::{search_words, SchoolSummary, SEARCH_MIN_CHARS};
    use crate::db::Db;

    /// See [`super::search_schools`]; `limit` caps the answer.
    ///
    /// # Errors
    /// The database's error.
    pub async fn search(
        db: &Db,
        query: &str,
        limit: u32,
    ) -> Result<Vec<SchoolSummary>, sqlx::Error> {
        let words = search_words(query);
        if words.concat().chars().count() < SEARCH_MIN_CHARS || words.len() > 8 {
            return Ok(Vec::new());
        }
        // Words are letters and digits only: no LIKE wildcard can slip in.
        let mut sql = String::from(
            "SELECT uai, name, commune, academy_code FROM schools \
             WHERE post_baccalaureate_only = FALSE",
        );
        for index in 1..=words.len() {
            sql.push_str(&format!(" AND search_key LIKE '%' || ${index} || '%'"));
        }
        sql.push_str(&format!(" ORDER BY search_key, uai LIMIT {limit}"));
        let rows: Vec<(String, String, String, String)> = crate::on_db!(db, |pool| {
            let mut statement = sqlx::query_as(&sql);
            for word in &words {
                statement = statement.bind(word);
            }
            statement.fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(uai, name, commune, academy_code)| SchoolSummary {
                uai,
                name,
                commune,
                academy_code,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::search_words;

    #[test]
    fn words_ignore_case_accents_and_punctuation() {
        assert_eq!(
            search_words("  Lycée Pierre-d'Aragon, SAINT-GAUDENS 0310024h "),
            vec!["lycee", "pierre", "d", "aragon", "saint", "gaudens", "0310024h"]
        );
        assert!(search_words("%_'-").is_empty());
    }
}
