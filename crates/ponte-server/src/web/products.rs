//! What the widget's consent screen says each product shares, in each
//! language the pages speak. The link session carries these
//! (`GET /link/session`, `products`), so the widget names no product itself.

use super::lang::Locale;
use ponte_core::Product;
use serde::Serialize;
use std::collections::BTreeMap;

/// The languages the pages speak (`Locale`'s variants).
const LOCALES: [Locale; 2] = [Locale::PtBr, Locale::En];

/// The sentence for `product`; `None` for a product no consent names (one
/// Ponte derives: it comes with the product it is derived from).
pub fn shared_label(product: Product, locale: Locale) -> Option<&'static str> {
    let (pt_br, en) = match product {
        Product::Registration => (
            "Seus dados cadastrais: nome, CPF, endereço e contatos",
            "Your registration details: name, CPF, address and contacts",
        ),
        Product::Accounts => (
            "Suas contas: saldos, limites e extratos",
            "Your accounts: balances, limits and statements",
        ),
        Product::CreditCards => (
            "Seus cartões de crédito: limites, faturas e transações",
            "Your credit cards: limits, bills and transactions",
        ),
        Product::Loans => (
            "Seus empréstimos e financiamentos: contratos, parcelas e pagamentos",
            "Your loans and financing: contracts, instalments and payments",
        ),
        Product::Investments => (
            "Seus investimentos de renda fixa: saldos e movimentações",
            "Your fixed-income investments: balances and transactions",
        ),
        Product::Insights => return None,
    };
    Some(match locale {
        Locale::PtBr => pt_br,
        Locale::En => en,
    })
}

/// One product as the widget lists it: its name and its sentence by
/// language tag (`pt-BR`, `en`).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct SharedProduct {
    pub product: &'static str,
    pub label: BTreeMap<&'static str, &'static str>,
}

/// Every product an institution shares, in `Product::ALL` order, with its
/// sentences; the widget shows those the link's institutions offer.
pub fn shared_products() -> Vec<SharedProduct> {
    Product::shared()
        .filter_map(|product| {
            let label = LOCALES
                .iter()
                .map(|l| shared_label(product, *l).map(|text| (l.tag(), text)))
                .collect::<Option<BTreeMap<_, _>>>()?;
            Some(SharedProduct {
                product: product.as_str(),
                label,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shared_product_is_described_in_every_language() {
        let listed = shared_products();
        let names: Vec<&str> = listed.iter().map(|p| p.product).collect();
        let shared: Vec<&str> = Product::shared().map(|p| p.as_str()).collect();
        assert_eq!(names, shared, "a shared product without its sentences");
        for p in &listed {
            assert_eq!(p.label.len(), LOCALES.len(), "{}", p.product);
            assert_ne!(p.label["pt-BR"], p.label["en"], "{}", p.product);
        }
        assert_eq!(shared_label(Product::Insights, Locale::En), None);
    }
}
