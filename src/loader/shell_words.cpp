#include <string>
#include <vector>

#include "berth/loader/short_syntax.h"
#include "berth/util/error.h"

namespace berth::loader {

// POSIX shell word rules without expansion, as compose's shellwords split
// `command: "..."`: whitespace separates, quotes group, backslash escapes
// outside single quotes.
std::vector<std::string> split_shell_words(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  enum class Quote { None, Single, Double } quote = Quote::None;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == Quote::Single) {
      if (c == '\'') quote = Quote::None;
      else current.push_back(c);
      continue;
    }
    if (quote == Quote::Double) {
      if (c == '"') {
        quote = Quote::None;
      } else if (c == '\\' && i + 1 < text.size() &&
                 (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == '$' ||
                  text[i + 1] == '`' || text[i + 1] == '\n')) {
        if (text[i + 1] != '\n') current.push_back(text[i + 1]);
        ++i;
      } else {
        current.push_back(c);
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(current));
      current.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      quote = Quote::Single;
    } else if (c == '"') {
      quote = Quote::Double;
    } else if (c == '\\') {
      if (i + 1 < text.size()) {
        if (text[i + 1] != '\n') current.push_back(text[i + 1]);
        ++i;
      }
    } else {
      current.push_back(c);
    }
  }
  if (quote != Quote::None) throw Error(ErrorKind::Config, "unterminated quote in \"" + text + "\"");
  if (in_word) words.push_back(std::move(current));
  return words;
}

}  // namespace berth::loader
