//! Discreet display: neutral labels in place of titles, for reading next to strangers.
//!
//! While the setting is on, every list the apps show (results, title suggestions,
//! bookmarks, history, recent searches) carries a label such as "Cedar notebook"
//! instead of the title, and no snippet. A label is the same for the same article on
//! every screen, every launch and both apps, so a reader can still tell their saved
//! items apart; the real title appears once an item is opened.
//!
//! The words are chosen to say nothing about any topic, and no pairing of them reads
//! as anything but stationery.

/// First words of a label.
const FIRST: [&str; 16] = [
    "Amber", "Birch", "Cedar", "Coral", "Dawn", "Fern", "Harbor", "Indigo", "Juniper", "Linen",
    "Maple", "Meadow", "Olive", "Pebble", "Slate", "Willow",
];

/// Second words of a label.
const SECOND: [&str; 16] = [
    "notebook", "page", "folder", "note", "chapter", "card", "sheet", "leaflet", "letter", "list",
    "draft", "memo", "entry", "paper", "journal", "file",
];

/// The neutral label of the article `id` (of the pack `pack`, empty for the built-in
/// bundle). Stable: a function of the ids alone (FNV-1a, so both apps and every
/// version agree).
pub fn label(pack: &str, id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in pack.bytes().chain([0u8]).chain(id.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let first = FIRST[(h % 16) as usize];
    let second = SECOND[((h >> 4) % 16) as usize];
    format!("{first} {second}")
}

/// The label shown for a recent search while discreet display is on.
pub const SEARCH_LABEL: &str = "Earlier search";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_stable_and_spread() {
        assert_eq!(
            label("", "consent-is-a-process"),
            label("", "consent-is-a-process")
        );
        assert_ne!(
            label("", "consent-is-a-process"),
            label("other-pack", "consent-is-a-process")
        );
        let distinct: std::collections::HashSet<String> = (0..100)
            .map(|i| label("", &format!("article-{i}")))
            .collect();
        assert!(
            distinct.len() > 70,
            "{} distinct labels of 100",
            distinct.len()
        );
    }

    #[test]
    fn labels_say_nothing_of_the_title() {
        let l = label("", "consent-during-sex-stop-means-stop");
        for word in ["consent", "sex", "stop"] {
            assert!(!l.to_lowercase().contains(word), "{l}");
        }
    }

    /// Labels the readers already know: a change here renames their saved items. (The
    /// values were computed once, independently, from the FNV-1a definition.)
    #[test]
    fn known_labels_do_not_change() {
        assert_eq!(label("", "a"), "Maple paper");
        assert_eq!(label("", "consent-is-a-process"), "Amber notebook");
        assert_eq!(
            label("", "consent-during-sex-stop-means-stop"),
            "Linen notebook"
        );
    }
}
