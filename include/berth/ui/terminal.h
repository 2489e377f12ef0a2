#pragma once
// What berth needs to know about the terminal it prints to.
namespace berth::ui {

bool is_terminal(int fd);
// Columns of the terminal on `fd`, `fallback` when unknown (not a terminal, COLUMNS unset).
int terminal_width(int fd, int fallback = 80);

}  // namespace berth::ui
