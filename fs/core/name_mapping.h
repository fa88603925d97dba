#pragma once
// Name mapping between Swift object names and POSIX path components.
//
// Swift names are arbitrary bytes (UTF-8 by convention) in which '/' separates
// pseudo-directories. A component maps to a file name byte for byte (spaces, '%', '#',
// '?', quotes, backslashes, tabs, leading '-', any UTF-8), except the names no POSIX file
// can carry: the empty component (from "a//b" or a leading '/'), "." and "..", and
// components over 255 bytes. Objects with such a component in their path are skipped,
// never aliased to another name, so every visible path names exactly one object.

#include <string>
#include <string_view>

#include "swiftfs/common/result.h"

namespace swiftfs::core {

inline constexpr size_t kMaxNameLength = 255;

// True when `component` (no '/' in it) can be a POSIX file name.
bool IsRepresentableComponent(std::string_view component);

// Checks a name the kernel asks about: kNameTooLong over 255 bytes, kInvalidArgument for
// an empty name or one containing '/' or NUL, kNotFound for "." and ".." (the kernel
// resolves those itself; reaching us they name nothing in a listing).
Status ValidateLookupName(std::string_view name);

// The child component that listing entry `full_name` contributes to the directory whose
// prefix is `dir_prefix` ("" or ending in '/'): for "p/x" or the subdir "p/x/" it is "x".
// Empty when the entry contributes nothing visible: the directory's own marker object
// ("p/"), or a component that is not representable.
std::string_view ChildComponent(std::string_view dir_prefix, std::string_view full_name);

}  // namespace swiftfs::core
