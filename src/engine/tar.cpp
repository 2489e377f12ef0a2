#include "berth/engine/tar.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "berth/util/error.h"

namespace berth::engine {
namespace {

constexpr size_t block = 512;

// width-1 octal digits and a NUL, as ustar wants.
void put_octal(char* field, size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  if (value != 0) throw Error(ErrorKind::Io, "a value is too large for a tar header (file over 8 GiB?)");
}

void put_text(char* field, size_t width, std::string_view text) {
  std::memcpy(field, text.data(), std::min(width, text.size()));
}

std::string header_for(const TarEntry& entry) {
  std::string header(block, '\0');
  char* h = header.data();
  std::string_view name = entry.name;
  std::string_view prefix;
  if (name.size() > 100) {
    // ustar splits long paths at a "/" into prefix (155) and name (100).
    auto slash = name.rfind('/', name.size() - 2);
    while (slash != std::string_view::npos && (slash > 155 || name.size() - slash - 1 > 100))
      slash = slash == 0 ? std::string_view::npos : name.rfind('/', slash - 1);
    if (slash == std::string_view::npos || name.size() - slash - 1 > 100)
      throw Error(ErrorKind::Io, "path too long for a tar archive: " + entry.name);
    prefix = name.substr(0, slash);
    name = name.substr(slash + 1);
  }
  put_text(h, 100, name);
  put_octal(h + 100, 8, entry.mode);
  put_octal(h + 108, 8, entry.uid);
  put_octal(h + 116, 8, entry.gid);
  put_octal(h + 124, 12, entry.type == '0' ? entry.content.size() : 0);
  put_octal(h + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(entry.mtime, 0)));
  h[156] = entry.type;
  put_text(h + 157, 100, entry.link_target);
  std::memcpy(h + 257, "ustar\0" "00", 8);
  put_text(h + 345, 155, prefix);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  return header;
}

std::uint64_t parse_octal(std::string_view field) {
  std::uint64_t value = 0;
  for (char c : field) {
    if (c == '\0' || c == ' ') {
      if (value) break;
      continue;
    }
    if (c < '0' || c > '7') throw Error(ErrorKind::Io, "malformed tar archive: bad number");
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  return value;
}

std::string field_text(std::string_view field) { return std::string(field.substr(0, field.find('\0'))); }

// PAX records: "<length> <key>=<value>\n".
std::string pax_path(std::string_view records) {
  std::string path;
  while (!records.empty()) {
    auto space = records.find(' ');
    if (space == std::string_view::npos) break;
    size_t length = 0;
    for (char c : records.substr(0, space)) length = length * 10 + static_cast<size_t>(c - '0');
    if (length == 0 || length > records.size()) break;
    auto record = records.substr(space + 1, length - space - 2);
    if (record.starts_with("path=")) path = std::string(record.substr(5));
    records.remove_prefix(length);
  }
  return path;
}

}  // namespace

void TarWriter::add_file(const std::string& name, std::string_view content, unsigned mode) {
  TarEntry entry;
  entry.name = name;
  entry.content = std::string(content);
  entry.mode = mode;
  add(entry);
}

void TarWriter::add_directory(const std::string& name, unsigned mode) {
  TarEntry entry;
  entry.name = name.ends_with('/') ? name : name + "/";
  entry.type = '5';
  entry.mode = mode;
  add(entry);
}

void TarWriter::add(const TarEntry& entry) {
  data_ += header_for(entry);
  if (entry.type == '0') {
    data_ += entry.content;
    data_.append((block - entry.content.size() % block) % block, '\0');
  }
}

std::string TarWriter::finish() const { return data_ + std::string(2 * block, '\0'); }

std::vector<TarEntry> read_tar(std::string_view archive) {
  std::vector<TarEntry> entries;
  std::string long_name;
  size_t offset = 0;
  while (offset + block <= archive.size()) {
    auto header = archive.substr(offset, block);
    if (std::all_of(header.begin(), header.end(), [](char c) { return c == '\0'; })) break;
    unsigned sum = 0;
    for (size_t i = 0; i < block; ++i)
      sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    if (sum != parse_octal(header.substr(148, 8)))
      throw Error(ErrorKind::Io, "malformed tar archive: header checksum mismatch");
    auto size = parse_octal(header.substr(124, 12));
    offset += block;
    if (offset + size > archive.size()) throw Error(ErrorKind::Io, "malformed tar archive: truncated entry");
    auto content = archive.substr(offset, size);
    offset += (size + block - 1) / block * block;
    char type = header[156] == '\0' ? '0' : header[156];
    if (type == 'L') {
      long_name = field_text(content);
      continue;
    }
    if (type == 'x') {
      long_name = pax_path(content);
      continue;
    }
    if (type == 'g') continue;
    TarEntry entry;
    entry.type = type;
    entry.name = field_text(header.substr(0, 100));
    auto prefix = field_text(header.substr(345, 155));
    if (header.substr(257, 5) == "ustar" && !prefix.empty()) entry.name = prefix + "/" + entry.name;
    if (!long_name.empty()) entry.name = std::move(long_name);
    long_name.clear();
    entry.mode = static_cast<unsigned>(parse_octal(header.substr(100, 8)));
    entry.uid = static_cast<unsigned>(parse_octal(header.substr(108, 8)));
    entry.gid = static_cast<unsigned>(parse_octal(header.substr(116, 8)));
    entry.mtime = static_cast<std::int64_t>(parse_octal(header.substr(136, 12)));
    entry.link_target = field_text(header.substr(157, 100));
    if (type == '0' || type == '7') entry.content = std::string(content);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace berth::engine
