#include "file_kv.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pastillero {
namespace host {

bool makeDirs(const std::string& path) {
  std::string part;
  for (size_t i = 0; i <= path.size(); i++) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      part = path.substr(0, i);
      if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
  }
  return true;
}

bool readFile(const std::string& path, std::string& out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string data;
  char buf[8192];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return false;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  out.swap(data);
  return true;
}

bool writeFileAtomic(const std::string& path, const std::string& bytes) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return false;
  }
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

FileKeyValueStore::FileKeyValueStore(const std::string& dir) : root_(dir + "/nvs") {
  makeDirs(root_);
}

// NVS's own limits (15 characters), and nothing that could escape the directory.
bool FileKeyValueStore::valid(const char* name) const {
  const size_t n = strlen(name);
  if (n == 0 || n > 15) return false;
  for (size_t i = 0; i < n; i++) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

std::string FileKeyValueStore::path(const char* ns, const char* key) const {
  return root_ + "/" + ns + "/" + key;
}

bool FileKeyValueStore::read(const char* ns, const char* key, std::string& out) {
  return valid(ns) && valid(key) && readFile(path(ns, key), out);
}

bool FileKeyValueStore::write(const char* ns, const char* key, const std::string& bytes) {
  if (!valid(ns) || !valid(key) || bytes.size() > 4000) return false;
  if (!makeDirs(root_ + "/" + ns)) return false;
  return writeFileAtomic(path(ns, key), bytes);
}

bool FileKeyValueStore::getString(const char* ns, const char* key, std::string& out) {
  return read(ns, key, out);
}
bool FileKeyValueStore::putString(const char* ns, const char* key, const std::string& value) {
  return write(ns, key, value);
}
bool FileKeyValueStore::getU32(const char* ns, const char* key, uint32_t& out) {
  std::string text;
  if (!read(ns, key, text) || text.empty()) return false;
  char* end = nullptr;
  const unsigned long v = strtoul(text.c_str(), &end, 10);
  if (*end != '\0' && *end != '\n') return false;
  out = static_cast<uint32_t>(v);
  return true;
}
bool FileKeyValueStore::putU32(const char* ns, const char* key, uint32_t value) {
  return write(ns, key, std::to_string(value));
}
bool FileKeyValueStore::getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) {
  std::string bytes;
  if (!read(ns, key, bytes)) return false;
  out.assign(bytes.begin(), bytes.end());
  return true;
}
bool FileKeyValueStore::putBlob(const char* ns, const char* key, const uint8_t* data, size_t len) {
  return write(ns, key, std::string(reinterpret_cast<const char*>(data), len));
}
bool FileKeyValueStore::erase(const char* ns, const char* key) {
  if (!valid(ns) || !valid(key)) return false;
  return unlink(path(ns, key).c_str()) == 0 || errno == ENOENT;
}
bool FileKeyValueStore::eraseNamespace(const char* ns) {
  if (!valid(ns)) return false;
  const std::string dir = root_ + "/" + ns;
  DIR* d = opendir(dir.c_str());
  if (!d) return errno == ENOENT;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    unlink((dir + "/" + e->d_name).c_str());
  }
  closedir(d);
  return rmdir(dir.c_str()) == 0;
}

}  // namespace host
}  // namespace pastillero
