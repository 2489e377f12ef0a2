#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/schema/validator.h"
#include "berth/util/error.h"

using berth::schema::ValidationError;
using berth::schema::Validator;
using nlohmann::json;

namespace {

struct KeywordCase {
  const char* schema;
  const char* instance;
  // Expected messages in order; empty means valid.
  std::vector<std::string> messages;
};

std::vector<std::string> messages_of(const std::vector<ValidationError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message);
  return out;
}

void check_cases(const std::vector<KeywordCase>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.schema, c.instance);
    auto validator = Validator::compile(json::parse(c.schema));
    auto instance = json::parse(c.instance);
    CHECK(messages_of(validator.validate(instance)) == c.messages);
    CHECK(validator.is_valid(instance) == c.messages.empty());
  }
}

}  // namespace

TEST_CASE("schema validator: type", "[schema]") {
  check_cases({
      {R"({"type":"string"})", R"("a")", {}},
      {R"({"type":"string"})", R"(1)", {"(root) must be a string"}},
      {R"({"type":"object"})", R"([])", {"(root) must be a mapping"}},
      {R"({"type":"array"})", R"({})", {"(root) must be a list"}},
      {R"({"type":"integer"})", R"(3)", {}},
      {R"({"type":"integer"})", R"(3.0)", {}},
      {R"({"type":"integer"})", R"(3.5)", {"(root) must be an integer"}},
      {R"({"type":"integer"})", R"(9223372036854775807)", {}},
      {R"({"type":"integer"})", R"(-9223372036854775808)", {}},
      {R"({"type":"integer"})", R"(9223372036854775808)",
       {"(root) must be an integer (this one is beyond the 64-bit range)"}},
      {R"({"type":"integer"})", R"(1e30)", {"(root) must be an integer (this one is beyond the 64-bit range)"}},
      {R"({"type":"integer"})", R"(-1e19)", {"(root) must be an integer (this one is beyond the 64-bit range)"}},
      {R"({"type":"number"})", R"(1e30)", {}},
      {R"({"type":"number"})", R"(3)", {}},
      {R"({"type":"number"})", R"("3")", {"(root) must be a number"}},
      {R"({"type":"null"})", R"(null)", {}},
      {R"({"type":"boolean"})", R"(false)", {}},
      {R"({"type":"boolean"})", R"("false")", {"(root) must be a boolean"}},
      {R"({"type":["string","number"]})", R"(true)", {"(root) must be a string or number"}},
      {R"({"type":["boolean","string","object"]})", R"([])", {"(root) must be a boolean, string or mapping"}},
      {R"({"type":["integer","string"]})", R"(null)", {"(root) must be an integer or string"}},
      {R"({"type":["object","null"]})", R"(null)", {}},
      {R"({})", R"({"anything":[1,2]})", {}},
      {R"(true)", R"(1)", {}},
      {R"(false)", R"(1)", {"(root) is not allowed here"}},
  });
}

TEST_CASE("schema validator: object keywords", "[schema]") {
  const char* services = R"({
    "type":"object",
    "properties":{"image":{"type":"string"},"ports":{"type":"array"}},
    "patternProperties":{"^x-":{}},
    "additionalProperties":false,
    "required":["image"]})";
  check_cases({
      {services, R"({"image":"nginx"})", {}},
      {services, R"({"image":"nginx","x-anything":{"a":1}})", {}},
      {services, R"({"imagee":"nginx"})",
       {"(root) image is required",
        "(root) Additional property imagee is not allowed (did you mean 'image'?)"}},
      {services, R"({"image":"a","zzz":1})", {"(root) Additional property zzz is not allowed"}},
      {services, R"({"image":1})", {"image must be a string"}},
      {R"({"additionalProperties":{"type":"integer"}})", R"({"a":1,"b":"x"})", {"b must be an integer"}},
      {R"({"patternProperties":{"^[a-z]+$":{"type":"string"}},"additionalProperties":false})",
       R"({"ok":"1","Bad":"2"})", {"(root) Additional property Bad is not allowed (keys must match '^[a-z]+$')"}},
      {R"({"patternProperties":{".+":{"type":"string"}}})", R"({"a":1})", {"a must be a string"}},
      {R"({"minProperties":1,"maxProperties":2})", R"({})", {"(root) must have at least 1 property"}},
      {R"({"minProperties":1,"maxProperties":2})", R"({"a":1,"b":2,"c":3})", {"(root) must have at most 2 properties"}},
      {R"({"properties":{"a":{"properties":{"b":{"type":"string"}}}}})", R"({"a":{"b":{}}})", {"a.b must be a string"}},
  });
}

