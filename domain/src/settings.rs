//! Settings written as lists of `name=value` whole numbers, such as
//! `BINOME_ALERT_RULES` (`missed=2,quiet=14`) and `BINOME_RETENTION`
//! (`inactive=548,emails=90`).

/// One `name=value` part of a setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: &'a str,
    pub value: u16,
    /// The part as written, to name it in an error.
    pub text: &'a str,
}

impl Part<'_> {
    /// The value when it is from `low` to `high`; otherwise the error,
    /// naming the part and the range (`unit` after it, if any).
    ///
    /// # Errors
    /// `` `part`: from low to high[ unit] ``.
    pub fn within(&self, low: u16, high: u16, unit: Option<&str>) -> Result<u16, String> {
        if (low..=high).contains(&self.value) {
            Ok(self.value)
        } else {
            let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
            Err(format!("`{}`: from {low} to {high}{unit}", self.text))
        }
    }
}

/// The parts of `text`, comma-separated, spaces allowed around each; an
/// empty text has none.
///
/// # Errors
/// The first part that is not `name=value` with a whole number (`unit`,
/// if any, says of what).
pub fn parts<'a>(text: &'a str, unit: Option<&str>) -> Result<Vec<Part<'a>>, String> {
    let mut parts = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not name=value"))?;
        let value: u16 = value.trim().parse().map_err(|_| {
            let unit = unit.map(|u| format!(" of {u}")).unwrap_or_default();
            format!("`{part}`: not a whole number{unit}")
        })?;
        parts.push(Part {
            name: name.trim(),
            value,
            text: part,
        });
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_read_with_their_names_and_wrong_ones_refused() {
        let read = parts(" a = 1 ,, b=20 ", None).expect("valid");
        assert_eq!(
            read,
            [
                Part {
                    name: "a",
                    value: 1,
                    text: "a = 1"
                },
                Part {
                    name: "b",
                    value: 20,
                    text: "b=20"
                }
            ]
        );
        assert_eq!(
            read[1].within(1, 10, Some("days")),
            Err("`b=20`: from 1 to 10 days".into())
        );
        assert_eq!(read[0].within(1, 10, None), Ok(1));
        assert_eq!(parts("a", None), Err("`a` is not name=value".into()));
        assert_eq!(
            parts("a=-1", Some("days")),
            Err("`a=-1`: not a whole number of days".into())
        );
        assert_eq!(parts("", None), Ok(Vec::new()));
    }
}
