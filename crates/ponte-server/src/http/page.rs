//! The shell of Ponte's own small HTML pages (the widget's outcome pages and
//! the failures answered as a page): one look, no script.

pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>
:root{{--accent:#0f766e}}*{{box-sizing:border-box}}body{{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;background:#f3f4f6;color:#111827}}
main{{max-width:480px;margin:0 auto;min-height:100vh;background:#fff;padding:1.5rem 1.25rem;box-shadow:0 0 24px rgba(0,0,0,.06)}}
h1{{font-size:1.35rem;margin:.25rem 0 .25rem}}p.lead{{color:#4b5563;margin:0 0 1rem}}
input[type=search]{{width:100%;padding:.7rem .9rem;border:1px solid #d1d5db;border-radius:10px;font-size:1rem;margin-bottom:1rem}}
ul{{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}}
button.inst{{width:100%;display:flex;align-items:center;gap:.8rem;padding:.7rem .8rem;border:1px solid #e5e7eb;border-radius:12px;background:#fff;font-size:1rem;cursor:pointer;text-align:left}}
button.inst:hover{{border-color:var(--accent);background:#f0fdfa}}button.inst:disabled{{opacity:.55;cursor:not-allowed}}
button.inst img{{width:40px;height:40px;border-radius:10px}}.tag{{margin-left:auto;font-size:.75rem;color:#b91c1c}}
.msg{{padding:.8rem 1rem;border-radius:10px;background:#fef2f2;color:#991b1b;margin:1rem 0}}.ok{{background:#ecfdf5;color:#065f46}}
footer{{margin-top:2rem;font-size:.8rem;color:#9ca3af;text-align:center}}</style></head><body><main>{body}<footer>Secured by Ponte · Open Finance Brasil</footer></main></body></html>"#
    )
}
