//! A client's primary colour, made readable. The widget puts white text on it
//! (buttons) and uses it as text on white (links), so it must reach WCAG AA
//! contrast against white (4.5:1); a colour too light is darkened until it
//! does, keeping its hue.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

const WHITE: Color = Color {
    r: 255,
    g: 255,
    b: 255,
};

/// WCAG 2.2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

impl Color {
    /// `#rgb` or `#rrggbb`, either case.
    pub fn parse(raw: &str) -> Option<Color> {
        let hex = raw.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            3 => {
                let d: Vec<u8> = hex
                    .chars()
                    .filter_map(|c| channel(&c.to_string()))
                    .collect();
                Some(Color {
                    r: d.first()? * 17,
                    g: d.get(1)? * 17,
                    b: d.get(2)? * 17,
                })
            }
            6 => Some(Color {
                r: channel(&hex[0..2])?,
                g: channel(&hex[2..4])?,
                b: channel(&hex[4..6])?,
            }),
            _ => None,
        }
    }

    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    pub fn contrast_with_white(self) -> f64 {
        (WHITE.luminance() + 0.05) / (self.luminance() + 0.05)
    }

    /// This colour, or the first darker shade of it that white text can sit on.
    pub fn readable_on_white(self) -> Color {
        let mut c = self;
        // Each step takes 5 % off every channel; black (21:1) ends it.
        while c.contrast_with_white() < MIN_CONTRAST {
            let darker = |v: u8| (f64::from(v) * 0.95).floor() as u8;
            c = Color {
                r: darker(c.r),
                g: darker(c.g),
                b: darker(c.b),
            };
        }
        c
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_long_hex_only() {
        assert_eq!(
            Color::parse("#0F766E").map(|c| c.to_string()).as_deref(),
            Some("#0f766e")
        );
        assert_eq!(
            Color::parse("#abc").map(|c| c.to_string()).as_deref(),
            Some("#aabbcc")
        );
        for bad in ["red", "#12345", "0f766e", "#gggggg", "#1234567", "", "#ééé"] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_dark_colour_is_kept_and_a_light_one_darkened_until_readable() {
        let teal = Color::parse("#0f766e").unwrap();
        assert_eq!(teal.readable_on_white(), teal);
        let yellow = Color::parse("#fcfc30").unwrap();
        assert!(yellow.contrast_with_white() < 1.5);
        let fixed = yellow.readable_on_white();
        assert_ne!(fixed, yellow);
        assert!(fixed.contrast_with_white() >= MIN_CONTRAST, "{fixed}");
        // Still yellow-ish (an olive), not black.
        assert!(fixed.r > 60 && fixed.b < fixed.r, "{fixed}");
        assert!(
            Color::parse("#fff")
                .unwrap()
                .readable_on_white()
                .contrast_with_white()
                >= MIN_CONTRAST
        );
    }
}
