//! The MIME message of an outbox row.

use std::time::SystemTime;

use app::mail::outbox::ClaimedEmail;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{Address, Message};

/// Why a row could not become a message. Such a row can never be sent: it
/// becomes a dead letter.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("invalid recipient address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("invalid attachment content type {0:?}")]
    ContentType(String),
    #[error("cannot build the message: {0}")]
    Message(#[from] lettre::error::Error),
}

/// The `Message-ID` of an email (RFC 5322 §3.6.4): the row's UUID at the
/// sender's domain. The same for every attempt, so a copy delivered twice
/// after a crash is recognisable as one message.
pub fn message_id(email: &ClaimedEmail, from: &Mailbox) -> String {
    format!("<{}@{}>", email.public_id, from.email.domain())
}

/// The message for `email`, from `from`: a `multipart/alternative` of the
/// plain-text and HTML parts, inside a `multipart/mixed` when there are
/// attachments.
///
/// Headers besides the usual: `Message-ID` (see [`message_id`]), `Date` of
/// queueing, `Content-Language`, and `Auto-Submitted: auto-generated`
/// (RFC 3834 §5) so that vacation responders stay quiet.
///
/// # Errors
/// [`BuildError`] when an address or content type stored in the row is
/// invalid.
pub fn build(email: &ClaimedEmail, from: &Mailbox) -> Result<Message, BuildError> {
    let content = &email.content;
    let to = Mailbox::new(
        content
            .to
            .name
            .as_ref()
            .filter(|name| !name.is_empty())
            .map(|name| name.as_str().to_owned()),
        content.to.address.as_str().parse::<Address>()?,
    );
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(content.subject.as_str())
        .message_id(Some(message_id(email, from)))
        .date(SystemTime::from(email.created_at))
        .header(ContentLanguage(content.lang.code().to_owned()))
        .header(AutoSubmitted);
    let alternative = MultiPart::alternative_plain_html(content.text.clone(), content.html.clone());
    if content.attachments.is_empty() {
        return Ok(builder.multipart(alternative)?);
    }
    let mut mixed = MultiPart::mixed().multipart(alternative);
    for attachment in &content.attachments {
        let content_type = ContentType::parse(&attachment.content_type)
            .map_err(|_| BuildError::ContentType(attachment.content_type.clone()))?;
        mixed = mixed.singlepart(
            Attachment::new(attachment.filename.as_str().to_owned())
                .body(attachment.content.clone(), content_type),
        );
    }
    Ok(builder.multipart(mixed)?)
}

/// `Auto-Submitted: auto-generated` (RFC 3834 §5.1).
#[derive(Clone, Debug)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// `Content-Language` (RFC 3282), a BCP 47 tag.
#[derive(Clone, Debug)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(value.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use app::mail::EmailAddress;
    use lettre::Address;
    use proptest::prelude::*;

    proptest! {
        /// What the platform accepts where an address is typed, the mail
        /// library accepts too: no email is queued that cannot be sent.
        #[test]
        fn every_accepted_address_is_one_the_mail_library_accepts(
            local in "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ \"-]{0,12}",
            domain in "[a-zA-Z0-9.\\[\\] -]{0,16}",
        ) {
            let typed = format!("{local}@{domain}");
            if let Ok(address) = EmailAddress::parse(&typed) {
                prop_assert!(address.as_str().parse::<Address>().is_ok(), "{}", address);
            }
        }

        #[test]
        fn ordinary_addresses_are_accepted(
            local in "[a-z0-9_+-]{1,10}(\\.[a-z0-9_+-]{1,10}){0,2}",
            domain in "[a-z0-9]{1,10}(-[a-z0-9]{1,5})?(\\.[a-z]{2,6}){1,2}",
        ) {
            let typed = format!("{local}@{domain}");
            let address = EmailAddress::parse(&typed);
            prop_assert!(address.is_ok(), "{}", typed);
            prop_assert!(typed.parse::<Address>().is_ok(), "{}", typed);
        }
    }
}
