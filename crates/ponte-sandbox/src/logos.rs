//! The synthetic banks' marks, drawn for the sandbox: a shape in the bank's
//! colour with its initials in plain Helvetica. They are original on
//! purpose: no trademark of a real institution, nor anything shaped like
//! one, only enough for a bank list to look like the one a user knows (a
//! coloured mark per bank, each a little different). Served as
//! `/{code}/avatar.svg`, the directory's `CustomerFriendlyLogoUri`.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::catalogue::{initials, text_color, BankInfo};
use crate::errors::OfbError;

/// The shapes the marks are drawn on, given out in catalogue order so that
/// neighbours in a list differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Circle,
    Hexagon,
    Shield,
    /// A rounded square crossed by a lighter diagonal band.
    Band,
    /// A rounded square turned on its corner.
    Diamond,
    /// A circle inside a thin ring of the same colour.
    Ring,
    /// A rounded square whose lower-right quarter is shaded.
    Corner,
}

const SHAPES: [Shape; 7] = [
    Shape::Circle,
    Shape::Hexagon,
    Shape::Shield,
    Shape::Band,
    Shape::Diamond,
    Shape::Ring,
    Shape::Corner,
];

fn shape_of(bank: &BankInfo) -> Shape {
    let at = crate::catalogue::banks()
        .iter()
        .position(|b| b.code == bank.code)
        .unwrap_or(0);
    SHAPES[at % SHAPES.len()]
}

/// The shape's SVG elements in `fill`, within a 96 × 96 box.
fn body(shape: Shape, fill: &str) -> String {
    match shape {
        Shape::Circle => format!(r#"<circle cx="48" cy="48" r="46" fill="{fill}"/>"#),
        Shape::Hexagon => {
            format!(r#"<polygon points="48,2 88,25 88,71 48,94 8,71 8,25" fill="{fill}"/>"#)
        }
        Shape::Shield => format!(
            r#"<path d="M48 3 L88 15 V46 C88 70 71 86 48 94 C25 86 8 70 8 46 V15 Z" fill="{fill}"/>"#
        ),
        Shape::Band => format!(
            r##"<clipPath id="c"><rect width="96" height="96" rx="22"/></clipPath><g clip-path="url(#c)"><rect width="96" height="96" fill="{fill}"/><polygon points="0,70 70,0 96,0 96,4 4,96 0,96" fill="#ffffff" fill-opacity=".22"/></g>"##
        ),
        Shape::Diamond => format!(
            r#"<rect x="16" y="16" width="64" height="64" rx="12" transform="rotate(45 48 48)" fill="{fill}"/>"#
        ),
        Shape::Ring => format!(
            r#"<circle cx="48" cy="48" r="45" fill="none" stroke="{fill}" stroke-width="3"/><circle cx="48" cy="48" r="38" fill="{fill}"/>"#
        ),
        Shape::Corner => format!(
            r##"<clipPath id="c"><rect width="96" height="96" rx="18"/></clipPath><g clip-path="url(#c)"><rect width="96" height="96" fill="{fill}"/><rect x="48" y="48" width="48" height="48" fill="#000000" fill-opacity=".18"/></g>"##
        ),
    }
}

/// The bank's mark as a standalone SVG document, named for screen readers.
pub(crate) fn svg(bank: &BankInfo) -> String {
    let shape = shape_of(bank);
    // Inside a ring or a diamond there is less room for the letters.
    let size = match shape {
        Shape::Diamond | Shape::Ring => 30,
        _ => 36,
    };
    // On a ring the letters sit on the inner disc, whatever the colour.
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="{name}"><title>{name}</title>{body}<text x="48" y="50" dominant-baseline="middle" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="{size}" font-weight="700" fill="{fg}">{ini}</text></svg>"##,
        name = html_escape::encode_double_quoted_attribute(bank.name),
        body = body(shape, bank.brand_color),
        fg = text_color(bank.brand_color),
        ini = html_escape::encode_text(&initials(bank.name)),
    )
}

/// `GET /{code}/avatar.svg`: the bank's logo, cached for a day.
pub(crate) async fn avatar(Path(code): Path<String>) -> Result<Response, OfbError> {
    let bank = crate::catalogue::find(&code)?;
    let svg = svg(bank);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::banks;

    #[test]
    fn every_bank_has_a_named_mark_in_its_colour_with_its_initials() {
        for bank in banks() {
            let svg = svg(bank);
            assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
            assert!(
                svg.contains(&format!("<title>{}</title>", bank.name)),
                "{svg}"
            );
            assert!(
                svg.contains(&format!(r#"fill="{}""#, bank.brand_color))
                    || svg.contains(&format!(r#"stroke="{}""#, bank.brand_color)),
                "{svg}"
            );
            assert!(
                svg.contains(&format!(">{}</text>", initials(bank.name))),
                "{svg}"
            );
            // Balanced elements: every opened group and clip path is closed.
            assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
            assert_eq!(
                svg.matches("<clipPath").count(),
                svg.matches("</clipPath>").count()
            );
        }
    }

    #[test]
    fn neighbours_in_the_list_have_different_shapes() {
        let shapes: Vec<Shape> = banks().iter().map(shape_of).collect();
        for pair in shapes.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        let distinct: std::collections::HashSet<_> =
            shapes.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(distinct.len(), SHAPES.len());
    }
}
