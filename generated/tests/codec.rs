//! The hand-written `Serialize` / `Deserialize` of the generated structs (see `src/runtime/de.rs`)
//! keep the meaning serde's derive gave each kind of field, on the real generated types.

use gr4vy::Nullable;
use gr4vy::models::consts;
use gr4vy::models::*;
use serde_json::{Value, json};

#[path = "support/seeds.rs"]
mod seeds;

/// A response type with a `const` field, a required nullable field (`currency`) and a required
/// map that a response may leave out (`metadata`).
fn three_ds_configuration() -> Value {
    json!({
        "merchant_acquirer_bin": "516327",
        "merchant_acquirer_id": "123456789012345",
        "merchant_name": "Acme",
        "merchant_country_code": "840",
        "merchant_category_code": "5411",
        "merchant_url": "https://example.com",
        "type": consts::MerchantAccountThreeDsConfiguration::VALUE,
        "id": "b4c5c5c5-0000-4000-8000-000000000001",
        "merchant_account_id": "default",
        "created_at": "2013-07-16T19:23:00Z",
        "updated_at": "2013-07-16T19:23:00.000+00:00",
        "scheme": "visa",
        "currency": "USD",
        "metadata": {"a": "b"}
    })
}

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, String> {
    // Through bytes, as the client decodes, so that keys and strings are borrowed from the input.
    serde_json::from_slice(&serde_json::to_vec(value).unwrap()).map_err(|e| e.to_string())
}

#[test]
fn a_missing_required_field_is_named_in_the_error() {
    let mut payload = three_ds_configuration();
    payload.as_object_mut().unwrap().remove("merchant_name");
    let error = decode::<MerchantAccountThreeDsConfiguration>(&payload).unwrap_err();
    assert!(
        error.starts_with("missing field `merchant_name`"),
        "{error}"
    );
}

#[test]
fn a_required_nullable_field_reads_absent_and_null_as_none_and_writes_null() {
    let mut payload = three_ds_configuration();
    let full: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    assert_eq!(full.currency.as_deref(), Some("USD"));

    payload["currency"] = Value::Null;
    let null: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    assert_eq!(null.currency, None);
    // Written back as `null`, not left out: the spec requires the key.
    assert_eq!(
        serde_json::to_value(&null).unwrap()["currency"],
        Value::Null
    );
    assert!(
        serde_json::to_value(&null)
            .unwrap()
            .as_object()
            .unwrap()
            .contains_key("currency")
    );

    payload.as_object_mut().unwrap().remove("currency");
    let absent: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    assert_eq!(absent.currency, None);
}

#[test]
fn a_collection_a_response_leaves_out_is_empty() {
    let mut payload = three_ds_configuration();
    payload.as_object_mut().unwrap().remove("metadata");
    let decoded: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    assert!(decoded.metadata.is_empty());
}

#[test]
fn a_const_field_is_checked_when_present_filled_in_when_absent_and_always_written() {
    let mut payload = three_ds_configuration();
    payload["type"] = json!("something-else");
    let error = decode::<MerchantAccountThreeDsConfiguration>(&payload).unwrap_err();
    assert!(error.contains("something-else"), "{error}");

    payload.as_object_mut().unwrap().remove("type");
    let decoded: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap()["type"],
        json!(consts::MerchantAccountThreeDsConfiguration::VALUE)
    );
}

#[test]
fn every_field_survives_a_round_trip_with_its_wire_name() {
    let payload = three_ds_configuration();
    let decoded: MerchantAccountThreeDsConfiguration = decode(&payload).unwrap();
    // Date-times keep their spelling too (`Z` here, `+00:00` with milliseconds there).
    assert_eq!(serde_json::to_value(&decoded).unwrap(), payload);
}

#[test]
fn optional_fields_are_left_out_when_unset_and_read_null_as_unset() {
    let absent: Buyers = decode(&json!({"items": [], "limit": 20})).unwrap();
    let null: Buyers =
        decode(&json!({"items": [], "limit": 20, "next_cursor": null, "previous_cursor": null}))
            .unwrap();
    assert_eq!(absent, null);
    assert_eq!((absent.next_cursor, absent.previous_cursor), (None, None));
    assert_eq!(
        serde_json::to_value(&null).unwrap(),
        json!({"items": [], "limit": 20})
    );
    let set: Buyers = decode(&json!({"items": [], "limit": 20, "next_cursor": "abc"})).unwrap();
    assert_eq!(set.next_cursor.as_deref(), Some("abc"));
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"items": [], "limit": 20, "next_cursor": "abc"})
    );
}

