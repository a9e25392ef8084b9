//! Checking and savings accounts: salary, rent, bills, PIX, card bill payments.

use super::*;

impl Profile {
    pub fn accounts(&self) -> [AccountKind; 2] {
        [AccountKind::Checking, AccountKind::Savings]
    }

    pub fn account_id(&self, kind: AccountKind) -> String {
        match kind {
            AccountKind::Checking => format!("acc-{:016x}-cc", self.seed),
            AccountKind::Savings => format!("acc-{:016x}-pp", self.seed),
        }
    }

    pub fn account_by_id(&self, id: &str) -> Option<AccountKind> {
        self.accounts()
            .into_iter()
            .find(|k| self.account_id(*k) == id)
    }

    /// Savings deposit of the month (10% of the salary, the day after payday).
    pub(super) fn savings_deposit(&self) -> i64 {
        self.salary_cents / 10
    }

    /// How many transactions an account has on `day`, without building them.
    pub fn count(&self, kind: AccountKind, day: Day) -> u64 {
        match kind {
            AccountKind::Checking => self.fixed(day).len() as u64 + self.extras(day),
            AccountKind::Savings => self.savings_day(day).len() as u64,
        }
    }

    /// The transactions of one account on one day, in time order.
    pub fn day(&self, kind: AccountKind, day: Day) -> Vec<Transaction> {
        match kind {
            AccountKind::Checking => self.checking_day(day),
            AccountKind::Savings => self.savings_day(day),
        }
    }

    pub(super) fn extras(&self, day: Day) -> u64 {
        if self.big {
            9 + mix(self.seed, day, 2) % 5
        } else {
            mix(self.seed, day, 2) % 4
        }
    }

    /// Calendar events of the checking account: (kind, credit, name, cents, party).
    #[allow(clippy::type_complexity)]
    pub(super) fn fixed(&self, day: Day) -> Vec<(&'static str, bool, String, i64, Option<String>)> {
        let s = self.seed;
        let (_, _, dom) = civil(day);
        let mut out = Vec::new();
        match dom {
            SALARY_DOM => out.push((
                "FOLHA_PAGAMENTO",
                true,
                format!("SALARIO {}", self.employer),
                self.salary_cents,
                Some(format!("{}|{}", self.employer, self.employer_cnpj())),
            )),
            6 => out.push((
                "TRANSFERENCIA_MESMA_INSTITUICAO",
                false,
                "APLICACAO POUPANCA".to_string(),
                self.savings_deposit(),
                None,
            )),
            7 => out.push((
                "PIX",
                false,
                "PIX ENVIADO ALUGUEL IMOBILIARIA LAR".to_string(),
                self.rent_cents,
                Some(format!("IMOBILIARIA LAR LTDA|{}", cnpj(s, 78))),
            )),
            12 => out.push((
                "BOLETO",
                false,
                "ENERGIA ENEL SP".to_string(),
                range(s, day, 7, 9_000, 26_000),
                None,
            )),
            16 => out.push((
                "CONVENIO_ARRECADACAO",
                false,
                "AGUA SABESP".to_string(),
                range(s, day, 8, 4_000, 11_000),
                None,
            )),
            20 => out.push((
                "BOLETO",
                false,
                "INTERNET VIVO FIBRA".to_string(),
                11_990,
                None,
            )),
            25 => out.push((
                "TED",
                false,
                "TED ENVIADA CONDOMINIO RESIDENCIAL".to_string(),
                range(s, day / 31, 9, 35_000, 70_000),
                Some(format!("CONDOMINIO RESIDENCIAL|{}", cnpj(s, 79))),
            )),
            28 => out.push((
                "PACOTE_TARIFA_SERVICOS",
                false,
                "TARIFA PACOTE SERVICOS".to_string(),
                3_490,
                None,
            )),
            _ => {}
        }
        if self.has_card && dom == CARD_DUE_DOM {
            let (y, m, _) = civil(day);
            let bill = self.bill_total(month_index(y, m));
            if bill > 0 {
                out.push((
                    "BOLETO",
                    false,
                    "PAGAMENTO FATURA CARTAO".to_string(),
                    bill,
                    None,
                ));
            }
        }
        if self.has_loans && dom == LOAN_DOM {
            let (y, m, _) = civil(day);
            for loan in self.loans_at(month_index(y, m)) {
                let n = month_index(y, m) - loan.start_month;
                if (1..=loan.instalments).contains(&n) {
                    out.push((
                        "OPERACAO_CREDITO",
                        false,
                        format!("PARCELA {n}/{} EMPRESTIMO", loan.instalments),
                        loan.pmt_cents,
                        None,
                    ));
                }
            }
        }
        if self.has_loans {
            for loan in self.loans_at(month_of(day)) {
                if loan.start_day == day {
                    out.push((
                        "OPERACAO_CREDITO",
                        true,
                        format!("LIBERACAO {}", loan.name),
                        loan.principal_cents,
                        None,
                    ));
                }
            }
        }
        out
    }

