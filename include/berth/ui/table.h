#pragma once
// Column tables as the docker CLI prints them (its tabwriter settings: each
// column but the last is at least 10 wide and padded by 3 spaces).
#include <string>
#include <vector>

namespace berth::ui {

using TableRow = std::vector<std::string>;

// The header, then the rows, each line ending in "\n". Rows shorter than the
// header are padded with empty cells.
std::string format_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace berth::ui
