#pragma once
// "Did you mean ...?" for misspelt names.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// Optimal-string-alignment distance: insertions, deletions, substitutions
// and swaps of two adjacent characters each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name` when it is close enough to be a plausible
// typo (distance 1 for short names, up to 3 for long ones), else "".
// Ties go to the earliest candidate.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace berth
