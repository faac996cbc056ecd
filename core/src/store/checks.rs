//! Argument validation shared by the store's calls, an import and salvage: what an article
//! id, a reading position, the core's settings and a shell's setting key may be.

use super::Settings;
use super::schema::RESERVED_PREFIX;
use crate::{Error, Result};

/// Longest article id accepted, in bytes. Corpus ids are short slugs.
pub const MAX_ARTICLE_ID_LEN: usize = 512;

/// Longest key of a shell setting, in bytes.
pub const MAX_SETTING_KEY_LEN: usize = 256;

/// An article id is 1 to [`MAX_ARTICLE_ID_LEN`] bytes long.
pub(crate) fn check_article_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::InvalidArgument("the article id is empty".into()));
    }
    if id.len() > MAX_ARTICLE_ID_LEN {
        return Err(Error::InvalidArgument(format!(
            "the article id is longer than {MAX_ARTICLE_ID_LEN} bytes"
        )));
    }
    Ok(())
}

/// A position is a fraction in `0.0..=1.0` (not NaN).
pub(crate) fn check_position(position: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&position) {
        // NaN fails `contains` too.
        return Err(Error::InvalidArgument(format!(
            "position {position} is not a fraction in 0.0..=1.0"
        )));
    }
    Ok(())
}

/// A retention is at least one day.
pub(crate) fn check_settings(s: &Settings) -> Result<()> {
    if s.history_retention_days == Some(0) || s.recent_searches_retention_days == Some(0) {
        return Err(Error::InvalidArgument(
            "a retention must be at least 1 day; turn the feature off instead".into(),
        ));
    }
    Ok(())
}

/// A shell's setting key is 1 to [`MAX_SETTING_KEY_LEN`] bytes long and does not use the
/// prefix reserved for the core's own settings.
pub(crate) fn check_setting_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_SETTING_KEY_LEN {
        return Err(Error::InvalidArgument(format!(
            "a setting key must be 1 to {MAX_SETTING_KEY_LEN} bytes long"
        )));
    }
    if key.starts_with(RESERVED_PREFIX) {
        return Err(Error::InvalidArgument(format!(
            "setting keys starting with `{RESERVED_PREFIX}` are reserved"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::open;

    #[test]
    fn bad_ids_and_positions_are_invalid_arguments() {
        let (_dir, store) = open();
        assert!(matches!(
            store.add_bookmark("", None, None),
            Err(Error::InvalidArgument(_))
        ));
        let long = "x".repeat(MAX_ARTICLE_ID_LEN + 1);
        assert!(matches!(
            store.add_bookmark(&long, None, None),
            Err(Error::InvalidArgument(_))
        ));
        for bad in [f64::NAN, -0.01, 1.01, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(
                matches!(store.set_progress("a", bad), Err(Error::InvalidArgument(_))),
                "{bad}"
            );
        }
        assert_eq!(store.progress("a").unwrap(), None);
    }
}
