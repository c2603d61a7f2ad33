//! Bar charts as SVG markup, drawn on the server and readable without
//! JavaScript (issue 8's dashboard). Each chart is an image with a title
//! and a description (`role="img"`, `aria-labelledby` the title and
//! `aria-describedby` the description);
//! the page puts the same figures in a table beside it for screen readers
//! and for reading exact values. Colours come from the style sheet's
//! `.series-N` classes, and every chart has a legend in words, so no
//! figure is told by colour alone (WCAG 2.1, 1.4.1).

use std::fmt::Write;

/// One category of a chart: its label and one value per series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub label: String,
    pub values: Vec<u32>,
}

/// The text of a chart, for assistive technologies.
#[derive(Clone, Copy, Debug)]
pub struct Caption<'a> {
    /// A unique prefix for the ids of its title and description.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

const WIDTH: f64 = 640.0;
/// Text of 14 units: 14 px where the chart is 640 px wide (the page keeps
/// it at least 36rem wide, scrolling sideways on a phone).
const FONT: &str = "font-size=\"14\" fill=\"currentColor\"";

/// `text` with the five characters XML gives meaning to escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn open(caption: Caption<'_>, height: f64) -> String {
    let id = escape(caption.id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(caption.title),
        escape(caption.description)
    )
}

/// At most `max` characters of `label`, with an ellipsis when cut.
fn shortened(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut cut: String = label.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// Stacked columns, one per category (left to right), the first series at
/// the bottom; the vertical axis from 0 to the tallest stack. Category
/// labels are written under every `ceil(n / 8)`-th column so that they
/// do not overlap.
pub fn stacked_columns(caption: Caption<'_>, categories: &[Category]) -> String {
    const TOP: f64 = 10.0;
    const PLOT: f64 = 180.0;
    const LEFT: f64 = 40.0;
    let height = TOP + PLOT + 30.0;
    let tallest = categories
        .iter()
        .map(|c| c.values.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = open(caption, height);
    let base = TOP + PLOT;
    // The axis: 0 and the tallest stack.
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{WIDTH}\" y2=\"{base}\" class=\"axis\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{WIDTH}\" y2=\"{TOP}\" class=\"grid\"/>\
         <text x=\"{x}\" y=\"{base}\" text-anchor=\"end\" {FONT}>0</text>\
         <text x=\"{x}\" y=\"{top}\" text-anchor=\"end\" {FONT}>{tallest}</text>",
        x = LEFT - 6.0,
        top = TOP + 10.0,
    );
    let count = categories.len().max(1);
    let slot = (WIDTH - LEFT) / count as f64;
    let every = count.div_ceil(8);
    for (i, category) in categories.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let mut y = base;
        for (series, value) in category.values.iter().enumerate() {
            if *value == 0 {
                continue;
            }
            let h = PLOT * f64::from(*value) / f64::from(tallest);
            y -= h;
            let _ = write!(
                svg,
                "<rect class=\"series-{series}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"/>",
                w = slot * 0.7,
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{cx:.1}\" y=\"{ly}\" text-anchor=\"middle\" {FONT}>{}</text>",
                escape(&category.label),
                cx = x + slot * 0.35,
                ly = base + 18.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one group per category (top to bottom), one bar per
/// series, each with its value written after it; the scale from 0 to the
/// largest value.
pub fn grouped_bars(caption: Caption<'_>, categories: &[Category]) -> String {
    const LABELS: f64 = 230.0;
    const BAR: f64 = 12.0;
    const GAP: f64 = 10.0;
    let series = categories.iter().map(|c| c.values.len()).max().unwrap_or(0);
    let group = BAR * series as f64 + GAP;
    let height = (group * categories.len() as f64 + GAP).max(2.0 * GAP);
    let largest = categories
        .iter()
        .flat_map(|c| c.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    // Room for the value after the longest bar.
    let room = WIDTH - LABELS - 40.0;
    let mut svg = open(caption, height);
    for (i, category) in categories.iter().enumerate() {
        let top = GAP + group * i as f64;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>{}</text>",
            escape(&shortened(&category.label, 28)),
            x = LABELS - 8.0,
            y = top + group / 2.0,
        );
        for (s, value) in category.values.iter().enumerate() {
            let y = top + BAR * s as f64;
            let w = room * f64::from(*value) / f64::from(largest);
            let _ = write!(
                svg,
                "<rect class=\"series-{s}\" x=\"{LABELS}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\"/>\
                 <text x=\"{tx:.1}\" y=\"{ty:.1}\" {FONT}>{value}</text>",
                h = BAR - 2.0,
                tx = LABELS + w + 4.0,
                ty = y + BAR - 3.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(label: &str, values: &[u32]) -> Category {
        Category {
            label: label.to_owned(),
            values: values.to_vec(),
        }
    }

    const CAPTION: Caption<'static> = Caption {
        id: "c",
        title: "Séances <par> semaine",
        description: "Tenues & manquées",
    };

    #[test]
    fn columns_are_as_tall_as_their_share_of_the_tallest_stack() {
        let svg = stacked_columns(CAPTION, &[category("a", &[2, 1]), category("b", &[4, 0])]);
        // The tallest stack (4) fills the 180 units: 2 is 90, 1 is 45,
        // stacked from the base at 190.
        assert!(
            svg.contains(
                "class=\"series-0\" x=\"85.0\" y=\"100.0\" width=\"210.0\" height=\"90.0\""
            ),
            "{svg}"
        );
        assert!(
            svg.contains(
                "class=\"series-1\" x=\"85.0\" y=\"55.0\" width=\"210.0\" height=\"45.0\""
            ),
            "{svg}"
        );
        assert!(
            svg.contains("x=\"385.0\" y=\"10.0\" width=\"210.0\" height=\"180.0\""),
            "{svg}"
        );
        // A zero draws nothing.
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">4</text>"));
    }

    #[test]
    fn charts_are_images_named_by_their_escaped_title_and_description() {
        let svg = grouped_bars(CAPTION, &[category("x < y", &[3, 6])]);
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("role=\"img\" aria-labelledby=\"c-title\" aria-describedby=\"c-desc\"")
        );
        assert!(svg.contains("<title id=\"c-title\">Séances &lt;par&gt; semaine</title>"));
        assert!(svg.contains("<desc id=\"c-desc\">Tenues &amp; manquées</desc>"));
        assert!(svg.contains(">x &lt; y</text>"));
        // 6 is the largest: 370 units; 3 is half.
        assert!(svg.contains("width=\"185.0\""), "{svg}");
        assert!(svg.contains("width=\"370.0\""), "{svg}");
    }

    #[test]
    fn empty_charts_draw_no_bars() {
        assert_eq!(stacked_columns(CAPTION, &[]).matches("<rect").count(), 0);
        assert_eq!(grouped_bars(CAPTION, &[]).matches("<rect").count(), 0);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(shortened("abcdef", 4), "abc…");
        assert_eq!(shortened("abcd", 4), "abcd");
    }
}
