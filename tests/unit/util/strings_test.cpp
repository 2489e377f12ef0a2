#include "berth/util/strings.h"

#include <catch2/catch.hpp>

#include "berth/util/base64.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"

TEST_CASE("trim drops white space at both ends only", "[util][strings]") {
  CHECK(berth::trim("") == "");
  CHECK(berth::trim(" \t\r\n\v\f") == "");
  CHECK(berth::trim("  a b \n") == "a b");
  CHECK(berth::trim("a") == "a");
}

TEST_CASE("JSON pointer tokens are escaped and back (RFC 6901)", "[util][strings]") {
  struct Case {
    const char* text;
    const char* escaped;
  };
  const Case cases[] = {{"", ""}, {"web", "web"}, {"a/b~c", "a~1b~0c"}, {"~1", "~01"}, {"//", "~1~1"}};
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(berth::escape_json_pointer_token(c.text) == c.escaped);
    CHECK(berth::unescape_json_pointer_token(c.escaped) == c.text);
  }
  std::string pointer = "/services";
  berth::append_json_pointer_token(pointer, "a/b");
  CHECK(pointer == "/services/a~1b");
  CHECK(berth::unescape_json_pointer_token("~2~") == "~2~");  // not escapes: kept
}

TEST_CASE("base64 both alphabets, padding optional", "[util][base64]") {
  using berth::Base64Alphabet;
  CHECK(berth::base64_encode("") == "");
  CHECK(berth::base64_encode("f") == "Zg==");
  CHECK(berth::base64_encode("fo") == "Zm8=");
  CHECK(berth::base64_encode("foo") == "Zm9v");
  CHECK(berth::base64_encode("\xfb\xff", Base64Alphabet::Standard) == "+/8=");
  CHECK(berth::base64_encode("\xfb\xff", Base64Alphabet::Url) == "-_8=");
  CHECK(berth::base64_decode("Zm8=") == "fo");
  CHECK(berth::base64_decode("Zm8") == "fo");
  CHECK(berth::base64_decode("+/8=") == "\xfb\xff");
  CHECK(berth::base64_decode("-_8") == "\xfb\xff");
  CHECK(berth::base64_decode("Zm9v\nYmFy") == "foobar");
  CHECK_THROWS_AS(berth::base64_decode("Zm9v!"), berth::Error);
}

TEST_CASE("image references split as the docker CLI splits them", "[util][image_reference]") {
  struct Case {
    const char* reference;
    const char* name;
    const char* tag;
    const char* digest;
    const char* familiar;
  };
  const Case cases[] = {
      {"busybox", "busybox", "latest", "", "busybox"},
      {"busybox:1.36", "busybox", "1.36", "", "busybox"},
      {"docker.io/library/busybox:1", "docker.io/library/busybox", "1", "", "busybox"},
      {"docker.io/team/app", "docker.io/team/app", "latest", "", "team/app"},
      {"registry:5000/team/app", "registry:5000/team/app", "latest", "", "registry:5000/team/app"},
      {"registry:5000/app:v2", "registry:5000/app", "v2", "", "registry:5000/app"},
      {"app@sha256:abc", "app", "", "sha256:abc", "app"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.reference);
    auto ref = berth::parse_image_reference(c.reference);
    CHECK(ref.name == c.name);
    CHECK(ref.tag == c.tag);
    CHECK(ref.digest == c.digest);
    CHECK(ref.familiar_name() == c.familiar);
    CHECK(ref.tag_or_digest() == (*c.digest ? c.digest : c.tag));
  }
}

TEST_CASE("split keeps empty parts", "[util][strings]") {
  using V = std::vector<std::string>;
  CHECK(berth::split("", ":") == V{""});
  CHECK(berth::split("a", ":") == V{"a"});
  CHECK(berth::split("a::b", ":") == V{"a", "", "b"});
  CHECK(berth::split("/src:/dst:ro", ":") == V{"/src", "/dst", "ro"});
  CHECK(berth::split("a;;b", ";;") == V{"a", "b"});
}

TEST_CASE("double quotes with C-style escapes, as Go's %q and YAML read them", "[util][strings]") {
  std::string out;
  berth::append_double_quoted(out, "plain");
  CHECK(out == "\"plain\"");
  out.clear();
  berth::append_double_quoted(out, std::string("a\"b\\c\nd\te\rf\x01g\x7fh\0i", 17));
  CHECK(out == "\"a\\\"b\\\\c\\nd\\te\\rf\\x01g\\x7fh\\x00i\"");
}