TEST_CASE("schema validator: array keywords", "[schema]") {
  check_cases({
      {R"({"items":{"type":"string"}})", R"(["a","b"])", {}},
      {R"({"items":{"type":"string"}})", R"(["a",2,"c",4])", {"1 must be a string", "3 must be a string"}},
      {R"({"uniqueItems":true})", R"([1,2,1])", {"(root) array items[0,2] must be unique"}},
      {R"({"uniqueItems":true})", R"([{"a":1},{"a":1.0}])", {"(root) array items[0,1] must be unique"}},
      {R"({"uniqueItems":true})", R"([1,"1",true,null])", {}},
      {R"({"minItems":2})", R"([1])", {"(root) array must have at least 2 items"}},
      // Longer than the quadratic scan: the hashed path must agree on 1 == 1.0.
      {R"({"uniqueItems":true})", R"([0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,
          {"p":[1]},"x",{"p":[1.0]}])", {"(root) array items[33,35] must be unique"}},
      {R"({"uniqueItems":true})", R"([0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,
          {"p":[1]},"x",{"p":[2]},5.0])", {"(root) array items[5,36] must be unique"}},
      {R"({"uniqueItems":true})", R"([0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,
          {"p":[1]},"x",{"p":[2]},"5",true,false,null,[]])", {}},
      {R"({"maxItems":1})", R"([1,2])", {"(root) array must have at most 1 item"}},
  });
}

TEST_CASE("schema validator: scalar keywords", "[schema]") {
  check_cases({
      {R"({"enum":["a","b"]})", R"("b")", {}},
      {R"({"enum":["a","b"]})", R"("c")", {R"((root) must be one of the following: "a", "b")"}},
      {R"({"const":42})", R"(42)", {}},
      {R"({"const":42})", R"(43)", {"(root) does not match: 42"}},
      {R"({"minimum":0,"maximum":100})", R"(50)", {}},
      {R"({"minimum":0})", R"(-1)", {"(root) must be greater than or equal to 0"}},
      {R"({"maximum":1.5})", R"(2)", {"(root) must be less than or equal to 1.5"}},
      {R"({"exclusiveMinimum":0})", R"(0)", {"(root) must be greater than 0"}},
      {R"({"exclusiveMaximum":10})", R"(10)", {"(root) must be less than 10"}},
      {R"({"minimum":0})", R"("-1")", {}},
      {R"({"minLength":2})", R"("é")", {"(root) String length must be greater than or equal to 2"}},
      {R"({"minLength":2})", R"("éé")", {}},
      {R"({"maxLength":1})", R"("ab")", {"(root) String length must be less than or equal to 1"}},
      {R"({"pattern":"^[0-9]+$"})", R"("123")", {}},
      {R"({"pattern":"^[0-9]+$"})", R"("12a")", {"(root) Does not match pattern '^[0-9]+$'"}},
      {R"({"pattern":"b|c"})", R"("abc")", {}},
      {R"({"pattern":"^[0-9]+$"})", R"(12)", {}},
      {R"({"format":"duration","type":"string"})", R"("not a duration")", {}},
  });
}

TEST_CASE("schema validator: combinators report the most relevant branch", "[schema]") {
  const char* port = R"({"oneOf":[
      {"type":"number"},
      {"type":"string"},
      {"type":"object","properties":{"target":{"type":"integer"}},"additionalProperties":false}]})";
  const char* list_or_dict = R"({"oneOf":[
      {"type":"object","patternProperties":{".+":{"type":["string","number","boolean","null"]}},"additionalProperties":false},
      {"type":"array","items":{"type":"string"},"uniqueItems":true}]})";
  check_cases({
      {port, R"(80)", {}},
      {port, R"("80:80")", {}},
      {port, R"({"target":80})", {}},
      {port, R"(true)", {"(root) must be a number, string or mapping"}},
      {port, R"({"target":"80"})", {"target must be an integer"}},
      {port, R"({"targt":80})", {"(root) Additional property targt is not allowed (did you mean 'target'?)"}},
      {list_or_dict, R"(5)", {"(root) must be a mapping or list"}},
      {list_or_dict, R"(["A=1",2])", {"1 must be a string"}},
      {list_or_dict, R"({"A":[1]})", {"A must be a string, number, boolean or null"}},
      {R"({"oneOf":[{"type":"number"},{"type":"integer"}]})", R"(1)",
       {"(root) must validate one and only one schema (oneOf)"}},
      {R"({"anyOf":[{"type":"number"},{"type":"integer"}]})", R"(1)", {}},
      {R"({"anyOf":[{"type":"string","minLength":3},{"type":"integer"}]})", R"("ab")",
       {"(root) String length must be greater than or equal to 3"}},
      {R"({"allOf":[{"type":"string"},{"minLength":3}]})", R"("ab")",
       {"(root) String length must be greater than or equal to 3"}},
      {R"({"not":{"type":"string"}})", R"(1)", {}},
      {R"({"not":{"type":"string"}})", R"("a")", {"(root) must not validate the schema (not)"}},
  });
}

