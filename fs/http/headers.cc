#include <algorithm>

#include "swiftfs/http/http_client.h"

namespace swiftfs::http {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPut:
      return "PUT";
    case Method::kPost:
      return "POST";
    case Method::kDelete:
      return "DELETE";
    case Method::kCopy:
      return "COPY";
  }
  return "GET";
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
  Add(std::move(name), std::move(value));
}

std::optional<std::string> Headers::Get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Headers::WithPrefix(
    std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& field : fields_) {
    if (field.first.size() >= prefix.size() &&
        EqualsIgnoreCase(std::string_view(field.first).substr(0, prefix.size()), prefix)) {
      out.push_back(field);
    }
  }
  return out;
}

bool BufferSink::Write(std::span<const char> data) {
  const size_t room = buffer_.size() - used_;
  if (data.size() > room) {
    overflowed_ = true;
    return false;
  }
  std::copy(data.begin(), data.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
  used_ += data.size();
  return true;
}

}  // namespace swiftfs::http
