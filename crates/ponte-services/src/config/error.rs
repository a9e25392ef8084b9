//! What a configuration that does not hold is reported as: the variable and
//! why. A leaf the config's parts import, so none of them imports the
//! config itself.

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: String,
    pub message: String,
}

pub(super) fn bad(variable: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable: variable.to_string(),
        message: message.into(),
    }
}
