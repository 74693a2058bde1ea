//! Closed vocabularies written as kebab-case words in JSON and in Cedar.

/// Defines a fieldless enum whose values are written as fixed words, with
/// `as_str`, `ALL`, `Display`, `FromStr` and serde through the same words, so
/// a word means the same thing in JSON, in Cedar policies and in Rust.
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word for this value, as JSON and Cedar policies write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(word: &str) -> Result<Self, Self::Err> {
                match word {
                    $($word => Ok($name::$variant),)+
                    _ => Err($crate::keyword::unknown_word($what, word, &[$($word),+])),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                word.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use keyword_enum;

/// Lets serde read and write a type as its text form (`#[serde(try_from =
/// "String", into = "String")]`), through its `FromStr` and `Display`.
macro_rules! text_form {
    ($name:ty) => {
        impl TryFrom<String> for $name {
            type Error = $crate::error::Error;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                text.parse()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.to_string()
            }
        }
    };
}

pub(crate) use text_form;

pub(crate) fn unknown_word(what: &str, word: &str, known: &[&str]) -> crate::error::Error {
    let kind = if what == "action" {
        crate::error::ErrorKind::UnknownAction
    } else {
        crate::error::ErrorKind::InvalidValue
    };
    crate::error::Error::new(
        kind,
        format!(
            "unknown {what} {:?}; expected one of: {}",
            crate::error::truncate(word),
            known.join(", ")
        ),
    )
}
