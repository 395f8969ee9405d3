// Generated from Unicode NFKD decompositions (base letter, lower case) plus explicit entries for letters
// without a decomposition (ø, ł, ß, æ, œ, þ, đ, ħ, ı, ...). nullptr: keep the letter unchanged; " ": separator.
#pragma once

namespace das::seal::internal {

constexpr const char* kFoldLatin[] = {  // U+00C0..U+024F
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
    "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", " ",
    "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a",
    "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u",
    "u", "y", "th", "y", "a", "a", "a", "a", "a", "a", "c", "c",
    "c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i",
    "i", "i", "i", "i", "i", "i", "ij", "ij", "j", "j", "k", "k",
    "k", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "n",
    "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s",
    "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",
    "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
    "b", "b", nullptr, nullptr, nullptr, nullptr, nullptr, "c", "c", "d", "d", nullptr,
    nullptr, nullptr, nullptr, nullptr, nullptr, "f", "f", "g", nullptr, nullptr, nullptr, "i",
    "k", "k", "l", nullptr, nullptr, "n", "n", "o", "o", "o", nullptr, nullptr,
    "p", "p", nullptr, nullptr, nullptr, nullptr, nullptr, "t", "t", "t", "t", "u",
    "u", nullptr, "v", "y", "y", "z", "z", nullptr, nullptr, nullptr, nullptr, nullptr,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "dz", "dz", "dz", "lj",
    "lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i", "o", "o", "u",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", nullptr, "a", "a",
    "a", "a", "ae", "ae", "g", "g", "g", "g", "k", "k", "o", "o",
    "o", "o", nullptr, nullptr, "j", "dz", "dz", "dz", "g", "g", nullptr, nullptr,
    "n", "n", "a", "a", "ae", "ae", "o", "o", "a", "a", "a", "a",
    "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o",
    "r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t",
    nullptr, nullptr, "h", "h", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "a", "a",
    "e", "e", "o", "o", "o", "o", "o", "o", "o", "o", "y", "y",
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "a", "c", "c", "l", "t", nullptr,
    nullptr, nullptr, nullptr, "b", nullptr, nullptr, "e", "e", "j", "j", nullptr, nullptr,
    "r", "r", "y", "y",
};

constexpr const char* kFoldLatinAdditional[] = {  // U+1E00..U+1EFF
    "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "d", "d",
    "d", "d", "d", "d", "d", "d", "d", "d", "e", "e", "e", "e",
    "e", "e", "e", "e", "e", "e", "f", "f", "g", "g", "h", "h",
    "h", "h", "h", "h", "h", "h", "h", "h", "i", "i", "i", "i",
    "k", "k", "k", "k", "k", "k", "l", "l", "l", "l", "l", "l",
    "l", "l", "m", "m", "m", "m", "m", "m", "n", "n", "n", "n",
    "n", "n", "n", "n", "o", "o", "o", "o", "o", "o", "o", "o",
    "p", "p", "p", "p", "r", "r", "r", "r", "r", "r", "r", "r",
    "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t",
    "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u",
    "u", "u", "u", "u", "v", "v", "v", "v", "w", "w", "w", "w",
    "w", "w", "w", "w", "w", "w", "x", "x", "x", "x", "y", "y",
    "z", "z", "z", "z", "z", "z", "h", "t", "w", "y", nullptr, "s",
    nullptr, nullptr, "ss", nullptr, "a", "a", "a", "a", "a", "a", "a", "a",
    "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a",
    "a", "a", "a", "a", "e", "e", "e", "e", "e", "e", "e", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "i", "i", "i", "i",
    "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o",
    "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "y", "y", "y", "y", "y", "y", "y", "y", nullptr, nullptr,
    nullptr, nullptr, nullptr, nullptr,
};

}  // namespace das::seal::internal
