#pragma once
// Warnings collected while loading a project (obsolete `version:`, unset
// variables, ambiguous file names, ...), and the one helper every loader
// stage uses to word "file:line:col: message".
//
// Warnings never stop loading; the CLI prints them to stderr. Errors are
// thrown as berth::Error(ErrorKind::Config, ...) built by config_error().
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "berth/util/error.h"

namespace berth::loader {

// Where a value of the merged document was written, by its JSON pointer.
using MarkLookup = std::function<SourceMark(const std::string& json_pointer)>;

// "file:line:col: message", "file: message" when only the file is known,
// or just "message" when the mark is empty.
std::string format_at(const SourceMark& mark, std::string_view message);

// The error every loader stage throws for bad input.
Error config_error(const SourceMark& mark, std::string_view message);

struct Diagnostic {
  SourceMark mark;  // may be empty
  std::string message;
  // The text the CLI prints: format_at(mark, message).
  std::string to_string() const;
};

class Diagnostics {
 public:
  void warn(std::string message, SourceMark mark = {});
  // Warns only the first time `key` is seen (e.g. one warning per unset
  // variable, however often it is used). Returns true when it warned.
  bool warn_once(const std::string& key, std::string message, SourceMark mark = {});

  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  bool empty() const { return warnings_.empty(); }
  // True when some warning's message contains `needle` (handy in tests).
  bool contains(std::string_view needle) const;

 private:
  std::vector<Diagnostic> warnings_;
  std::set<std::string> once_keys_;
};

}  // namespace berth::loader
