//! The QR code of the session key URL: encoded by the `qrcode` crate, drawn
//! as one SVG path (dark modules on a white quiet zone, in every theme, so
//! phones can scan it).

use leptos::prelude::*;

/// Modules of quiet zone around the code (the standard asks for 4).
const QUIET: usize = 4;

/// The side length in modules and the SVG path of the dark modules.
pub fn qr_path(data: &str) -> Option<(usize, String)> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let mut d = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((width + 2 * QUIET, d))
}

/// An accessible SVG QR code of `data`.
#[component]
pub fn QrCode(data: String, label: Signal<&'static str>) -> impl IntoView {
    {
        qr_path(&data).map(|(size, d)| {
            view! {
                <svg class="bt-qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=label
                    shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                    <rect width=size height=size fill="#fff"/>
                    <path d=d fill="#000"/>
                </svg>
            }
        })
    }
}
