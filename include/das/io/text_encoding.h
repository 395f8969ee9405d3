// Text encodings DAS meets in deliveries: UTF-8 (the internal encoding everywhere) and Windows-1252.
//
// Windows-1252 maps 0x80-0x9F to typographic characters (0x80 euro sign, 0x91-0x94 curly quotes, ...); the
// five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 control of the same value,
// as Windows and the WHATWG encoding standard do, so decoding never fails. All functions are pure and
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "das/core/status.h"

namespace das::io {

// Length of the UTF-8 sequence starting at p (1-4) if it is well formed (no overlongs, no surrogates,
// at most U+10FFFF); 0 if it is not; -1 if `avail` bytes are a proper prefix of a well-formed sequence
// (more input could complete it). Requires avail >= 1.
int Utf8SequenceLength(const unsigned char* p, std::size_t avail);

// True if the whole text is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// Byte offset of the first byte that is not part of a well-formed sequence, or text.size() if valid.
std::size_t FirstInvalidUtf8(std::string_view text);

// Appends the UTF-8 encoding of code point `cp` (<= 0x10FFFF) to out.
void AppendUtf8(std::uint32_t cp, std::string* out);

// Appends the UTF-8 text of Windows-1252 bytes. Never fails.
void AppendUtf8FromWindows1252(std::string_view cp1252, std::string* out);

// Decodes Windows-1252 into dst (capacity at least 3 * src.size()); returns bytes written.
std::size_t DecodeWindows1252(const char* src, std::size_t n, char* dst);

// Appends the Windows-1252 encoding of UTF-8 text. Fails (out unchanged beyond the valid prefix) on
// invalid UTF-8 or a character Windows-1252 cannot represent, naming the character and its byte offset.
Status AppendWindows1252FromUtf8(std::string_view utf8, std::string* out);

}  // namespace das::io
