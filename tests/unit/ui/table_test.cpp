#include "berth/ui/table.h"

#include <catch2/catch.hpp>

using namespace berth::ui;

TEST_CASE("tables pad columns like the docker CLI", "[ui][table]") {
  struct Case {
    const char* name;
    TableRow header;
    std::vector<TableRow> rows;
    std::string expected;
  };
  const Case cases[] = {
      {"header only", {"NAME", "STATUS"}, {}, "NAME      STATUS\n"},
      {"long cells widen their column by 3",
       {"NAME", "STATUS", "CONFIG FILES"},
       {{"a-very-long-project", "running(2)", "/x/compose.yaml"}},
       "NAME                  STATUS       CONFIG FILES\n"
       "a-very-long-project   running(2)   /x/compose.yaml\n"},
      {"short rows and trailing empty cells",
       {"A", "B", "C"},
       {{"x"}, {"y", "", ""}},
       "A         B         C\nx\ny\n"},
      {"multi-byte characters count as one column", {"NAME", "X"}, {{"héllo", "1"}}, "NAME      X\nhéllo     1\n"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(format_table(c.header, c.rows) == c.expected);
  }
}
