#include "berth/ui/table.h"

#include <algorithm>

#include "tty_progress.h"

namespace berth::ui {
namespace {
constexpr size_t kMinColumnWidth = 10;
constexpr size_t kPadding = 3;
}  // namespace

std::string format_table(const TableRow& header, const std::vector<TableRow>& rows) {
  const size_t columns = header.size();
  std::vector<size_t> widths(columns, 0);
  auto measure = [&](const TableRow& row) {
    for (size_t c = 0; c < columns && c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  for (auto& w : widths) w = std::max(w + kPadding, kMinColumnWidth);

  std::string out;
  auto emit = [&](const TableRow& row) {
    std::string line;
    for (size_t c = 0; c < columns; ++c) {
      const std::string cell = c < row.size() ? row[c] : std::string();
      line += cell;
      if (c + 1 < columns) line.append(widths[c] - display_width(cell), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

}  // namespace berth::ui
