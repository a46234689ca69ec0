//! `tests/enums.rs`: one line per generated enum; the check is `tests/support/open_enums.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::ir::types::TypeKind;

/// `tests/enums.rs`: every generated enum keeps unknown values and maps known ones to their variant.
pub(in crate::emit) fn enums(api: &Api) -> TokenStream {
    let checks = api.types.iter().filter(|t| matches!(t.kind, TypeKind::Enum(_))).map(|t| {
        let name = t.name.ident();
        let label = &t.name.rust();
        quote!(failures.extend(check_open_enum::<gr4vy::models::#name>(gr4vy::models::#name::KNOWN, #label));)
    });
    quote! {
        //! Every generated enum: known values decode to their own variant and back, and a value the
        //! SDK has never seen decodes into the fallback and encodes back unchanged.

        #[path = "support/open_enums.rs"]
        mod open_enums;

        use open_enums::check_open_enum;

        #[test]
        fn every_enum_is_open() {
            let mut failures: Vec<String> = Vec::new();
            #(#checks)*
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}
