#include "curl_http.h"

#include <curl/curl.h>

#include <cctype>

namespace pastillero {
namespace host {

namespace {

struct Transfer {
  HttpResponse response;
  const HttpClient::HeadFn* onHead = nullptr;
  const HttpClient::ChunkFn* onChunk = nullptr;
  bool headDone = false;
  bool aborted = false;
  CURL* curl = nullptr;
};

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) a++;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) b--;
  return s.substr(a, b - a);
}

size_t onHeaderLine(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * n);
  if (line.compare(0, 5, "HTTP/") == 0) {
    t->response.headers.clear();  // a new status line (e.g. after 100 Continue)
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon != std::string::npos)
    t->response.headers.push_back({trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
  return size * n;
}

bool deliverHead(Transfer* t) {
  if (t->headDone) return !t->aborted;
  t->headDone = true;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  t->response.status = static_cast<int>(status);
  if (t->onHead && !(*t->onHead)(t->response)) t->aborted = true;
  return !t->aborted;
}

size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->onChunk) {
    if (!deliverHead(t)) return 0;
    if (!(*t->onChunk)(reinterpret_cast<const uint8_t*>(data), len)) {
      t->aborted = true;
      return 0;
    }
    return len;
  }
  t->response.body.append(data, len);
  return len;
}

}  // namespace

CurlHttpClient::CurlHttpClient() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_ = curl_easy_init();
}

CurlHttpClient::~CurlHttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_global_cleanup();
}

HttpResponse CurlHttpClient::request(const HttpRequest& req) {
  return perform(req, nullptr, nullptr);
}

HttpResponse CurlHttpClient::download(const HttpRequest& req, const HeadFn& onHead,
                                      const ChunkFn& onChunk) {
  return perform(req, &onHead, &onChunk);
}

HttpResponse CurlHttpClient::perform(const HttpRequest& req, const HeadFn* onHead,
                                     const ChunkFn* onChunk) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  Transfer t;
  t.curl = c;
  t.onHead = onHead;
  t.onChunk = onChunk;
  curl_slist* headers = nullptr;
  for (const auto& h : req.headers) headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeoutMs));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.timeoutMs < 5000 ? req.timeoutMs : 5000));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // HTTPUpdate does not follow redirects
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeaderLine);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  if (req.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
  } else if (req.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  // A body-less answer (304, 204, an empty error) never reached the body callback.
  if (rc == CURLE_OK && onChunk && !t.headDone) deliverHead(&t);
  if (t.aborted) t.response.error = "aborted";
  else if (rc != CURLE_OK) t.response.error = curl_easy_strerror(rc);
  // A failed plain request has no usable answer, whatever status line arrived before the error.
  if (rc != CURLE_OK && !t.aborted && (!onChunk || status == 0)) t.response.status = 0;
  return t.response;
}

}  // namespace host
}  // namespace pastillero
