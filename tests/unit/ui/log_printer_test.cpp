#include "berth/ui/log_printer.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using berth::ui::ContainerLog;
using berth::ui::LogOutput;
using berth::ui::LogPrinter;
using berth::ui::LogPrinterOptions;
using berth::ui::LogStream;

namespace {

struct CapturedOutput : LogOutput {
  std::string out;
  std::string err;
  int writes = 0;
  void write(LogStream stream, std::string_view bytes) override {
    (stream == LogStream::Out ? out : err).append(bytes);
    ++writes;
  }
};

LogPrinterOptions plain() {
  LogPrinterOptions o;
  o.color = false;
  return o;
}

}  // namespace

TEST_CASE("log printer: prefixes padded to the widest name plus one", "[ui][log_printer]") {
  struct Case {
    std::vector<std::string> names;
    std::string name;
    std::string prefix;
  };
  const std::vector<Case> cases = {
      {{"web-1"}, "web-1", "web-1  | "},
      {{"web-1", "db-1"}, "db-1", "db-1   | "},
      {{"web-1", "worker-12"}, "web-1", "web-1      | "},
      {{"a"}, "a", "a  | "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name, c.prefix);
    CapturedOutput output;
    LogPrinter printer(output, plain());
    for (const auto& n : c.names) printer.register_name(n);
    CHECK(printer.prefix_of(c.name) == c.prefix);
  }
}

TEST_CASE("log printer: colours in docker compose order, none when off", "[ui][log_printer]") {
  CapturedOutput output;
  LogPrinter printer(output, LogPrinterOptions{});
  printer.register_name("web-1");
  printer.register_name("db-1");
  CHECK(printer.prefix_of("web-1") == "\033[36mweb-1  | \033[0m");
  CHECK(printer.prefix_of("db-1") == "\033[33mdb-1   | \033[0m");
  CHECK(berth::ui::log_color_code(5) == "36;1");
  CHECK(berth::ui::log_color_code(10) == "36");

  LogPrinterOptions no_prefix = plain();
  no_prefix.prefix = false;
  LogPrinter bare(output, no_prefix);
  CHECK(bare.prefix_of("web-1").empty());
}

TEST_CASE("log printer: a stream split at every point prints the same lines", "[ui][log_printer]") {
  const std::string long_line(70000, 'L');
  const std::vector<std::string> inputs = {
      "hello\nworld\n",
      "no newline at end",
      "\n\n\nempty lines\n",
      std::string("bin\0ary\xff\xfe\r\n", 12) + "tail",
      long_line + "\nshort\n",
  };
  for (const auto& input : inputs) {
    CapturedOutput whole;
    {
      LogPrinter printer(whole, plain());
      printer.open("web-1")->feed(LogStream::Out, input);
    }
    CAPTURE(input.size());
    // Expected: every line once, prefixed, newline-terminated.
    std::string expected;
    size_t start = 0;
    while (start < input.size()) {
      auto nl = input.find('\n', start);
      auto end = nl == std::string::npos ? input.size() : nl;
      expected += "web-1  | " + input.substr(start, end - start) + "\n";
      start = end + 1;
    }
    REQUIRE(whole.out == expected);

    const size_t step = input.size() > 1000 ? 997 : 1;
    for (size_t a = 0; a <= input.size(); a += step) {
      for (size_t b = a; b <= input.size(); b += (input.size() > 1000 ? 9973 : 1)) {
        CAPTURE(a, b);
        CapturedOutput split;
        LogPrinter printer(split, plain());
        auto log = printer.open("web-1");
        log->feed(LogStream::Out, std::string_view(input).substr(0, a));
        log->feed(LogStream::Out, std::string_view(input).substr(a, b - a));
        log->feed(LogStream::Out, std::string_view(input).substr(b));
        log->finish();
        REQUIRE(split.out == expected);
      }
    }
  }
}

TEST_CASE("log printer: stdout and stderr lines go to their own streams", "[ui][log_printer]") {
  CapturedOutput output;
  LogPrinter printer(output, plain());
  auto log = printer.open("job-1");
  log->feed(LogStream::Out, "out part ");
  log->feed(LogStream::Err, "err line\n");
  log->feed(LogStream::Out, "one\n");
  log->finish();
  CHECK(output.out == "job-1  | out part one\n");
  CHECK(output.err == "job-1  | err line\n");
}

TEST_CASE("log printer: lines longer than the limit are printed in pieces", "[ui][log_printer]") {
  struct Case {
    size_t limit;
    std::vector<std::string> pieces;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {4, {"abcdefghij\n"}, "p  | abcdefghij\n"},  // completed in one piece: whole
      {4, {"abcdefghij"}, "p  | abcd\np  | efgh\np  | ij\n"},
      {4, {"ab", "cdef", "gh\n"}, "p  | abcd\np  | efgh\n"},
      {4, {"abcd", "\n"}, "p  | abcd\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.limit, c.expected);
    CapturedOutput output;
    LogPrinterOptions o = plain();
    o.max_line_bytes = c.limit;
    LogPrinter printer(output, o);
    auto log = printer.open("p");
    for (const auto& piece : c.pieces) log->feed(LogStream::Out, piece);
    log->finish();
    CHECK(output.out == c.expected);
  }
}

TEST_CASE("log printer: concurrent containers never interleave inside a line", "[ui][log_printer]") {
  CapturedOutput output;
  LogPrinter printer(output, plain());
  printer.register_name("a-1");
  printer.register_name("b-1");
  auto writer = [&](const std::string& name, char fill) {
    auto log = printer.open(name);
    std::string line(100, fill);
    line += '\n';
    for (int i = 0; i < 500; ++i) {
      // Feed each line in three pieces to force partial buffering.
      log->feed(LogStream::Out, std::string_view(line).substr(0, 30));
      log->feed(LogStream::Out, std::string_view(line).substr(30, 50));
      log->feed(LogStream::Out, std::string_view(line).substr(80));
    }
  };
  std::thread a(writer, "a-1", 'a');
  std::thread b(writer, "b-1", 'b');
  a.join();
  b.join();
  size_t start = 0;
  int lines = 0;
  while (start < output.out.size()) {
    auto nl = output.out.find('\n', start);
    REQUIRE(nl != std::string::npos);
    std::string line = output.out.substr(start, nl - start);
    bool ok = line == "a-1  | " + std::string(100, 'a') || line == "b-1  | " + std::string(100, 'b');
    REQUIRE(ok);
    ++lines;
    start = nl + 1;
  }
  CHECK(lines == 1000);
}

TEST_CASE("log printer: status lines in the container's colour", "[ui][log_printer]") {
  CapturedOutput output;
  LogPrinter printer(output, LogPrinterOptions{});
  printer.status("web-1", "web-1 exited with code 0");
  CHECK(output.out == "\033[36mweb-1 exited with code 0\033[0m\n");
}

TEST_CASE("log printer: lines are written in batches at flush", "[ui][log_printer]") {
  CapturedOutput output;
  LogPrinter printer(output, plain());
  auto log = printer.open("w-1");
  for (int i = 0; i < 100; ++i) log->feed(LogStream::Out, "line\n");
  log->feed(LogStream::Out, "partial");
  CHECK(output.writes == 0);
  log->flush();
  CHECK(output.writes == 1);
  CHECK(output.out.size() == 100 * std::string("w-1  | line\n").size());
  log->finish();
  CHECK(output.out.ends_with("w-1  | partial\n"));
}
