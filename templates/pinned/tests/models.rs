//! The type-mapping rules of DESIGN.md, checked on the real generated types.

use gr4vy::Nullable;
use gr4vy::models::*;
use serde_json::{Value, json};

#[path = "support/seeds.rs"]
mod seeds;

use seeds::docs_transaction;

#[test]
fn a_put_can_clear_a_field_leave_it_alone_or_set_it() {
    assert_eq!(serde_json::to_value(BuyerUpdate::new()).unwrap(), json!({}));
    assert_eq!(
        serde_json::to_value(BuyerUpdate::default()).unwrap(),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(BuyerUpdate::new().clear_display_name()).unwrap(),
        json!({"display_name": null})
    );
    assert_eq!(
        serde_json::to_value(BuyerUpdate::new().display_name("Jane")).unwrap(),
        json!({"display_name": "Jane"})
    );
    // And the three states survive decoding.
    let cleared: BuyerUpdate = serde_json::from_value(json!({"display_name": null})).unwrap();
    assert_eq!(cleared.display_name, Some(Nullable::Null));
    let absent: BuyerUpdate = serde_json::from_value(json!({})).unwrap();
    assert_eq!(absent.display_name, None);
}

#[test]
fn an_unknown_enum_value_in_a_response_is_kept() {
    let mut payload = docs_transaction();
    payload["status"] = json!("some_new_status");
    let transaction: Transaction = serde_json::from_value(payload).expect("decodes");
    assert_eq!(transaction.status.as_str(), "some_new_status");
    assert!(matches!(transaction.status, TransactionStatus::Unknown(_)));
    assert_eq!(
        serde_json::to_value(&transaction).unwrap()["status"],
        json!("some_new_status")
    );
    // Parsing a known value never yields the fallback.
    assert_eq!(
        "processing".parse::<TransactionStatus>().unwrap(),
        TransactionStatus::Processing
    );
}

#[test]
fn unknown_fields_in_a_response_are_accepted() {
    let mut payload = docs_transaction();
    payload["a_field_added_next_year"] = json!({"nested": [1, 2, 3]});
    serde_json::from_value::<Transaction>(payload).expect("extra fields are ignored");
}

/// Gr4vy's own docs example omits `disputed`, which the spec marks required. The official Python SDK
/// rejects it; we read a missing required boolean, array or map as its empty value.
#[test]
fn the_docs_transaction_decodes_although_it_lacks_a_required_field() {
    let payload = docs_transaction();
    assert!(
        payload.get("disputed").is_none(),
        "the docs example still lacks `disputed`"
    );
    let transaction: Transaction = serde_json::from_value(payload).expect("decodes");
    assert!(!transaction.disputed);
    assert_eq!(transaction.amount, 1299);
    assert_eq!(transaction.currency, "EUR");
}

#[test]
fn a_card_payment_never_asks_for_the_method_constant() {
    let card = CardWithUrlPaymentMethodCreate::new(CardWithUrlPaymentMethodCreateRequired {
        expiration_date: "12/30".into(),
        number: "4111111111111111".into(),
    });
    let body = TransactionCreate::new(1299, "EUR").payment_method(card);
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["payment_method"]["method"], json!("card"));
    assert_eq!(json["payment_method"]["number"], json!("4111111111111111"));
    assert_eq!(json["amount"], json!(1299));
}

#[test]
fn a_report_spec_is_a_tagged_union_built_without_typing_the_tag() {
    let spec = TransactionsReportSpec::new(serde_json::Map::new());
    let report = ReportCreate::new(ReportCreateRequired {
        name: "Monthly".into(),
        schedule: ReportSchedule::Daily,
        schedule_enabled: true,
        spec: spec.into(),
    });
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["spec"]["model"], json!("transactions"));
    let back: ReportCreate = serde_json::from_value(json).unwrap();
    assert!(matches!(
        back.spec,
        ReportCreateSpec::TransactionsReportSpec(_)
    ));
    // An unknown model lands in the fallback, with the payload intact.
    let other: ReportCreateSpec =
        serde_json::from_value(json!({"model": "next_year", "params": {}})).unwrap();
    assert_eq!(
        other,
        ReportCreateSpec::Unknown(json!({"model": "next_year", "params": {}}))
    );
}