TEST_CASE("schema validator: $ref resolves local and recursive pointers", "[schema]") {
  const char* tree = R"({
    "$defs":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/node"}},
                                                    "name":{"type":"string"}},"additionalProperties":false}},
    "$ref":"#/$defs/node"})";
  check_cases({
      {tree, R"({"name":"a","children":[{"name":"b","children":[]}]})", {}},
      {tree, R"({"children":[{"children":[{"name":1}]}]})", {"children.0.children.0.name must be a string"}},
      {R"({"properties":{"a":{"type":"string"}},"additionalProperties":{"$ref":"#/properties/a"}})",
       R"({"b":2})", {"b must be a string"}},
      {R"({"$defs":{"a b":{"type":"string"}},"$ref":"#/$defs/a%20b"})", R"(1)", {"(root) must be a string"}},
  });
}

TEST_CASE("schema validator: absurdly deep documents are refused without a stack overflow", "[schema]") {
  auto validator = Validator::compile(json::parse(R"({"$defs":{"list":{"type":"array","items":{"$ref":"#/$defs/list"}}},
                                                      "$ref":"#/$defs/list"})"));
  json deep = json::array();
  for (int i = 0; i < 50; ++i) deep = json::array({deep});
  CHECK(validator.is_valid(deep));
  for (int i = 0; i < 1000; ++i) deep = json::array({deep});
  CHECK_FALSE(validator.is_valid(deep));
  auto errors = validator.validate(deep);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].keyword == "depth");
  CHECK_THAT(errors[0].message, Catch::EndsWith(" is nested too deeply"));
}

TEST_CASE("schema validator: error paths and pointers and expectations", "[schema]") {
  auto validator = Validator::compile(json::parse(R"({
    "properties":{"services":{"additionalProperties":{"properties":{"ports":{"type":"array",
      "items":{"type":["string","number"]}}},"additionalProperties":false}}}})"));
  auto errors = validator.validate(json::parse(R"({"services":{"we/b":{"ports":[1,{}],"imag":1}}})"));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].keyword == "additionalProperties");
  CHECK(errors[0].path == berth::schema::Path{"services", "we/b", "imag"});
  CHECK(errors[0].pointer() == "/services/we~1b/imag");
  CHECK(errors[0].message == "services.we/b Additional property imag is not allowed");
  CHECK(errors[1].keyword == "type");
  CHECK(errors[1].dotted() == "services.we/b.ports.1");
  CHECK(errors[1].pointer() == "/services/we~1b/ports/1");
  CHECK(errors[1].expected == "string or number");
  CHECK(errors[1].message == "services.we/b.ports.1 must be a string or number");

  SECTION("max_errors caps the list") {
    CHECK(validator.validate(json::parse(R"({"services":{"a":{"x":1,"y":2,"z":3}}})"), 2).size() == 2);
  }
}

TEST_CASE("schema validator: unsupported or broken schemas fail at compile time", "[schema]") {
  struct BadSchema {
    const char* schema;
    const char* fragment;
  };
  const BadSchema cases[] = {
      {R"({"properties":{"a":{"if":{"type":"string"}}}})", "#/properties/a/if: unsupported JSON-Schema keyword 'if'"},
      {R"({"type":"str"})", "unknown type 'str'"},
      {R"({"$ref":"#/$defs/missing"})", "points to nothing"},
      {R"({"$ref":"other.json#/a"})", "is not local"},
      {R"({"pattern":"(unclosed"})", "does not compile"},
      {R"({"items":[{"type":"string"}]})", "array form of items"},
      {R"({"minItems":-1})", "non-negative integer"},
      {R"({"required":"a"})", "array of strings"},
      {R"({"$defs":{"unused":{"contains":{}}}})", "unsupported JSON-Schema keyword 'contains'"},
      {R"(42)", "must be an object or a boolean"},
      {R"({"$ref":"#"})", "#: $ref cycle that never descends into the document"},
      {R"({"$id":"root.json","properties":{"a":{"$id":"a.json"}}})", "#/properties/a/$id: a nested $id"},
      {R"({"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/b"}]},"b":{"allOf":[{"$ref":"#/$defs/a"}]}}})", "$ref cycle"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.schema);
    try {
      Validator::compile(json::parse(c.schema), "test.json");
      FAIL("compile() accepted the schema");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Internal);
      CHECK_THAT(e.what(), Catch::Contains(c.fragment) && Catch::StartsWith("test.json: "));
    }
  }
  CHECK_THROWS_AS(Validator::compile_text("{not json"), berth::Error);
}

TEST_CASE("schema path helpers word paths like docker compose", "[schema]") {
  using berth::schema::Path;
  struct PathCase {
    Path path;
    const char* dotted;
    const char* pointer;
  };
  const PathCase cases[] = {
      {{}, "(root)", ""},
      {{"services"}, "services", "/services"},
      {{"services", "web", "ports", "0"}, "services.web.ports.0", "/services/web/ports/0"},
      {{"a~b", "c/d"}, "a~b.c/d", "/a~0b/c~1d"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.dotted);
    CHECK(berth::schema::dotted_path(c.path) == c.dotted);
    CHECK(berth::schema::json_pointer(c.path) == c.pointer);
  }
}
