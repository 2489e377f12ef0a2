#include "berth/engine/tar.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <memory>
#include <utility>

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
  // An empty view may have no data pointer, which memcpy must not get.
  if (!text.empty()) std::memcpy(field, text.data(), std::min(width, text.size()));
}

// ustar splits a long path at a "/" into prefix (155) and name (100); empty
// when it cannot.
std::optional<std::pair<std::string_view, std::string_view>> split_ustar_name(std::string_view name) {
  if (name.size() <= 100) return std::pair<std::string_view, std::string_view>{{}, name};
  if (name.size() > 256) return std::nullopt;
  for (auto slash = name.find('/'); slash != std::string_view::npos; slash = name.find('/', slash + 1)) {
    if (slash > 155) break;
    if (name.size() - slash - 1 <= 100 && slash + 1 < name.size()) return std::pair{name.substr(0, slash), name.substr(slash + 1)};
  }
  return std::nullopt;
}

// One PAX record: "<length> <key>=<value>\n", the length counting itself.
std::string pax_record(std::string_view key, std::string_view value) {
  size_t body = key.size() + value.size() + 3;  // " ", "=", "\n"
  size_t length = body + 1;
  while (std::to_string(length).size() + body != length) length = std::to_string(length).size() + body;
  return std::to_string(length) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

constexpr std::uint64_t max_octal_size = (std::uint64_t{1} << 33) - 1;  // 11 octal digits

std::string ustar_block(std::string_view name, std::string_view prefix, const TarEntry& entry, char type,
                        std::uint64_t size, std::string_view link_target) {
  std::string header(block, '\0');
  char* h = header.data();
  put_text(h, 100, name);
  put_octal(h + 100, 8, entry.mode & 07777);
  put_octal(h + 108, 8, entry.uid);
  put_octal(h + 116, 8, entry.gid);
  put_octal(h + 124, 12, size);
  put_octal(h + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(entry.mtime, 0)));
  h[156] = type;
  put_text(h + 157, 100, link_target);
  std::memcpy(h + 257, "ustar\0" "00", 8);
  if (type == '3' || type == '4') {
    put_octal(h + 329, 8, entry.dev_major);
    put_octal(h + 337, 8, entry.dev_minor);
  }
  put_text(h + 345, 155, prefix);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  return header;
}