#[test]
fn a_google_pay_context_is_not_mistaken_for_the_wallet_context_it_extends() {
    let option = json!({
        "type": "payment-option",
        "method": "googlepay",
        "mode": "card",
        "can_store_payment_method": true,
        "can_delay_capture": true,
        "context": {
            "merchant_name": "Acme",
            "supported_schemes": ["visa"],
            "gateway": "gr4vy",
            "gateway_merchant_id": "acme"
        }
    });
    let option: PaymentOption = serde_json::from_value(option).unwrap();
    match option.context {
        Some(PaymentOptionContextUnion::GooglePayPaymentOptionContext(c)) => {
            assert_eq!(c.gateway, "gr4vy");
            assert_eq!(c.gateway_merchant_id, "acme");
        }
        other => panic!("expected the Google Pay context, got {other:?}"),
    }
    let wallet: PaymentOptionContextUnion =
        serde_json::from_value(json!({"merchant_name": "Acme", "supported_schemes": ["visa"]}))
            .unwrap();
    assert!(matches!(
        wallet,
        PaymentOptionContextUnion::WalletPaymentOptionContext(_)
    ));
    let odd: PaymentOptionContextUnion = serde_json::from_value(json!([1, 2])).unwrap();
    assert_eq!(odd, PaymentOptionContextUnion::Unknown(json!([1, 2])));
}

/// Each of the 13 payment method shapes of `TransactionCreate.payment_method` can be built, and the
/// body carries exactly that variant's JSON.
#[test]
fn every_transaction_payment_method_serializes_as_itself() {
    let holder = BankAccountHolder::new().first_name("Jane");
    let cases: Vec<(TransactionCreatePaymentMethod, Value)> = vec![
        (
            CardWithUrlPaymentMethodCreate::new(CardWithUrlPaymentMethodCreateRequired {
                expiration_date: "12/30".into(),
                number: "4111111111111111".into(),
            })
            .into(),
            json!({"method": "card", "expiration_date": "12/30", "number": "4111111111111111"}),
        ),
        (
            RedirectPaymentMethodCreate::new(RedirectPaymentMethodCreateRequired {
                method: RedirectPaymentMethodCreateMethod::Ideal,
                country: "NL".into(),
                currency: "EUR".into(),
                redirect_url: "https://example.com".into(),
            })
            .into(),
            json!({"method": "ideal", "country": "NL", "currency": "EUR", "redirect_url": "https://example.com"}),
        ),
        (
            TokenPaymentMethodCreate::new("pm-1").into(),
            json!({"method": "id", "id": "pm-1"}),
        ),
        (
            ApplePayPaymentMethodCreate::new(serde_json::Map::new()).into(),
            json!({"method": "applepay", "token": {}}),
        ),
        (
            ClickToPayPaymentMethodCreate::new(ClickToPayPaymentMethodCreateRequired {
                token: "tok".into(),
                cryptogram: "cry".into(),
                expiration_date: "12/30".into(),
            })
            .into(),
            json!({"method": "click-to-pay", "token": "tok", "cryptogram": "cry", "expiration_date": "12/30"}),
        ),
        (
            ClickToPayFpanPaymentMethodCreate::new(ClickToPayFpanPaymentMethodCreateRequired {
                expiration_date: "12/30".into(),
                number: "4111".into(),
            })
            .into(),
            json!({"method": "click-to-pay", "expiration_date": "12/30", "number": "4111"}),
        ),
        (
            GooglePayPaymentMethodCreate::new("opaque".to_string()).into(),
            json!({"method": "googlepay", "token": "opaque"}),
        ),
        (
            GooglePayFpanPaymentMethodCreate::new(GooglePayFpanPaymentMethodCreateRequired {
                expiration_date: "12/30".into(),
                number: "4111".into(),
            })
            .into(),
            json!({"method": "googlepay_pan_only", "expiration_date": "12/30", "number": "4111"}),
        ),
        (
            PazePaymentMethodCreate::new("tok").into(),
            json!({"method": "paze", "token": "tok"}),
        ),
        (
            NetworkTokenPaymentMethodCreate::new(NetworkTokenPaymentMethodCreateRequired {
                token: "tok".into(),
                expiration_date: "12/30".into(),
            })
            .into(),
            json!({"method": "network-token", "token": "tok", "expiration_date": "12/30"}),
        ),
        (
            PlaidPaymentMethodCreate::new("tok").into(),
            json!({"method": "plaid", "token": "tok"}),
        ),
        (
            BaseBankPaymentMethodCreate::new(holder).into(),
            json!({"method": "bank", "account_holder": {"first_name": "Jane"}}),
        ),
        (
            CheckoutSessionWithUrlPaymentMethodCreate::new("cs-1").into(),
            json!({"method": "checkout-session", "id": "cs-1"}),
        ),
    ];
    assert_eq!(cases.len(), 13);
    for (variant, expected) in cases {
        let body = serde_json::to_value(TransactionCreate::new(100, "EUR").payment_method(variant))
            .unwrap();
        let got = &body["payment_method"];
        // Optional fields with spec defaults are not sent; compare the keys we set.
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&got[key], value, "{key} in {got}");
        }
        assert_eq!(
            got.as_object().unwrap().len(),
            expected.as_object().unwrap().len(),
            "nothing but the variant's own fields: {got}"
        );
    }
}

