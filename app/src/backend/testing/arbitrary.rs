//! Generators of what the outside world may send: any JSON, leaning towards the field names a
//! decoder knows so that the cases get past the first missing field, and any bytes.

use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value a few levels deep whose object keys are mostly from `keys`.
pub fn json(keys: &'static [&'static str]) -> BoxedStrategy<Value> {
    let key = prop_oneof![
        4 => prop::sample::select(keys).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[0-9]{11}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+Z0-9:]{0,6}".prop_map(Value::String),
        prop::sample::select(keys).prop_map(|k| Value::String(k.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Bytes as a broken or hostile server might answer: any bytes, or JSON cut short.
pub fn body(keys: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (json(keys), any::<prop::sample::Index>()).prop_map(|(value, cut)| {
            let bytes = value.to_string().into_bytes();
            let at = cut.index(bytes.len() + 1);
            bytes[..at].to_vec()
        }),
    ]
    .boxed()
}
