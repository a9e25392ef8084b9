//! The checking account's movements of one day, as amounts first (the ledger sums them
//! over years) and as named transactions only when a page is served.

use super::people::{mean, mean_shop, LOAN_PURPOSES, SHOPS};
use super::*;

/// What a movement is; rendered into a name and counterparty only when served.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum What {
    Salary,
    /// The 13th salary, paid in two halves (November and December).
    Thirteenth(u8),
    SavingsDeposit,
    SavingsSweep,
    SavingsRedeem,
    Rent,
    OwnPix,
    CardBill,
    Energy,
    Instalment {
        n: i64,
        of: i64,
        slot: i64,
    },
    Water,
    Internet,
    Condo,
    Fee,
    LoanRelease(i64),
    LoanPurchase(i64),
    LoanFee,
    PixIn(usize),
    PixOut(usize),
    Atm,
    OnlineBoleto,
    Debit(usize),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    pub kind: &'static str,
    pub credit: bool,
    pub cents: i64,
    pub what: What,
}

impl Event {
    pub fn signed(&self) -> i64 {
        if self.credit {
            self.cents
        } else {
            -self.cents
        }
    }

    /// A movement between the holder's own accounts (or to their own account elsewhere).
    #[cfg(test)]
    pub fn own_transfer(&self) -> bool {
        matches!(
            self.what,
            What::SavingsDeposit | What::SavingsSweep | What::SavingsRedeem | What::OwnPix
        )
    }
}

fn ev(kind: &'static str, credit: bool, cents: i64, what: What) -> Event {
    Event {
        kind,
        credit,
        cents: cents.max(1),
        what,
    }
}

/// Discretionary movements (by `r % 12`): 0–1 PIX received, 2–3 PIX sent, 4 cash, 5 an
/// online boleto, 6–11 a debit-card purchase. Raw amounts in cents before the month's scale.
const PIX_IN: (i64, i64) = (2_000, 20_000);
const PIX_OUT: (i64, i64) = (1_500, 15_000);
const ATM: (i64, i64) = (5_000, 30_000);
const BOLETO: (i64, i64) = (3_000, 25_000);

/// Expected net outflow of one discretionary movement before scaling.
fn mean_discretionary() -> f64 {
    static MEAN: OnceLock<f64> = OnceLock::new();
    *MEAN.get_or_init(|| {
        (-2.0 * mean(PIX_IN.0, PIX_IN.1)
            + 2.0 * mean(PIX_OUT.0, PIX_OUT.1)
            + mean(ATM.0, ATM.1)
            + mean(BOLETO.0, BOLETO.1)
            + 6.0 * mean_shop())
            / 12.0
    })
}

fn draw(r: u64, (lo, hi): (i64, i64)) -> i64 {
    lo + ((r >> 8) % (hi - lo) as u64) as i64
}

impl Profile {
    /// How many discretionary movements a day has.
    pub(super) fn extras(&self, day: Day) -> u64 {
        if self.big {
            9 * self.volume + mix(self.seed, day, 2) % (5 * self.volume)
        } else {
            mix(self.seed, day, 2) % 4
        }
    }

    fn extras_mean(&self) -> f64 {
        if self.big {
            // The mean of `extras`: 9v + (5v - 1) / 2.
            (9 * self.volume) as f64 + (5 * self.volume - 1) as f64 / 2.0
        } else {
            1.5
        }
    }

    fn energy(&self, day: Day) -> i64 {
        part(self.salary_cents, range(self.seed, day, 7, 120, 220), 1)
    }

    fn water(&self, day: Day) -> i64 {
        part(self.salary_cents, range(self.seed, day, 8, 50, 100), 1)
    }

    /// The 13th salary's half paid on `day`, if any (30 November and 20 December).
    fn thirteenth(&self, day: Day) -> Option<(u8, i64)> {
        match civil(day) {
            (_, 11, 30) => Some((1, self.salary_cents / 2)),
            (_, 12, 20) => Some((2, self.salary_cents - self.salary_cents / 2)),
            _ => None,
        }
    }