#[test]
fn validation_error_locations_mix_strings_and_integers_and_pointers_are_strings() {
    let error: ValidationError = serde_json::from_value(
        json!({"loc": ["body", 0, "amount"], "msg": "bad", "type": "value_error"}),
    )
    .unwrap();
    assert_eq!(
        error.loc,
        vec![
            ValidationErrorLocItem::String("body".into()),
            ValidationErrorLocItem::Integer(0),
            ValidationErrorLocItem::String("amount".into())
        ]
    );
    let detail: ErrorDetail = serde_json::from_value(
        json!({"location": "body", "pointer": "/currency", "message": "Unknown", "type": "value_error"}),
    )
    .unwrap();
    let pointer: &String = &detail.pointer;
    assert_eq!(pointer, "/currency");
}

#[test]
fn optional_fields_are_skipped_when_unset() {
    let json = serde_json::to_value(TransactionCreate::new(1299, "EUR")).unwrap();
    assert_eq!(json, json!({"amount": 1299, "currency": "EUR"}));
}

#[test]
fn a_response_field_with_a_spec_default_reads_it_when_left_out() {
    // `Transaction.pending_review` has `default: false`, and `Transaction` is only received.
    let mut payload = docs_transaction();
    payload.as_object_mut().unwrap().remove("pending_review");
    let transaction: Transaction = serde_json::from_value(payload.clone()).unwrap();
    let pending: bool = transaction.pending_review;
    assert!(!pending);
    // The value a response gives wins over the default.
    payload["pending_review"] = json!(true);
    let transaction: Transaction = serde_json::from_value(payload).unwrap();
    assert!(transaction.pending_review);
}

#[test]
fn capture_and_void_responses_give_the_transaction_whichever_variant_arrived() {
    let transaction = docs_transaction();
    let id = transaction["id"].as_str().unwrap().to_string();
    let wrapped = json!({
        "type": "transaction-capture",
        "status": "succeeded",
        "code": null,
        "raw_response_code": null,
        "raw_response_description": null,
        "transaction": transaction.clone(),
    });
    let bare: CaptureTransactionResponseV200 = serde_json::from_value(transaction.clone()).unwrap();
    let capture: CaptureTransactionResponseV200 = serde_json::from_value(wrapped).unwrap();
    assert!(
        matches!(bare, CaptureTransactionResponseV200::Transaction(_)),
        "{bare:?}"
    );
    assert!(
        matches!(
            capture,
            CaptureTransactionResponseV200::TransactionCapture(_)
        ),
        "{capture:?}"
    );
    assert_eq!(bare.transaction().map(|t| t.id.as_str()), Some(id.as_str()));
    assert_eq!(
        capture.transaction().map(|t| t.id.as_str()),
        Some(id.as_str())
    );
    assert_eq!(capture.into_transaction().map(|t| t.id), Some(id.clone()));
    assert_eq!(bare.into_transaction().map(|t| t.id), Some(id.clone()));
    // A payload that is neither has no transaction.
    let unknown: CaptureTransactionResponseV200 =
        serde_json::from_value(json!({"unexpected": true})).unwrap();
    assert!(unknown.transaction().is_none());
    // Voiding answers the same way.
    let void: VoidTransactionResponseV200 = serde_json::from_value(transaction).unwrap();
    assert_eq!(void.transaction().map(|t| t.id.as_str()), Some(id.as_str()));
}

#[test]
fn error_bodies_share_one_details_accessor() {
    let body: Error400 = serde_json::from_value(json!({
        "type": "error",
        "code": "bad_request",
        "status": 400,
        "message": "Request failed validation",
        "details": [{"location": "body", "pointer": "/currency", "message": "Unknown", "type": "value_error"}],
    }))
    .unwrap();
    let body = gr4vy::ApiErrorBody::Error400(body);
    let details: &[gr4vy::ApiErrorDetail] = body.details();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].pointer, "/currency");
    // A body without `details`, and one whose type has none, give an empty slice.
    let bare: Error404 = serde_json::from_value(json!({"type": "error"})).unwrap();
    assert!(gr4vy::ApiErrorBody::Error404(bare).details().is_empty());
    let validation: HttpValidationError = serde_json::from_value(json!({"detail": []})).unwrap();
    assert!(
        gr4vy::ApiErrorBody::HttpValidationError(validation)
            .details()
            .is_empty()
    );
}