#[test]
fn a_field_with_a_spec_default_reads_it_when_absent_and_is_always_written() {
    // `Buyers.limit` is optional with `default: 20`, and `Buyers` is only received.
    let absent: Buyers = decode(&json!({"items": []})).unwrap();
    assert_eq!(absent.limit, 20);
    // `null` is not allowed there; it read as unset before the default, and reads as it now.
    let null: Buyers = decode(&json!({"items": [], "limit": null})).unwrap();
    assert_eq!(null.limit, 20);
    // A value the response gives wins.
    let given: Buyers = decode(&json!({"items": [], "limit": 5})).unwrap();
    assert_eq!(given.limit, 5);
    assert_eq!(
        serde_json::to_value(&given).unwrap(),
        json!({"items": [], "limit": 5})
    );
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        json!({"items": [], "limit": 20})
    );
    // A wrong type is still an error, not the default.
    assert!(decode::<Buyers>(&json!({"items": [], "limit": "ten"})).is_err());
}

#[test]
fn an_optional_nullable_field_has_three_states_on_the_wire() {
    let cases = [
        (json!({}), None),
        (json!({"display_name": null}), Some(Nullable::Null)),
        (
            json!({"display_name": "Jane"}),
            Some(Nullable::Value("Jane".to_string())),
        ),
    ];
    for (wire, expected) in cases {
        let decoded: BuyerUpdate = decode(&wire).unwrap();
        assert_eq!(decoded.display_name, expected, "{wire}");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), wire);
    }
}

/// Writes the first character of every value of `key` as a `\u` escape.
fn escape_values(text: &str, key: &str) -> String {
    let marker = format!("\"{key}\":\"");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&marker) {
        let (head, tail) = rest.split_at(at + marker.len());
        out.push_str(head);
        let mut chars = tail.chars();
        match chars.next() {
            Some(c) if c != '"' => out.push_str(&format!("\\u{:04x}", c as u32)),
            Some(c) => out.push(c),
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

#[test]
fn escaped_keys_and_values_decode_like_plain_ones() {
    // serde_json cannot lend an escaped string from the input, so these arrive owned: the keys
    // (`\u0069d` is `id`), the enum values (`status`) and the plain strings (`currency`).
    let text = seeds::docs_transaction().to_string();
    let plain: Transaction = serde_json::from_str(&text).unwrap();
    let escaped = escape_values(&escape_values(&text, "status"), "currency")
        .replace("\"id\":", "\"\\u0069d\":");
    assert!(
        escaped.contains("\\u0069d") && escaped.matches("\\u00").count() >= 3,
        "{escaped}"
    );
    let escaped: Transaction = serde_json::from_str(&escaped).unwrap();
    assert_eq!(escaped, plain);
}

#[test]
fn every_source_of_input_decodes_the_same() {
    let value = seeds::docs_transaction();
    let bytes = serde_json::to_vec(&value).unwrap();
    let from_slice: Transaction = serde_json::from_slice(&bytes).unwrap();
    // A reader and a `Value` hand over owned keys and strings; borrowed `&Value` lends them.
    let from_reader: Transaction = serde_json::from_reader(bytes.as_slice()).unwrap();
    let from_value: Transaction = serde_json::from_value(value.clone()).unwrap();
    let from_ref = <Transaction as serde::Deserialize>::deserialize(&value).unwrap();
    assert_eq!(from_reader, from_slice);
    assert_eq!(from_value, from_slice);
    assert_eq!(from_ref, from_slice);
}

#[test]
fn an_array_is_not_read_as_a_struct() {
    // serde's derive would read the fields by position; an API object never comes as an array.
    let error = decode::<CartItem>(&json!(["Widget", 1, 1299])).unwrap_err();
    assert!(error.contains("expected struct CartItem"), "{error}");
}

#[test]
fn a_repeated_key_keeps_its_last_value() {
    let item: CartItem = serde_json::from_str(
        r#"{"name": "first", "quantity": 1, "unit_amount": 1, "name": "last"}"#,
    )
    .unwrap();
    assert_eq!(item.name, "last");
}

#[test]
fn unknown_keys_are_skipped_whatever_their_value() {
    let item: CartItem = serde_json::from_str(
        r#"{"later": {"deep": [1, {"x": null}]}, "name": "w", "quantity": 1, "unit_amount": 1, "z": "\u00e9"}"#,
    )
    .unwrap();
    assert_eq!(
        item,
        CartItem::new(CartItemRequired {
            name: "w".into(),
            quantity: 1,
            unit_amount: 1,
        })
    );
}
