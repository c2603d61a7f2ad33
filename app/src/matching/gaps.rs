//! The supply gap: the demand that no tutor meets, by subject × niveau ×
//! weekday × time band, so coordinators know whom to recruit.
//!
//! Each pupil left out counts once in every cell of one of their
//! requested subjects, their niveau, and a weekday and band in which a
//! session could start inside their availability (pupil-local time). A
//! row therefore says: "this many pupils left out need this subject at
//! this niveau and could meet then".

use std::collections::BTreeMap;

use domain::matching::SlotSet;

use super::{Band, GapRow};

/// Slot starts of a day (30-minute grain).
const PER_DAY: usize = 48;

/// The band of a slot start given in minutes after local midnight.
pub fn band_of(start_minutes: usize) -> Band {
    match start_minutes {
        m if m < 12 * 60 => Band::Morning,
        m if m < 18 * 60 => Band::Afternoon,
        _ => Band::Evening,
    }
}

/// One pupil left out: requested subject codes, niveau code, and the slots
/// where a session could start ([`SlotSet::pupil`]).
#[derive(Debug)]
pub struct LeftOut<'a> {
    pub subjects: &'a [String],
    pub level: &'a str,
    pub slots: &'a SlotSet,
}

/// The rows of the gap, the largest first, then by subject, niveau,
/// weekday and band.
pub fn supply_gap<'a>(left_out: impl IntoIterator<Item = LeftOut<'a>>) -> Vec<GapRow> {
    let mut cells: BTreeMap<(String, String, u8, Band), u32> = BTreeMap::new();
    for pupil in left_out {
        let mut times: Vec<(u8, Band)> = pupil
            .slots
            .iter()
            .map(|slot| {
                let weekday = u8::try_from(slot / PER_DAY + 1).expect("7 days");
                (weekday, band_of(slot % PER_DAY * 30))
            })
            .collect();
        times.dedup();
        for subject in pupil.subjects {
            for &(weekday, band) in &times {
                *cells
                    .entry((subject.clone(), pupil.level.to_owned(), weekday, band))
                    .or_default() += 1;
            }
        }
    }
    let mut rows: Vec<GapRow> = cells
        .into_iter()
        .map(|((subject, level, weekday, band), pupils)| GapRow {
            subject,
            level,
            weekday,
            band,
            pupils,
        })
        .collect();
    // Stable: the map's order breaks ties.
    rows.sort_by_key(|row| std::cmp::Reverse(row.pupils));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(starts: &[(usize, usize)]) -> SlotSet {
        let mut set = SlotSet::default();
        for &(day, minutes) in starts {
            set.insert(day * PER_DAY + minutes / 30);
        }
        set
    }

    #[test]
    fn bands_split_at_noon_and_six() {
        assert_eq!(band_of(0), Band::Morning);
        assert_eq!(band_of(11 * 60 + 30), Band::Morning);
        assert_eq!(band_of(12 * 60), Band::Afternoon);
        assert_eq!(band_of(17 * 60 + 30), Band::Afternoon);
        assert_eq!(band_of(18 * 60), Band::Evening);
        assert_eq!(band_of(23 * 60 + 30), Band::Evening);
    }

    #[test]
    fn each_pupil_counts_once_per_subject_and_time_cell() {
        let maths = vec!["mathematiques".to_owned()];
        let both = vec!["mathematiques".to_owned(), "francais".to_owned()];
        // Monday 18:00 and 18:30 (one evening cell), Wednesday 14:00.
        let a = slots(&[(0, 18 * 60), (0, 18 * 60 + 30), (2, 14 * 60)]);
        // Monday 19:00.
        let b = slots(&[(0, 19 * 60)]);
        let rows = supply_gap([
            LeftOut {
                subjects: &both,
                level: "seconde_gt",
                slots: &a,
            },
            LeftOut {
                subjects: &maths,
                level: "seconde_gt",
                slots: &b,
            },
        ]);
        let shown: Vec<(&str, u8, Band, u32)> = rows
            .iter()
            .map(|r| (r.subject.as_str(), r.weekday, r.band, r.pupils))
            .collect();
        assert_eq!(
            shown,
            [
                ("mathematiques", 1, Band::Evening, 2),
                ("francais", 1, Band::Evening, 1),
                ("francais", 3, Band::Afternoon, 1),
                ("mathematiques", 3, Band::Afternoon, 1),
            ]
        );
        assert!(rows.iter().all(|r| r.level == "seconde_gt"));
    }

    #[test]
    fn a_pupil_without_a_slot_adds_nothing() {
        let maths = vec!["mathematiques".to_owned()];
        let none = SlotSet::default();
        assert!(supply_gap([LeftOut {
            subjects: &maths,
            level: "cap1",
            slots: &none,
        }])
        .is_empty());
    }
}
