//! `/open-banking/customers/v2` (customers-2.3.0): the registration data of the person
//! (CPF of the consent's `loggedUser`) or company (CNPJ of its `businessEntity`).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::accounts::{bank_cnpj, branch, check_digit, compe, type_of};
use super::generator::{
    cnpj, cpf, date_string, date_time, digits, mix, pick, range, FIRST_NAMES as FIRST,
    LAST_NAMES as LAST,
};
use super::{amount, caller, meta_time, single, ApiResult, Caller, Query};
use crate::util::{now_ms, ofb_time};
use crate::AppState;

/// (street, district, town, IBGE code, state, CEP prefix, area code)
const PLACES: [(&str, &str, &str, &str, &str, &str, &str); 5] = [
    (
        "Rua Augusta",
        "Consolação",
        "São Paulo",
        "3550308",
        "SP",
        "01305",
        "11",
    ),
    (
        "Avenida Atlântica",
        "Copacabana",
        "Rio de Janeiro",
        "3304557",
        "RJ",
        "22021",
        "21",
    ),
    (
        "Rua da Bahia",
        "Centro",
        "Belo Horizonte",
        "3106200",
        "MG",
        "30160",
        "31",
    ),
    (
        "Rua XV de Novembro",
        "Centro",
        "Curitiba",
        "4106902",
        "PR",
        "80020",
        "41",
    ),
    (
        "Avenida Boa Viagem",
        "Boa Viagem",
        "Recife",
        "2611606",
        "PE",
        "51011",
        "81",
    ),
];

fn url(c: &Caller, path: &str) -> String {
    format!("{}/customers/v2/{path}", c.base)
}

/// A name of the person's family (salt 0: the holder), the same at every bank.
fn name(c: &Caller, salt: i64) -> String {
    let s = c.profile.person;
    format!(
        "{} {} {}",
        pick(s, 600 + salt, 0, &FIRST),
        pick(s, 601 + salt, 0, &LAST),
        pick(s, 602 + salt, 0, &LAST)
    )
}

fn place(
    c: &Caller,
) -> (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
) {
    pick(c.profile.person, 610, 0, &PLACES)
}

fn contacts(c: &Caller, email_name: &str, business: bool) -> Value {
    let s = c.profile.person;
    let (street, district, town, ibge, uf, cep, ddd) = place(c);
    let mut address = json!({
        "isMain": true,
        "address": format!("{street}, {}", range(s, 611, 0, 10, 2000)),
        "districtName": district,
        "townName": town,
        "ibgeTownCode": ibge,
        "countrySubDivision": uf,
        "postCode": format!("{cep}{}", digits(s, 612, 3)),
        "country": "Brasil",
        "countryCode": "BRA",
    });
    if business {
        address["additionalInfo"] = json!("Sala 101");
    }
    let local = email_name
        .to_lowercase()
        .replace(' ', ".")
        .replace(['ã', 'á'], "a")
        .replace('é', "e")
        .replace('í', "i")
        .replace('ç', "c")
        .replace('ú', "u");
    json!({
        "postalAddresses": [address],
        "phones": [{
            "isMain": true,
            "type": if business { "FIXO" } else { "MOVEL" },
            "countryCallingCode": "55",
            "areaCode": ddd,
            "number": if business { format!("3{}", digits(s, 613, 7)) } else { format!("9{}", digits(s, 613, 8)) },
        }],
        "emails": [{"isMain": true, "email": format!("{local}@exemplo.com.br")}],
    })
}

pub async fn personal_identifications(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ",
        "customers/personal/identifications",
    )
    .await?;
    let paging = Query::parse(&q).paging()?;
    // Who the person is does not depend on the bank.
    let s = c.profile.person;
    let civil_name = name(&c, 0);
    let birth = range(s, 620, 0, -12_000, 5_000); // 1937 … 1983
    let item = json!({
        "updateDateTime": ofb_time(now_ms()),
        "personalId": format!("pf-{:016x}", c.profile.seed),
        "brandName": c.bank.name,
        "civilName": civil_name,
        "birthDate": date_string(birth),
        "maritalStatusCode": pick(s, 621, 0, &["SOLTEIRO", "CASADO", "DIVORCIADO", "UNIAO_ESTAVEL"]),
        "sex": if mix(s, 622, 0).is_multiple_of(2) { "FEMININO" } else { "MASCULINO" },
        "companiesCnpj": [bank_cnpj(c.bank.code)],
        "documents": {"cpfNumber": c.cpf},
        "otherDocuments": [{
            "type": "RG",
            "number": digits(s, 623, 8),
            "checkDigit": (mix(s, 624, 0) % 10).to_string(),
            "additionalInfo": format!("SSP/{}", place(&c).4),
        }],
        "hasBrazilianNationality": true,
        "filiation": [{"type": "MAE", "civilName": name(&c, 10)}],
        "contacts": contacts(&c, &civil_name, false),
    });
    Ok(paging.list(vec![item], &url(&c, "personal/identifications"), &[]))
}

pub async fn personal_qualifications(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_PERSONAL_ADITTIONALINFO_READ",
        "customers/personal/qualifications",
    )
    .await?;
    let p = &c.profile;
    let (y, _, _) = super::generator::civil(c.today);
    let data = json!({
        "updateDateTime": ofb_time(now_ms()),
        "companyCnpj": bank_cnpj(c.bank.code),
        "occupationCode": "OUTRO",
        "occupationDescription": "Empregado do setor privado",
        "informedIncome": {
            "frequency": "MENSAL",
            "amount": amount(p.salary_cents),
            "date": date_string(p.first_day(c.today)),
        },
        "informedPatrimony": {
            "amount": amount(p.salary_cents * range(p.person, 630, 0, 5, 60)),
            "year": y - 1,
        },
        "employerCnpjCpf": p.employer_cnpj(),
        "employerName": p.employer,
    });
    Ok(single(
        data,
        url(&c, "personal/qualifications"),
        meta_time(),
    ))
}

