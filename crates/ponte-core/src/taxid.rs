//! Brazilian tax ids: CPF (people, 11 digits) and CNPJ (companies, 14 digits),
//! both with two check digits. Accepted with or without punctuation; kept as digits.

use crate::FieldError;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cpf(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cnpj(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaxId {
    Cpf(Cpf),
    Cnpj(Cnpj),
}

fn digits_of(field: &str, raw: &str, len: usize, what: &str) -> Result<Vec<u32>, FieldError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '/' | ' '))
        .collect();
    if cleaned.len() != len || !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            field.to_string(),
            format!("must be a {what} of {len} digits"),
        ));
    }
    let digits: Vec<u32> = cleaned.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.iter().all(|d| *d == digits[0]) {
        return Err(FieldError::new(
            field.to_string(),
            format!("is not a valid {what}"),
        ));
    }
    Ok(digits)
}

/// Modulo-11 check digit over `digits` with the given weights.
fn check_digit(digits: &[u32], weights: impl Iterator<Item = u32>) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    let rest = sum % 11;
    if rest < 2 {
        0
    } else {
        11 - rest
    }
}

impl Cpf {
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let field = field.into();
        let d = digits_of(&field, raw, 11, "CPF")?;
        let first = check_digit(&d[..9], (2..=10).rev());
        let second = check_digit(&d[..10], (2..=11).rev());
        if d[9] != first || d[10] != second {
            return Err(FieldError::new(field, "is not a valid CPF (check digits)"));
        }
        Ok(Self(
            d.iter().map(|x| char::from(b'0' + *x as u8)).collect(),
        ))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Cnpj {
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let field = field.into();
        let d = digits_of(&field, raw, 14, "CNPJ")?;
        let weights = |n: u32| {
            (0..n).map(move |i| [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][(13 - n + i) as usize])
        };
        let first = check_digit(&d[..12], weights(12));
        let second = check_digit(&d[..13], weights(13));
        if d[12] != first || d[13] != second {
            return Err(FieldError::new(field, "is not a valid CNPJ (check digits)"));
        }
        Ok(Self(
            d.iter().map(|x| char::from(b'0' + *x as u8)).collect(),
        ))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TaxId {
    /// A CPF when 11 digits, a CNPJ when 14.
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let field = field.into();
        let n = raw.chars().filter(|c| c.is_ascii_digit()).count();
        if n == 14 {
            Cnpj::parse(field, raw).map(TaxId::Cnpj)
        } else {
            Cpf::parse(field, raw).map(TaxId::Cpf)
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            TaxId::Cpf(c) => c.as_str(),
            TaxId::Cnpj(c) => c.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpf_check_digits() {
        assert_eq!(
            Cpf::parse("f", "529.982.247-25").unwrap().as_str(),
            "52998224725"
        );
        assert_eq!(
            Cpf::parse("f", "11144477735").unwrap().as_str(),
            "11144477735"
        );
        let err = Cpf::parse("personalTaxId", "529.982.247-24").unwrap_err();
        assert_eq!(err.field, "personalTaxId");
        assert!(err.message.contains("check digits"));
        assert!(Cpf::parse("f", "111.111.111-11").is_err());
        assert!(Cpf::parse("f", "1234").is_err());
        assert!(Cpf::parse("f", "5299822472a").is_err());
    }

    #[test]
    fn cnpj_check_digits() {
        assert_eq!(
            Cnpj::parse("f", "11.222.333/0001-81").unwrap().as_str(),
            "11222333000181"
        );
        assert_eq!(
            Cnpj::parse("f", "11444777000161").unwrap().as_str(),
            "11444777000161"
        );
        assert!(Cnpj::parse("f", "11.222.333/0001-80").is_err());
        assert!(Cnpj::parse("f", "00000000000000").is_err());
    }

    #[test]
    fn tax_id_picks_the_kind_by_length() {
        assert!(matches!(
            TaxId::parse("taxId", "52998224725"),
            Ok(TaxId::Cpf(_))
        ));
        assert!(matches!(
            TaxId::parse("taxId", "11222333000181"),
            Ok(TaxId::Cnpj(_))
        ));
        assert_eq!(TaxId::parse("taxId", "123").unwrap_err().field, "taxId");
    }
}
