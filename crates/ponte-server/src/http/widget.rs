//! The hosted link page and the institutions' return path. The page talks to
//! Ponte only through the public API, with the link token.

use crate::error::Error;
use crate::services::authorisation::{self, CallbackParams};
use crate::services::directory::CALLBACK_PATH;
use crate::App;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/link", get(link_page))
        .route(CALLBACK_PATH, get(callback))
}

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

async fn link_page() -> Html<String> {
    Html(page(
        "Connect your bank",
        r#"<h1>Connect your bank</h1><p class="lead">Choose your institution. You will log in there and approve what is shared; Ponte never sees your password.</p>
<input type="search" id="q" placeholder="Search institutions" aria-label="Search institutions">
<div id="status" class="msg" hidden></div><ul id="list" aria-live="polite"></ul>
<script>
const token = new URLSearchParams(location.search).get('v') || '';
const list = document.getElementById('list'), status = document.getElementById('status');
function show(msg){ status.textContent = msg; status.hidden = false; }
async function api(path, init){
  const r = await fetch(path, Object.assign({headers:{'Authorization':'Bearer '+token,'Content-Type':'application/json'}}, init||{}));
  const body = await r.json().catch(()=>({}));
  if(!r.ok) throw new Error((body.error && body.error.message) || ('HTTP '+r.status));
  return body;
}
let all = [];
function render(){
  const q = document.getElementById('q').value.toLowerCase();
  list.replaceChildren(...all.filter(i => i.name.toLowerCase().includes(q)).map(i => {
    const li = document.createElement('li'), b = document.createElement('button');
    b.className = 'inst'; b.disabled = i.isOutage; b.dataset.code = i.institutionCode;
    const img = document.createElement('img'); img.src = i.avatar; img.alt = '';
    const name = document.createElement('span'); name.textContent = i.name;
    b.append(img, name);
    if(i.isOutage){ const t = document.createElement('span'); t.className='tag'; t.textContent='Unavailable'; b.append(t); }
    b.onclick = async () => {
      b.disabled = true;
      try { const c = await api('/data/v1/consents', {method:'POST', body: JSON.stringify({institutionCode: i.institutionCode})}); location.href = c.consentRedirectUrl; }
      catch(e){ show(e.message); b.disabled = false; }
    };
    li.append(b); return li;
  }));
}
document.getElementById('q').oninput = render;
api('/data/v1/links/institutions').then(r => { all = r; render(); }).catch(e => show(e.message === 'the token has expired' ? 'This link has expired. Please start again from the app that sent you here.' : e.message));
</script>"#,
    ))
}

async fn callback(State(app): State<App>, Query(params): Query<CallbackParams>) -> Response {
    match authorisation::complete_authorisation(&app, params).await {
        Ok(outcome) => match outcome.redirect {
            Some(to) => Redirect::to(&to).into_response(),
            None => {
                let (title, class) = if outcome.status == ponte_core::ConsentStatus::Authorised {
                    ("Your bank is connected", "msg ok")
                } else {
                    ("The connection was not completed", "msg")
                };
                Html(page(title, &format!(r#"<h1>{title}</h1><div class="{class}" data-status="{s}">Consent {id}: {s}</div><p class="lead">You can close this window.</p>"#, s = outcome.status, id = outcome.consent_id))).into_response()
            }
        },
        Err(e) => {
            let (status, text) = match &e {
                Error::NotFound(_) => (
                    StatusCode::BAD_REQUEST,
                    "This authorisation is unknown or was already completed.".to_string(),
                ),
                Error::Field(f) => (StatusCode::BAD_REQUEST, f.to_string()),
                Error::Internal(err) => {
                    tracing::error!(error = ?err, "callback failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong on our side.".to_string(),
                    )
                }
                other => (StatusCode::BAD_GATEWAY, other.to_string()),
            };
            let body = format!(
                r#"<h1>We could not finish connecting your bank</h1><div class="msg">{}</div>"#,
                html_escape::encode_text(&text)
            );
            (status, Html(page("Connection failed", &body))).into_response()
        }
    }
}