std::string header_for(const TarEntry& entry, std::uint64_t size) {
  std::string pax;
  std::string_view name = entry.name, prefix;
  if (auto split = split_ustar_name(entry.name)) {
    prefix = split->first;
    name = split->second;
  } else {
    pax += pax_record("path", entry.name);
    name = std::string_view(entry.name).substr(0, 100);
  }
  std::string_view link = entry.link_target;
  if (link.size() > 100) {
    pax += pax_record("linkpath", entry.link_target);
    link = link.substr(0, 100);
  }
  std::uint64_t ustar_size = size;
  if (size > max_octal_size) {
    pax += pax_record("size", std::to_string(size));
    ustar_size = 0;
  }
  std::string out;
  if (!pax.empty()) {
    TarEntry pax_entry;
    pax_entry.mode = 0644;
    pax_entry.mtime = entry.mtime;
    out = ustar_block("././@PaxHeader", {}, pax_entry, 'x', pax.size(), {});
    out += pax;
    out.append(tar_padding(pax.size()), '\0');
  }
  out += ustar_block(name, prefix, entry, entry.type, ustar_size, link);
  return out;
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

struct PaxNames {
  std::string path;
  std::string link_path;
};

// PAX records: "<length> <key>=<value>\n".
PaxNames pax_names(std::string_view records) {
  PaxNames names;
  while (!records.empty()) {
    auto space = records.find(' ');
    if (space == std::string_view::npos) break;
    size_t length = 0;
    for (char c : records.substr(0, space)) length = length * 10 + static_cast<size_t>(c - '0');
    if (length == 0 || length > records.size()) break;
    auto record = records.substr(space + 1, length - space - 2);
    if (record.starts_with("path=")) names.path = std::string(record.substr(5));
    if (record.starts_with("linkpath=")) names.link_path = std::string(record.substr(9));
    records.remove_prefix(length);
  }
  return names;
}


bool zero_block(std::string_view header) {
  return std::all_of(header.begin(), header.end(), [](char c) { return c == '\0'; });
}

// Checks a header block's checksum; its content size.
std::uint64_t checked_size(std::string_view header) {
  unsigned sum = 0;
  for (size_t i = 0; i < block; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  if (sum != parse_octal(header.substr(148, 8)))
    throw Error(ErrorKind::Io, "malformed tar archive: header checksum mismatch");
  return parse_octal(header.substr(124, 12));
}

char entry_type(std::string_view header) { return header[156] == '\0' ? '0' : header[156]; }

// The entry a header describes (no content); `long_name`/`long_link` come
// from GNU or PAX headers before it and are used up.
TarEntry parse_entry(std::string_view header, std::string& long_name, std::string& long_link) {
  TarEntry entry;
  entry.type = entry_type(header);
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
  if (!long_link.empty()) entry.link_target = std::move(long_link);
  long_link.clear();
  if (entry.type == '3' || entry.type == '4') {
    entry.dev_major = static_cast<unsigned>(parse_octal(header.substr(329, 8)));
    entry.dev_minor = static_cast<unsigned>(parse_octal(header.substr(337, 8)));
  }
  return entry;
}

// A GNU 'L'/'K' or PAX 'x' header's content into the names for the next entry.
void take_long_names(char type, std::string_view content, std::string& long_name, std::string& long_link) {
  if (type == 'L') {
    long_name = field_text(content);
  } else if (type == 'K') {
    long_link = field_text(content);
  } else if (type == 'x') {
    auto names = pax_names(content);
    if (!names.path.empty()) long_name = std::move(names.path);
    if (!names.link_path.empty()) long_link = std::move(names.link_path);
  }
}

bool names_header(char type) { return type == 'L' || type == 'K' || type == 'x' || type == 'g'; }

}  // namespace

std::string tar_header(const TarEntry& entry, std::uint64_t content_size) {
  return header_for(entry, entry.type == '0' ? content_size : 0);
}

// --- TarStreamReader

void TarStreamReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    switch (state_) {
      case State::Done:
        return;
      case State::Header: {
        size_t take = std::min(bytes.size(), block - header_.size());
        header_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (header_.size() == block) header_complete();
        break;
      }
      case State::Content:
      case State::Meta: {
        size_t take = static_cast<size_t>(std::min<std::uint64_t>(bytes.size(), remaining_));
        if (state_ == State::Content) {
          if (take > 0) handler_.content(bytes.substr(0, take));
        } else {
          meta_.append(bytes.substr(0, take));
        }
        bytes.remove_prefix(take);
        remaining_ -= take;
        if (remaining_ == 0) {
          if (state_ == State::Content) {
            handler_.end();
          } else {
            take_long_names(meta_type_, meta_, long_name_, long_link_);
            meta_.clear();
          }
          state_ = padding_ > 0 ? State::Skip : State::Header;
        }
        break;
      }
      case State::Skip: {
        size_t take = std::min(bytes.size(), padding_);
        bytes.remove_prefix(take);
        padding_ -= take;
        if (padding_ == 0) state_ = State::Header;
        break;
      }
    }
  }
}

void TarStreamReader::header_complete() {
  const std::string_view header = header_;
  if (zero_block(header)) {
    state_ = State::Done;
    return;
  }
  remaining_ = checked_size(header);
  padding_ = tar_padding(remaining_);
  const char type = entry_type(header);
  if (names_header(type)) {
    if (remaining_ > (1u << 20)) throw Error(ErrorKind::Io, "malformed tar archive: a name record over 1 MiB");
    meta_type_ = type;
    meta_.clear();
    state_ = State::Meta;
  } else {
    TarEntry entry = parse_entry(header, long_name_, long_link_);
    ++entries_;
    const bool regular = type == '0' || type == '7';
    if (!handler_.begin(entry, regular ? remaining_ : 0)) {
      state_ = State::Done;
      header_.clear();
      return;
    }
    state_ = State::Content;
    if (!regular) {  // whatever a link or directory header claims to carry is skipped
      padding_ += static_cast<size_t>(remaining_);
      remaining_ = 0;
    }
  }
  header_.clear();
  if (remaining_ == 0) {
    if (state_ == State::Content) handler_.end();
    state_ = padding_ > 0 ? State::Skip : State::Header;
  }
}