    pub(super) fn checking_day(&self, day: Day) -> Vec<Transaction> {
        let s = self.seed;
        let mut out: Vec<Transaction> = Vec::new();
        let mut push =
            |kind: &'static str, credit: bool, name: String, cents: i64, party: Option<String>| {
                let n = out.len() as i64;
                let seconds = 7 * 3600 + (mix(s, day, 1000 + n) % (15 * 3600)) as u32;
                out.push(Transaction {
                    id: format!("tx{:08x}-{day}-{n}", s as u32),
                    day,
                    seconds,
                    credit,
                    kind,
                    name,
                    cents: cents.max(1),
                    party,
                });
            };
        for (kind, credit, name, cents, party) in self.fixed(day) {
            push(kind, credit, name, cents, party);
        }
        for k in 0..self.extras(day) as i64 {
            let r = mix(s, day, 10 + k);
            let small = |lo: i64, hi: i64| {
                let c = lo + ((r >> 8) % (hi - lo) as u64) as i64;
                if self.big {
                    c / 6
                } else {
                    c * self.scale / 100
                }
            };
            let person = pick(s, day, 20 + k, &PEOPLE);
            let doc = cpf(s, 500 + (r % 10) as i64);
            match r % 12 {
                0..=2 => push(
                    "PIX",
                    true,
                    format!("PIX RECEBIDO {person}"),
                    small(2_000, 30_000),
                    Some(format!("{person}|{doc}")),
                ),
                3 => push(
                    "PIX",
                    false,
                    format!("PIX ENVIADO {person}"),
                    small(1_500, 12_000),
                    Some(format!("{person}|{doc}")),
                ),
                4 => push(
                    "SAQUE",
                    false,
                    "SAQUE BANCO24HORAS".to_string(),
                    (small(2_000, 30_000) / 1_000).max(1) * 1_000,
                    None,
                ),
                5 => push(
                    "BOLETO",
                    false,
                    "PAGAMENTO BOLETO LOJA VIRTUAL".to_string(),
                    small(3_000, 15_000),
                    None,
                ),
                _ => {
                    let (shop, _, lo, hi) = SHOPS[((r >> 4) % SHOPS.len() as u64) as usize];
                    push(
                        "CARTAO",
                        false,
                        format!("COMPRA DEBITO {shop}"),
                        small(lo, hi) / 3,
                        None,
                    );
                }
            }
        }
        out.sort_by_key(|t| t.seconds);
        out
    }

    pub(super) fn savings_day(&self, day: Day) -> Vec<Transaction> {
        let (_, _, dom) = civil(day);
        let id = |n: i64| format!("sv{:08x}-{day}-{n}", self.seed as u32);
        let mut out = Vec::new();
        if dom == 6 {
            out.push(Transaction {
                id: id(0),
                day,
                seconds: 9 * 3600,
                credit: true,
                kind: "TRANSFERENCIA_MESMA_INSTITUICAO",
                name: "APLICACAO POUPANCA".into(),
                cents: self.savings_deposit(),
                party: None,
            });
        }
        if dom == 1 {
            // A plausible monthly yield (~0.6%) on a savings balance of a few deposits.
            out.push(Transaction {
                id: id(1),
                day,
                seconds: 6 * 3600,
                credit: true,
                kind: "RENDIMENTO_APLIC_FINANCEIRA",
                name: "RENDIMENTO POUPANCA".into(),
                cents: (self.savings_deposit() * 4 * 6 / 1000 + range(self.seed, day, 5, 0, 300))
                    .max(1),
                party: None,
            });
        }
        out
    }

    /// Balance (cents) at the end of `through`, from the opening balance at the start of
    /// the history.
    pub fn balance_cents(&self, kind: AccountKind, today: Day, through: Day) -> i64 {
        let mut b = match kind {
            AccountKind::Checking => self.opening_cents,
            AccountKind::Savings => self.opening_cents / 3,
        };
        for d in self.first_day(today)..=through {
            for t in self.day(kind, d) {
                b += if t.credit { t.cents } else { -t.cents };
            }
        }
        b
    }
}
