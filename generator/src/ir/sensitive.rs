//! Which fields hold card data or credentials, decided once, while lowering, from the spec.
//!
//! PCI DSS forbids card numbers (beyond the last four digits), security codes and PINs in logs, and
//! a leaked credential is as bad. A `{:?}` of a request is the most ordinary thing to log, so every
//! model with a sensitive field gets a `Debug` that redacts it (`emit/models.rs`, with the helpers in
//! `runtime/redact.rs`); serialization is untouched, so the API still receives every digit.
//!
//! The rules go by property name (and, where a name is ambiguous, by the properties beside it),
//! not by a list of `Schema.property` pairs, so that a new card schema in the spec is covered the
//! day it appears. Every field a rule marks is listed in the `ir__sensitive_fields` snapshot and in
//! `ir__ir_types` (`[sensitive: …]`), so a reviewer sees what a spec change adds. A rule never marks
//! a boolean or numeric property (`DefinitionField.secret` says whether a field *is* secret;
//! `TrustlyOptions.refreshSplitToken` is a flag): neither can hold a number or a secret.
//!
//! | rule | kind | why |
//! | --- | --- | --- |
//! | `number`, `card_number` | card number | card numbers (card, Click to Pay and Google Pay FPANs, 3-D Secure scenario conditions) and gift card numbers. Every bare `number` in the API is one of these; matching the name alone covers a new card schema, and redacting some other `number` costs only log detail |
//! | `security_code`, `cvv`, `cvc` | secret | the card security code: PCI DSS sensitive authentication data, never shown at all |
//! | `pin` | secret | a gift card PIN: with the number, it spends the card |
//! | `expiration_date` beside `number` | secret | with the card number it is cardholder data; elsewhere (gift card expiry timestamps, the expiry of a network token or of a stored method's summary) it identifies nothing |
//! | `cryptogram`, `cavv` | secret | authentication values of a network token payment or of 3-D Secure: whoever holds one can present that authentication again while it is valid |
//! | `account_number` | secret | bank account numbers and IBANs (ACH, BACS, SEPA), a payout recipient's account, and the replacement card number of the account updater simulation |
//! | names ending in `token` | secret | wallet, network, payment service and Plaid tokens pay with the buyer's card or account; session, authorization, checkout (Paze) and OAuth access tokens act for the buyer or the merchant |
//! | `securePayload` | secret | Paze's signed and encrypted payload, which carries what is needed to process the payment |
//! | `password`, names ending in `secret` or `secret_key`, `private_key`, `loon_client_key`, `account_updater_response_decryption_key` | secret | credentials: connection passwords and OAuth client secrets, webhook secrets, the private key of a new API key pair, the account updater service's keys |
//! | `value` beside `key` | secret | a payment service credential (`Field`, `VoidableField`: `private_api_key` and the like), sent when a payment service is created, updated or verified |
//! | `input` beside `loc` and `msg` | secret | a validation error (FastAPI's shape) echoes the request value it rejected, which may be a card number or a security code |
//!
//! Left out on purpose: `routing_number` (a routing number, sort code or BIC names a bank, not an
//! account), `public_key` and `account_updater_request_encryption_key` (public keys, by the spec's
//! own words), `key` (the *name* of a credential), `bin`, `card_suffix` and `panLastFour` (the
//! first six and last four digits, which PCI DSS allows to be shown), `payment_account_reference`
//! (the PAR exists to be shared instead of the card number), `cvv_response_code`, `eci`, `xid`.
//! Personal data that is neither card data nor a credential (`cardholder_name`, `passport_number`,
//! `tax_id`, emails, phone numbers, addresses) is not covered: that is a privacy policy of its own.

use serde::Serialize;

/// What a sensitive field holds, which decides how its `Debug` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// A card number: shown as its last four digits at most, as on a receipt (PCI DSS allows that
    /// much), so a log still tells two cards apart.
    CardNumber,
    /// Anything else that must not be shown: only whether it is set.
    Secret,
}

impl Sensitivity {
    /// The name the IR descriptions use.
    pub fn label(self) -> &'static str {
        match self {
            Sensitivity::CardNumber => "card number",
            Sensitivity::Secret => "secret",
        }
    }
}

