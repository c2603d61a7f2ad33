//! The Content-Security-Policy of the platform's pages (CSP Level 3, W3C;
//! ASVS 4.0 §14.4.3 and §14.4.7).
//!
//! A page runs only the scripts its own server rendering wrote: the
//! hydration scripts carry a nonce that Leptos makes for each response
//! (128 random bits), and the bundle they load is trusted through
//! `'strict-dynamic'`; `'wasm-unsafe-eval'` lets that bundle compile its
//! WebAssembly and nothing else. Styles and images come from the platform
//! only, forms post to it only, and no other site may frame a page. Video
//! sessions open the configured service in a new tab (a link, never
//! embedded), so the policy names no other origin.
//!
//! A browser without `'wasm-unsafe-eval'` (before Chrome 95 or Safari 16)
//! does not hydrate: the pages still work without JavaScript.

/// The policy of a page rendered with `nonce` (the value of the `nonce`
/// attribute of its scripts).
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of every other response (server functions' answers,
/// calendars, exports): nothing may load or frame it.
pub const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Sets [`page_policy`] on the page being rendered, with the nonce Leptos
/// made for it. Called by the [`shell`](crate::shell::shell).
#[cfg(feature = "ssr")]
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    // A nonce is URL-safe base64, always a valid header value.
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_run_only_their_own_nonced_scripts_and_cannot_be_framed() {
        let policy = page_policy("abc_DEF-123");
        let directives: Vec<&str> = policy.split("; ").collect();
        assert!(directives
            .contains(&"script-src 'nonce-abc_DEF-123' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(directives.contains(&"frame-ancestors 'none'"));
        assert!(directives.contains(&"object-src 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("'unsafe-eval'"));
        assert!(!policy.contains("http"), "no other origin: {policy}");
    }
}
