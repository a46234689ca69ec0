//! The row type of the operation table (`tests/support/operations.rs`, generated from the spec).

/// One operation of the spec.
pub struct Operation {
    /// `operationId`.
    pub id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// The path template, as in the spec.
    pub path: &'static str,
    /// The path with every parameter filled in (and percent-encoded).
    pub concrete_path: &'static str,
    /// Required query parameters with example values, unencoded (arrays as repeated pairs).
    pub query: &'static [(&'static str, &'static str)],
    /// The success status (the operation's first 2XX).
    pub status: &'static str,
    /// Decodes that status's body into its generated type; `None` when it has no JSON body.
    pub decode: Option<Decode>,
}

/// Decodes a response body, or says why it does not decode.
pub type Decode = fn(&[u8]) -> Result<(), String>;

/// A [`Decode`] for `T`.
pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(body)
        .map(drop)
        .map_err(|e| e.to_string())
}