fn products(c: &Caller) -> Vec<&'static str> {
    let mut out = vec!["CONTA_DEPOSITO_A_VISTA", "CONTA_POUPANCA"];
    let offers = |p: &str| c.bank.available_resources.contains(&p);
    if offers("creditCards") {
        out.push("CARTAO_CREDITO");
    }
    if offers("loans") {
        out.push("OPERACAO_CREDITO");
    }
    if offers("investments") {
        out.push("INVESTIMENTO");
    }
    out
}

fn relation_accounts(c: &Caller, business: bool) -> Vec<Value> {
    c.profile
        .accounts()
        .into_iter()
        .map(|k| {
            let mut a = json!({
                "compeCode": compe(c.bank.code),
                "branchCode": branch(c),
                "number": super::accounts::number(c, k),
                "checkDigit": check_digit(c, k),
                "type": type_of(k),
            });
            if !business {
                a["subtype"] = json!("INDIVIDUAL");
            }
            a
        })
        .collect()
}

fn start_date(c: &Caller) -> String {
    // The relationship started with the history (a few years before it for most users).
    let start = c.profile.first_day(c.today) - range(c.profile.seed, 640, 0, 30, 2_000);
    date_time(start, 10 * 3600)
}

pub async fn personal_financial_relations(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_PERSONAL_ADITTIONALINFO_READ",
        "customers/personal/financial-relations",
    )
    .await?;
    let p = &c.profile;
    let data = json!({
        "updateDateTime": ofb_time(now_ms()),
        "startDate": start_date(&c),
        "productsServicesType": products(&c),
        "procurators": [],
        "accounts": relation_accounts(&c, false),
        "paychecksBankLink": [{
            "employerName": p.employer,
            "employerCnpjCpf": p.employer_cnpj(),
            "paycheckBankCnpj": bank_cnpj(c.bank.code),
            "paycheckBankIspb": super::generator::digits(super::generator::seed_of(c.bank.code, "", ""), 2, 8),
            "accountOpeningDate": date_string(p.first_day(c.today) - 30),
        }],
    });
    Ok(single(
        data,
        url(&c, "personal/financial-relations"),
        meta_time(),
    ))
}

fn company_cnpj(c: &Caller) -> String {
    c.cnpj.clone().unwrap_or_else(|| cnpj(c.profile.seed, 650))
}

fn company_name(c: &Caller) -> String {
    format!(
        "{} {} COMERCIO LTDA",
        pick(c.profile.seed, 651, 0, &LAST),
        pick(c.profile.seed, 652, 0, &LAST)
    )
    .to_uppercase()
}

pub async fn business_identifications(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ",
        "customers/business/identifications",
    )
    .await?;
    let paging = Query::parse(&q).paging()?;
    let s = c.profile.seed;
    let company = company_name(&c);
    let item = json!({
        "updateDateTime": ofb_time(now_ms()),
        "businessId": format!("pj-{:016x}", s),
        "brandName": c.bank.name,
        "companyName": company,
        "tradeName": company.trim_end_matches(" COMERCIO LTDA"),
        "incorporationDate": date_time(range(s, 653, 0, 8_000, 18_000), 0),
        "cnpjNumber": company_cnpj(&c),
        "companiesCnpj": [bank_cnpj(c.bank.code)],
        "parties": [{
            "personType": "PESSOA_NATURAL",
            "type": "SOCIO",
            "civilName": name(&c, 0),
            "documentType": "CPF",
            "documentNumber": if c.cpf.is_empty() { cpf(s, 654) } else { c.cpf.clone() },
            "shareholding": "1.000000",
        }],
        "contacts": contacts(&c, &format!("contato {}", company.split(' ').next().unwrap_or("empresa")), true),
    });
    Ok(paging.list(vec![item], &url(&c, "business/identifications"), &[]))
}

pub async fn business_qualifications(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_BUSINESS_ADITTIONALINFO_READ",
        "customers/business/qualifications",
    )
    .await?;
    let s = c.profile.seed;
    let (y, _, _) = super::generator::civil(c.today);
    let data = json!({
        "updateDateTime": ofb_time(now_ms()),
        "economicActivities": [{"code": "4711302", "isMain": true}, {"code": "4721102", "isMain": false}],
        "informedRevenue": {"frequency": "ANUAL", "amount": amount(range(s, 660, 0, 30, 500) * 10_000_000), "year": y - 1},
        "informedPatrimony": {"amount": amount(range(s, 661, 0, 10, 300) * 10_000_000), "date": date_string(c.today - 120)},
    });
    Ok(single(
        data,
        url(&c, "business/qualifications"),
        meta_time(),
    ))
}

pub async fn business_financial_relations(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CUSTOMERS_BUSINESS_ADITTIONALINFO_READ",
        "customers/business/financial-relations",
    )
    .await?;
    let data = json!({
        "updateDateTime": ofb_time(now_ms()),
        "startDate": start_date(&c),
        "productsServicesType": products(&c),
        "procurators": [],
        "accounts": relation_accounts(&c, true),
    });
    Ok(single(
        data,
        url(&c, "business/financial-relations"),
        meta_time(),
    ))
}