    /// The scale of month `m`'s discretionary movements: what the month's income leaves
    /// after its fixed bills (at least 5 % of the salary), spread over its movements, so
    /// spending follows income month by month and the balance does not drift.
    pub(super) fn month_scale(&self, m: i64) -> f64 {
        let first = day_of_month(m, 1);
        let next = day_of_month(m + 1, 1);
        let mut income = self.salary_cents;
        let mut fixed = self.rent_cents
            + self.condo_cents
            + self.deposit_cents
            + self.own_pix_cents
            + self.internet_cents
            + self.fee_cents
            + part(self.salary_cents, 170 + 75, 1);
        // The month's draws, netted: the scale makes them come to the budget exactly.
        let mut raw = 0;
        for d in first..next {
            for k in 0..self.extras(d) as i64 {
                let (_, credit, cents, _) = self.extra(d, k);
                raw += if credit { -cents } else { cents };
            }
        }
        // The 13th salary arrives at the end of November and on 20 December: it is spent
        // the month after (Christmas; January's taxes and school), not before it lands.
        for d in day_of_month(m - 1, 1)..first {
            income += self.thirteenth(d).map_or(0, |(_, c)| c);
        }
        if self.has_card {
            fixed += self.bill_total(m);
        }
        if self.has_loans {
            fixed += self
                .instalments_in(m)
                .iter()
                .map(|(_, _, i)| i.total())
                .sum::<i64>();
        }
        let budget = (income - fixed).max(self.salary_cents / 20);
        // A month of few movements may net to little (or to money in): then the mean.
        let expected = (next - first) as f64 * self.extras_mean() * mean_discretionary();
        budget as f64 / (raw as f64).max(expected / 3.0).max(1.0)
    }

    /// Loan instalments falling due in month `m`: (loan, number from 1, instalment).
    pub(super) fn instalments_in(&self, m: i64) -> Vec<(Loan, i64, Instalment)> {
        let mut out = Vec::new();
        for loan in self.loans_at(m) {
            let n = m - loan.start_month;
            if (1..=loan.instalments).contains(&n) {
                let i = Profile::schedule(&loan)[(n - 1) as usize];
                out.push((loan, n, i));
            }
        }
        out
    }

    /// The `k`-th discretionary movement of `day`: (type, credit, raw cents, what).
    fn extra(&self, day: Day, k: i64) -> (&'static str, bool, i64, What) {
        let s = self.seed;
        let r = mix(s, day, 10 + k);
        let person = (mix(s, day, 20 + k) % PEOPLE.len() as u64) as usize;
        match r % 12 {
            0 | 1 => ("PIX", true, draw(r, PIX_IN), What::PixIn(person)),
            2 | 3 => ("PIX", false, draw(r, PIX_OUT), What::PixOut(person)),
            4 => ("SAQUE", false, draw(r, ATM), What::Atm),
            5 => ("BOLETO", false, draw(r, BOLETO), What::OnlineBoleto),
            _ => {
                let shop = ((r >> 4) % SHOPS.len() as u64) as usize;
                let (_, _, lo, hi) = SHOPS[shop];
                ("CARTAO", false, draw(r, (lo, hi)), What::Debit(shop))
            }
        }
    }

    /// The day's checking movements before any sweep, in generation order.
    pub(super) fn base_events(&self, day: Day, scale: f64) -> Vec<Event> {
        let mut out = self.calendar_events(day);
        for k in 0..self.extras(day) as i64 {
            let (kind, credit, raw, what) = self.extra(day, k);
            let cents = (raw as f64 * scale).round() as i64;
            let cents = if what == What::Atm {
                (cents / 1_000).max(2) * 1_000
            } else {
                cents
            };
            out.push(ev(kind, credit, cents, what));
        }
        out
    }

    /// The day's salary, bills, instalments and loan movements (no discretionary ones).
    pub(super) fn calendar_events(&self, day: Day) -> Vec<Event> {
        let (_, _, dom) = civil(day);
        let mut out = Vec::new();
        match dom {
            SALARY_DOM => out.push(ev("FOLHA_PAGAMENTO", true, self.salary_cents, What::Salary)),
            SAVINGS_DOM => out.push(ev(
                "TRANSFERENCIA_MESMA_INSTITUICAO",
                false,
                self.deposit_cents,
                What::SavingsDeposit,
            )),
            7 => out.push(ev("PIX", false, self.rent_cents, What::Rent)),
            8 if self.own_pix_cents > 0 => {
                out.push(ev("PIX", false, self.own_pix_cents, What::OwnPix))
            }
            12 => out.push(ev("BOLETO", false, self.energy(day), What::Energy)),
            16 => out.push(ev(
                "CONVENIO_ARRECADACAO",
                false,
                self.water(day),
                What::Water,
            )),
            20 => out.push(ev("BOLETO", false, self.internet_cents, What::Internet)),
            25 => out.push(ev("TED", false, self.condo_cents, What::Condo)),
            28 => out.push(ev(
                "PACOTE_TARIFA_SERVICOS",
                false,
                self.fee_cents,
                What::Fee,
            )),
            _ => {}
        }
        if let Some((half, cents)) = self.thirteenth(day) {
            out.push(ev("FOLHA_PAGAMENTO", true, cents, What::Thirteenth(half)));
        }
        if self.has_card && dom == CARD_DUE_DOM {
            let bill = self.bill_total(month_of(day));
            if bill > 0 {
                out.push(ev("BOLETO", false, bill, What::CardBill));
            }
        }
        if self.has_loans && dom == LOAN_DOM {
            for (loan, n, i) in self.instalments_in(month_of(day)) {
                out.push(ev(
                    "OPERACAO_CREDITO",
                    false,
                    i.total(),
                    What::Instalment {
                        n,
                        of: loan.instalments,
                        slot: loan.slot,
                    },
                ));
            }
        }
        if self.has_loans {
            for loan in self.loans_at(month_of(day)) {
                if loan.start_day == day {
                    let p = loan.principal_cents;
                    out.push(ev(
                        "OPERACAO_CREDITO",
                        true,
                        p,
                        What::LoanRelease(loan.slot),
                    ));
                    out.push(ev("BOLETO", false, p, What::LoanPurchase(loan.slot)));
                    out.push(ev("TARIFA_SERVICOS_AVULSOS", false, 5_000, What::LoanFee));
                }
            }
        }
        out
    }

