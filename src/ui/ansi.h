#pragma once
// The terminal escape sequences berth's output uses.

namespace berth::ui::ansi {

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kReset = "\033[0m";
constexpr const char* kClearLine = "\033[2K";
constexpr const char* kClearBelow = "\033[J";
constexpr const char* kHideCursor = "\033[?25l";
constexpr const char* kShowCursor = "\033[?25h";

}  // namespace berth::ui::ansi
