//! Bar charts: paired bars per label, e.g. money in and out per month.

use crate::flow::{Document, MARGIN, TEXT_WIDTH};
use crate::fonts::width;
use crate::Rgb;
use std::io::Write;

/// One set of bars: a name for the legend, a colour, a value per label.
pub struct Series<'a> {
    pub name: &'a str,
    pub rgb: Rgb,
    pub values: Vec<f64>,
}

impl<W: Write> Document<W> {
    /// Paired bars per label (e.g. inflow and outflow per month), scaled to the largest.
    pub fn bar_chart(&mut self, title: &str, labels: &[String], series: &[Series]) {
        let chart_h = 150.0;
        self.room(chart_h + 60.0);
        self.subheading(title);
        let max = series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0f64, f64::max)
            .max(1.0);
        let base = self.y - chart_h;
        let group = TEXT_WIDTH / labels.len().max(1) as f32;
        let bar = (group * 0.8 / series.len().max(1) as f32).min(18.0);
        let c = &mut self.page;
        c.set_stroke_rgb(0.7, 0.7, 0.7);
        c.set_line_width(0.5);
        c.move_to(MARGIN, base);
        c.line_to(MARGIN + TEXT_WIDTH, base);
        c.stroke();
        for (si, Series { rgb, values, .. }) in series.iter().enumerate() {
            c.set_fill_rgb(rgb.0, rgb.1, rgb.2);
            for (i, v) in values.iter().enumerate() {
                let h = (*v / max) as f32 * (chart_h - 10.0);
                let x = MARGIN + i as f32 * group + group * 0.1 + si as f32 * bar;
                c.rect(x, base, bar - 1.0, h.max(0.0));
                c.fill_nonzero();
            }
        }
        let every = (labels.len() / 12).max(1);
        for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let x = MARGIN + i as f32 * group + 1.0;
            self.text_at(x, base - 10.0, label, 6.5, false, (0.35, 0.35, 0.35));
        }
        let mut lx = MARGIN;
        for Series { name, rgb, .. } in series {
            self.page.set_fill_rgb(rgb.0, rgb.1, rgb.2);
            self.page.rect(lx, base - 24.0, 8.0, 8.0);
            self.page.fill_nonzero();
            self.text_at(lx + 11.0, base - 23.0, name, 8.0, false, (0.2, 0.2, 0.2));
            lx += 11.0 + width(name, 8.0, false) + 20.0;
        }
        self.y = base - 40.0;
    }
}
