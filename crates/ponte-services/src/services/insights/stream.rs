//! The accounts report read as a stream for insights: each transaction is
//! kept as a few numbers (its strings interned: a five-year history repeats
//! its days, months, payees and types), never as text or a tree of values.

use super::own;
use super::read::RawTx;
use crate::pdf::report::walk::{self, Walk};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;
use std::str::FromStr;

/// An interned string: its index in [`Strings`].
pub(super) type Sym = u32;

/// Each distinct string once.
#[derive(Default)]
pub(super) struct Strings {
    list: Vec<Rc<str>>,
    index: HashMap<Rc<str>, Sym>,
}

impl Strings {
    fn intern(&mut self, s: &str) -> Sym {
        if let Some(sym) = self.index.get(s) {
            return *sym;
        }
        let sym = Sym::try_from(self.list.len()).unwrap_or(Sym::MAX);
        let s: Rc<str> = Rc::from(s);
        self.list.push(s.clone());
        self.index.insert(s, sym);
        sym
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.list.get(sym as usize).map_or("", |s| s)
    }
}

/// The most transactions room is made for before reading (40 MB of figures).
const MOST_EXPECTED: usize = 1 << 20;

/// A transaction as insights need it.
pub(super) struct Tx {
    pub amount: Decimal,
    /// Index of the account in the report.
    pub account: u32,
    /// `YYYY-MM-DD`.
    pub day: Sym,
    pub month: Sym,
    /// Trimmed.
    pub name: Sym,
    pub kind: Sym,
    pub credit: bool,
    /// Between the holder's own accounts.
    pub own: bool,
}

/// What insights keep of an accounts report.
#[derive(Default)]
pub(super) struct History {
    pub txs: Vec<Tx>,
    pub strings: Strings,
    /// The accounts' available balances, summed.
    pub current: Decimal,
}

/// One record of `transactions`, owned (the text is read from a stream).
pub(super) struct Record {
    when: Option<String>,
    amount: Option<String>,
    credit: bool,
    name: Option<String>,
    kind: Option<String>,
    party: Option<String>,
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = RawTx::deserialize(d)?;
        let owned = |c: Option<std::borrow::Cow<'_, str>>| c.map(|c| c.into_owned());
        Ok(Record {
            credit: t.credit_debit_type.as_str() == Some("CREDITO"),
            when: owned(t.transaction_date_time.0),
            amount: owned(t.transaction_amount.0),
            name: owned(t.transaction_name.0),
            kind: owned(t.kind.0),
            party: owned(t.partie_cnpj_cpf.0),
        })
    }
}

struct Reader<'c> {
    history: History,
    account: u32,
    /// The holder's CPF/CNPJ, digits only.
    holder: &'c [String],
}

impl Walk for Reader<'_> {
    type Record = Record;
    // `balances` is read; the accounts' other fields are few and small.
    const FIELDS: bool = true;

    fn account_start(&mut self, index: usize) {
        self.account = u32::try_from(index).unwrap_or(u32::MAX);
    }

    fn field(&mut self, key: &str, value: Value) {
        if key != "balances" {
            return;
        }
        if let Some(amount) = value["availableAmount"]["amount"].as_str() {
            if let Ok(amount) = Decimal::from_str(amount) {
                self.history.current += amount;
            }
        }
    }

    fn record(&mut self, r: Record) {
        // A record without a readable date or amount is not counted.
        let (Some(when), Some(amount)) = (r.when.as_deref(), r.amount.as_deref()) else {
            return;
        };
        let (Some(day), Ok(amount)) = (when.get(..10), Decimal::from_str(amount)) else {
            return;
        };
        let Some(month) = day.get(..7) else {
            return;
        };
        let name = r.name.as_deref().unwrap_or("").trim();
        let kind = r.kind.as_deref().unwrap_or("");
        let own = own::at_sight(name, kind, r.party.as_deref(), self.holder);
        let s = &mut self.history.strings;
        let tx = Tx {
            amount,
            account: self.account,
            day: s.intern(day),
            month: s.intern(month),
            name: s.intern(name),
            kind: s.intern(kind),
            credit: r.credit,
            own,
        };
        self.history.txs.push(tx);
    }

    fn account_end(&mut self) {}
}

/// Reads the accounts report's `text` to its end; `holder_tax_ids` mark the
/// transfers to the holder (see [`own`]); room is made for `expected`
/// transactions at once.
pub(super) fn read<R: Read>(
    text: R,
    holder_tax_ids: &[String],
    expected: usize,
) -> serde_json::Result<History> {
    let holder: Vec<String> = holder_tax_ids.iter().map(|h| own::digits(h)).collect();
    let mut reader = Reader {
        history: History {
            // A count that is not the report's costs room, not correctness.
            txs: Vec::with_capacity(expected.min(MOST_EXPECTED)),
            ..History::default()
        },
        account: 0,
        holder: &holder,
    };
    walk::walk(text, &mut reader)?;
    let mut history = reader.history;
    history.txs.shrink_to_fit();
    own::pair(&mut history.txs, &history.strings);
    Ok(history)
}