/// A property name a rule applies to: the name itself, or (`*suffix`) any name ending so, in any
/// case (`accessToken` and `session_token` both end in `token`).
type Pattern = &'static str;

/// One line of the table in the module docs.
struct Rule {
    names: &'static [Pattern],
    /// Properties the object must also have for the rule to apply.
    beside: &'static [&'static str],
    kind: Sensitivity,
}

const RULES: &[Rule] = &[
    Rule {
        names: &["number", "card_number"],
        beside: &[],
        kind: Sensitivity::CardNumber,
    },
    Rule {
        names: &["security_code", "cvv", "cvc"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["pin"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["expiration_date"],
        beside: &["number"],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["cryptogram", "cavv"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["account_number"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["*token"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["securePayload"],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &[
            "password",
            "*secret",
            "*secret_key",
            "private_key",
            "loon_client_key",
            "account_updater_response_decryption_key",
        ],
        beside: &[],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["value"],
        beside: &["key"],
        kind: Sensitivity::Secret,
    },
    Rule {
        names: &["input"],
        beside: &["loc", "msg"],
        kind: Sensitivity::Secret,
    },
];

fn matches(pattern: Pattern, name: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => name
            .to_ascii_lowercase()
            .ends_with(&suffix.to_ascii_lowercase()),
        None => name == pattern,
    }
}

/// The sensitivity of property `name` of an object that has the properties `siblings` (its own
/// name among them). `can_hold_text` is false for booleans and numbers, which no rule marks.
pub fn classify<'s>(
    name: &str,
    siblings: impl Iterator<Item = &'s str> + Clone,
    can_hold_text: bool,
) -> Option<Sensitivity> {
    if !can_hold_text {
        return None;
    }
    RULES
        .iter()
        .find(|rule| {
            rule.names.iter().any(|p| matches(p, name))
                && rule
                    .beside
                    .iter()
                    .all(|b| siblings.clone().any(|s| s == *b))
        })
        .map(|rule| rule.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str, siblings: &[&str]) -> Option<Sensitivity> {
        classify(name, siblings.iter().copied().chain([name]), true)
    }

    #[test]
    fn names_alone_decide_the_unambiguous_ones() {
        assert_eq!(of("number", &[]), Some(Sensitivity::CardNumber));
        assert_eq!(of("security_code", &["number"]), Some(Sensitivity::Secret));
        assert_eq!(of("pin", &[]), Some(Sensitivity::Secret));
        assert_eq!(of("loon_secret_key", &[]), Some(Sensitivity::Secret));
        assert_eq!(of("client_secret", &[]), Some(Sensitivity::Secret));
        assert_eq!(of("display_name", &[]), None);
        assert_eq!(of("cvv_response_code", &[]), None);
        assert_eq!(of("public_key", &[]), None);
    }

    #[test]
    fn suffixes_ignore_case() {
        assert_eq!(of("accessToken", &[]), Some(Sensitivity::Secret));
        assert_eq!(of("session_token", &[]), Some(Sensitivity::Secret));
        assert_eq!(of("token_url", &[]), None);
        assert_eq!(of("is_tokenized", &[]), None);
    }

    #[test]
    fn ambiguous_names_need_their_neighbours() {
        assert_eq!(
            of("expiration_date", &["number"]),
            Some(Sensitivity::Secret)
        );
        assert_eq!(of("expiration_date", &["token"]), None);
        assert_eq!(of("value", &["key"]), Some(Sensitivity::Secret));
        assert_eq!(of("value", &["kind"]), None);
        assert_eq!(of("input", &["loc", "msg"]), Some(Sensitivity::Secret));
        assert_eq!(of("input", &["loc"]), None);
    }

    #[test]
    fn flags_and_numbers_are_never_sensitive() {
        assert_eq!(
            classify("secret", ["secret", "key"].into_iter(), false),
            None
        );
        assert_eq!(
            classify(
                "refreshSplitToken",
                ["refreshSplitToken"].into_iter(),
                false
            ),
            None
        );
    }
}