    /// The name and counterparty a movement is served with.
    pub(super) fn label(&self, e: &Event, day: Day) -> (String, Option<String>) {
        let s = self.seed;
        let person = |i: usize| {
            let name = PEOPLE[i];
            (name, format!("{name}|{}", cpf(s, 500 + i as i64)))
        };
        match e.what {
            What::Salary => (
                format!("SALARIO {}", self.employer),
                Some(format!("{}|{}", self.employer, self.employer_cnpj())),
            ),
            What::Thirteenth(half) => (
                format!("13 SALARIO {half}A PARCELA {}", self.employer),
                Some(format!("{}|{}", self.employer, self.employer_cnpj())),
            ),
            What::SavingsDeposit => ("APLICACAO POUPANCA".into(), None),
            What::SavingsSweep => ("APLICACAO AUTOMATICA POUPANCA".into(), None),
            What::SavingsRedeem => ("RESGATE AUTOMATICO POUPANCA".into(), None),
            What::Rent => (
                "PIX ENVIADO ALUGUEL IMOBILIARIA LAR".into(),
                Some(format!("IMOBILIARIA LAR LTDA|{}", cnpj(self.person, 78))),
            ),
            What::OwnPix => {
                let name = self.holder_name().to_uppercase();
                (
                    format!("PIX ENVIADO {name}"),
                    Some(format!("{name}|{}", self.holder_cpf)),
                )
            }
            What::CardBill => ("PAGAMENTO FATURA CARTAO".into(), None),
            What::Energy => ("ENERGIA ENEL SP".into(), None),
            What::Instalment { n, of, slot } => (
                format!(
                    "PARCELA {n}/{of} {}",
                    if slot == 0 {
                        "EMPRESTIMO"
                    } else {
                        "CONSIGNADO"
                    }
                ),
                None,
            ),
            What::Water => ("AGUA SABESP".into(), None),
            What::Internet => ("INTERNET VIVO FIBRA".into(), None),
            What::Condo => (
                "TED ENVIADA CONDOMINIO RESIDENCIAL".into(),
                Some(format!("CONDOMINIO RESIDENCIAL|{}", cnpj(self.person, 79))),
            ),
            What::Fee => ("TARIFA PACOTE SERVICOS".into(), None),
            What::LoanRelease(slot) => (
                format!(
                    "LIBERACAO {}",
                    if slot == 0 {
                        "EMPRESTIMO PESSOAL"
                    } else {
                        "CREDITO CONSIGNADO"
                    }
                ),
                None,
            ),
            What::LoanPurchase(_) => (pick(s, day, 30, &LOAN_PURPOSES).into(), None),
            What::LoanFee => ("TARIFA CADASTRO EMPRESTIMO".into(), None),
            What::PixIn(i) => {
                let (name, party) = person(i);
                (format!("PIX RECEBIDO {name}"), Some(party))
            }
            What::PixOut(i) => {
                let (name, party) = person(i);
                (format!("PIX ENVIADO {name}"), Some(party))
            }
            What::Atm => ("SAQUE BANCO24HORAS".into(), None),
            What::OnlineBoleto => ("PAGAMENTO BOLETO LOJA VIRTUAL".into(), None),
            What::Debit(shop) => (format!("COMPRA DEBITO {}", SHOPS[shop].0), None),
        }
    }
}