void TarStreamReader::finish() const {
  if (state_ == State::Content || state_ == State::Meta || state_ == State::Skip ||
      (state_ == State::Header && !header_.empty()))
    throw Error(ErrorKind::Io, "malformed tar archive: truncated entry");
}
// --- TarPieces, tar_body

TarPieces::TarPieces(std::shared_ptr<const std::vector<TarSourceEntry>> entries, size_t piece_size,
                     TarReadOptions options)
    : entries_(std::move(entries)), piece_size_(std::max<size_t>(piece_size, 4096)), options_(std::move(options)) {}

TarPieces::~TarPieces() { close_file(); }

bool TarPieces::next(std::string& chunk) {
  chunk.clear();
  chunk.reserve(piece_size_ + 2 * block);
  while (chunk.size() < piece_size_) {
    if (fd_ >= 0) {
      read_file_into(chunk);
      continue;
    }
    if (index_ == entries_->size()) {
      if (!finished_) chunk.append(tar_trailer_size, '\0');
      finished_ = true;
      return false;
    }
    const TarSourceEntry& entry = (*entries_)[index_];
    const bool regular = entry.header.type == '0';
    const bool in_memory = regular && entry.source.empty();
    const std::uint64_t size = in_memory ? entry.header.content.size() : entry.size;
    chunk += tar_header(entry.header, size);
    if (!regular || size == 0) {
      ++index_;
    } else if (in_memory) {
      chunk += entry.header.content;
      chunk.append(tar_padding(size), '\0');
      ++index_;
    } else {
      open_file(entry);
    }
  }
  return true;
}

std::string TarPieces::name_of(const TarSourceEntry& entry) const {
  return options_.archive_name_suffix.empty() ? entry.source : entry.header.name + options_.archive_name_suffix;
}

void TarPieces::open_file(const TarSourceEntry& entry) {
  fd_ = ::open(entry.source.c_str(), O_RDONLY | O_CLOEXEC | (options_.no_follow ? O_NOFOLLOW : 0));
  if (fd_ < 0) throw Error(ErrorKind::Io, "cannot read " + name_of(entry) + ": " + std::strerror(errno));
  remaining_ = entry.size;
}

void TarPieces::read_file_into(std::string& chunk) {
  const TarSourceEntry& entry = (*entries_)[index_];
  size_t want = static_cast<size_t>(std::min<std::uint64_t>(remaining_, piece_size_ - chunk.size()));
  size_t old = chunk.size();
  chunk.resize(old + want);
  ssize_t n = ::read(fd_, chunk.data() + old, want);
  if (n < 0 && errno == EINTR) n = 0;
  if (n < 0) {
    int error = errno;
    chunk.resize(old);
    throw Error(ErrorKind::Io, "cannot read " + name_of(entry) + ": " + std::strerror(error));
  }
  chunk.resize(old + static_cast<size_t>(n));
  if (n == 0 && want > 0) throw Error(ErrorKind::Io, name_of(entry) + " shrank while it was being sent");
  remaining_ -= static_cast<std::uint64_t>(n);
  if (remaining_ == 0) {
    close_file();
    chunk.append(tar_padding(entry.size), '\0');
    ++index_;
  }
}

void TarPieces::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

BodySource tar_body(std::vector<TarSourceEntry> entries, size_t piece_size) {
  auto pieces = std::make_shared<TarPieces>(
      std::make_shared<const std::vector<TarSourceEntry>>(std::move(entries)), piece_size);
  return [pieces](std::string& chunk) { return pieces->next(chunk); };
}

}  // namespace berth::engine
