//! Money that only moves between the holder's own accounts: a deposit into the savings
//! account, a redemption from an investment, a PIX to oneself. Counting it would make
//! saving look like spending (and a redemption like income).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::stream::{Strings, Sym, Tx};

/// Names a bank gives to applications and redemptions of the holder's own savings and
/// investments (Open Finance has no type of its own for them).
fn savings_move(name: &str, kind: &str) -> bool {
    let n = name.to_lowercase();
    kind == "RESGATE_APLIC_FINANCEIRA"
        || [
            "aplicacao",
            "aplicação",
            "resgate",
            "transf entre contas",
            "mesma titularidade",
        ]
        .iter()
        .any(|w| n.contains(w))
}

/// Whether one transaction is known as own by itself: the names above, or a
/// counterparty with one of `holder` (the holder's CPF/CNPJ, digits only).
pub(super) fn at_sight(name: &str, kind: &str, party: Option<&str>, holder: &[String]) -> bool {
    let own_party = party
        .map(digits)
        .is_some_and(|p| !p.is_empty() && holder.contains(&p));
    own_party || savings_move(name, kind)
}

/// Marks `own` on both sides of a debit in one of the report's accounts with a
/// credit of the same amount on the same day in another.
pub(super) fn pair(txs: &mut [Tx], strings: &Strings) {
    // Debits waiting for a matching credit, by (day, amount). A debit already
    // known as own (a named deposit) still claims its other side. Only
    // movements a transfer can be (not a yield, a purchase, a salary).
    let transfer = |t: &Tx| {
        [
            "TRANSFERENCIA_MESMA_INSTITUICAO",
            "PIX",
            "TED",
            "DOC",
            "TEF",
        ]
        .contains(&strings.get(t.kind))
    };
    let mut debits: HashMap<(Sym, Decimal), Vec<usize>> = HashMap::new();
    for (i, t) in txs.iter().enumerate() {
        if !t.credit && transfer(t) {
            debits.entry((t.day, t.amount)).or_default().push(i);
        }
    }
    let mut pairs = Vec::new();
    for (j, t) in txs.iter().enumerate() {
        if !t.credit || t.own || !transfer(t) {
            continue;
        }
        if let Some(list) = debits.get_mut(&(t.day, t.amount)) {
            if let Some(pos) = list.iter().position(|i| txs[*i].account != t.account) {
                pairs.push((list.remove(pos), j));
            }
        }
    }
    for (i, j) in pairs {
        txs[i].own = true;
        txs[j].own = true;
    }
}

pub(super) fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}
